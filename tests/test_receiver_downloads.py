"""A capture's bytes as inert downloads: ``GET /events/{id}/raw`` and ``/fixture``
(:mod:`harness.receiver.downloads`)."""

from __future__ import annotations

import contextlib
import json

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Error as PlaywrightError

from harness.config import HarnessConfig
from harness.receiver.listen import listening
from tests.browser_support import browser_test, chromium
from tests.receiver_support import MakeReceiver, fixture_body, post

HOSTILE_PAGE = (
    b"<!doctype html><title>captured</title><script>"
    b'fetch("/channels/pwned/script", {method: "PUT", body: "{\\"status\\": 500}"});'
    b"document.title = 'pwned';</script>"
)
INERT = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def assert_inert(headers: dict[str, str] | object, name: str) -> None:
    assert isinstance(headers, dict)
    for header, value in INERT.items():
        assert headers.get(header) == value, header
    assert headers["Content-Disposition"] == f'attachment; filename="{name}"'


async def _download(client: TestClient, path: str) -> tuple[int, dict[str, str], bytes]:
    async with client.get(path) as r:
        return r.status, dict(r.headers), await r.read()


@pytest.mark.parametrize(
    ("sent", "served"),
    [
        ("text/html", "text/html"),
        ("text/html; charset=utf-8", "text/html; charset=utf-8"),
        ("application/xhtml+xml", "application/xhtml+xml"),
        ("image/svg+xml", "image/svg+xml"),
        ("text/javascript", "text/javascript"),
        ("application/json", "application/json"),
        ("multipart/form-data; boundary=x", "multipart/form-data; boundary=x"),
        (None, "application/octet-stream"),
        ("html", "application/octet-stream"),
        ("text/html, text/plain", "application/octet-stream"),
    ],
)
async def test_raw_is_the_exact_bytes_as_an_inert_download(
    make_receiver: MakeReceiver, sent: str | None, served: str
) -> None:
    client = await make_receiver()
    status, _ = await post(client, HOSTILE_PAGE, "acme", {"Content-Type": sent} if sent else {})
    assert status == 204
    status, headers, body = await _download(client, "/events/1/raw")
    assert status == 200
    assert body == HOSTILE_PAGE
    assert headers["Content-Type"] == served
    assert_inert(headers, "capture-1.raw")
    status, headers, _ = await _download(client, "/events/1/fixture")
    assert_inert(headers, "capture-1.bin")
    assert headers["Content-Type"] == "application/octet-stream"


async def test_a_json_capture_downloads_as_json(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body("analysis.completed"), "acme", {"Content-Type": "text/html"})
    _, headers, _ = await _download(client, "/events/1/raw")
    assert headers["Content-Type"] == "text/html"
    assert_inert(headers, "analysis.completed-1.raw")
    _, headers, _ = await _download(client, "/events/1/fixture")
    assert headers["Content-Type"] == "application/json"
    assert_inert(headers, "analysis.completed-1.json")
    assert (await _download(client, "/events/2/raw"))[0] == 404


async def test_fixture_download_is_the_pretty_printed_body(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    body = fixture_body("analysis.completed")
    await post(client, body, "acme")
    async with client.get("/events/1/fixture") as r:
        assert r.status == 200
        assert r.content_type == "application/json"
        disposition = r.headers["Content-Disposition"]
        text = await r.text()
    assert disposition == 'attachment; filename="analysis.completed-1.json"'
    assert json.loads(text) == json.loads(body)
    assert text.startswith('{\n  "') and text.endswith("}\n")


async def test_fixture_of_odd_captures(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, b"\x00\xffbinary", "acme")
    await post(client, json.dumps({"event": '../../"evil"\r\n.sh'}).encode(), "acme")
    async with client.get("/events/1/fixture") as r:
        assert r.headers["Content-Disposition"] == 'attachment; filename="capture-1.bin"'
        assert await r.read() == b"\x00\xffbinary"
    async with client.get("/events/2/fixture") as r:
        assert r.headers["Content-Disposition"] == 'attachment; filename="evil_.sh-2.json"'
    async with client.get("/events/3/fixture") as r:
        assert r.status == 404


@browser_test
async def test_a_captured_html_page_never_runs_in_the_browser() -> None:
    config = HarnessConfig(receiver_port=0, db_path=":memory:")
    async with listening(config) as url, chromium() as browser, aiohttp.ClientSession() as http:
        headers = {"Content-Type": "text/html"}
        async with http.post(url + "/hooks/acme", data=HOSTILE_PAGE, headers=headers) as r:
            assert r.status == 204
        page = await browser.new_page()
        await page.goto(url + "/")  # the receiver's origin: where the script would do harm
        async with page.expect_download(timeout=15_000) as started:
            with contextlib.suppress(PlaywrightError):  # "download is starting"
                await page.goto(url + "/events/1/raw")
        download = await started.value
        assert download.suggested_filename == "capture-1.raw"
        assert await page.title() != "pwned"
        async with http.get(url + "/channels") as r:
            assert (await r.json())["items"] == [], "the captured script ran"
