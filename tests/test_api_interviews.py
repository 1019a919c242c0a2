"""``POST /interviews``, rules 1-7 of contract section 3: XOR, priority, existence, jobs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api_helpers import counts, new_agent, new_candidate, new_job
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_SCREENING,
    ACME_CANDIDATE,
    ACME_JOB,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_CANDIDATE,
    GLOBEX_JOB,
    MISSING_ID,
    Api,
    inline_agent,
    inline_candidate,
    inline_job,
)


async def _invalid(api: Api, body: dict[str, Any]) -> list[str]:
    before = counts(api)
    reply = await api.post("/interviews", body)
    assert reply.status == 400, reply.body
    assert reply.error["code"] == "VALIDATION_ERROR"
    assert counts(api) == before
    return reply.fields


async def _made(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    reply = await api.post("/interviews", body)
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def _job_ids(api: Api, candidate: str) -> list[str]:
    return (await api.get(f"/candidates/{candidate}")).data["jobIds"]  # type: ignore[no-any-return]


# --- rule 1: exactly one of candidateId / candidate and of agentId / agent -------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"agentId": ACME_AGENT_GENERIC}, ["candidateId"]),
        (
            {
                "candidateId": ACME_CANDIDATE,
                "candidate": inline_candidate(),
                "agentId": ACME_AGENT_GENERIC,
            },
            ["candidateId"],
        ),
        ({"candidateId": ACME_CANDIDATE}, ["agentId"]),
        (
            {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC, "agent": inline_agent()},
            ["agentId"],
        ),
        ({}, ["candidateId", "agentId"]),
        (
            {
                "candidate": inline_candidate(),
                "agent": inline_agent(),
                "agentId": ACME_AGENT_GENERIC,
                "job": inline_job(),
            },
            ["agentId"],
        ),
    ],
)
async def test_rule1_exactly_one_candidate_and_agent(
    api: Api, body: dict[str, Any], fields: list[str]
) -> None:
    assert await _invalid(api, body) == fields


@pytest.mark.parametrize(
    "body",
    [
        {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC},
        {"candidate": inline_candidate(), "agentId": ACME_AGENT_GENERIC},
        {"candidateId": ACME_CANDIDATE, "agent": inline_agent()},
        {"candidate": inline_candidate(), "agent": inline_agent(), "job": inline_job()},
    ],
)
async def test_rule1_each_source_alone_is_accepted(api: Api, body: dict[str, Any]) -> None:
    await _made(api, body)


# --- rules 2 and 3: jobId XOR job; candidate.jobId with neither ------------------------------


async def test_rule2_job_id_and_job_are_exclusive(api: Api) -> None:
    body = {
        "candidateId": ACME_CANDIDATE,
        "agentId": ACME_AGENT_GENERIC,
        "jobId": ACME_JOB,
        "job": inline_job(),
    }
    assert await _invalid(api, body) == ["jobId"]


@pytest.mark.parametrize("top", [{"jobId": ACME_JOB}, {"job": inline_job()}])
async def test_rule3_candidate_job_id_with_a_top_level_job(api: Api, top: dict[str, Any]) -> None:
    body = {"candidate": inline_candidate(jobId=ACME_JOB), "agentId": ACME_AGENT_GENERIC, **top}
    assert await _invalid(api, body) == ["candidate.jobId"]


async def test_rule3_candidate_job_id_alone_links_the_job(api: Api) -> None:
    body = {"candidate": inline_candidate(jobId=ACME_JOB), "agentId": ACME_AGENT_SCREENING}
    made = await _made(api, body)
    assert made["jobId"] == ACME_JOB
    assert await _job_ids(api, made["candidateId"]) == [ACME_JOB]


# --- rule 4: job > jobId > candidate.jobId ---------------------------------------------------


async def test_rule4_job_wins_over_the_candidates_assignments(api: Api) -> None:
    other = await new_job(api)
    cid = await new_candidate(api, jobIds=[ACME_JOB, other])
    body = {"candidateId": cid, "agentId": ACME_AGENT_SCREENING, "job": inline_job()}
    made = await _made(api, body)  # several assignments would be a 400 without the inline job
    assert made["jobId"] not in {ACME_JOB, other}
    assert await _job_ids(api, cid) == [ACME_JOB, other, made["jobId"]]


async def test_rule4_job_wins_over_inline_candidate_job_ids(api: Api) -> None:
    body = {
        "candidate": inline_candidate(jobIds=[ACME_JOB]),
        "agentId": ACME_AGENT_SCREENING,
        "job": inline_job(),
    }
    made = await _made(api, body)
    assert made["jobId"] != ACME_JOB
    assert await _job_ids(api, made["candidateId"]) == [ACME_JOB, made["jobId"]]


async def test_rule4_job_id_wins_over_inline_candidate_job_ids(api: Api) -> None:
    other = await new_job(api)
    body = {
        "candidate": inline_candidate(jobIds=[ACME_JOB]),
        "agentId": ACME_AGENT_SCREENING,
        "jobId": other,
    }
    made = await _made(api, body)
    assert made["jobId"] == other
    assert await _job_ids(api, made["candidateId"]) == [ACME_JOB, other]


async def test_rule4_candidate_job_id_wins_over_candidate_job_ids(api: Api) -> None:
    other = await new_job(api)
    body = {
        "candidate": inline_candidate(jobIds=[ACME_JOB], jobId=other),
        "agentId": ACME_AGENT_SCREENING,
    }
    made = await _made(api, body)
    assert made["jobId"] == other
    assert sorted(await _job_ids(api, made["candidateId"])) == sorted([ACME_JOB, other])


async def test_rule4_job_id_chooses_among_existing_assignments(api: Api) -> None:
    other = await new_job(api)
    cid = await new_candidate(api, jobIds=[ACME_JOB, other])
    made = await _made(api, {"candidateId": cid, "agentId": ACME_AGENT_SCREENING, "jobId": other})
    assert made["jobId"] == other


# --- rule 5: existing ids exist (404) and are the company's (403); deleted = missing ---------

BASE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}


def _with(field: str, value: str) -> dict[str, Any]:
    if field == "candidate.jobId":
        return {"candidate": inline_candidate(jobId=value), "agentId": ACME_AGENT_GENERIC}
    if field == "candidate.jobIds":
        return {"candidate": inline_candidate(jobIds=[value]), "agentId": ACME_AGENT_GENERIC}
    body = {**BASE, field: value}
    if field == "jobId":  # rule 6 would object to a job the candidate lacks; use a fresh one
        body = {"candidate": inline_candidate(), "agentId": ACME_AGENT_GENERIC, "jobId": value}
    return body


FIELDS = [
    ("candidateId", "Candidate", GLOBEX_CANDIDATE),
    ("agentId", "Agent", GLOBEX_AGENT_GENERIC),
    ("jobId", "Job", GLOBEX_JOB),
    ("candidate.jobId", "Job", GLOBEX_JOB),
    ("candidate.jobIds", "Job", GLOBEX_JOB),
]


@pytest.mark.parametrize(("field", "kind", "foreign"), FIELDS)
async def test_rule5_missing_ids_are_404(api: Api, field: str, kind: str, foreign: str) -> None:
    before = counts(api)
    reply = await api.post("/interviews", _with(field, MISSING_ID))
    assert reply.status == 404, reply.body
    assert reply.error["code"] == "RESOURCE_NOT_FOUND"
    assert reply.error["details"] == {"resourceType": kind, "resourceId": MISSING_ID}
    assert counts(api) == before


@pytest.mark.parametrize(("field", "kind", "foreign"), FIELDS)
async def test_rule5_foreign_ids_are_403(api: Api, field: str, kind: str, foreign: str) -> None:
    before = counts(api)
    reply = await api.post("/interviews", _with(field, foreign))
    assert reply.status == 403, reply.body
    assert reply.error["code"] == "RESOURCE_ACCESS_DENIED"
    assert reply.error["details"] == {"resourceType": kind, "resourceId": foreign}
    assert counts(api) == before


@pytest.mark.parametrize(("field", "kind"), [(f, k) for f, k, _ in FIELDS])
async def test_rule5_deleted_resources_count_as_missing(api: Api, field: str, kind: str) -> None:
    path = {"Candidate": "candidates", "Agent": "agents", "Job": "jobs"}[kind]
    if kind == "Candidate":
        rid = await new_candidate(api)
    elif kind == "Agent":
        rid = await new_agent(api, focus="GENERIC")
    else:
        rid = await new_job(api)
    assert (await api.post("/interviews", _with(field, rid))).status == 201  # alive: fine
    assert (await api.delete(f"/{path}/{rid}")).data is True
    reply = await api.post("/interviews", _with(field, rid))
    assert reply.status == 404, reply.body
    assert reply.error["details"] == {"resourceType": kind, "resourceId": rid}


async def test_rule5_the_other_company_can_use_its_own_ids(api: Api) -> None:
    from tests.support import GLOBEX_KEY

    body = {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC, "jobId": GLOBEX_JOB}
    reply = await api.as_key(GLOBEX_KEY).post("/interviews", {**body, "isTest": True})
    assert reply.status == 201, reply.body


# --- rule 6: a top-level jobId must be among an existing candidate's jobIds -----------------


async def test_rule6_job_id_must_be_the_candidates(api: Api) -> None:
    other = await new_job(api)
    body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_SCREENING, "jobId": other}
    assert await _invalid(api, body) == ["jobId"]
    assert await _job_ids(api, ACME_CANDIDATE) == [ACME_JOB]
    made = await _made(api, {**body, "jobId": ACME_JOB})
    assert made["jobId"] == ACME_JOB


async def test_rule6_does_not_apply_to_an_inline_candidate(api: Api) -> None:
    other = await new_job(api)
    body = {"candidate": inline_candidate(), "agentId": ACME_AGENT_SCREENING, "jobId": other}
    made = await _made(api, body)
    assert made["jobId"] == other
    assert await _job_ids(api, made["candidateId"]) == [other]


# --- rule 7: no job source with an existing candidate ---------------------------------------


async def _candidate_with(api: Api, jobs: int) -> tuple[str, list[str]]:
    ids = [await new_job(api) for _ in range(jobs)]
    return await new_candidate(api, jobIds=ids), ids


@pytest.mark.parametrize("jobs", [0, 1])
async def test_rule7_generic_agent_needs_no_job_and_still_gets_a_single_one(
    api: Api, jobs: int
) -> None:
    cid, ids = await _candidate_with(api, jobs)
    made = await _made(api, {"candidateId": cid, "agentId": ACME_AGENT_GENERIC})
    assert made["jobId"] == (ids[0] if jobs == 1 else None)


@pytest.mark.parametrize("focus", ["SCREENING", "OUTREACH", "LANGUAGE_TEST"])
async def test_rule7_one_assignment_is_filled_in(api: Api, focus: str) -> None:
    cid, ids = await _candidate_with(api, 1)
    agent = await new_agent(api, focus=focus)
    made = await _made(api, {"candidateId": cid, "agentId": agent})
    assert made["jobId"] == ids[0]


@pytest.mark.parametrize("focus", ["SCREENING", "OUTREACH", "LANGUAGE_TEST"])
async def test_rule7_no_assignment_is_400_for_a_focused_agent(api: Api, focus: str) -> None:
    cid, _ = await _candidate_with(api, 0)
    agent = await new_agent(api, focus=focus)
    reply = await api.post("/interviews", {"candidateId": cid, "agentId": agent})
    assert reply.status == 400
    assert reply.fields == ["jobId"]
    assert focus in reply.error["message"]


@pytest.mark.parametrize("focus", ["GENERIC", "SCREENING", "OUTREACH", "LANGUAGE_TEST"])
async def test_rule7_several_assignments_need_job_id_whatever_the_focus(
    api: Api, focus: str
) -> None:
    # docs/contract.md, rule 7: "Required when candidate has multiple job assignments" (the
    # reference) over "the candidate's first job" (the guide): the first job is never guessed
    cid, ids = await _candidate_with(api, 2)
    agent = await new_agent(api, focus=focus)
    before = counts(api)
    reply = await api.post("/interviews", {"candidateId": cid, "agentId": agent})
    assert reply.status == 400
    assert reply.fields == ["jobId"]
    assert "2 job assignments" in reply.error["message"]
    assert counts(api) == before
    made = await _made(api, {"candidateId": cid, "agentId": agent, "jobId": ids[1]})
    assert made["jobId"] == ids[1]


async def test_rule7_deleted_jobs_are_not_assignments(api: Api) -> None:
    cid, ids = await _candidate_with(api, 2)
    await api.delete(f"/jobs/{ids[0]}")
    made = await _made(api, {"candidateId": cid, "agentId": ACME_AGENT_SCREENING})
    assert made["jobId"] == ids[1]


async def test_rule7_a_repeated_job_is_one_assignment(api: Api) -> None:
    job = await new_job(api)
    cid = await new_candidate(api, jobIds=[job, job])
    made = await _made(api, {"candidateId": cid, "agentId": ACME_AGENT_SCREENING})
    assert made["jobId"] == job


@pytest.mark.parametrize(
    ("candidate", "agent", "status"),
    [
        (inline_candidate(), ACME_AGENT_SCREENING, 400),
        (inline_candidate(), ACME_AGENT_GENERIC, 201),
        (inline_candidate(jobIds=[ACME_JOB]), ACME_AGENT_SCREENING, 201),
    ],
)
async def test_rule7_applies_to_an_inline_candidate_too(
    api: Api, candidate: dict[str, Any], agent: str, status: int
) -> None:
    before = counts(api)
    reply = await api.post("/interviews", {"candidate": candidate, "agentId": agent})
    assert reply.status == status, reply.body
    if status == 400:
        assert reply.fields == ["jobId"]
        assert counts(api) == before
    elif agent == ACME_AGENT_GENERIC:
        assert reply.data["jobId"] is None
        assert await _job_ids(api, reply.data["candidateId"]) == []  # the talent pool
    else:
        assert reply.data["jobId"] == ACME_JOB
