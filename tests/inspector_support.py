"""Helpers for the inspector's browser tests: a page on a receiver, raw posts, axe-core."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
from playwright.async_api import Browser, Page, expect

AXE = Path(__file__).parent.parent / "tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"


async def open_page(
    browser: Browser,
    url: str,
    *,
    width: int = 1400,
    height: int = 860,
    path: str = "/",
    **context_options: Any,
) -> Page:
    """A new context's page on the inspector, live; ``bypass_csp=True`` lets a test inject
    axe-core, ``permissions=["clipboard-read", "clipboard-write"]`` read what it copied."""
    context = await browser.new_context(
        viewport={"width": width, "height": height}, **context_options
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url + path)
    await expect(page.locator("#conn")).to_have_text("live")
    assert errors == []
    return page


async def post_raw(
    http: aiohttp.ClientSession,
    url: str,
    body: Any,
    headers: dict[str, str] | None = None,
    status: int = 204,
) -> int:
    """POSTs ``body`` (bytes as they are, anything else as JSON); answers the capture id."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    async with http.post(url, data=data, headers=sent) as r:
        assert r.status == status
        return int(r.headers["X-Harness-Capture-Id"])


async def post_many(http: aiohttp.ClientSession, url: str, bodies: list[Any]) -> None:
    """Posts every body, 8 at a time (bounded, in order of ids roughly)."""
    gate = asyncio.Semaphore(8)

    async def one(body: Any) -> None:
        async with gate:
            await post_raw(http, url, body)

    await asyncio.gather(*(one(b) for b in bodies))


async def serious_axe_findings(page: Page) -> list[dict[str, Any]]:
    """axe-core (pinned in tools/node) run on the page: its serious and critical findings."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make node-tools`")
    await page.add_script_tag(content=await asyncio.to_thread(AXE.read_text))
    result = await page.evaluate(
        """async () => {
          const r = await axe.run(document);
          return {violations: r.violations, ran: [...r.passes, ...r.violations].map((x) => x.id)};
        }"""
    )
    assert "color-contrast" in result["ran"], "axe checked contrast"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
