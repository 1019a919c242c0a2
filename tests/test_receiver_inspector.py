"""The inspector's routes on the receiver: the page, replay, fixture download, the mock proxy."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from harness.receiver.inspector import STATIC
from harness.receiver.secrets import static_secrets
from tests.e2e_support import harness
from tests.receiver_support import (
    OTHER_SECRET,
    SECRET,
    MakeReceiver,
    fixture_body,
    listed,
    post,
    signed_headers,
)
from tests.support import full_inline_body


async def _replay(client: TestClient, capture_id: int, **body: Any) -> tuple[int, Any]:
    async with client.post(f"/events/{capture_id}/replay", json=body) as r:
        return r.status, await r.json()


async def _raw(client: TestClient, capture_id: int) -> bytes:
    async with client.get(f"/events/{capture_id}/raw") as r:
        return await r.read()


async def test_page_and_its_files_are_served(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.get("/") as r:
        assert r.status == 200
        assert r.content_type == "text/html"
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        page = await r.text()
    referenced = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    for js in STATIC.glob("*.js"):
        referenced += re.findall(r'from "\./([^"]+)"', js.read_text())
    assert {"inspector.js", "inspector.css", "dom.js", "detail.js"} <= set(referenced)
    for name in set(referenced):
        async with client.get(f"/static/{name}") as r:
            assert r.status == 200, name


def test_the_page_never_writes_html_from_strings() -> None:
    for path in STATIC.glob("*.js"):
        code = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{path.name} uses {sink}: payloads must go in as text"


async def test_info_without_a_mock(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(scheme="hex")
    async with client.get("/inspector/info") as r:
        info = await r.json()
    assert info["apiUrl"] is None
    assert info["scheme"] == "hex"
    assert "interview.completed" in info["knownEvents"]


async def test_replay_resends_the_exact_bytes_re_signed(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = fixture_body("interview.completed")
    old = signed_headers("standard", body, at=1_000_000_000)  # long stale: invalid now
    await post(client, body, "acme", old)
    [stale] = await listed(client)
    assert stale["signature"] == "invalid"
    status, answer = await _replay(client, stale["id"], url=str(client.make_url("/hooks/again")))
    assert status == 200, answer
    assert answer["ok"] is True and answer["status"] == 204
    assert answer["scheme"] == "standard"
    assert answer["deliveryId"] == json.loads(body)["deliveryId"]
    assert answer["latencyMs"] >= 0
    [again] = await listed(client, channel="again")
    assert again["signature"] == "valid", "signed now with the channel's known secret"
    assert again["headers"]["webhook-id"] == json.loads(body)["deliveryId"]
    assert int(again["headers"]["webhook-timestamp"]) > 1_000_000_000
    assert await _raw(client, again["id"]) == body


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"secret": OTHER_SECRET}, "no signature matches a known secret"),
        ({"scheme": "none"}, "missing webhook-timestamp or webhook-signature header"),
    ],
)
async def test_replay_with_a_given_secret_or_scheme(
    make_receiver: MakeReceiver, options: dict[str, str], reason: str
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, b"not json at all", "acme")
    url = str(client.make_url("/hooks/out"))
    status, answer = await _replay(client, 1, url=url, **options)
    assert status == 200 and answer["ok"], answer
    [out] = await listed(client, channel="out")
    assert (out["signature"], out["signatureReason"]) == ("invalid", reason)
    assert await _raw(client, out["id"]) == b"not json at all"


async def test_replay_reports_a_handler_that_does_not_answer_2xx(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body(), "acme")
    async with client.put("/channels/down/script", json={"status": 503}):
        pass
    status, answer = await _replay(client, 1, url=str(client.make_url("/hooks/down")))
    assert status == 200
    assert (answer["ok"], answer["status"], answer["error"]) == (False, 503, "HTTP 503")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "url is required"),
        ({"url": "http://example.com/hooks"}, "not loopback"),
        ({"url": "ftp://127.0.0.1/x"}, "http:// or https://"),
        ({"url": "http://127.0.0.1:9/x", "scheme": "rot13"}, "scheme must be one of"),
        ({"url": "http://127.0.0.1:9/x", "secret": "zz"}, "secret must be"),
        ({"url": "http://127.0.0.1:9/x", "secret": 5}, "secret must be a string"),
        ({"url": "http://127.0.0.1:9/x", "to": "x"}, "unknown field 'to'"),
        ([], "JSON object"),
    ],
)
async def test_replay_refuses_what_it_cannot_use(
    make_receiver: MakeReceiver, body: Any, message: str
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body(), "acme")
    async with client.post("/events/1/replay", json=body) as r:
        assert r.status == 400
        answer = await r.json()
    assert answer["error"] == "bad_replay"
    assert message in answer["message"]


async def test_replay_without_any_known_secret_asks_for_one(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body(), "acme")
    status, answer = await _replay(client, 1, url=str(client.make_url("/hooks/x")))
    assert status == 400
    assert "no secret known for channel 'acme'" in answer["message"]
    async with client.post("/events/1/replay", data=b"{nope") as r:
        assert r.status == 400, "a body that is not JSON is refused too"
    status, answer = await _replay(client, 99, url="http://127.0.0.1:9/x")
    assert status == 404


async def test_mock_proxy_without_a_mock_says_so(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for path in ("/mock/webhooks", "/mock/deliveries"):
        async with client.get(path) as r:
            assert r.status == 503
            answer = await r.json()
        assert answer["error"] == "no_mock"
        assert "listen mode" in answer["message"]


async def test_mock_proxy_to_a_mock_that_is_gone(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(api_url="http://127.0.0.1:9")  # discard port: refused
    async with client.get("/mock/webhooks") as r:
        assert r.status == 502
        assert (await r.json())["error"] == "mock_unreachable"


async def test_mock_proxy_in_serve_shows_webhooks_and_attempts() -> None:
    async with harness() as h:
        info = await h.receiver("GET", "/inspector/info")
        assert info["apiUrl"] == h.run.api_url
        hooks = await h.receiver("GET", "/mock/webhooks")
        assert {hook["url"].rsplit("/", 1)[1] for hook in hooks["items"]} == {"acme", "globex"}
        assert all("signingSecret" not in hook for hook in hooks["items"])
        assert all(hook["circuitOpenedAt"] is None for hook in hooks["items"])
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        capture = await h.wait(event="analysis.completed", interviewId=interview["id"])
        await h.drain()
        attempts = await h.receiver("GET", f"/mock/deliveries?deliveryId={capture['deliveryId']}")
        assert [a["statusCode"] for a in attempts["items"]] == [204]
        assert attempts["items"][0]["outcome"] == "delivered"
        everything = await h.receiver("GET", "/mock/deliveries?outcome=delivered&junk=1")
        assert everything["total"] == 2
        async with h.http.get(h.run.receiver_url + "/mock/deliveries?deliveryId=nope") as r:
            assert r.status == 400, "the mock's own answer to a bad filter comes through"
