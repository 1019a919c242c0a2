"""The harness's control API (contract section 5): health, world, reset, loopback only."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from aiohttp.typedefs import Handler

from harness.api.app import create_api_app
from harness.api.control import _loopback_only
from harness.domain.enums import ALL_SCOPES
from harness.errors import ApiError
from tests.api_helpers import candidate_body, complete, counts
from tests.support import (
    ACME_CANDIDATE,
    ACME_ID,
    ACME_JOB,
    ACME_READONLY_KEY,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_CANDIDATE,
    GLOBEX_ID,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
)


async def test_health(api: Api) -> None:
    reply = await api.as_key("").get("/_harness/health")
    assert reply.status == 200
    assert reply.data == {"status": "ok"}


async def test_world_shape(api: Api) -> None:
    reply = await api.as_key("").get("/_harness/world")  # no auth needed
    assert reply.status == 200
    companies = reply.data["companies"]
    assert len(companies) >= 2
    for company in companies:
        assert set(company) == {"id", "name", "plan", "billing", "apiKeys", "phoneNumbers"}
        assert set(company["billing"]) == {"minutesLimit", "minutesUsed"}
        assert company["phoneNumbers"]
        for key in company["apiKeys"]:
            assert set(key) == {"id", "key", "scopes", "status"}
            assert key["key"].startswith(("sk_test_", "sk_live_"))
        full = [k for k in company["apiKeys"] if set(k["scopes"]) == ALL_SCOPES]
        assert full, "each company has a full-scope key"
    by_id = {c["id"]: c for c in companies}
    assert by_id[GLOBEX_ID]["plan"] == "TRIAL"
    assert by_id[GLOBEX_ID]["billing"] == {"minutesLimit": 30, "minutesUsed": 0}
    acme_keys = {k["key"]: k["scopes"] for k in by_id[ACME_ID]["apiKeys"]}
    assert acme_keys[ACME_READONLY_KEY]
    assert all(s.startswith("read:") for s in acme_keys[ACME_READONLY_KEY])


async def test_world_keys_work_while_active(api: Api) -> None:
    companies = (await api.get("/_harness/world")).data["companies"]
    refused = {"SUSPENDED": "API_KEY_SUSPENDED", "EXPIRED": "INVALID_API_KEY"}
    for company in companies:
        for key in company["apiKeys"]:
            reply = await api.as_key(key["key"]).get("/jobs")
            if key["status"] == "ACTIVE":
                assert reply.status == 200
            else:
                assert (reply.status, reply.error["code"]) == (401, refused[key["status"]])


async def test_reset_restores_the_seeded_world(api: Api) -> None:
    pristine = counts(api)
    world = (await api.get("/_harness/world")).data
    seeded = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    made = (await api.post("/candidates", candidate_body())).data
    await api.patch(f"/candidates/{ACME_CANDIDATE}", {"firstName": "Changed"})
    await api.delete(f"/jobs/{ACME_JOB}")
    globex = api.as_key(GLOBEX_KEY)
    started = await globex.post(
        "/interviews", {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC}
    )
    await complete(api, started.data["id"], 30)
    assert counts(api) != pristine
    spent = int((await globex.get("/jobs")).headers["X-RateLimit-Remaining-Minute"])
    assert spent == 28

    reply = await api.post("/_harness/reset")
    assert reply.status == 200

    fresh = int((await globex.get("/jobs")).headers["X-RateLimit-Remaining-Minute"])
    assert fresh == 29  # rate-limit counters start again
    assert counts(api) == pristine
    assert (await api.get("/_harness/world")).data == world
    assert (await api.get(f"/candidates/{made['id']}")).status == 404
    assert (await api.get(f"/jobs/{ACME_JOB}")).status == 200
    restored = (await api.get(f"/candidates/{ACME_CANDIDATE}")).data
    assert restored["firstName"] == seeded["firstName"]
    assert restored["jobIds"] == seeded["jobIds"]
    assert (await globex.get(f"/interviews/{started.data['id']}")).status == 404


async def test_control_api_needs_no_key_but_checks_ids(api: Api) -> None:
    anon = api.as_key("")
    assert (await anon.post(f"/_harness/interviews/{MISSING_ID}/start")).status == 404
    assert (await anon.post("/_harness/reset")).status == 200


# --- loopback only ----------------------------------------------------------------------------


@pytest.mark.parametrize("remote", ["127.0.0.1", "127.8.9.10", "::1"])
def test_loopback_clients_are_served(remote: str) -> None:
    _loopback_only(make_mocked_request("GET", "/_harness/world").clone(remote=remote))


@pytest.mark.parametrize("remote", ["10.0.0.5", "192.168.1.20", "8.8.8.8", "fe80::1", "", "x"])
def test_other_clients_are_refused(remote: str) -> None:
    request = make_mocked_request("GET", "/_harness/world").clone(remote=remote)
    with pytest.raises(ApiError) as caught:
        _loopback_only(request)
    assert caught.value.status == 403
    assert caught.value.code == "RESOURCE_ACCESS_DENIED"


@web.middleware
async def _from_afar(request: web.Request, handler: Handler) -> web.StreamResponse:
    return await handler(request.clone(remote="203.0.113.7"))


@pytest.fixture
async def remote_api(aiohttp_client: Any) -> Api:
    """The mock as a client on another host sees it."""
    app = create_api_app()
    app.middlewares.insert(0, _from_afar)
    return Api(await aiohttp_client(app))


def _control_routes(api: Api) -> list[tuple[str, str]]:
    routes = []
    for route in api.client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if path.startswith("/_harness/") and route.method != "HEAD":
            routes.append((route.method, path.replace("{id}", MISSING_ID)))
    return routes


async def test_every_control_route_refuses_remote_clients(remote_api: Api) -> None:
    routes = _control_routes(remote_api)
    assert ("POST", "/_harness/reset") in routes
    assert ("GET", "/_harness/health") in routes
    for method, path in routes:
        body = {} if method == "POST" else None
        reply = await remote_api.as_key("").call(method, path, body)
        assert reply.status == 403, (method, path, reply.body)
        assert reply.error["code"] == "RESOURCE_ACCESS_DENIED"


async def test_remote_clients_still_reach_the_public_api(remote_api: Api) -> None:
    before = counts(remote_api)
    assert (await remote_api.get("/candidates")).status == 200
    assert (await remote_api.post("/_harness/reset")).status == 403
    assert counts(remote_api) == before
