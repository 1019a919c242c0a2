"""The inspector's capture list in Chromium (issue 11): layout under hostile names and narrow
widths, the answer and isTest columns, the true count and older pages after a reload,
clearing, pause, free-text search, the URL hash, the first click after filtering, keyboard."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from harness.config import HarnessConfig
from harness.receiver.listen import listening
from tests.browser_support import MARKS, chromium
from tests.inspector_support import open_page, post_many, post_raw
from tests.receiver_support import fixture_body

pytestmark = MARKS


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config) as url, aiohttp.ClientSession() as http:
        yield url, http


def started(**data: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(fixture_body("interview.started"))
    body["data"].update(data)
    return body


async def test_a_huge_event_name_and_narrow_widths_keep_the_layout(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    await post_raw(http, url + "/hooks/acme", started())
    await post_raw(http, url + "/hooks/acme", {**started(), "event": "x" * 5000})
    for width in (1024, 1152, 1280):
        page = await open_page(browser, url, width=width)
        rows = page.locator("#captures tbody tr")
        await expect(rows).to_have_count(2)
        await rows.nth(1).click()
        await expect(page.locator("#detail h2")).to_have_text("interview.started")
        await rows.first.click()
        await expect(page.locator("#detail h2")).to_contain_text("xxxx")
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        layout = await page.evaluate(
            """() => {
              const pane = document.querySelector('.list-pane').getBoundingClientRect();
              const num = document.querySelector('#captures tbody tr td.num');
              const range = document.createRange();
              range.selectNodeContents(num);
              const badges = [...document.querySelectorAll(
                '#captures tbody :is(.c-answer, .c-sig, .c-schema) .badge')]
                .map((b) => b.getBoundingClientRect());
              return {
                paneRight: pane.right,
                tableWidth: document.querySelector('#captures').scrollWidth,
                paneWidth: document.querySelector('.list-pane').clientWidth,
                idLines: range.getClientRects().length,
                badgeRights: badges.map((b) => b.right),
                badgeWidths: badges.map((b) => b.width),
                cut: [...document.querySelectorAll('#captures tbody .badge, #captures th')]
                  .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth)
                  .map((b) => b.textContent),
              };
            }"""
        )
        assert layout["tableWidth"] <= layout["paneWidth"], (width, layout)
        assert layout["idLines"] == 1, f"the id column wraps at {width}px: {layout}"
        assert all(right <= layout["paneRight"] for right in layout["badgeRights"]), layout
        assert len(layout["badgeWidths"]) == 6
        assert layout["cut"] == [], f"cut off at {width}px"
        assert all(w > 20 for w in layout["badgeWidths"]), f"verdicts cut at {width}px"
        await page.context.close()


async def test_the_list_shows_the_receivers_answer_and_is_test(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    page = await open_page(browser, url)
    async with http.put(url + "/channels/down/script", json={"status": 503}) as r:
        assert r.status == 200
    await post_raw(http, url + "/hooks/down", started(isTest=False), status=503)
    await post_raw(http, url + "/hooks/up", started(isTest=True))
    rows = page.locator("#captures tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.locator(".c-answer")).to_have_text(["204", "503"])
    await expect(rows.nth(1).locator(".c-answer .badge")).to_have_class(re.compile(r"\bbad\b"))
    await expect(rows.first.locator(".c-answer .badge")).to_have_class(re.compile(r"\bok\b"))
    await expect(rows.locator(".c-test")).to_have_text(["test", "live"])
    await expect(page.locator("#captures thead")).to_contain_text("Answer")


async def test_after_a_reload_every_capture_is_reachable_and_the_count_is_true(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    await post_many(http, url + "/hooks/bulk", [started(n=i) for i in range(1150)])
    page = await open_page(browser, url)
    rows = page.locator("#captures tbody tr")
    await expect(rows).to_have_count(200)
    await expect(page.locator("#count")).to_have_text("200 of 1150 captures shown")
    older = page.locator("#older")
    await older.click()
    await expect(rows).to_have_count(700)
    await older.click()
    await expect(rows).to_have_count(1150)
    await expect(page.locator("#count")).to_have_text("1150 captures")
    await expect(older).to_be_hidden()
    assert await rows.last.locator(".num").text_content() == "1"
    ids = await rows.locator(".num").all_text_contents()
    assert ids == [str(n) for n in range(1150, 0, -1)], "newest first, none missing or twice"
    await post_raw(http, url + "/hooks/bulk", started())
    await expect(page.locator("#count")).to_have_text("1151 captures")


async def test_clearing_empties_every_open_page(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    for _ in range(3):
        await post_raw(http, url + "/hooks/acme", started())
    page = await open_page(browser, url)
    other = await open_page(browser, url, path="/#capture=2")
    await expect(other.locator("#detail h2")).to_have_text("interview.started")
    for p in (page, other):
        await expect(p.locator("#captures tbody tr")).to_have_count(3)
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Clear captures").click()
    for p in (page, other):
        await expect(p.locator("#captures tbody tr")).to_have_count(0)
        await expect(p.locator("#count")).to_have_text("0 captures")
        await expect(p.locator("#empty")).to_be_visible()
    await expect(other.locator("#detail")).to_be_hidden()
    async with http.get(url + "/events") as r:
        assert (await r.json())["count"] == 0
    await post_raw(http, url + "/hooks/acme", started())  # and a DELETE from a tool
    await expect(other.locator("#captures tbody tr")).to_have_count(1)
    async with http.delete(url + "/events") as r:
        assert r.status == 200
    await expect(other.locator("#captures tbody tr")).to_have_count(0)


async def test_pause_holds_new_captures_until_resumed(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    page = await open_page(browser, url)
    rows = page.locator("#captures tbody tr")
    await post_raw(http, url + "/hooks/acme", started())
    await expect(rows).to_have_count(1)
    await page.get_by_role("button", name="Pause").click()
    await post_raw(http, url + "/hooks/acme", started())
    await post_raw(http, url + "/hooks/acme", started())
    await expect(page.locator("#count")).to_have_text("3 captures · paused, 2 new")
    await expect(rows).to_have_count(1)
    await page.get_by_role("button", name="Resume").click()
    await expect(rows).to_have_count(3)
    await expect(page.locator("#count")).to_have_text("3 captures")


async def test_free_text_search_finds_body_text(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    await post_raw(http, url + "/hooks/acme", started(note="the Flamingo case"))
    for _ in range(3):
        await post_raw(http, url + "/hooks/acme", started())
    page = await open_page(browser, url)
    rows = page.locator("#captures tbody tr")
    await expect(rows).to_have_count(4)
    await page.get_by_role("searchbox", name="Search").fill("flamingo")
    await expect(rows).to_have_count(1)
    await expect(rows.locator(".num")).to_have_text("1")
    await expect(page.locator("#count")).to_have_text("1 capture")
    assert "q=flamingo" in page.url
    await post_raw(http, url + "/hooks/acme", started(note="another FLAMINGO"))
    await expect(rows).to_have_count(2)


async def test_the_url_hash_holds_capture_filters_and_tab(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    for channel in ("a", "b", "a"):
        await post_raw(http, url + f"/hooks/{channel}", started())
    page = await open_page(browser, url)
    detail = page.locator("#detail")
    await page.evaluate("location.hash = '#capture=2'")  # hashchange, not a fresh load
    await expect(detail.locator("dd").first).to_have_text("#2")
    await page.evaluate("location.hash = '#capture=3'")
    await expect(detail.locator("dd").first).to_have_text("#3")
    await page.evaluate("location.hash = ''")
    await expect(detail).to_be_hidden()

    await page.locator("#f-channel").fill("a")
    await expect(page.locator("#captures tbody tr")).to_have_count(2)
    await page.click("#tab-mock")
    assert re.search(r"#.*channel=a", page.url) and "tab=mock" in page.url
    await page.reload()
    await expect(page.locator("#view-mock")).to_be_visible()
    await expect(page.locator("#f-channel")).to_have_value("a")
    await page.click("#tab-captures")
    await expect(page.locator("#captures tbody tr")).to_have_count(2)
    await page.evaluate("location.hash = '#channel=b&capture=2'")
    await expect(page.locator("#f-channel")).to_have_value("b")
    await expect(page.locator("#captures tbody tr")).to_have_count(1)
    await expect(detail.locator("dd").first).to_have_text("#2")


async def test_the_first_click_after_typing_a_filter_opens_the_row(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    for channel in ("alpha", "beta", "alpha"):
        await post_raw(http, url + f"/hooks/{channel}", started())
    page = await open_page(browser, url)
    rows = page.locator("#captures tbody tr")
    await page.locator("#f-channel").press_sequentially("alpha")
    await expect(rows).to_have_count(2)  # the typed filter applied; the input keeps focus
    await rows.nth(1).click()  # blurring the input fires `change` under this very click
    await expect(page.locator("#detail dd").first).to_have_text("#1")
    await expect(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))


async def _focused_row(page: Page) -> str | None:
    result: str | None = await page.evaluate(
        "document.activeElement.closest('tr.capture-row')?.dataset.id ?? null"
    )
    return result


async def test_the_list_is_one_tab_stop_with_arrow_keys(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    for _ in range(4):
        await post_raw(http, url + "/hooks/acme", started())
    page = await open_page(browser, url)
    await expect(page.locator("#captures tbody tr")).to_have_count(4)
    assert await page.locator('#captures tbody tr[tabindex="0"]').count() == 1
    await page.locator("#clear").focus()
    await page.keyboard.press("Tab")
    assert await _focused_row(page) == "4", "Tab reaches the list once, on its first row"
    await page.keyboard.press("ArrowDown")
    assert await _focused_row(page) == "3"
    await expect(page.locator("#detail dd").first).to_have_text("#3")
    await page.keyboard.press("End")
    assert await _focused_row(page) == "1"
    await page.keyboard.press("ArrowUp")
    assert await _focused_row(page) == "2"
    await expect(page.locator("#detail dd").first).to_have_text("#2")
    await page.keyboard.press("Tab")
    assert await _focused_row(page) is None, "one Tab leaves the list"
    await page.keyboard.press("Shift+Tab")
    assert await _focused_row(page) == "2", "and Shift+Tab comes back to the current row"
    assert await page.locator('#captures tbody tr[tabindex="0"]').count() == 1


async def test_a_click_before_the_filter_applies_still_opens_the_row(
    browser: Browser, receiver: tuple[str, aiohttp.ClientSession]
) -> None:
    url, http = receiver
    for channel in ("alpha", "beta", "alpha"):
        await post_raw(http, url + f"/hooks/{channel}", started())
    page = await open_page(browser, url)
    rows = page.locator("#captures tbody tr")
    await expect(rows).to_have_count(3)
    await page.clock.install()  # the 300 ms typing debounce never fires on its own
    await page.locator("#f-channel").press_sequentially("alpha")
    await page.locator('#captures tbody tr[data-id="2"]').click()  # blur: `change` now
    await expect(page.locator("#detail dd").first).to_have_text("#2")
    await expect(rows).to_have_count(2), "then the filter applies"
