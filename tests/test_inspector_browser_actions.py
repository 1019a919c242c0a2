"""The inspector's actions in Chromium (issue 11): edit a payload and replay it re-signed,
attempts and mock views that refresh themselves, the reset-circuit button, dark mode, and
axe-core finding nothing serious or critical."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from harness.config import HarnessConfig
from harness.delivery.signing import Verdict, verify
from harness.receiver.listen import listening
from tests.browser_support import MARKS, chromium
from tests.delivery_support import Target
from tests.e2e_support import Harness, harness
from tests.inspector_support import open_page, post_raw, serious_axe_findings
from tests.receiver_support import SECRET, fixture_body, signed_headers
from tests.support import GLOBEX_KEY, full_inline_body

pytestmark = MARKS
DARK_BG = "rgb(13, 17, 23)"
LIGHT_BG = "rgb(246, 248, 250)"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def secrets_of(h: Harness) -> list[str]:
    async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
        return [w["signingSecret"] for w in (await r.json())["data"]["items"]]


async def open_capture(page: Page, capture_id: int) -> None:
    await page.locator(f'#captures tbody tr[data-id="{capture_id}"]').click()
    await expect(page.locator("#detail dd").first).to_have_text(f"#{capture_id}")


async def test_an_edited_payload_is_replayed_re_signed(browser: Browser, target: Target) -> None:
    async with harness() as h:
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        capture = await h.wait(event="interview.completed", interviewId=interview["id"])
        page = await open_page(browser, h.run.receiver_url)
        await open_capture(page, capture["id"])
        detail = page.locator("#detail")
        await detail.get_by_role("textbox", name="Replay URL").fill(target.url("edited"))
        await detail.get_by_role("button", name="Edit body…").click()
        editor = detail.get_by_role("textbox", name="Edited body")
        original = json.loads(await editor.input_value())
        assert original == capture["body"], "the editor starts from the capture's body"
        edited = {**original, "data": {**original["data"], "status": "EDITED"}}
        await editor.fill(json.dumps(edited))
        await detail.get_by_role("button", name="Replay edited (re-signed)").click()
        await expect(detail.locator(".replay-result")).to_contain_text("204")
        await expect(detail.locator(".replay-result")).to_contain_text("(edited)")
        [sent] = target.received
        assert json.loads(sent.body) == edited
        verdict, _ = verify(
            "standard", await secrets_of(h), sent.headers, sent.body, int(time.time())
        )
        assert verdict is Verdict.VALID, "signed with the webhook's secret that verified it"

        await editor.fill("{not json")
        await expect(detail.locator(".editor-note")).to_contain_text("not JSON (sent as typed)")
        own = h.run.receiver_url + "/hooks/acme"  # never back into the harness
        await detail.get_by_role("textbox", name="Replay URL").fill(own)
        await detail.get_by_role("button", name="Replay edited (re-signed)").click()
        await expect(detail.locator(".replay-result")).to_contain_text("not sent")
        await expect(detail.locator(".replay-result")).to_contain_text("the harness itself")
        assert len(target.received) == 1


async def test_an_edited_listen_capture_needs_the_secret_typed(
    browser: Browser, target: Target
) -> None:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config, [SECRET]) as url, aiohttp.ClientSession() as http:
        body = fixture_body("interview.started")
        capture_id = await post_raw(
            http, url + "/hooks/acme", body, signed_headers("standard", body)
        )
        page = await open_page(browser, url)
        await open_capture(page, capture_id)
        detail = page.locator("#detail")
        await detail.get_by_role("textbox", name="Replay URL").fill(target.url())
        await detail.get_by_role("button", name="Edit body…").click()
        await detail.get_by_role("textbox", name="Edited body").fill('{"edited": 1}')
        await detail.get_by_role("button", name="Replay edited (re-signed)").click()
        await expect(detail.locator(".replay-result")).to_contain_text("type it as secret")
        assert target.received == []
        await detail.get_by_role("textbox", name="Secret").fill(SECRET)
        await detail.get_by_role("button", name="Replay edited (re-signed)").click()
        await expect(detail.locator(".replay-result")).to_contain_text("204")
        [sent] = target.received
        assert sent.body == b'{"edited": 1}'
        verdict, _ = verify("standard", [SECRET], sent.headers, sent.body, int(time.time()))
        assert verdict is Verdict.VALID


async def test_attempts_and_the_mock_view_refresh_themselves(
    browser: Browser, target: Target
) -> None:
    async with harness(retry_schedule=(0.4,)) as h:
        await h.receiver("PUT", "/channels/acme/script", {"status": 503, "failFirst": 2})
        page = await open_page(browser, h.run.receiver_url)
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        first = await h.wait(event="interview.completed", interviewId=interview["id"])
        await open_capture(page, first["id"])
        attempts = page.locator("#detail .attempts tbody tr")
        await expect(attempts).to_have_count(3)  # the retries arrive with no click
        await expect(attempts.last).to_contain_text("delivered")

        await h.drain()  # analysis.completed follows interview.completed in its lane
        async with h.http.get(h.run.api_url + "/_harness/deliveries") as r:
            before = (await r.json())["data"]["total"]
        await page.click("#tab-mock")
        rows = page.locator("#attempts tbody tr")
        await expect(rows).to_have_count(before)  # the view has loaded what there is
        # a global webhook on the user's own handler: its attempts reach no receiver channel
        created = {"url": target.url("own"), "events": ["ping"]}
        async with h.http.post(h.run.api_url + "/_harness/webhooks", json=created) as r:
            hook = (await r.json())["data"]
        async with h.http.post(f"{h.run.api_url}/_harness/webhooks/{hook['id']}/test") as r:
            assert r.status == 200
        await expect(rows).to_have_count(before + 1)
        await expect(page.locator("#webhooks tbody tr")).to_have_count(3)


async def _open_circuit(h: Harness) -> None:
    await h.receiver("PUT", "/channels/globex/script", {"status": 500})
    for _ in range(3):
        await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)
        await h.drain()


async def test_reset_circuit_button_closes_an_open_circuit(browser: Browser) -> None:
    async with harness(retry_schedule=(0.0,)) as h:
        await _open_circuit(h)
        page = await open_page(browser, h.run.receiver_url, path="/#tab=mock")
        circuit = page.locator('#webhooks tr:has(td.mono:text-matches("/globex$")) .circuit')
        await expect(circuit).to_contain_text("open")
        await circuit.get_by_role("button", name=re.compile("Reset circuit")).click()
        await expect(circuit).to_have_text("closed")
        hooks = (await h.receiver("GET", "/mock/webhooks"))["items"]
        assert all(w["circuitOpenedAt"] is None and w["isActive"] for w in hooks)


async def test_dark_mode_follows_the_system_and_the_toggle(browser: Browser) -> None:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config) as url:
        page = await open_page(browser, url, color_scheme="dark")
        html = page.locator("html")
        await expect(html).to_have_css("background-color", DARK_BG)
        await page.select_option("#theme", "light")
        await expect(html).to_have_css("background-color", LIGHT_BG)
        await page.reload()
        await expect(html).to_have_css("background-color", LIGHT_BG), "the choice is kept"
        await page.select_option("#theme", "dark")
        await expect(html).to_have_css("background-color", DARK_BG)


def _axe_body() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(fixture_body("interview.completed"))
    body["data"]["interviewId"] = 12345
    return body


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_axe_finds_nothing_serious(browser: Browser, theme: str) -> None:
    async with harness() as h:
        await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await h.wait(event="analysis.completed")
        await post_raw(h.http, h.run.receiver_url + "/hooks/x", _axe_body())
        async with h.http.put(h.run.receiver_url + "/channels/y/script", json={"status": 503}) as r:
            assert r.status == 200
        await post_raw(h.http, h.run.receiver_url + "/hooks/y", b"\xff\x00", status=503)
        page = await open_page(browser, h.run.receiver_url, bypass_csp=True)
        await page.select_option("#theme", theme)
        rows = page.locator("#captures tbody tr")
        await expect(rows).to_have_count(4)
        await rows.nth(1).click()
        await expect(page.locator("#detail .violations li")).to_have_count(1)
        assert await serious_axe_findings(page) == [], "captures view with a detail open"
        await rows.first.click()
        await expect(page.locator("#detail pre.binary")).to_be_visible()
        await page.select_option("#time-mode", "relative")
        assert await serious_axe_findings(page) == [], "a binary capture"
        await page.click("#tab-mock")
        await expect(page.locator("#webhooks tbody tr")).to_have_count(2)
        assert await serious_axe_findings(page) == [], "mock view"
