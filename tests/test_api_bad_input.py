"""Bad input of every kind is a 4xx in the error envelope naming the field; never a 500."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_helpers import agent_body, candidate_body, counts, job_body
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_KEY,
    Api,
    inline_agent,
    inline_candidate,
    inline_job,
)

POSTS = ["/candidates", "/jobs", "/agents", "/interviews"]
PATCHES = [f"/candidates/{ACME_CANDIDATE}", "/jobs/1b1b1b1b-0000-4000-8000-000000000001"]
BODY_ENDPOINTS = [("POST", p) for p in POSTS] + [("PATCH", p) for p in PATCHES]

BY_ID = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}


def _fields(reply: Any) -> list[str]:
    assert reply.status == 400, reply.body
    assert reply.error["code"] == "VALIDATION_ERROR"
    return reply.fields  # type: ignore[no-any-return]


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"a": 1', b"{'a': 1}", b'{"a": 1,}', b"\xff\xfe\x00", b'{"a": tru}'],
)
async def test_malformed_json_is_invalid_json(api: Api, method: str, path: str, raw: bytes) -> None:
    reply = await api.call(method, path, data=raw)
    assert reply.status == 400
    assert reply.error["code"] == "INVALID_JSON"


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", [b"[]", b"[{}]", b'"text"', b"42", b"null", b"true"])
async def test_non_object_body_is_invalid_json(
    api: Api, method: str, path: str, raw: bytes
) -> None:
    reply = await api.call(method, path, data=raw)
    assert reply.status == 400
    assert reply.error["code"] == "INVALID_JSON"
    assert "object" in reply.error["message"]


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", [b"", b"   \n"])
async def test_empty_body_is_invalid_json(api: Api, method: str, path: str, raw: bytes) -> None:
    reply = await api.call(method, path, data=raw)
    assert reply.status == 400
    assert reply.error["code"] == "INVALID_JSON"


async def test_absurdly_deep_json_is_rejected_not_crashed(api: Api) -> None:
    deep = b'{"a":' * 1000 + b"1" + b"}" * 1000
    reply = await api.post("/candidates", data=b'{"metadata":' + deep + b"}")
    assert reply.status == 400


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/candidates", candidate_body(firstName=5), "firstName"),
        ("/candidates", candidate_body(email=["a@b.co"]), "email"),
        ("/candidates", candidate_body(jobIds="1b1b1b1b-0000-4000-8000-000000000001"), "jobIds"),
        ("/candidates", candidate_body(status=1), "status"),
        ("/candidates", candidate_body(metadata="x"), "metadata"),
        ("/jobs", job_body(title=12345), "title"),
        ("/jobs", job_body(requiredSkills="Python"), "requiredSkills"),
        ("/jobs", job_body(requiredSkills=["Python", 3]), "requiredSkills.1"),
        ("/jobs", job_body(salary={"currency": "EUR", "min": "10"}), "salary.min"),
        ("/jobs", job_body(location="Bratislava"), "location"),
        ("/jobs", job_body(education="MASTER_LEVEL"), "education"),
        ("/agents", agent_body(duration="15"), "duration"),
        ("/agents", agent_body(duration=15.5), "duration"),
        ("/agents", agent_body(duration=True), "duration"),
        ("/agents", agent_body(questions=[1]), "questions.0"),
        ("/agents", agent_body(name=None), "name"),
        ("/interviews", {**BY_ID, "isTest": "true"}, "isTest"),
        ("/interviews", {**BY_ID, "isTest": 1}, "isTest"),
        ("/interviews", {**BY_ID, "metadata": [1]}, "metadata"),
        ("/interviews", {"candidate": "Ada", "agentId": ACME_AGENT_GENERIC}, "candidate"),
        ("/interviews", {"candidateId": 7, "agentId": ACME_AGENT_GENERIC}, "candidateId"),
        ("/interviews", {**BY_ID, "scheduleTime": 1767225600}, "scheduleTime"),
    ],
)
async def test_wrong_types_name_the_field(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    assert field in _fields(await api.post(path, body))


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/candidates", candidate_body(nickname="Al"), "nickname"),
        ("/jobs", job_body(salaryRange="1-2"), "salaryRange"),
        ("/jobs", job_body(location={"city": "Kosice", "floor": 3}), "location.floor"),
        ("/jobs", job_body(salary={"currency": "EUR", "bonus": 1}), "salary.bonus"),
        (
            "/jobs",
            job_body(languageRequirements=[{"language": "EN", "proficiency": "B2", "x": 1}]),
            "languageRequirements.0.x",
        ),
        ("/agents", agent_body(temperature=0.2), "temperature"),
        ("/interviews", {**BY_ID, "priority": "high"}, "priority"),
        (
            "/interviews",
            {"candidate": inline_candidate(age=30), "agentId": ACME_AGENT_GENERIC},
            "candidate.age",
        ),
        ("/interviews", {"candidateId": ACME_CANDIDATE, "agent": inline_agent(x=1)}, "agent.x"),
        ("/interviews", {**BY_ID, "job": inline_job(x=1)}, "job.x"),
        ("/interviews", {**BY_ID, "job": inline_job(location={"x": 1})}, "job.location.x"),
        (
            "/interviews",
            {**BY_ID, "job": inline_job(salary={"currency": "EUR", "x": 1})},
            "job.salary.x",
        ),
        (
            "/interviews",
            {
                **BY_ID,
                "job": inline_job(languageRequirements=[{"language": "EN", "proficiency": "B2"}])
                | {"languageRequirements": [{"language": "EN", "proficiency": "B2", "x": 1}]},
            },
            "job.languageRequirements.0.x",
        ),
    ],
)
async def test_unknown_fields_are_rejected_at_every_level(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    before = counts(api)
    reply = await api.post(path, body)
    assert field in _fields(reply)
    unknown = next(e for e in reply.error["details"]["errors"] if e["field"] == field)
    assert unknown["message"] == "unknown field"
    assert counts(api) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (f"/candidates/{ACME_CANDIDATE}", {"nickname": "Al"}, "nickname"),
        ("/jobs/1b1b1b1b-0000-4000-8000-000000000001", {"location": {"x": 1}}, "location.x"),
        ("/agents/1c1c1c1c-0000-4000-8000-000000000001", {"id": ACME_CANDIDATE}, "id"),
    ],
)
async def test_unknown_fields_are_rejected_in_patches(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    assert field in _fields(await api.patch(path, body))


def _padded(size: int) -> bytes:
    """A valid candidate body of exactly ``size`` bytes (whitespace padding)."""
    raw = json.dumps(candidate_body()).encode()
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


async def _post_big(api: Api, path: str, raw: bytes) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"}
    response = await api.client.post(path, data=io.BytesIO(raw), headers=headers)
    async with response:
        assert response.headers["Content-Length"]
        return response.status, await response.json()


@pytest.mark.parametrize("path", POSTS)
async def test_body_above_1_mib_is_413(api: Api, path: str) -> None:
    before = counts(api)
    status, body = await _post_big(api, path, _padded(1024 * 1024 + 1))
    assert status == 413
    assert body["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert counts(api) == before


async def test_body_of_exactly_1_mib_is_accepted(api: Api) -> None:
    status, body = await _post_big(api, "/candidates", _padded(1024 * 1024))
    assert status == 201, body


async def test_chunked_body_above_1_mib_is_413(api: Api) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(17):
            yield b" " * 65536
        yield b"{}"

    response = await api.client.post(
        "/interviews", data=chunks(), headers={"Authorization": f"Bearer {ACME_KEY}"}
    )
    async with response:
        assert response.status == 413
        assert (await response.json())["error"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"candidateId": "nope", "agentId": ACME_AGENT_GENERIC}, "candidateId"),
        ({"candidateId": ACME_CANDIDATE, "agentId": "1234"}, "agentId"),
        ({**BY_ID, "jobId": "1b1b1b1b-0000-4000-8000-00000000000Z"}, "jobId"),
        (
            {"candidate": inline_candidate(jobId="x"), "agentId": ACME_AGENT_GENERIC},
            "candidate.jobId",
        ),
        (
            {"candidate": inline_candidate(jobIds=["x"]), "agentId": ACME_AGENT_GENERIC},
            "candidate.jobIds.0",
        ),
        (
            {
                "candidateId": ACME_CANDIDATE,
                "agent": inline_agent(type="PHONE", companyPhoneNumberId="x"),
            },
            "agent.companyPhoneNumberId",
        ),
    ],
)
async def test_bad_uuid_in_body_names_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    assert field in _fields(await api.post("/interviews", body))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/candidates/nope"),
        ("PATCH", "/candidates/nope"),
        ("DELETE", "/candidates/nope"),
        ("GET", "/jobs/123"),
        ("DELETE", "/jobs/123"),
        ("GET", "/agents/x"),
        ("PATCH", "/agents/x"),
        ("GET", "/interviews/not-a-uuid"),
        ("DELETE", "/interviews/not-a-uuid"),
        ("POST", "/_harness/interviews/nope/start"),
        ("POST", "/_harness/interviews/nope/complete"),
        ("POST", "/_harness/interviews/nope/fail"),
    ],
)
async def test_bad_uuid_in_path_names_the_id(api: Api, method: str, path: str) -> None:
    body = {"firstName": "X"} if method == "PATCH" else None
    assert _fields(await api.call(method, path, body)) == ["id"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/candidates?jobId=nope", "jobId"),
        ("/interviews?candidateId=nope", "candidateId"),
        (f"/interviews?candidateId={ACME_CANDIDATE}&agentId=nope", "agentId"),
        ("/candidates?status=HIRED", "status"),
        ("/jobs?status=open", "status"),
        (f"/interviews?candidateId={ACME_CANDIDATE}&status=DONE", "status"),
        ("/billing/usage?start=yesterday", "start"),
        ("/billing/usage?end=2026-13-01T00:00:00Z", "end"),
        ("/billing/usage?start=2026-01-01T00:00:00", "start"),
        ("/billing/usage?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z", "start"),
    ],
)
async def test_bad_query_values_name_the_parameter(api: Api, path: str, field: str) -> None:
    assert _fields(await api.get(path)) == [field]


@pytest.mark.parametrize(
    "value",
    [
        "2030-02-30",
        "not a date",
        "2030/01/01",
        "2030-01-01T10:00:00",
        "2030-01-01T25:00:00Z",
        20300101,
    ],
)
async def test_bad_gdpr_dates_name_the_field(api: Api, value: Any) -> None:
    assert _fields(await api.post("/candidates", candidate_body(gdprExpiryDate=value))) == [
        "gdprExpiryDate"
    ]
    inline = {"candidate": inline_candidate(gdprExpiryDate=value), "agentId": ACME_AGENT_GENERIC}
    assert _fields(await api.post("/interviews", inline)) == ["candidate.gdprExpiryDate"]


@pytest.mark.parametrize(
    "value", ["tomorrow", "2030-01-01T10:00:00", "2030-01-01", "", "2026-01-01T10:00:00+25:00"]
)
async def test_bad_schedule_times_name_the_field(api: Api, value: str) -> None:
    reply = await api.post("/interviews", {**BY_ID, "scheduleTime": value})
    assert _fields(reply) == ["scheduleTime"]
    assert reply.error["details"]["errors"][0]["message"]  # the reason


@pytest.mark.parametrize("raw", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
async def test_non_finite_numbers_are_rejected(api: Api, raw: bytes) -> None:
    body = b'{"firstName":"A","lastName":"B","email":"a@b.co","metadata":{"x":' + raw + b"}}"
    assert _fields(await api.post("/candidates", data=body)) == ["metadata"]
    salary = b'{"currency":"EUR","min":' + raw + b"}"
    job = b'{"title":"Hello","description":"0123456789","status":"OPEN","salary":' + salary + b"}"
    assert _fields(await api.post("/jobs", data=job)) == ["salary.min"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
KEYS = st.sampled_from(
    ["candidateId", "candidate", "agentId", "agent", "jobId", "job", "scheduleTime",
     "scheduledAt", "metadata", "isTest"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(KEYS, JSON, max_size=5), path=st.sampled_from(POSTS))
async def test_arbitrary_json_never_crashes(api: Api, body: dict[str, Any], path: str) -> None:
    reply = await api.post(path, body)
    assert reply.status < 500, reply.body
    if reply.status >= 400:
        assert reply.body["success"] is False
        assert reply.error["code"] in {"VALIDATION_ERROR", "INVALID_JSON", "RESOURCE_NOT_FOUND"}
