"""The inspector's routes on the receiver: the page, replay, fixture download, the mock proxy."""

from __future__ import annotations

import re

from harness.receiver.inspector import STATIC
from tests.e2e_support import harness
from tests.receiver_support import (
    MakeReceiver,
)
from tests.support import full_inline_body


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


async def test_mock_proxy_passes_paging_on_for_the_newest_attempts() -> None:
    async with harness() as h:
        for _ in range(2):
            await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await h.drain()
        newest = await h.receiver("GET", "/mock/deliveries?order=newest&limit=3")
        everything = await h.receiver("GET", "/mock/deliveries?limit=1000")
        ids = [a["id"] for a in everything["items"]]
        assert [a["id"] for a in newest["items"]] == ids[::-1][:3]
        assert newest["total"] == 4 and newest["next"] is not None
        rest = await h.receiver("GET", f"/mock/deliveries?order=newest&cursor={newest['next']}")
        assert [a["id"] for a in rest["items"]] == [ids[0]] and rest["next"] is None
        hooks = await h.receiver("GET", "/mock/webhooks?limit=1")
        assert len(hooks["items"]) == 1 and hooks["next"] is not None
