"""``/candidates``: create, get, list (jobId, status, search, paging), patch, soft delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api_helpers import candidate_body, counts, iso_in, new_candidate, new_job, now_of
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_READONLY_KEY,
    GLOBEX_CANDIDATE,
    GLOBEX_JOB,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
    inline_candidate,
)


async def test_create_then_get(api: Api) -> None:
    body = candidate_body(
        phoneNumber="+421900123456",
        gdprExpiryDate="2031-05-01",
        jobIds=[ACME_JOB],
        status="APPLIED",
        metadata={"source": "referral"},
    )
    made = await api.post("/candidates", body)
    assert made.status == 201
    data = made.data
    for key, value in body.items():
        assert data[key] == value, key
    assert data["createdAt"] == data["updatedAt"]
    assert data["createdAt"].endswith("Z")
    assert (await api.get(f"/candidates/{data['id']}")).data == data


async def test_defaults(api: Api) -> None:
    data = (await api.post("/candidates", candidate_body())).data
    assert data["status"] == "UNDEFINED"
    assert data["jobIds"] == []
    assert data["metadata"] == {}
    assert data["phoneNumber"] is None
    assert data["gdprExpiryDate"] is None


async def test_phone_alone_is_enough(api: Api) -> None:
    body = {"firstName": "A", "lastName": "B", "phoneNumber": "+14155550100"}
    assert (await api.post("/candidates", body)).status == 201


async def test_email_or_phone_is_required(api: Api) -> None:
    reply = await api.post("/candidates", {"firstName": "A", "lastName": "B"})
    assert reply.status == 400
    assert "at least one of email or phoneNumber" in reply.error["message"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"firstName": ""}, "firstName"),
        ({"firstName": "x" * 101}, "firstName"),
        ({"lastName": ""}, "lastName"),
        ({"lastName": "x" * 101}, "lastName"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"phoneNumber": "0900123456"}, "phoneNumber"),
        ({"phoneNumber": "+0900123456"}, "phoneNumber"),
        ({"phoneNumber": "+1234567890123456"}, "phoneNumber"),
        ({"status": "HIRED"}, "status"),
        ({"status": "applied"}, "status"),
        ({"jobIds": [ACME_JOB] * 51}, "jobIds"),
        ({"gdprExpiryDate": "2020-01-01"}, "gdprExpiryDate"),
        ({"gdprExpiryDate": "2020-01-01T00:00:00Z"}, "gdprExpiryDate"),
    ],
)
async def test_field_rules(api: Api, extra: dict[str, Any], field: str) -> None:
    reply = await api.post("/candidates", candidate_body(**extra))
    assert reply.status == 400, reply.body
    assert reply.error["code"] == "VALIDATION_ERROR"
    assert field in reply.fields


CONTROL_CHARACTERS = ["\x00", "\x01", "\x1b", "\x1f", "\x7f", "\x80", "\x9f"]


@pytest.mark.parametrize(
    "char", CONTROL_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in CONTROL_CHARACTERS]
)
async def test_an_email_with_a_control_character_is_refused_everywhere(api: Api, char: str) -> None:
    before = counts(api)
    for email in (f"ada{char}@example.com", f"ada@exa{char}mple.com", f"ada@example.co{char}m"):
        created = await api.post("/candidates", candidate_body(email=email))
        assert (created.status, created.fields) == (400, ["email"]), repr(email)
        patched = await api.patch(f"/candidates/{ACME_CANDIDATE}", {"email": email})
        assert (patched.status, patched.fields) == (400, ["email"]), repr(email)
        inline = await api.post(
            "/interviews",
            {"candidate": inline_candidate(email=email), "agentId": ACME_AGENT_GENERIC},
        )
        assert (inline.status, inline.fields) == (400, ["candidate.email"]), repr(email)
    assert counts(api) == before


@pytest.mark.parametrize("status", ["UNDEFINED", "APPLIED", "IN_PROCESS", "REJECTED", "ACCEPTED"])
async def test_every_status_is_accepted(api: Api, status: str) -> None:
    assert (await api.post("/candidates", candidate_body(status=status))).data["status"] == status


async def test_limits_at_the_edge_are_accepted(api: Api) -> None:
    edge = candidate_body(
        firstName="x" * 100, lastName="y", phoneNumber="+123456789012345", jobIds=[ACME_JOB] * 50
    )
    made = await api.post("/candidates", edge)
    assert made.status == 201, made.body
    assert made.data["jobIds"] == [ACME_JOB]  # duplicates folded


async def test_gdpr_expiry_must_be_in_the_future(api: Api) -> None:
    today = now_of(api).date().isoformat()
    assert (await api.post("/candidates", candidate_body(gdprExpiryDate=today))).status == 400
    soon = iso_in(api, timedelta(minutes=5))
    made = await api.post("/candidates", candidate_body(gdprExpiryDate=soon))
    assert made.status == 201
    assert made.data["gdprExpiryDate"].endswith("Z")


async def test_deprecated_job_id_is_folded_into_job_ids(api: Api) -> None:
    other = await new_job(api)
    made = await api.post("/candidates", candidate_body(jobIds=[ACME_JOB], jobId=other))
    assert made.data["jobIds"] == [ACME_JOB, other]
    assert "jobId" not in made.data


@pytest.mark.parametrize(
    ("jobs", "status", "code"),
    [
        ([GLOBEX_JOB], 403, "RESOURCE_ACCESS_DENIED"),
        ([MISSING_ID], 404, "RESOURCE_NOT_FOUND"),
        ([ACME_JOB, GLOBEX_JOB], 403, "RESOURCE_ACCESS_DENIED"),
    ],
)
async def test_job_ids_must_be_own_and_exist(
    api: Api, jobs: list[str], status: int, code: str
) -> None:
    reply = await api.post("/candidates", candidate_body(jobIds=jobs))
    assert reply.status == status
    assert reply.error["code"] == code
    assert reply.error["details"]["resourceType"] == "Job"
    assert reply.error["details"]["resourceId"] == jobs[-1]


async def test_deleted_job_cannot_be_assigned(api: Api) -> None:
    job = await new_job(api)
    await api.delete(f"/jobs/{job}")
    reply = await api.post("/candidates", candidate_body(jobId=job))
    assert reply.status == 404
    assert reply.error["details"] == {"resourceType": "Job", "resourceId": job}


async def test_company_scoping(api: Api) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        body = {"firstName": "Mallory"} if method == "PATCH" else None
        reply = await api.call(method, f"/candidates/{GLOBEX_CANDIDATE}", body)
        assert reply.status == 403, method
        assert reply.error["code"] == "RESOURCE_ACCESS_DENIED"
        assert reply.error["details"] == {
            "resourceType": "Candidate",
            "resourceId": GLOBEX_CANDIDATE,
        }
    grace = await api.as_key(GLOBEX_KEY).get(f"/candidates/{GLOBEX_CANDIDATE}")
    assert grace.data["firstName"] == "Grace"
    missing = await api.get(f"/candidates/{MISSING_ID}")
    assert missing.status == 404
    assert missing.error["details"] == {"resourceType": "Candidate", "resourceId": MISSING_ID}


async def test_list_shows_only_own_company(api: Api) -> None:
    await new_candidate(api)
    ids = {c["id"] for c in (await api.get("/candidates")).data["items"]}
    assert ACME_CANDIDATE in ids
    assert GLOBEX_CANDIDATE not in ids
    theirs = (await api.as_key(GLOBEX_KEY).get("/candidates")).data["items"]
    assert [c["id"] for c in theirs] == [GLOBEX_CANDIDATE]


async def test_list_filters(api: Api) -> None:
    job = await new_job(api)
    a = await new_candidate(api, firstName="Margaret", lastName="Hamilton", jobIds=[job])
    b = await new_candidate(api, email="kj@nasa.gov", status="ACCEPTED", jobIds=[job, ACME_JOB])

    async def ids(query: str) -> list[str]:
        reply = await api.get(f"/candidates?{query}")
        assert reply.status == 200, reply.body
        return [c["id"] for c in reply.data["items"]]

    assert await ids(f"jobId={job}") == [a, b]
    assert await ids(f"jobId={ACME_JOB}") == [ACME_CANDIDATE, b]
    assert await ids(f"jobId={GLOBEX_JOB}") == []
    assert await ids("status=ACCEPTED") == [b]
    assert await ids("status=APPLIED") == [ACME_CANDIDATE]
    assert await ids("search=hamil") == [a]
    assert await ids("search=MARGARET") == [a]
    assert await ids("search=nasa.gov") == [b]
    assert await ids("search=%2B421900000001") == [ACME_CANDIDATE]  # phone number
    assert await ids("search=grace") == []  # Globex's candidate stays invisible
    assert await ids(f"jobId={job}&status=ACCEPTED") == [b]


async def test_pagination(api: Api) -> None:
    for i in range(4):
        await new_candidate(api, firstName=f"P{i}")
    page = await api.get("/candidates?page=2&limit=2")
    assert [c["firstName"] for c in page.data["items"]] == ["P1", "P2"]
    assert page.data["pagination"] == {
        "total": 5,
        "page": 2,
        "limit": 2,
        "totalPages": 3,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    last = (await api.get("/candidates?page=3&limit=2")).data
    assert len(last["items"]) == 1
    assert last["pagination"]["hasNextPage"] is False
    beyond = (await api.get("/candidates?page=9&limit=2")).data
    assert beyond["items"] == []
    assert beyond["pagination"]["total"] == 5
    default = (await api.get("/candidates")).data["pagination"]
    assert (default["page"], default["limit"], default["hasPreviousPage"]) == (1, 20, False)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=10001", "page"),
        ("page=-1", "page"),
        ("page=x", "page"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=1.5", "limit"),
        ("limit=%202", "limit"),
        ("limit=%2B2", "limit"),
        ("limit=2_0", "limit"),
        ("limit=02", "limit"),
        ("limit=1e3", "limit"),
    ],
)
async def test_pagination_bounds(api: Api, query: str, field: str) -> None:
    reply = await api.get(f"/candidates?{query}")
    assert reply.status == 400
    assert reply.fields == [field]


@pytest.mark.parametrize(
    "query", ["page=10000", "limit=100", "limit=1", "page=1", "page=2.0", "limit=1e1", "page=1.0e0"]
)
async def test_pagination_bounds_inclusive(api: Api, query: str) -> None:
    assert (await api.get(f"/candidates?{query}")).status == 200


async def test_patch_changes_only_what_was_sent(api: Api) -> None:
    before = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    reply = await api.patch(
        f"/candidates/{ACME_CANDIDATE}", {"status": "IN_PROCESS", "metadata": {"round": 2}}
    )
    assert reply.status == 200
    after = reply.data
    assert after["status"] == "IN_PROCESS"
    assert after["metadata"] == {"round": 2}
    assert after["updatedAt"] >= before["updatedAt"]
    unchanged = {k: v for k, v in after.items() if k not in {"status", "metadata", "updatedAt"}}
    assert unchanged == {k: before[k] for k in unchanged}
    assert (await api.get(f"/candidates/{ACME_CANDIDATE}")).data == after


async def test_patch_rules(api: Api) -> None:
    path = f"/candidates/{ACME_CANDIDATE}"
    assert (await api.patch(path, {"email": None})).data["email"] is None  # phone remains
    both = await api.patch(path, {"phoneNumber": None})
    assert both.status == 400
    assert "at least one of email or phoneNumber" in both.error["message"]
    for field in ("firstName", "lastName", "status", "jobIds"):
        nulled = await api.patch(path, {field: None})
        assert nulled.status == 400
        assert nulled.fields == [field]
    assert (await api.patch(path, {"firstName": ""})).fields == ["firstName"]
    assert (await api.patch(path, {"gdprExpiryDate": "2001-01-01"})).status == 400
    assert (await api.patch(path, {"jobIds": [GLOBEX_JOB]})).status == 403
    assert (await api.get(path)).data["jobIds"] == [ACME_JOB]


async def test_patch_job_assignments(api: Api) -> None:
    job = await new_job(api)
    path = f"/candidates/{ACME_CANDIDATE}"
    assert (await api.patch(path, {"jobId": job})).data["jobIds"] == [ACME_JOB, job]
    assert (await api.patch(path, {"jobIds": []})).data["jobIds"] == []
    assert (await api.patch(path, {"metadata": None})).data["metadata"] == {}


async def test_patch_with_an_empty_body_changes_nothing(api: Api) -> None:
    before = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    after = (await api.patch(f"/candidates/{ACME_CANDIDATE}", {})).data
    assert {**after, "updatedAt": None} == {**before, "updatedAt": None}


async def test_soft_delete(api: Api) -> None:
    cid = await new_candidate(api)
    reply = await api.delete(f"/candidates/{cid}")
    assert (reply.status, reply.data) == (200, True)
    for method in ("GET", "PATCH", "DELETE"):
        body = {"firstName": "Back"} if method == "PATCH" else None
        gone = await api.call(method, f"/candidates/{cid}", body)
        assert gone.status == 404, method
        assert gone.error["details"] == {"resourceType": "Candidate", "resourceId": cid}
    listed = [c["id"] for c in (await api.get("/candidates")).data["items"]]
    assert cid not in listed
    assert (await api.get("/candidates")).data["pagination"]["total"] == 1


async def test_scopes(api: Api) -> None:
    ro = api.as_key(ACME_READONLY_KEY)
    assert (await ro.get("/candidates")).status == 200
    denied = await ro.post("/candidates", candidate_body())
    assert denied.status == 403
    assert "write:candidates" in denied.error["message"]
    gone = await ro.delete(f"/candidates/{ACME_CANDIDATE}")
    assert "delete:candidates" in gone.error["message"]


@pytest.mark.parametrize(
    ("metadata", "ok"),
    [
        ({f"k{i}": i for i in range(50)}, True),
        ({f"k{i}": i for i in range(51)}, False),
        ({"a": {"b": {"c": {"d": {"e": 1}}}}}, True),
        ({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}, False),
        ({"k": "x" * (10240 - 8)}, True),  # {"k":"…"} is exactly 10240 bytes
        ({"k": "x" * (10240 - 7)}, False),
        ({"k": "é" * ((10240 - 8) // 2)}, True),  # bytes, not characters, count
        ({"k": "é" * ((10240 - 8) // 2 + 1)}, False),
    ],
)
async def test_metadata_limits(api: Api, metadata: dict[str, Any], ok: bool) -> None:
    reply = await api.post("/candidates", candidate_body(metadata=metadata))
    assert reply.status == (201 if ok else 400), reply.body
    if not ok:
        assert reply.fields == ["metadata"]
    patched = await api.patch(f"/candidates/{ACME_CANDIDATE}", {"metadata": metadata})
    assert patched.status == (200 if ok else 400)


@pytest.mark.parametrize("name", ["jobId", "status", "search", "page", "limit"])
async def test_an_empty_list_filter_is_a_400_naming_the_parameter(api: Api, name: str) -> None:
    reply = await api.get(f"/candidates?{name}=")
    assert (reply.status, reply.error["code"], reply.fields) == (400, "VALIDATION_ERROR", [name])
    assert "empty" in reply.error["message"] or name in ("page", "limit")


@pytest.mark.parametrize(
    "value",
    [
        "1b1b1b1b000040008000000000000001",
        "{1b1b1b1b-0000-4000-8000-000000000001}",
        "urn:uuid:1b1b1b1b-0000-4000-8000-000000000001",
    ],
)
async def test_ids_in_queries_and_paths_are_canonical_uuids(api: Api, value: str) -> None:
    # defs.json#/$defs/uuid is 8-4-4-4-12 digits; UUID() alone took these spellings
    listed = await api.get(f"/candidates?jobId={value}")
    assert (listed.status, listed.fields) == (400, ["jobId"])
    read = await api.get(f"/candidates/{value}")
    if "{" in value:  # aiohttp's {id} never matches braces: no such endpoint
        assert (read.status, read.error["code"]) == (404, "RESOURCE_NOT_FOUND")
    else:
        assert (read.status, read.fields) == (400, ["id"])
