"""Fields the vendor's resources show that the harness now fills: ``companyId`` on jobs and
agents, ``descriptionUrl`` on jobs, and a candidate's ``interviewCount``, ``analysisCount``
and ``overallRating``, kept true as interviews and analyses happen."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from harness.api.state import STORE
from tests.api_helpers import complete, job_body, new_candidate
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_SCREENING,
    ACME_CANDIDATE,
    ACME_ID,
    ACME_JOB,
    GLOBEX_ID,
    GLOBEX_KEY,
    Api,
)


@pytest.mark.parametrize("path", ["/jobs", "/agents"])
async def test_jobs_and_agents_name_their_company(api: Api, path: str) -> None:
    listed = (await api.get(path)).data["items"]
    assert listed and {r["companyId"] for r in listed} == {ACME_ID}
    globex = (await api.as_key(GLOBEX_KEY).get(path)).data["items"]
    assert {r["companyId"] for r in globex} == {GLOBEX_ID}


async def test_a_created_job_names_its_company_and_keeps_its_description_url(api: Api) -> None:
    url = "https://example.com/jobs/senior-typescript-dev"
    made = (await api.post("/jobs", job_body(descriptionUrl=url))).data
    assert (made["companyId"], made["descriptionUrl"]) == (ACME_ID, url)
    assert (await api.get(f"/jobs/{made['id']}")).data["descriptionUrl"] == url
    cleared = await api.patch(f"/jobs/{made['id']}", {"descriptionUrl": None})
    assert cleared.data["descriptionUrl"] is None
    seeded = (await api.get(f"/jobs/{ACME_JOB}")).data
    assert seeded["descriptionUrl"] is None


@pytest.mark.parametrize("bad", ["example.com/jobs", 7, "https://"])
async def test_a_bad_description_url_is_a_400_naming_it(api: Api, bad: Any) -> None:
    reply = await api.post("/jobs", job_body(descriptionUrl=bad))
    assert (reply.status, reply.fields) == (400, ["descriptionUrl"]), reply.body


async def _counts(api: Api, candidate_id: str) -> tuple[int, int, Any]:
    got = (await api.get(f"/candidates/{candidate_id}")).data
    return got["interviewCount"], got["analysisCount"], got["overallRating"]


async def _interview(api: Api, candidate_id: str, **extra: Any) -> dict[str, Any]:
    body = {"candidateId": candidate_id, "agentId": ACME_AGENT_GENERIC, **extra}
    reply = await api.post("/interviews", body)
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def test_a_candidates_counts_follow_its_interviews_and_analyses(api: Api) -> None:
    candidate = await new_candidate(api, jobIds=[ACME_JOB])
    assert await _counts(api, candidate) == (0, 0, None)
    first = await _interview(api, candidate)
    assert await _counts(api, candidate) == (1, 0, None)
    done = await complete(api, first["id"], 10)
    rating = done["analysis"]["general"]["overallRating"]
    assert await _counts(api, candidate) == (1, 1, rating)
    second = await _interview(
        api, candidate, isTest=True, agentId=ACME_AGENT_SCREENING, jobId=ACME_JOB
    )
    other = (await api.get(f"/interviews/{second['id']}")).data["analysis"]["general"]
    mean = (rating + other["overallRating"]) / 2
    assert await _counts(api, candidate) == (2, 2, int(mean + 0.5))
    listed = (await api.get("/candidates")).data["items"]
    assert [c["interviewCount"] for c in listed if c["id"] == candidate] == [2]
    assert (await api.delete(f"/interviews/{second['id']}")).status == 200
    assert await _counts(api, candidate) == (1, 1, rating)


async def test_the_seeded_candidate_starts_with_nothing_counted(api: Api) -> None:
    assert await _counts(api, ACME_CANDIDATE) == (0, 0, None)
    made = await api.post("/candidates", {"firstName": "A", "lastName": "B", "email": "a@b.co"})
    assert (made.data["interviewCount"], made.data["analysisCount"]) == (0, 0)
    assert made.data["overallRating"] is None


async def test_overall_rating_is_the_mean_rounded_half_up(api: Api) -> None:
    candidate = await new_candidate(api, jobIds=[ACME_JOB])
    store = api.client.app[STORE]
    for rating in (80, 85):
        made = await _interview(api, candidate, isTest=True)
        analysis = store.interviews[UUID(made["id"])].analysis
        assert analysis is not None
        analysis.general.overall_rating = rating
    assert await _counts(api, candidate) == (2, 2, 83)  # 82.5 → 83, not banker's 82
