"""Contract section 1, auth: bearer keys (401) and scopes (403 naming the scope)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from harness.config import DEFAULT_WORLD
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_READONLY_KEY,
    Api,
    full_inline_body,
)

MakeApi = Callable[..., Awaitable[Api]]

EVERY_ENDPOINT = [
    ("GET", "/candidates"),
    ("POST", "/candidates"),
    ("GET", f"/candidates/{ACME_CANDIDATE}"),
    ("PATCH", f"/candidates/{ACME_CANDIDATE}"),
    ("DELETE", f"/candidates/{ACME_CANDIDATE}"),
    ("GET", "/jobs"),
    ("POST", "/jobs"),
    ("GET", f"/jobs/{ACME_JOB}"),
    ("PATCH", f"/jobs/{ACME_JOB}"),
    ("DELETE", f"/jobs/{ACME_JOB}"),
    ("GET", "/agents"),
    ("POST", "/agents"),
    ("GET", f"/agents/{ACME_AGENT_GENERIC}"),
    ("PATCH", f"/agents/{ACME_AGENT_GENERIC}"),
    ("DELETE", f"/agents/{ACME_AGENT_GENERIC}"),
    ("POST", "/interviews"),
    ("GET", f"/interviews?candidateId={ACME_CANDIDATE}"),
    ("GET", f"/interviews/{ACME_CANDIDATE}"),
    ("DELETE", f"/interviews/{ACME_CANDIDATE}"),
    ("GET", "/billing/usage"),
    ("GET", "/v1/candidates"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
async def test_missing_key_is_401(api: Api, method: str, path: str) -> None:
    reply = await api.as_key("").call(method, path, {} if method in {"POST", "PATCH"} else None)
    assert reply.status == 401
    assert reply.error["code"] == "INVALID_API_KEY"
    assert reply.body["data"] is None


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
async def test_unknown_key_is_401(api: Api, method: str, path: str) -> None:
    reply = await api.as_key("sk_test_nobody_0000").call(method, path)
    assert reply.status == 401
    assert reply.error["code"] == "INVALID_API_KEY"


@pytest.mark.parametrize(
    "header", ["Basic c2tfdGVzdDp4", "Bearer", "Bearer    ", "sk_test_acme_full_0000000000000000"]
)
async def test_malformed_authorization_header_is_401(api: Api, header: str) -> None:
    reply = await api.as_key("").get("/candidates", headers={"Authorization": header})
    assert reply.status == 401
    assert reply.error["code"] == "INVALID_API_KEY"


async def test_auth_is_checked_before_the_body(api: Api) -> None:
    reply = await api.as_key("").post("/interviews", data=b"{not json")
    assert reply.status == 401


async def test_valid_key_is_accepted(api: Api) -> None:
    assert (await api.get("/candidates")).status == 200


WRITES = [
    ("POST", "/candidates", "write:candidates"),
    ("PATCH", f"/candidates/{ACME_CANDIDATE}", "write:candidates"),
    ("DELETE", f"/candidates/{ACME_CANDIDATE}", "delete:candidates"),
    ("POST", "/jobs", "write:jobs"),
    ("PATCH", f"/jobs/{ACME_JOB}", "write:jobs"),
    ("DELETE", f"/jobs/{ACME_JOB}", "delete:jobs"),
    ("POST", "/agents", "write:agents"),
    ("PATCH", f"/agents/{ACME_AGENT_GENERIC}", "write:agents"),
    ("DELETE", f"/agents/{ACME_AGENT_GENERIC}", "delete:agents"),
    ("POST", "/interviews", "write:interviews"),
    ("DELETE", f"/interviews/{ACME_CANDIDATE}", "delete:interviews"),
]


@pytest.mark.parametrize(("method", "path", "scope"), WRITES)
async def test_read_only_key_cannot_write(api: Api, method: str, path: str, scope: str) -> None:
    body = full_inline_body() if path == "/interviews" else {"name": "x"}
    reply = await api.as_key(ACME_READONLY_KEY).call(
        method, path, body if method in {"POST", "PATCH"} else None
    )
    assert reply.status == 403
    assert reply.error["code"] == "INSUFFICIENT_PERMISSIONS"
    assert scope in reply.error["message"]
    assert reply.error["details"] == {"requiredScope": scope}


async def test_read_only_key_changes_nothing(api: Api) -> None:
    ro = api.as_key(ACME_READONLY_KEY)
    await ro.delete(f"/candidates/{ACME_CANDIDATE}")
    await ro.patch(f"/candidates/{ACME_CANDIDATE}", {"firstName": "Changed"})
    reply = await api.get(f"/candidates/{ACME_CANDIDATE}")
    assert reply.status == 200
    assert reply.data["firstName"] == "Ada"


@pytest.mark.parametrize(
    "path",
    [
        "/candidates",
        f"/candidates/{ACME_CANDIDATE}",
        "/jobs",
        f"/jobs/{ACME_JOB}",
        "/agents",
        f"/agents/{ACME_AGENT_GENERIC}",
        f"/interviews?candidateId={ACME_CANDIDATE}",
        "/billing/usage",
    ],
)
async def test_read_only_key_can_read(api: Api, path: str) -> None:
    assert (await api.as_key(ACME_READONLY_KEY).get(path)).status == 200


def _world_with_keys(tmp_path: Path, keys: dict[str, list[str]]) -> Path:
    world: dict[str, Any] = json.loads(DEFAULT_WORLD.read_text())
    world["companies"][0]["apiKeys"] += [{"key": k, "scopes": s} for k, s in keys.items()]
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    return path


@pytest.fixture
async def scoped(make_api: MakeApi, tmp_path: Path) -> Api:
    """Acme with extra keys that carry only some of create-interview's three scopes."""
    return await make_api(
        world_path=_world_with_keys(
            tmp_path,
            {
                "sk_test_no_candidates": ["write:interviews", "read:agents"],
                "sk_test_no_agents": ["write:interviews", "read:candidates"],
                "sk_test_no_write": ["read:candidates", "read:agents", "read:interviews"],
                "sk_test_interviews": ["write:interviews", "read:candidates", "read:agents"],
            },
        )
    )


@pytest.mark.parametrize(
    ("key", "scope"),
    [
        ("sk_test_no_candidates", "read:candidates"),
        ("sk_test_no_agents", "read:agents"),
        ("sk_test_no_write", "write:interviews"),
    ],
)
async def test_create_interview_needs_three_scopes(scoped: Api, key: str, scope: str) -> None:
    body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC, "isTest": True}
    reply = await scoped.as_key(key).post("/interviews", body)
    assert reply.status == 403
    assert reply.error["code"] == "INSUFFICIENT_PERMISSIONS"
    assert scope in reply.error["message"]


async def test_the_three_scopes_suffice_even_for_inline_resources(scoped: Api) -> None:
    """D: inline candidate/job/agent need no write:candidates, write:jobs or write:agents."""
    key = scoped.as_key("sk_test_interviews")
    reply = await key.post("/interviews", full_inline_body(isTest=True))
    assert reply.status == 201, reply.body
    by_id = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC, "isTest": True}
    assert (await key.post("/interviews", by_id)).status == 201
    # ...but the key still cannot create those resources directly.
    assert (await key.post("/jobs", {"title": "x"})).status == 403
