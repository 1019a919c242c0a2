"""Contract section 1: envelope, bare option, status codes, /v1, rate limits, routes, 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

import harness.api.interviews
import harness.api.resources
from harness.clock import VirtualClock
from tests.api_helpers import T0, agent_body, candidate_body, clocked_api, job_body, now_of
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_JOB,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
    full_inline_body,
)

MakeApi = Callable[..., Awaitable[Api]]

CREATES = [
    ("/candidates", candidate_body()),
    ("/jobs", job_body()),
    ("/agents", agent_body()),
    ("/interviews", full_inline_body(isTest=True)),
]


def _parse_z(stamp: str) -> datetime:
    assert stamp.endswith("Z"), stamp
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


async def test_success_is_wrapped(api: Api) -> None:
    reply = await api.get(f"/candidates/{ACME_CANDIDATE}")
    assert reply.status == 200
    assert set(reply.body) == {"success", "data", "error", "timestamp"}
    assert reply.body["success"] is True
    assert reply.body["error"] is None
    assert reply.body["data"]["id"] == ACME_CANDIDATE
    assert abs(_parse_z(reply.body["timestamp"]) - now_of(api)) < timedelta(seconds=5)


async def test_answers_and_errors_carry_exactly_one_json_media_type(api: Api) -> None:
    for reply in (
        await api.get(f"/candidates/{ACME_CANDIDATE}"),
        await api.post("/interviews", full_inline_body(isTest=True)),
        await api.get(f"/candidates/{MISSING_ID}"),
    ):
        assert reply.headers.getall("Content-Type") == ["application/json"], reply.status


async def test_error_is_wrapped(api: Api) -> None:
    reply = await api.get(f"/candidates/{MISSING_ID}")
    assert reply.status == 404
    assert set(reply.body) == {"success", "data", "error", "timestamp"}
    assert reply.body["success"] is False
    assert reply.body["data"] is None
    assert set(reply.error) == {"code", "message", "details"}
    assert reply.error["details"] == {"resourceType": "Candidate", "resourceId": MISSING_ID}
    _parse_z(reply.body["timestamp"])


@pytest.mark.parametrize(("path", "body"), CREATES)
async def test_create_answers_201(api: Api, path: str, body: dict[str, Any]) -> None:
    reply = await api.post(path, body)
    assert reply.status == 201, reply.body
    assert reply.data["id"]


@pytest.mark.parametrize(("path", "body"), CREATES)
async def test_create_status_option_answers_200(
    make_api: MakeApi, path: str, body: dict[str, Any]
) -> None:
    api = await make_api(create_status=200)
    reply = await api.post(path, body)
    assert reply.status == 200, reply.body
    assert reply.data["id"]


async def test_get_patch_delete_answer_200_and_delete_answers_true(api: Api) -> None:
    assert (await api.get(f"/jobs/{ACME_JOB}")).status == 200
    assert (await api.patch(f"/jobs/{ACME_JOB}", {"status": "CLOSED"})).status == 200
    reply = await api.delete(f"/jobs/{ACME_JOB}")
    assert reply.status == 200
    assert reply.data is True


async def test_bare_option_returns_bare_success_bodies(make_api: MakeApi) -> None:
    api = await make_api(envelope="bare")
    got = await api.get(f"/candidates/{ACME_CANDIDATE}")
    assert got.status == 200
    assert got.body["id"] == ACME_CANDIDATE
    assert "success" not in got.body
    made = await api.post("/interviews", full_inline_body(isTest=True))
    assert made.status == 201
    assert made.body["status"] == "COMPLETED"
    listed = await api.get("/jobs")
    assert set(listed.body) == {"items", "pagination"}
    deleted = await api.delete(f"/jobs/{ACME_JOB}")
    assert deleted.body is True


async def test_bare_option_keeps_the_envelope_for_errors(make_api: MakeApi) -> None:
    api = await make_api(envelope="bare")
    reply = await api.get(f"/candidates/{MISSING_ID}")
    assert reply.status == 404
    assert reply.body["success"] is False
    assert reply.error["code"] == "RESOURCE_NOT_FOUND"
    invalid = await api.post("/interviews", {})
    assert invalid.error["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/candidates", None),
        ("GET", f"/candidates/{ACME_CANDIDATE}", None),
        ("PATCH", f"/candidates/{ACME_CANDIDATE}", {"status": "REJECTED"}),
        ("GET", "/jobs", None),
        ("GET", f"/jobs/{ACME_JOB}", None),
        ("GET", "/agents", None),
        ("GET", f"/agents/{ACME_AGENT_GENERIC}", None),
        ("POST", "/candidates", candidate_body()),
        ("POST", "/interviews", full_inline_body(isTest=True)),
        ("GET", f"/interviews?candidateId={ACME_CANDIDATE}", None),
        ("GET", "/billing/usage", None),
    ],
)
async def test_v1_prefix_is_an_alias(api: Api, method: str, path: str, body: Any) -> None:
    plain = await api.call(method, path, body)
    aliased = await api.call(method, "/v1" + path, body)
    assert plain.status in {200, 201}, plain.body
    assert aliased.status == plain.status, aliased.body
    if isinstance(plain.data, dict) and "items" in plain.data:
        assert aliased.data["pagination"] == plain.data["pagination"]


async def test_v1_alias_writes_the_same_state(api: Api) -> None:
    assert (await api.delete(f"/v1/agents/{ACME_AGENT_GENERIC}")).data is True
    assert (await api.get(f"/agents/{ACME_AGENT_GENERIC}")).status == 404
    made = await api.post("/v1/jobs", job_body())
    assert (await api.get(f"/jobs/{made.data['id']}")).data == made.data


async def test_v1_alias_enforces_the_same_rules(api: Api) -> None:
    reply = await api.get(f"/v1/candidates/{MISSING_ID}")
    assert reply.status == 404
    assert (await api.as_key("").get("/v1/jobs")).status == 401


# --- rate limits ----------------------------------------------------------------------------

RATE_HEADERS = [
    "X-RateLimit-Limit-Minute",
    "X-RateLimit-Limit-Hour",
    "X-RateLimit-Remaining-Minute",
    "X-RateLimit-Remaining-Hour",
    "X-RateLimit-Reset-Minute",
    "X-RateLimit-Reset-Hour",
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/candidates", None, 200),
        ("POST", "/jobs", job_body(), 201),
        ("POST", "/jobs", {"title": 1}, 400),
        ("GET", f"/jobs/{MISSING_ID}", None, 404),
        ("POST", "/interviews", None, 400),
    ],
)
async def test_every_answer_carries_rate_limit_headers(
    api: Api, method: str, path: str, body: Any, status: int
) -> None:
    reply = await api.call(method, path, body)
    assert reply.status == status
    for name in RATE_HEADERS:
        assert reply.headers[name].isdigit(), name
    assert reply.headers["X-RateLimit-Limit-Minute"] == "300"  # Acme is on Business
    assert reply.headers["X-RateLimit-Limit-Hour"] == "15000"
    now = now_of(api).timestamp()
    assert now < int(reply.headers["X-RateLimit-Reset-Minute"]) <= now + 60
    assert now < int(reply.headers["X-RateLimit-Reset-Hour"]) <= now + 3600


async def test_rate_limit_headers_follow_the_plan_and_count_down(aiohttp_client: Any) -> None:
    # A clock that stands still: on the real one a minute or an hour can turn between calls.
    api = await clocked_api(aiohttp_client, VirtualClock(T0))
    globex = api.as_key(GLOBEX_KEY)
    first = await globex.get("/candidates")
    second = await globex.get("/jobs")
    assert first.headers["X-RateLimit-Limit-Minute"] == "30"  # Globex is on Trial
    assert first.headers["X-RateLimit-Limit-Hour"] == "500"
    remaining = int(first.headers["X-RateLimit-Remaining-Minute"])
    assert int(second.headers["X-RateLimit-Remaining-Minute"]) == remaining - 1
    hourly = int(first.headers["X-RateLimit-Remaining-Hour"])
    assert int(second.headers["X-RateLimit-Remaining-Hour"]) == hourly - 1


async def test_limits_are_not_enforced_by_default(aiohttp_client: Any) -> None:
    api = await clocked_api(aiohttp_client, VirtualClock(T0))  # no minute turns mid-test
    globex = api.as_key(GLOBEX_KEY)
    replies = [await globex.get("/candidates") for _ in range(35)]
    assert {r.status for r in replies} == {200}
    assert replies[-1].headers["X-RateLimit-Remaining-Minute"] == "0"


async def test_enforced_limit_answers_429_with_retry_after(aiohttp_client: Any) -> None:
    clock = VirtualClock(T0)
    api = await clocked_api(aiohttp_client, clock, enforce_rate_limits=True)
    globex = api.as_key(GLOBEX_KEY)
    for _ in range(30):
        assert (await globex.get("/candidates")).status == 200
    clock.advance(10)
    reply = await globex.get("/candidates")
    assert reply.status == 429
    assert reply.error["code"] == "RATE_LIMIT_EXCEEDED"
    reset = int(T0.timestamp()) + 60
    assert reply.error["details"] == {"retryAfter": 50, "limit": 30, "remaining": 0, "reset": reset}
    assert reply.headers["Retry-After"] == "50"
    assert reply.headers["X-RateLimit-Remaining-Minute"] == "0"
    # Other keys have their own counters.
    assert (await api.get("/candidates")).status == 200
    # Once the window rolls over, the key may call again.
    clock.advance(50)
    assert (await globex.get("/candidates")).status == 200


async def test_rejected_calls_do_not_use_up_the_next_window(aiohttp_client: Any) -> None:
    clock = VirtualClock(T0)
    api = await clocked_api(aiohttp_client, clock, enforce_rate_limits=True)
    globex = api.as_key(GLOBEX_KEY)
    for _ in range(40):
        await globex.get("/jobs")
    clock.advance(60)
    reply = await globex.get("/jobs")
    assert reply.status == 200
    assert reply.headers["X-RateLimit-Remaining-Minute"] == "29"


# --- unknown routes, methods, internal errors -----------------------------------------------


@pytest.mark.parametrize("path", ["/nope", "/v1/nope", "/candidates/x/y", "/v2/candidates"])
async def test_unknown_route_is_404_in_the_envelope(api: Api, path: str) -> None:
    reply = await api.get(path)
    assert reply.status == 404
    assert reply.error["code"] == "RESOURCE_NOT_FOUND"
    assert reply.error["details"]["resourceId"] == path


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/interviews", "GET, POST"),
        ("PATCH", f"/interviews/{MISSING_ID}", "DELETE, GET"),
        ("PUT", f"/v1/candidates/{ACME_CANDIDATE}", "DELETE, GET, PATCH"),
        ("DELETE", "/billing/usage", "GET"),
    ],
)
async def test_unknown_method_is_405_in_the_envelope(
    api: Api, method: str, path: str, allowed: str
) -> None:
    reply = await api.call(method, path)
    assert reply.status == 405
    assert reply.error["code"] == "METHOD_NOT_ALLOWED"
    assert reply.headers["Allow"] == allowed


def _boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("kaboom")


async def test_unexpected_exception_is_internal_error_and_logged(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(harness.api.interviews, "create_interview", _boom)
    with caplog.at_level(logging.ERROR, logger="harness.api"):
        reply = await api.post("/interviews", full_inline_body())
    assert reply.status == 500
    assert reply.error["code"] == "INTERNAL_ERROR"
    assert "kaboom" not in reply.error["message"]
    assert any(r.exc_info and "kaboom" in str(r.exc_info[1]) for r in caplog.records)
    # The rate-limit headers ride on the 500 too, and the server keeps serving.
    assert "X-RateLimit-Limit-Minute" in reply.headers
    assert (await api.get("/candidates")).status == 200


async def test_internal_error_in_a_list(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness.api.resources, "page_of", _boom)
    reply = await api.get("/jobs")
    assert reply.status == 500
    assert reply.error["code"] == "INTERNAL_ERROR"
    assert reply.body["data"] is None
