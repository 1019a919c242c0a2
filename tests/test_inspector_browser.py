"""The event inspector driven in headless Debian Chromium through Playwright (issue 5).

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``.ci/run``
installs it with apt-get). Waits are Playwright's auto-waiting ``expect`` assertions.
``UPDATE_SCREENSHOTS=1`` rewrites ``docs/inspector.png`` from the first test.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from harness.config import HarnessConfig
from harness.delivery.signing import Verdict, verify
from harness.receiver.listen import listening
from tests.browser_support import MARKS, chromium
from tests.delivery_support import Target
from tests.e2e_support import harness
from tests.receiver_support import fixture_body
from tests.support import full_inline_body

SCREENSHOT = Path(__file__).parent.parent / "docs" / "inspector.png"
GREEN = "rgb(218, 251, 225)"  # --ok-bg
RED_OUTLINE = "rgb(207, 34, 46)"

pytestmark = MARKS


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def open_page(browser: Browser, url: str) -> Page:
    page = await browser.new_page(viewport={"width": 1400, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url + "/")
    await expect(page.locator("#conn")).to_have_text("live")
    assert errors == []
    return page


async def post_raw(http: aiohttp.ClientSession, url: str, body: Any) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with http.post(url, data=data, headers={"Content-Type": "application/json"}) as r:
        assert r.status == 204


async def test_live_captures_detail_violations_and_the_mock_side(
    browser: Browser, tmp_path: Path
) -> None:
    async with harness() as h:
        page = await open_page(browser, h.run.receiver_url)
        rows = page.locator("#captures tbody tr")
        await expect(page.locator("#empty")).to_be_visible()

        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await expect(rows).to_have_count(2)  # arrived live, no reload
        await expect(rows.locator(".event")).to_have_text(
            ["analysis.completed", "interview.completed"]  # newest first
        )
        await expect(rows.locator(".interview")).to_have_text([interview["id"]] * 2)
        await expect(rows.locator(".channel")).to_have_text(["acme", "acme"])
        for badge in [rows.locator(".badge.sig"), rows.locator(".badge.schema")]:
            for index in range(2):
                await expect(badge.nth(index)).to_have_class(re.compile(r"\bok\b"))
                await expect(badge.nth(index)).to_have_css("background-color", GREEN)
        await expect(rows.locator(".badge.sig")).to_have_text(["signed ✓"] * 2)
        await expect(rows.locator(".badge.schema")).to_have_text(["schema ✓"] * 2)

        await rows.filter(has_text="interview.completed").click()
        detail = page.locator("#detail")
        await expect(detail.locator("h2")).to_have_text("interview.completed")
        await expect(detail).to_contain_text("No schema violations.")
        await expect(detail.locator("pre.body")).to_contain_text(
            f'"interviewId": "{interview["id"]}"'
        )
        await expect(detail.locator("table").first).to_contain_text("webhook-signature")
        attempts = detail.locator("section", has_text="Delivery attempts").locator("tbody tr")
        await expect(attempts).to_have_count(1)
        await expect(attempts).to_contain_text("204")
        await expect(attempts).to_contain_text("delivered")

        await page.click("#tab-mock")
        await expect(page.locator("#webhooks tbody tr")).to_have_count(2)
        await expect(page.locator("#webhooks .circuit")).to_have_text(["closed", "closed"])
        await expect(page.locator("#attempts tbody tr")).to_have_count(2)
        await page.click("#tab-captures")

        await page.select_option("#f-event", "analysis.completed")
        await expect(rows).to_have_count(1)
        await page.click("#filters button[type=reset]")
        await expect(rows).to_have_count(2)

        await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await expect(rows).to_have_count(4)
        invalid = json.loads(fixture_body("interview.completed"))
        invalid["data"]["interviewId"] = 12345
        del invalid["timestamp"]
        await post_raw(h.http, h.run.receiver_url + "/hooks/x", invalid)
        await expect(rows).to_have_count(5)
        newest = rows.first
        await expect(newest.locator(".badge.schema")).to_have_text("2 violations")
        await expect(newest.locator(".badge.schema")).to_have_class(re.compile(r"\bbad\b"))
        await newest.click()
        await expect(detail.locator(".violations li")).to_have_count(2)
        await expect(detail.locator(".violations")).to_contain_text("/data/interviewId")
        marked = detail.locator('pre.body .violation[data-path="/data/interviewId"]')
        await expect(marked).to_have_text("12345")
        await expect(marked).to_have_css("outline-color", RED_OUTLINE)
        root = detail.locator('pre.body .violation[data-path="/"]')  # 'timestamp' is required
        await expect(root).to_have_attribute("title", re.compile("'timestamp' is a required"))

        await page.screenshot(path=str(tmp_path / "inspector.png"))
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(tmp_path / "inspector.png", SCREENSHOT)
        assert (tmp_path / "inspector.png").stat().st_size > 10_000


async def test_payloads_render_as_text_replay_and_fixture(browser: Browser, target: Target) -> None:
    async with harness() as h:
        page = await open_page(browser, h.run.receiver_url)
        rows = page.locator("#captures tbody tr")
        hostile = {
            "event": "<img src=x onerror=window.__xss=2>",
            "data": {"note": "<script>window.__xss=1</script>", "interviewId": "<b>x</b>"},
        }
        await post_raw(h.http, h.run.receiver_url + "/hooks/%3Ci%3Eevil%3C%2Fi%3E", hostile)
        await expect(rows).to_have_count(1)
        await expect(rows.locator(".event")).to_have_text(hostile["event"])
        await expect(rows.locator(".channel")).to_have_text("<i>evil</i>")
        await expect(rows.locator(".interview")).to_have_text("<b>x</b>")
        await rows.first.click()
        detail = page.locator("#detail")
        await expect(detail.locator("h2")).to_have_text(hostile["event"])
        await expect(detail.locator("pre.body")).to_contain_text(
            '"note": "<script>window.__xss=1</script>"'
        )
        await expect(page.locator("#captures img, #captures i, #captures b")).to_have_count(0)
        await expect(detail.locator("script, img, b")).to_have_count(0)
        assert await page.evaluate("window.__xss") is None

        await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await expect(rows).to_have_count(3)
        await rows.filter(has_text="interview.completed").click()
        await expect(detail.locator("h2")).to_have_text("interview.completed")
        await detail.get_by_role("textbox", name="Replay URL").fill(target.url("handler"))
        await detail.get_by_role("button", name="Replay (re-signed)").click()
        await expect(detail.locator(".replay-result")).to_contain_text("204")
        [sent] = target.received
        async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
            secrets = [w["signingSecret"] for w in (await r.json())["data"]["items"]]
        verdict, _ = verify("standard", secrets, sent.headers, sent.body, int(time.time()))
        assert verdict is Verdict.VALID, "re-signed with the webhook's secret that verified it"

        async with page.expect_download() as waiting:
            await detail.get_by_role("link", name="Download fixture").click()
        download = await waiting.value
        assert re.fullmatch(r"interview\.completed-\d+\.json", download.suggested_filename)
        saved = Path(await download.path())
        fixture = json.loads(await asyncio.to_thread(saved.read_bytes))
        assert fixture["event"] == "interview.completed"


async def test_listen_mode_says_there_is_no_mock(browser: Browser) -> None:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config) as url, aiohttp.ClientSession() as http:
        page = await open_page(browser, url)
        await post_raw(http, url + "/hooks/solo", fixture_body("interview.started"))
        await page.locator("#captures tbody tr").first.click()
        attempts = page.locator("#detail section", has_text="Delivery attempts")
        await expect(attempts).to_contain_text("listen mode")
        await page.click("#tab-mock")
        await expect(page.locator("#mock-note")).to_contain_text("listen mode")


async def test_the_inspector_shows_which_level_of_verdict_failed(browser: Browser) -> None:
    config = HarnessConfig(receiver_port=0, db_path=":memory:", strict_schemas=True)
    documented = json.loads(fixture_body("interview.started"))
    documented["timestamp"] = "2024-01-20T14:30:00Z"  # what the vendor's examples send
    broken = {**documented, "data": {**documented["data"], "status": "PAUSED"}}
    async with listening(config) as url, aiohttp.ClientSession() as http:
        page = await open_page(browser, url)
        rows = page.locator("#captures tbody tr")
        await post_raw(http, url + "/hooks/solo", documented)
        await expect(rows.first.locator(".badge.schema")).to_have_text("1 violation (strict)")
        await expect(rows.first.locator(".badge.schema")).to_have_class(re.compile(r"\bwarn\b"))
        await post_raw(http, url + "/hooks/solo", broken)
        await expect(rows).to_have_count(2)
        await expect(rows.first.locator(".badge.schema")).to_have_text("1 violation")
        await expect(rows.first.locator(".badge.schema")).to_have_class(re.compile(r"\bbad\b"))
        await rows.first.click()
        detail = page.locator("#detail")
        await expect(detail).to_contain_text("vendor level: breaks what the vendor documents")
        await expect(detail.locator(".violations .level")).to_have_text(["vendor level"])
        await rows.nth(1).click()
        await expect(detail).to_contain_text("strict level: valid as the vendor documents it")
        await expect(detail.locator(".violations .level")).to_have_text(["strict level"])
