"""The inspector's detail view in Chromium (issue 11): copy body and copy as curl, the lazy
collapsible JSON tree (a 50,000-key body), bidi controls escaped, binary bodies as hex and
base64, times in UTC with their date or relative, and the diff of two captures."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from harness.config import HarnessConfig
from harness.receiver.listen import listening
from tests.browser_support import MARKS, chromium
from tests.inspector_support import open_page, post_raw
from tests.receiver_support import SECRET, fixture_body, signed_headers

pytestmark = MARKS
CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config, [SECRET]) as url, aiohttp.ClientSession() as http:
        yield url, http


async def clipboard(page: Page) -> str:
    text: str = await page.evaluate("navigator.clipboard.readText()")
    return text


async def open_capture(page: Page, capture_id: int) -> None:
    await page.locator(f'#captures tbody tr[data-id="{capture_id}"]').click()
    await expect(page.locator("#detail dd").first).to_have_text(f"#{capture_id}")


async def test_copy_body_is_the_exact_json(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    body = json.loads(fixture_body("analysis.completed"))
    body["data"]["analysisPdfBase64"] = "JVBERi" + "A" * 6000  # longer than the shown part
    body["data"]["interviewId"] = 7  # a violation, noted in the tree
    capture_id = await post_raw(http, url + "/hooks/acme", body)
    page = await open_page(browser, url, permissions=CLIPBOARD)
    await open_capture(page, capture_id)
    detail = page.locator("#detail")
    await expect(detail.locator("pre.body .more")).to_have_text(re.compile("show all"))
    await expect(
        detail.locator('pre.body .violation[data-path="/data/interviewId"]')
    ).to_be_visible()
    await detail.get_by_role("button", name="Copy body").click()
    await expect(detail.locator(".copy-result")).to_have_text("body copied")
    assert json.loads(await clipboard(page)) == body

    # selecting the tree copies JSON too: toggles, "show all" and notes are not text
    selected = await page.evaluate(
        """() => {
          const pre = document.querySelector('#detail pre.body');
          const range = document.createRange();
          range.selectNodeContents(pre);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          return getSelection().toString();
        }"""
    )
    assert "show all" not in selected and "⚠" not in selected and "▾" not in selected


async def test_copy_as_curl_resends_the_same_bytes_signed(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    body = fixture_body("interview.completed", note='it\'s "quoted" $HOME `x`')
    headers = signed_headers("standard", body)
    capture_id = await post_raw(http, url + "/hooks/acme", body, headers)
    page = await open_page(browser, url, permissions=CLIPBOARD)
    await open_capture(page, capture_id)
    await page.get_by_role("button", name="Copy as curl").click()
    await expect(page.locator("#detail .copy-result")).to_have_text("curl command copied")
    command = await clipboard(page)
    assert command.startswith("curl ") and "webhook-signature" in command
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err
    async with http.get(url + "/events") as r:
        items = (await r.json())["items"]
    assert len(items) == 2
    async with http.get(url + f"/events/{items[1]['id']}/raw") as r:
        assert await r.read() == body, "the exact bytes again"
    assert items[1]["signature"] == "valid", "with the captured signature headers"

    binary = b"\xff\xfe\x00\x01 not text"
    binary_id = await post_raw(http, url + "/hooks/acme", binary)
    await open_capture(page, binary_id)
    await page.get_by_role("button", name="Copy as curl").click()
    await expect(page.locator("#detail .copy-result")).to_have_text("curl command copied")
    command = await clipboard(page)
    assert "base64 -d" in command
    process = await asyncio.create_subprocess_exec("bash", "-c", command)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    async with http.get(url + "/events") as r:
        newest = (await r.json())["items"][-1]
    async with http.get(url + f"/events/{newest['id']}/raw") as r:
        assert await r.read() == binary


async def test_the_json_tree_collapses_and_a_50000_key_body_stays_responsive(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    huge = json.loads(fixture_body("interview.started"))
    huge["data"]["metadata"] = {f"k{i:05}": i for i in range(50_000)}
    capture_id = await post_raw(http, url + "/hooks/acme", huge)
    page = await open_page(browser, url)
    await page.evaluate(
        """() => {
          window.__longest = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              window.__longest = Math.max(window.__longest, e.duration);
            }
          }).observe({ type: "longtask", buffered: false });
        }"""
    )
    started = time.monotonic()
    await open_capture(page, capture_id)
    tree = page.locator("#detail pre.body")
    metadata = tree.locator('.j-object[data-path="/data/metadata"]')
    await expect(metadata.locator(":scope > .children > .line")).to_have_count(200)
    elapsed = time.monotonic() - started
    nodes = await page.evaluate("document.querySelectorAll('#detail pre.body *').length")
    longest = await page.evaluate("window.__longest")
    assert nodes < 2500, f"{nodes} nodes: the tree is not lazy"
    assert longest < 1000, f"the tab froze for {longest:.0f} ms"
    assert elapsed < 10
    more = metadata.locator(":scope > .children > .more")
    await expect(more).to_have_text("show 200 more (49800 left)")
    await more.click()
    await expect(metadata.locator(":scope > .children > .line")).to_have_count(400)

    data = tree.locator('.j-object[data-path="/data"]')
    toggle = data.locator(":scope > .toggle")
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(data.locator(":scope > .children")).to_be_hidden()
    await expect(data.locator(":scope > .summary")).to_contain_text("keys")
    await toggle.click()
    await expect(data.locator(":scope > .children")).to_be_visible()


async def test_bidi_and_invisible_controls_are_shown_escaped(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    spoof = "invoice\u202egnp.exe"
    body = json.loads(fixture_body("interview.started"))
    body["event"] = spoof
    body["data"]["name"] = "a\u2066b\u200bc"
    capture_id = await post_raw(http, url + "/hooks/chan%E2%80%AEel", body)
    page = await open_page(browser, url)
    row = page.locator(f'#captures tbody tr[data-id="{capture_id}"]')
    await expect(row.locator(".event")).to_have_text("invoice\\u202Egnp.exe")
    await expect(row.locator(".event .esc")).to_have_text("\\u202E")
    await expect(row.locator(".event")).to_have_attribute("title", "invoice\\u202Egnp.exe")
    await open_capture(page, capture_id)
    detail = page.locator("#detail")
    await expect(detail.locator("h2")).to_have_text("invoice\\u202Egnp.exe")
    await expect(detail.locator("pre.body")).to_contain_text('"a\\u2066b\\u200Bc"')
    page_text = await page.evaluate("document.body.innerText")
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200f]", page_text)


async def test_binary_bodies_show_as_hex_and_base64(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    raw = bytes(range(256)) * 2
    capture_id = await post_raw(http, url + "/hooks/acme", raw)
    page = await open_page(browser, url)
    await open_capture(page, capture_id)
    pre = page.locator("#detail pre.body")
    await expect(pre).to_contain_text("00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f")
    await expect(pre).to_contain_text("000000f0  f0 f1 f2 f3")
    assert "\ufffd" not in (await pre.text_content() or "")
    await page.get_by_role("button", name="base64").click()
    await expect(pre).to_have_text(base64.b64encode(raw).decode())
    await page.get_by_role("button", name="hex").click()
    await expect(pre).to_contain_text("00000010  10 11")


async def test_times_are_utc_with_a_date_or_relative(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    capture_id = await post_raw(http, url + "/hooks/acme", fixture_body())
    page = await open_page(browser, url)
    utc = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$")
    cell = page.locator("#captures tbody tr .time time")
    await expect(cell).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$"))
    await expect(page.locator("#captures th.time")).to_have_text("Time (UTC)")
    await open_capture(page, capture_id)
    received = page.locator("#detail .meta time")
    assert await received.text_content() == f"{await cell.text_content()} UTC", "they agree"
    async with http.get(url + f"/events/{capture_id}") as r:
        at: str = (await r.json())["receivedAt"]
    assert (await cell.text_content() or "").startswith(at[:10] + " " + at[11:19])
    await page.select_option("#time-mode", "relative")
    await expect(cell).to_have_text(re.compile(r"^\d+ s ago$"))
    await expect(received).to_have_text(re.compile(r"^\d+ s ago$"))
    await expect(cell).to_have_attribute("title", utc)
    await expect(page.locator("#captures th.time")).to_have_text("Received")
    await page.reload()
    await expect(page.locator("#captures tbody tr .time time")).to_have_text(re.compile("ago$"))


async def test_two_captures_diff_by_path(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    first: dict[str, Any] = json.loads(fixture_body("interview.completed"))
    second = json.loads(json.dumps(first))
    second["data"]["status"] = "FAILED"
    second["data"]["extra"] = True
    del second["timestamp"]
    a = await post_raw(http, url + "/hooks/acme", first)
    b = await post_raw(http, url + "/hooks/acme", second)
    page = await open_page(browser, url)
    await open_capture(page, a)
    await open_capture(page, b)
    compare = page.get_by_role("spinbutton", name="Compare with capture")
    await expect(compare).to_have_value(str(a)), "the capture opened before"
    await page.get_by_role("button", name="Compare").click()
    rows = page.locator("#detail table.diff tbody tr")
    await expect(rows).to_have_count(3)
    await expect(page.locator("#detail table.diff")).to_contain_text("/data/status")
    await expect(page.locator("#detail .diff-changed")).to_have_count(1)
    await expect(page.locator("#detail .diff-added")).to_contain_text("/data/extra")
    await expect(page.locator("#detail .diff-removed")).to_contain_text("/timestamp")
