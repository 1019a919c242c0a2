"""A real page on another loopback origin, in Chromium, fires the requests a hostile page can
send without a preflight at both servers, and changes nothing (:mod:`harness.guard`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page

from tests.browser_support import MARKS, chromium
from tests.e2e_support import Harness, harness
from tests.support import ACME_KEY, full_inline_body

pytestmark = MARKS

#: Every request a page may send cross-origin without asking: no-cors POSTs, as text/plain and
#: as a Blob without a type (no Content-Type at all, which the mock reads as JSON); and DELETE,
#: which needs a preflight the harness never grants. Resolves to one outcome per request.
ATTACK = """async ({api, receiver, reset}) => {
  const hook = JSON.stringify({url: receiver + "/hooks/acme", events: ["*"]});
  const fault = JSON.stringify({route: "GET /jobs", errorRate: 1, errorStatus: 503});
  const script = JSON.stringify({status: 503});
  const plain = (url, body) => fetch(url, {mode: "no-cors", method: "POST",
    headers: {"Content-Type": "text/plain"}, body});
  const untyped = (url, body) => fetch(url, {mode: "no-cors", method: "POST",
    body: new Blob([body])});
  const shots = [
    plain(api + "/_harness/webhooks", hook), untyped(api + "/_harness/webhooks", hook),
    plain(api + "/_harness/faults", fault), untyped(api + "/_harness/faults", fault),
    reset ? plain(api + "/_harness/reset", "") : Promise.reject(new Error("not sent")),
    plain(receiver + "/channels/acme/script", script),
    untyped(receiver + "/channels/acme/script", script),
    plain(receiver + "/hooks/acme", '{"event": "interview.completed"}'),
    fetch(receiver + "/events", {method: "DELETE"}),
  ];
  const settled = await Promise.allSettled(shots);
  return settled.map((s) => s.status === "fulfilled" ? s.value.type : "refused");
}"""
#: The outcomes above: an opaque answer means the request was sent and answered.
SENT = ["opaque"] * 8 + ["refused"]  # the DELETE's preflight fails, so it is never sent
WAIT_S = 15.0


@contextlib.asynccontextmanager
async def hostile_site() -> AsyncIterator[int]:
    """A page server on 127.0.0.1 (another port: another origin); yields its port."""
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(
            text="<!doctype html><title>elsewhere</title>", content_type="text/html"
        )

    app.router.add_get("/", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def fire(page: Page, h: Harness, *, reset: bool = True) -> list[str]:
    urls = {"api": h.run.api_url, "receiver": h.run.receiver_url, "reset": reset}
    outcomes: list[str] = await asyncio.wait_for(page.evaluate(ATTACK, urls), WAIT_S)
    return outcomes


async def state(h: Harness, interview_id: str) -> dict[str, Any]:
    async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
        hooks = [hook["id"] for hook in (await r.json())["data"]["items"]]
    async with h.http.get(h.run.api_url + "/_harness/faults") as r:
        faults = (await r.json())["data"]["items"]
    scripts = (await h.receiver("GET", "/channels"))["items"]
    captures = [c["id"] for c in await h.events()]
    key = {"Authorization": f"Bearer {ACME_KEY}"}
    async with h.http.get(f"{h.run.api_url}/interviews/{interview_id}", headers=key) as r:
        interview = r.status  # a reset forgets it: 404
    return {
        "hooks": hooks,
        "faults": faults,
        "scripts": scripts,
        "captures": captures,
        "interview": interview,
    }


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def test_a_page_on_another_origin_changes_nothing(browser: Browser) -> None:
    async with harness() as h, hostile_site() as port:
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await h.wait(event="analysis.completed", interviewId=interview["id"])
        before = await state(h, interview["id"])
        assert len(before["hooks"]) == 2 and len(before["captures"]) == 2
        page = await browser.new_page()
        # 127.0.0.1:<port> is same-site with the harness, localhost:<port> cross-site
        for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            await page.goto(origin + "/")
            assert await fire(page, h) == SENT, origin
            assert await state(h, interview["id"]) == before, (
                f"a page on {origin} changed the harness"
            )

        # The same requests from each server's own origin do change it (the receiver's page
        # reaches only the receiver: its CSP says connect-src 'self'): the browser sent them.
        await page.goto(h.run.api_url + "/openapi.json")
        await fire(page, h, reset=False)
        await page.goto(h.run.receiver_url + "/")
        await fire(page, h, reset=False)
        after = await state(h, interview["id"])
        assert len(after["hooks"]) == 3, "the mock's own page created a webhook"
        assert [f["route"] for f in after["faults"]] == ["GET /jobs"]
        assert [s["channel"] for s in after["scripts"]] == ["acme"]
        assert after["captures"] == [], "the receiver's own page cleared the captures"
