"""The request journal: every API request with redacted keys, its body, status and time."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from harness.api.app import create_api_app
from harness.api.journal import BODY_BYTES, JOURNAL, JOURNAL_SIZE, redact
from harness.config import HarnessConfig
from tests.support import ACME_KEY, Api, full_inline_body


@pytest.fixture
async def api(aiohttp_client: Any) -> Api:
    return Api(await aiohttp_client(create_api_app(HarnessConfig())))


async def journal(api: Api, query: str = "") -> dict[str, Any]:
    found: dict[str, Any] = (await api.get("/_harness/requests" + query)).data
    return found


async def test_a_request_is_recorded_with_its_body_status_and_redacted_key(api: Api) -> None:
    created = await api.post("/interviews", full_inline_body(isTest=True), headers={"X-Trace": "1"})
    page = await journal(api)
    assert page["total"] == 1 and page["capacity"] == JOURNAL_SIZE and page["next"] is None
    (entry,) = page["items"]
    assert (entry["method"], entry["path"], entry["route"]) == (
        "POST",
        "/interviews",
        "POST /interviews",
    )
    assert entry["status"] == created.status == 201
    headers = {h["name"]: h["value"] for h in entry["headers"]}
    assert headers["Authorization"] == "Bearer ****" + ACME_KEY[-4:]
    assert ACME_KEY not in str(entry)
    assert headers["X-Trace"] == "1"
    assert '"isTest":true' in entry["body"].replace(" ", "")
    assert entry["bodyBytes"] == len(entry["body"].encode())
    assert entry["receivedAt"].endswith("Z") and entry["durationMs"] >= 0


async def test_the_control_api_is_not_recorded(api: Api) -> None:
    await api.post("/_harness/reset")
    await api.get("/_harness/world")
    assert (await journal(api))["items"] == []


async def test_refusals_are_recorded_with_the_status_the_client_got(api: Api) -> None:
    await api.get("/interviews/not-a-uuid")
    await api.get("/no/such/route")
    await api.get("/jobs", key="sk_wrong")
    statuses = [(e["path"], e["route"], e["status"]) for e in (await journal(api))["items"]]
    assert statuses == [
        ("/interviews/not-a-uuid", "GET /interviews/{id}", 400),
        ("/no/such/route", None, 404),
        ("/jobs", "GET /jobs", 401),
    ]


async def test_a_request_whose_body_is_never_read_has_no_body(api: Api) -> None:
    await api.get("/jobs")
    (entry,) = (await journal(api))["items"]
    assert (entry["body"], entry["bodyBase64"], entry["bodyBytes"]) == (None, None, None)


async def test_a_body_that_is_not_utf8_is_kept_as_base64(api: Api) -> None:
    await api.post("/interviews", data=b"\xff\xfe{", headers={"Content-Type": "application/json"})
    (entry,) = (await journal(api))["items"]
    assert entry["status"] == 400
    assert (entry["body"], entry["bodyBase64"]) == (None, "//57")


async def test_the_body_is_recorded_as_the_api_decoded_it(api: Api) -> None:
    raw = gzip.compress(b'{"title": "x"}')
    await api.post("/jobs", data=raw, headers={"Content-Encoding": "gzip"})
    (entry,) = (await journal(api))["items"]
    assert entry["body"] == '{"title": "x"}'


async def test_a_long_body_is_cut_and_flagged(api: Api) -> None:
    long = b'{"title": "' + b"x" * BODY_BYTES + b'"}'
    await api.post("/jobs", data=long)
    (entry,) = (await journal(api))["items"]
    assert entry["bodyTruncated"] is True
    assert entry["bodyBytes"] == len(long) and len(entry["body"]) == BODY_BYTES


async def test_a_dropped_answer_is_recorded_without_a_status(api: Api) -> None:
    fault = {"route": "GET /jobs", "burst": 1, "drop": True}
    await api.post("/_harness/faults", fault)
    with pytest.raises(Exception, match=r"(?i)disconnect|closed|reset"):
        await api.get("/jobs")
    (entry,) = (await journal(api))["items"]
    assert entry["status"] is None


async def test_filters_by_method_path_route_and_status(api: Api) -> None:
    await api.get("/jobs")
    await api.post("/jobs", {"title": ""})
    await api.get("/v1/jobs")
    await api.get("/candidates")

    async def paths(query: str) -> list[str]:
        return [f"{e['method']} {e['path']}" for e in (await journal(api, query))["items"]]

    assert await paths("?method=get") == ["GET /jobs", "GET /v1/jobs", "GET /candidates"]
    assert await paths("?path=/jobs") == ["GET /jobs", "POST /jobs"]
    assert await paths("?route=GET%20/v1/jobs") == ["GET /v1/jobs"]
    assert await paths("?status=400") == ["POST /jobs"]
    assert await paths("?method=POST&status=200") == []


async def test_pages_go_by_after_and_limit(api: Api) -> None:
    for _ in range(5):
        await api.get("/jobs")
    first = await journal(api, "?limit=2")
    assert [e["id"] for e in first["items"]] == [1, 2]
    assert (first["total"], first["next"]) == (5, 2)
    second = await journal(api, f"?limit=2&after={first['next']}")
    assert [e["id"] for e in second["items"]] == [3, 4] and second["total"] == 3
    last = await journal(api, "?limit=2&after=4")
    assert [e["id"] for e in last["items"]] == [5] and last["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=1001", "limit"),
        ("?limit=x", "limit"),
        ("?after=-1", "after"),
        ("?after=9007199254740992", "after"),
        ("?status=99", "status"),
        ("?status=abc", "status"),
        ("?method=G%20T", "method"),
        ("?path=", "path"),
    ],
)
async def test_bad_filters_are_a_400_naming_the_parameter(api: Api, query: str, field: str) -> None:
    refused = await api.get("/_harness/requests" + query)
    assert refused.status == 400
    assert refused.fields == [field]


async def test_reset_empties_the_journal_and_ids_keep_counting(api: Api) -> None:
    await api.get("/jobs")
    await api.post("/_harness/reset")
    assert (await journal(api))["items"] == []
    await api.get("/jobs")
    (entry,) = (await journal(api))["items"]
    assert entry["id"] == 2


async def test_the_ring_buffer_keeps_the_newest_and_counts_the_dropped(aiohttp_client: Any) -> None:
    app = create_api_app(HarnessConfig())
    api = Api(await aiohttp_client(app))
    app[JOURNAL].entries = type(app[JOURNAL].entries)(maxlen=3)
    for _ in range(5):
        await api.get("/jobs")
    page = await journal(api)
    assert [e["id"] for e in page["items"]] == [3, 4, 5]
    assert (page["dropped"], page["capacity"]) == (2, 3)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("Authorization", "Bearer sk_test_acme_full_0000000000000000", "Bearer ****0000"),
        ("authorization", "sk_test_acme_full_0000000000000000", "****0000"),
        ("X-Api-Key", "short", "****"),
        ("Cookie", "session=abcdefghijkl", "****ijkl"),
        ("X-Other", "Bearer visible", "Bearer visible"),
    ],
)
def test_credential_headers_keep_their_scheme_and_last_four_characters(
    name: str, value: str, shown: str
) -> None:
    assert redact(name, value) == shown
