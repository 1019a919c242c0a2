"""Suspended and expired keys of the world file, and the default limits of a key without a plan.

docs.instaview.sk/guides/error-handling: ``API_KEY_SUSPENDED`` (401, details ``{suspendedAt,
reason}``); an expired key is ``INVALID_API_KEY`` (401, "invalid, revoked, or expired").
docs.instaview.sk/guides/rate-limiting: 60 requests a minute and 2,000 an hour by default.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from harness.api.ratelimit import RateLimiter
from harness.clock import VirtualClock
from harness.config import DEFAULT_WORLD
from harness.errors import ConfigError, RateLimited
from harness.store.world import World
from harness.tools.corpus import VENDOR_FIXTURES, read_json
from tests.api_helpers import clocked_api
from tests.support import Api

SUSPENDED_KEY = "sk_test_acme_suspended_0000000000"
EXPIRED_KEY = "sk_test_acme_expired_00000000000000"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _world(tmp_path: Path, **company: Any) -> Path:
    world: dict[str, Any] = json.loads(DEFAULT_WORLD.read_text())
    world["companies"][0].update(company)
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    return path


async def test_a_suspended_key_is_the_vendors_api_key_suspended(api: Api) -> None:
    reply = await api.as_key(SUSPENDED_KEY).get("/jobs")
    assert reply.status == 401
    vendor = read_json(VENDOR_FIXTURES / "errors" / "api-key-suspended.json")["body"]["error"]
    # The world file's key is the vendor's example; the harness writes instants with ms.
    details = reply.error["details"]
    assert (reply.error["code"], reply.error["message"]) == (vendor["code"], vendor["message"])
    assert details == {**vendor["details"], "suspendedAt": "2024-01-10T00:00:00.000Z"}
    assert not any(h.startswith("X-RateLimit") for h in reply.headers), "not counted"


async def test_an_expired_key_is_invalid_api_key_saying_when(api: Api) -> None:
    reply = await api.as_key(EXPIRED_KEY).post("/jobs", {"title": "x", "description": "y"})
    assert reply.status == 401
    assert reply.error["code"] == "INVALID_API_KEY"
    assert reply.error["message"] == "The provided API key has expired"
    assert reply.error["details"] == {"expiredAt": "2025-01-01T00:00:00.000Z"}
    assert not any(h.startswith("X-RateLimit") for h in reply.headers)


async def test_a_key_works_until_it_expires_or_is_suspended(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    keys = [
        {"key": "sk_test_later_expiring", "scopes": ["*"], "expiresAt": "2026-03-01T12:01:00Z"},
        {"key": "sk_test_later_suspended", "scopes": ["*"], "suspendedAt": "2026-03-01T12:01:00Z"},
    ]
    clock = VirtualClock(T0)
    api = await clocked_api(aiohttp_client, clock, world_path=_world(tmp_path, apiKeys=keys))
    for key in keys:
        assert (await api.as_key(key["key"]).get("/jobs")).status == 200
    clock.advance(60)
    expired = await api.as_key("sk_test_later_expiring").get("/jobs")
    assert (expired.status, expired.error["code"]) == (401, "INVALID_API_KEY")
    suspended = await api.as_key("sk_test_later_suspended").get("/jobs")
    assert (suspended.status, suspended.error["code"]) == (401, "API_KEY_SUSPENDED")
    assert suspended.error["details"] == {
        "suspendedAt": "2026-03-01T12:01:00.000Z",
        "reason": "Suspended in the harness world file",
    }


async def test_the_world_shows_each_keys_id_and_status(api: Api) -> None:
    acme = (await api.get("/_harness/world")).data["companies"][0]
    status = {k["key"]: k["status"] for k in acme["apiKeys"]}
    assert status[SUSPENDED_KEY] == "SUSPENDED" and status[EXPIRED_KEY] == "EXPIRED"
    ids = {k["id"] for k in acme["apiKeys"]}
    assert len(ids) == len(acme["apiKeys"]), "every key has its own id"
    again = (await api.get("/_harness/world")).data["companies"][0]
    assert [k["id"] for k in again["apiKeys"]] == [k["id"] for k in acme["apiKeys"]]


@pytest.mark.parametrize(
    "key",
    [
        {"key": "sk_test_x", "scopes": ["*"], "suspendedAt": "2024-01-10T00:00:00"},
        {"key": "sk_test_x", "scopes": ["*"], "expiresAt": "soon"},
        {"key": "sk_test_x", "scopes": ["*"], "suspendedReason": ""},
    ],
    ids=["naive-instant", "not-an-instant", "empty-reason"],
)
def test_a_bad_key_state_in_the_world_file_is_a_config_error(
    tmp_path: Path, key: dict[str, Any]
) -> None:
    with pytest.raises(ConfigError, match="cannot load world file"):
        World.load(_world(tmp_path, apiKeys=[key]))


async def test_a_company_without_a_plan_gets_the_vendors_default_limits(
    make_api: Any, tmp_path: Path
) -> None:
    api = await make_api(world_path=_world(tmp_path, plan=None))
    reply = await api.get("/jobs")
    assert reply.headers["X-RateLimit-Limit-Minute"] == "60"
    assert reply.headers["X-RateLimit-Limit-Hour"] == "2000"
    world = (await api.get("/_harness/world")).data
    assert world["companies"][0]["plan"] is None
    world_file = _world(tmp_path)
    doc = json.loads(world_file.read_text())
    del doc["companies"][0]["plan"]  # left out, not null
    world_file.write_text(json.dumps(doc))
    left_out = await make_api(world_path=world_file)
    assert (await left_out.get("/jobs")).headers["X-RateLimit-Limit-Minute"] == "60"


async def test_without_enforcement_the_default_limit_never_answers_429(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    # A clock that stands still: on the real one a minute can turn during the 61 requests.
    clock = VirtualClock(T0)
    api = await clocked_api(aiohttp_client, clock, world_path=_world(tmp_path, plan=None))
    replies = [await api.get("/jobs") for _ in range(61)]
    assert {r.status for r in replies} == {200}
    assert replies[-1].headers["X-RateLimit-Remaining-Minute"] == "0"


async def test_enforced_the_61st_request_of_a_minute_is_429(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    clock = VirtualClock(T0)
    world = _world(tmp_path, plan=None)
    api = await clocked_api(aiohttp_client, clock, world_path=world, enforce_rate_limits=True)
    for _ in range(60):
        assert (await api.get("/jobs")).status == 200
    reply = await api.get("/jobs")
    assert reply.status == 429
    assert reply.error["details"]["limit"] == 60


def test_enforced_the_2001st_request_of_an_hour_is_429() -> None:
    clock = VirtualClock(T0)
    limiter = RateLimiter(clock, enforce=True)
    for _minute in range(40):  # 50 a minute stays under 60/min; 2,000 in 40 minutes
        for _ in range(50):
            limiter.hit("k", None)
        clock.advance(60)
    assert clock.now() < T0 + timedelta(hours=1)
    with pytest.raises(RateLimited) as refused:
        limiter.hit("k", None)
    assert refused.value.details["limit"] == 2000
    assert refused.value.headers["X-RateLimit-Remaining-Hour"] == "0"
