"""``POST /interviews`` rules 8 (inline resources), 10 (metadata) and 12 (atomicity)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api_helpers import complete, counts, new_job
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_SCREENING,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_PHONE,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_CANDIDATE,
    GLOBEX_JOB,
    GLOBEX_KEY,
    GLOBEX_PHONE,
    MISSING_ID,
    Api,
    full_inline_body,
    inline_agent,
    inline_candidate,
    inline_job,
)

# --- rule 8: inline job, candidate and agent become permanent resources ---------------------


async def test_rule8_fully_inline_creates_three_permanent_resources(api: Api) -> None:
    before = counts(api)
    made = await api.post("/interviews", full_inline_body())
    assert made.status == 201, made.body
    interview = made.data
    assert counts(api) == {k: v + 1 for k, v in before.items()}
    job = (await api.get(f"/jobs/{interview['jobId']}")).data
    assert (job["title"], job["status"]) == (inline_job()["title"], "OPEN")
    candidate = (await api.get(f"/candidates/{interview['candidateId']}")).data
    assert candidate["jobIds"] == [interview["jobId"]]
    assert candidate["gdprExpiryDate"] == inline_candidate()["gdprExpiryDate"]
    agent = (await api.get(f"/agents/{interview['agentId']}")).data
    assert (agent["name"], agent["focus"]) == (inline_agent()["name"], "SCREENING")
    # Permanent: they outlive the interview and show up in lists.
    assert (await api.delete(f"/interviews/{interview['id']}")).data is True
    for path, rid in (
        ("jobs", interview["jobId"]),
        ("candidates", interview["candidateId"]),
        ("agents", interview["agentId"]),
    ):
        assert (await api.get(f"/{path}/{rid}")).status == 200
        assert rid in [r["id"] for r in (await api.get(f"/{path}?limit=100")).data["items"]]
    # ...and belong to the key's company only.
    foreign = await api.as_key(GLOBEX_KEY).get(f"/jobs/{interview['jobId']}")
    assert foreign.status == 403


async def test_rule8_inline_job_links_an_existing_candidate(api: Api) -> None:
    body = {
        "candidateId": ACME_CANDIDATE,
        "agentId": ACME_AGENT_SCREENING,
        "job": inline_job(status="CLOSED", requiredSkills=["Go"], salary={"currency": "EUR"}),
    }
    made = (await api.post("/interviews", body)).data
    assert made["jobId"] not in {None, ACME_JOB}
    job = (await api.get(f"/jobs/{made['jobId']}")).data
    assert (job["status"], job["requiredSkills"], job["salary"]["currency"]) == (
        "CLOSED",
        ["Go"],
        "EUR",
    )
    candidate = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    assert candidate["jobIds"] == [ACME_JOB, made["jobId"]]
    assert candidate["updatedAt"] >= candidate["createdAt"]


async def test_rule8_existing_assignment_is_not_duplicated(api: Api) -> None:
    body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_SCREENING, "jobId": ACME_JOB}
    assert (await api.post("/interviews", body)).status == 201
    assert (await api.get(f"/candidates/{ACME_CANDIDATE}")).data["jobIds"] == [ACME_JOB]


async def test_rule8_inline_candidate_joins_the_resolved_job(api: Api) -> None:
    job = await new_job(api)
    body = {
        "candidate": inline_candidate(phoneNumber="+421911222333", status="APPLIED"),
        "agentId": ACME_AGENT_SCREENING,
        "jobId": job,
    }
    made = (await api.post("/interviews", body)).data
    candidate = (await api.get(f"/candidates/{made['candidateId']}")).data
    assert candidate["jobIds"] == [job]
    assert (candidate["phoneNumber"], candidate["status"]) == ("+421911222333", "APPLIED")


@pytest.mark.parametrize(
    ("candidate", "field"),
    [
        ({k: v for k, v in inline_candidate().items() if k != "gdprExpiryDate"}, "gdprExpiryDate"),
        (inline_candidate(gdprExpiryDate="2001-01-01"), "gdprExpiryDate"),
        ({k: v for k, v in inline_candidate().items() if k != "email"}, ""),
        (inline_candidate(phoneNumber="12345"), "phoneNumber"),
        (inline_candidate(firstName=""), "firstName"),
    ],
)
async def test_rule8_inline_candidate_follows_the_candidate_rules(
    api: Api, candidate: dict[str, Any], field: str
) -> None:
    before = counts(api)
    reply = await api.post("/interviews", {"candidate": candidate, "agentId": ACME_AGENT_GENERIC})
    assert reply.status == 400
    assert f"candidate.{field}".rstrip(".") in reply.fields
    assert counts(api) == before


@pytest.mark.parametrize(
    ("job", "field"),
    [
        (inline_job(title="Dev"), "job.title"),
        ({"title": "Backend Engineer"}, "job.description"),
        (inline_job(status="DRAFT"), "job.status"),
        (inline_job(salary={"currency": "EUR", "min": 2, "max": 1}), "job.salary"),
    ],
)
async def test_rule8_inline_job_follows_the_job_rules(
    api: Api, job: dict[str, Any], field: str
) -> None:
    reply = await api.post("/interviews", {**full_inline_body(), "job": job})
    assert reply.status == 400
    assert field in reply.fields


async def test_rule8_inline_agent(api: Api) -> None:
    body = {
        "candidateId": ACME_CANDIDATE,
        "agent": inline_agent(language="DE", duration=20, voiceId="EMMA", focus="LANGUAGE_TEST"),
    }
    made = (await api.post("/interviews", body)).data
    agent = (await api.get(f"/agents/{made['agentId']}")).data
    assert (agent["language"], agent["duration"], agent["voiceId"]) == ("DE", 20, "EMMA")
    assert made["jobId"] == ACME_JOB  # rule 7 fills the candidate's only job
    assert made["callAttempts"] == []  # online


async def test_rule8_inline_phone_agent(api: Api) -> None:
    phone = inline_agent(type="PHONE", companyPhoneNumberId=ACME_PHONE)
    made = await api.post("/interviews", {"candidateId": ACME_CANDIDATE, "agent": phone})
    assert made.status == 201
    assert len(made.data["callAttempts"]) == 1
    for phone_id, status in ((GLOBEX_PHONE, 403), (MISSING_ID, 404), (None, 400)):
        agent = inline_agent(type="PHONE", companyPhoneNumberId=phone_id)
        before = counts(api)
        reply = await api.post("/interviews", {"candidateId": ACME_CANDIDATE, "agent": agent})
        assert reply.status == status, phone_id
        assert counts(api) == before
    missing = await api.post(
        "/interviews", {"candidateId": ACME_CANDIDATE, "agent": inline_agent(type="PHONE")}
    )
    assert missing.fields == ["agent.companyPhoneNumberId"]


# --- rule 10: metadata limits -----------------------------------------------------------------

BASE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}


def _nested(depth: int) -> dict[str, Any]:
    value: Any = 1
    for level in range(depth, 0, -1):
        value = {f"l{level}": value}
    return value  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("metadata", "ok"),
    [
        ({f"k{i}": i for i in range(50)}, True),
        ({f"k{i}": i for i in range(51)}, False),
        ({"outer": {f"k{i}": i for i in range(49)}}, True),  # 1 + 49 keys
        ({"outer": {f"k{i}": i for i in range(50)}}, False),  # keys count at every level
        (_nested(5), True),
        (_nested(6), False),
        ({"a": [{"b": {"c": {"d": {"e": 1}}}}]}, True),  # a list is not a level
        ({"a": [{"b": {"c": {"d": {"e": {}}}}}]}, False),
        ({"k": "x" * (10240 - 8)}, True),  # {"k":"…"} is exactly 10 KB
        ({"k": "x" * (10240 - 7)}, False),
        ({}, True),
    ],
)
async def test_rule10_metadata_limits(api: Api, metadata: dict[str, Any], ok: bool) -> None:
    before = counts(api)
    reply = await api.post("/interviews", {**BASE, "metadata": metadata})
    if ok:
        assert reply.status == 201, reply.body
        assert reply.data["metadata"] == metadata
    else:
        assert reply.status == 400
        assert reply.fields == ["metadata"]
        assert counts(api) == before


@pytest.mark.parametrize(
    "metadata", [{f"k{i}": i for i in range(50)}, {"k": "x" * (10240 - 8)}, _nested(5)]
)
async def test_rule10_limits_apply_before_is_test_is_added(
    api: Api, metadata: dict[str, Any]
) -> None:
    reply = await api.post("/interviews", {**BASE, "metadata": metadata, "isTest": True})
    assert reply.status == 201, reply.body
    assert reply.data["metadata"] == {**metadata, "isTest": True}


@pytest.mark.parametrize("where", ["candidate", "job", "agent"])
async def test_rule10_limits_apply_to_inline_metadata(api: Api, where: str) -> None:
    body = full_inline_body()
    body[where] = {**body[where], "metadata": _nested(6)}
    reply = await api.post("/interviews", body)
    assert reply.status == 400
    assert reply.fields == [f"{where}.metadata"]
    body[where] = {**body[where], "metadata": _nested(5)}
    assert (await api.post("/interviews", body)).status == 201


# --- rule 12: a failing request creates nothing -----------------------------------------------

FAILING = [
    pytest.param(
        {**full_inline_body(), "candidate": inline_candidate(jobIds=[GLOBEX_JOB])},
        403,
        id="foreign-candidate-job",
    ),
    pytest.param(
        {**full_inline_body(), "scheduleTime": "2999-01-01T00:00:00Z"}, 400, id="far-schedule"
    ),
    pytest.param({**full_inline_body(), "metadata": _nested(6)}, 400, id="metadata"),
    pytest.param(
        {
            **full_inline_body(),
            "agent": inline_agent(type="PHONE", companyPhoneNumberId=GLOBEX_PHONE),
        },
        403,
        id="foreign-phone",
    ),
    pytest.param(
        {**full_inline_body(), "candidate": inline_candidate(gdprExpiryDate="2000-01-01")},
        400,
        id="gdpr-past",
    ),
    pytest.param(
        {"candidateId": ACME_CANDIDATE, "job": inline_job(), "agentId": MISSING_ID},
        404,
        id="missing-agent",
    ),
    pytest.param(
        {"candidateId": ACME_CANDIDATE, "job": inline_job(), "agentId": GLOBEX_AGENT_GENERIC},
        403,
        id="foreign-agent",
    ),
    pytest.param(
        {
            "candidateId": ACME_CANDIDATE,
            "job": inline_job(),
            "agent": inline_agent(),
            "jobId": ACME_JOB,
        },
        400,
        id="job-xor",
    ),
    pytest.param(
        {"candidate": inline_candidate(), "agent": inline_agent()}, 400, id="rule7-inline"
    ),
    pytest.param(
        {"candidateId": ACME_CANDIDATE, "agent": inline_agent(), "jobId": GLOBEX_JOB},
        403,
        id="foreign-job",
    ),
    pytest.param(
        {"candidateId": GLOBEX_CANDIDATE, "agent": inline_agent(), "job": inline_job()},
        403,
        id="foreign-candidate",
    ),
]


async def _snapshot(api: Api) -> tuple[dict[str, int], Any, list[Any]]:
    candidate = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    jobs = (await api.get("/jobs?limit=100")).data["items"]
    return counts(api), candidate, jobs


@pytest.mark.parametrize(("body", "status"), FAILING)
async def test_rule12_failing_requests_create_nothing(
    api: Api, body: dict[str, Any], status: int
) -> None:
    before = await _snapshot(api)
    reply = await api.post("/interviews", body)
    assert reply.status == status, reply.body
    assert await _snapshot(api) == before


async def test_rule12_billing_refusal_creates_nothing(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    started = await globex.post(
        "/interviews", {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC}
    )
    await complete(api, started.data["id"], 30)
    before = counts(api)
    grace = (await globex.get(f"/candidates/{GLOBEX_CANDIDATE}")).data
    body = {"candidateId": GLOBEX_CANDIDATE, "agent": inline_agent(), "job": inline_job()}
    reply = await globex.post("/interviews", body)
    assert reply.status == 402
    assert counts(api) == before
    assert (await globex.get(f"/candidates/{GLOBEX_CANDIDATE}")).data == grace
    inline = await globex.post("/interviews", full_inline_body())
    assert inline.status == 402
    assert counts(api) == before
