"""Only the user's own tools drive the harness: foreign ``Host`` and ``Origin`` headers refused
on both servers (:mod:`harness.guard`). The real cross-origin page in Chromium is in
``tests/test_guard_browser.py``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, make_mocked_request
from pydantic import ValidationError

from harness.cli import build_parser, serve_config
from harness.config import HarnessConfig
from harness.guard import HOSTS_REMEMBERED, RequestGuard, split_host
from tests.receiver_support import MakeReceiver, fixture_body, listed, post
from tests.support import ACME_CANDIDATE, ACME_JOB, Api, inline_candidate

MakeApi = Callable[..., Awaitable[Api]]

FOREIGN_ORIGINS = [
    "http://127.0.0.1:9",  # another loopback port: another origin
    "http://evil.example",
    "null",  # sandboxed frames, file:// pages
    "http://127.0.0.1:9, http://127.0.0.1:9",
]
FOREIGN_HOSTS = ["evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io"]
HOOK = {"url": "http://127.0.0.1:9/hooks/x", "events": ["*"]}
FAULT = {"route": "GET /jobs", "errorRate": 1}


def host_of(client: TestClient) -> str:
    return f"{client.server.host}:{client.server.port}"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost", "localhost"),
        ("LOCALHOST.:8080", "localhost"),
        ("127.0.0.1:8080", "127.0.0.1"),
        ("[::1]", "::1"),
        ("[::1]:80", "::1"),
        ("::1", None),  # an IPv6 Host must be bracketed
        ("[evil.example]", None),
        ("evil.example:http", None),
        ("127.0.0.1:123456", None),
        ("a b", None),
        ("", None),
    ],
)
def test_host_headers_are_read_as_a_name_and_an_optional_port(
    header: str, name: str | None
) -> None:
    assert split_host(header) == name


# -- the mock ---------------------------------------------------------------------------------


async def _state(api: Api) -> tuple[int, int, int]:
    hooks = (await api.get("/_harness/webhooks")).data["items"]
    faults = (await api.get("/_harness/faults")).data["items"]
    candidates = (await api.get("/candidates")).data["pagination"]["total"]
    return len(hooks), len(faults), candidates


WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/_harness/webhooks", HOOK),
    ("POST", "/_harness/faults", FAULT),
    ("DELETE", "/_harness/faults", None),
    ("POST", "/_harness/reset", None),
    ("POST", "/candidates", inline_candidate()),
    ("PATCH", f"/jobs/{ACME_JOB}", {"title": "Changed"}),
    ("DELETE", f"/candidates/{ACME_CANDIDATE}", None),
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_a_foreign_origin_changes_nothing_on_the_mock(
    api: Api, method: str, path: str, body: Any, origin: str
) -> None:
    before = await _state(api)
    reply = await api.call(method, path, body, headers={"Origin": origin})
    assert reply.status == 403
    assert reply.error["code"] == "FOREIGN_ORIGIN"
    assert reply.error["details"] == {"origin": origin, "secFetchSite": None}
    assert await _state(api) == before
    assert (await api.get(f"/jobs/{ACME_JOB}")).data["title"] != "Changed"


@pytest.mark.parametrize("site", ["cross-site", "same-site", "Cross-Site"])
async def test_sec_fetch_site_from_another_origin_is_foreign(api: Api, site: str) -> None:
    reply = await api.post("/_harness/faults", FAULT, headers={"Sec-Fetch-Site": site})
    assert (reply.status, reply.error["code"]) == (403, "FOREIGN_ORIGIN")
    assert reply.error["details"]["secFetchSite"] == site.lower()
    assert (await api.get("/_harness/faults")).data["items"] == []


async def test_the_mocks_own_origin_and_tools_without_one_may_write(api: Api) -> None:
    own = f"http://{host_of(api.client)}"
    headers = {"Origin": own, "Sec-Fetch-Site": "same-origin"}
    assert (await api.post("/_harness/faults", FAULT, headers=headers)).status == 200
    none = {"Sec-Fetch-Site": "none"}  # typed into the address bar
    assert (await api.post("/_harness/webhooks", HOOK, headers=none)).status == 201
    assert (await api.post("/candidates", inline_candidate())).status == 201  # no Origin: curl
    assert await _state(api) == (1, 1, 2)


async def test_reads_from_a_foreign_origin_are_not_refused(api: Api) -> None:
    """A cross-origin page cannot read the answer (no CORS); its reads change nothing."""
    reply = await api.get("/jobs", headers={"Origin": "http://evil.example"})
    assert reply.status == 200


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_harness/world"),  # DNS rebinding would read every key here
        ("GET", "/_harness/webhooks"),
        ("GET", "/candidates"),
        ("POST", "/_harness/reset"),
        ("GET", "/openapi.json"),
        ("GET", "/no/such/route"),
    ],
)
async def test_a_foreign_host_is_refused_on_every_mock_route(
    api: Api, method: str, path: str, host: str
) -> None:
    reply = await api.call(method, path, headers={"Host": host})
    assert reply.status == 403
    assert reply.error["code"] == "FOREIGN_HOST"
    assert reply.error["details"] == {"host": host}
    assert "--allow-host" in reply.error["message"]


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:1234", "LocalHost.", "[::1]:80", "127.0.0.1"]
)
async def test_loopback_names_with_or_without_a_port_are_the_mocks_own(api: Api, host: str) -> None:
    assert (await api.get("/_harness/world", headers={"Host": host})).status == 200


async def test_allowed_hosts_are_served_and_are_own_origins(make_api: MakeApi) -> None:
    api = await make_api(allow_hosts=("Harness.Example",))
    proxied = {"Host": "harness.example", "Origin": "https://harness.example"}
    assert (await api.post("/_harness/faults", FAULT, headers=proxied)).status == 200
    rewritten = {"Origin": "https://harness.example"}  # a proxy that rewrote Host
    assert (await api.post("/_harness/faults", FAULT, headers=rewritten)).status == 200
    other = await api.get("/_harness/world", headers={"Host": "other.example"})
    assert other.status == 403


async def test_allowing_a_loopback_name_trusts_no_other_local_port(make_api: MakeApi) -> None:
    api = await make_api(allow_hosts=("127.0.0.1", "localhost"))
    reply = await api.post("/_harness/faults", FAULT, headers={"Origin": "http://127.0.0.1:9"})
    assert reply.status == 403


@pytest.mark.parametrize(("bound", "host"), [("10.1.2.3", "10.1.2.3:8080"), ("::2", "[::2]")])
def test_the_address_a_server_listens_on_is_its_own(bound: str, host: str) -> None:
    guard = RequestGuard(bound)
    assert guard.check(make_mocked_request("POST", "/", headers={"Host": host})) is None
    assert RequestGuard().check(make_mocked_request("GET", "/", headers={"Host": host}))


def test_a_host_seen_again_gets_the_same_verdict_and_unremembered_ones_are_judged() -> None:
    guard = RequestGuard()

    def refused(host: str) -> bool:
        return guard.check(make_mocked_request("GET", "/", headers={"Host": host})) is not None

    for _ in range(2):  # the second time, from what the guard remembers
        assert not refused("127.0.0.1:8080")
        assert refused("evil.example")
    for port in range(HOSTS_REMEMBERED + 5):  # past the bound: still parsed, still right
        assert not refused(f"localhost:{port}")
        assert refused(f"evil.example:{port}")


@pytest.mark.parametrize("name", ["http://harness.example", "a/b", "a b", "harness.example:80", ""])
def test_allow_host_takes_names_only(name: str) -> None:
    with pytest.raises(ValidationError, match="allow-host"):
        HarnessConfig(allow_hosts=(name,))


def test_allow_host_is_repeatable_on_serve_and_listen() -> None:
    args = build_parser().parse_args(
        ["serve", "--allow-host", "a.example", "--allow-host", "[::2]"]
    )
    assert serve_config(args).allow_hosts == ("a.example", "::2")
    listen = build_parser().parse_args(["listen", "--allow-host", "b.example"])
    assert listen.allow_host == ["b.example"]


# -- the receiver -----------------------------------------------------------------------------


async def _receiver_call(
    client: TestClient, method: str, path: str, headers: dict[str, str], json: Any = None
) -> tuple[int, Any]:
    async with client.request(method, path, headers=headers, json=json) as r:
        return r.status, await r.json() if r.content_type == "application/json" else None


RECEIVER_WRITES: list[tuple[str, str, Any]] = [
    ("PUT", "/channels/acme/script", {"status": 500}),
    ("POST", "/channels/acme/script", {"status": 500}),
    ("DELETE", "/channels/kept/script", None),
    ("DELETE", "/events", None),
    ("POST", "/events/1/replay", {"url": "http://127.0.0.1:9/x", "scheme": "none"}),
    ("POST", "/hooks/acme", {"event": "forged"}),
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS[:3])
@pytest.mark.parametrize(("method", "path", "body"), RECEIVER_WRITES)
async def test_a_foreign_origin_changes_nothing_on_the_receiver(
    make_receiver: MakeReceiver, method: str, path: str, body: Any, origin: str
) -> None:
    client = await make_receiver()
    await post(client, fixture_body(), "acme")
    async with client.put("/channels/kept/script", json={"status": 503}) as r:
        assert r.status == 200
    status, answer = await _receiver_call(client, method, path, {"Origin": origin}, body)
    assert status == 403
    assert answer["error"] == "foreign_origin"
    assert (answer["origin"], answer["secFetchSite"]) == (origin, None)
    assert len(await listed(client)) == 1
    async with client.get("/channels") as r:
        assert [s["channel"] for s in (await r.json())["items"]] == ["kept"]


async def test_the_inspector_pages_own_origin_may_write(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    own = {"Origin": f"http://{host_of(client)}", "Sec-Fetch-Site": "same-origin"}
    status, _ = await _receiver_call(client, "PUT", "/channels/acme/script", own, {"status": 500})
    assert status == 200
    status, _ = await _receiver_call(client, "DELETE", "/events", own)
    assert status == 200
    cross = {"Sec-Fetch-Site": "cross-site"}
    status, answer = await _receiver_call(client, "DELETE", "/channels/acme/script", cross)
    assert (status, answer["error"]) == (403, "foreign_origin")


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/events"),
        ("GET", "/events/1"),
        ("GET", "/events/1/raw"),
        ("GET", "/mock/webhooks"),
        ("GET", "/health"),
        ("POST", "/hooks/acme"),
    ],
)
async def test_a_foreign_host_is_refused_on_every_receiver_route(
    make_receiver: MakeReceiver, method: str, path: str, host: str
) -> None:
    client = await make_receiver()
    await post(client, fixture_body(), "acme")
    status, answer = await _receiver_call(client, method, path, {"Host": host})
    assert status == 403
    assert (answer["error"], answer["host"]) == ("foreign_host", host)
    assert len(await listed(client)) == 1


async def test_the_receiver_answers_to_allowed_hosts(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(allow_hosts=["hooks.example"])
    status, _ = await _receiver_call(client, "GET", "/health", {"Host": "hooks.example:443"})
    assert status == 200
    status, _ = await _receiver_call(client, "GET", "/health", {"Host": "[::1]"})
    assert status == 200
