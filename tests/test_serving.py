"""What aiohttp's HTTP parser refuses, and requests whose headers never finish, are answered in
each server's own error shape by the harness's runner (``serve``, ``listen``, the plugin)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harness.config import HarnessConfig
from harness.runtime import Running, running
from tests.raw_http import Answer, exchange, request

TIMEOUT_S = 0.3


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Running]:
    config = HarnessConfig(db_path=str(tmp_path / "h.sqlite3"), read_timeout_s=TIMEOUT_S)
    async with running(config) as run:
        yield run


def _address(run: Running, server: str) -> tuple[str, int]:
    url = run.api_url if server == "api" else run.receiver_url
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _code(server: str, answer: Answer) -> str:
    body: Any = answer.json()
    return str(body["error"]["code"] if server == "api" else body["error"])


MALFORMED = {
    "long-request-line": b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "long-header": request("GET", "/", None, [("X-Big", "b" * 9000)]),
    "too-many-headers": request("GET", "/", None, [(f"X-{i}", "1") for i in range(200)]),
    "bad-chunk-size": request(
        "POST", "/hooks/c", b"zz\r\n", [("Transfer-Encoding", "chunked")], length=False
    ),
    "length-and-chunked": request(
        "POST", "/hooks/c", b"0\r\n\r\n", [("Transfer-Encoding", "chunked")]
    ),
    "two-lengths": request("POST", "/hooks/c", b"{}", [("Content-Length", "2")] * 2),
    "nul-in-target": b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "space-in-header-name": b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
    "not-http": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,
    "bad-version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("server", ["api", "receiver"])
@pytest.mark.parametrize("name", sorted(MALFORMED))
async def test_a_request_the_parser_refuses_is_a_400_in_the_servers_error_shape(
    served: Running, server: str, name: str
) -> None:
    answer = await exchange(*_address(served, server), MALFORMED[name])
    assert answer.status == 400, answer.body
    assert answer.headers["content-type"].startswith("application/json")
    assert _code(server, answer) in ("BAD_REQUEST", "bad_request")
    assert len(answer.body) < 2000  # aiohttp's echo of the bytes is cut short


@pytest.mark.parametrize("server", ["api", "receiver"])
async def test_headers_that_stop_arriving_are_a_408_after_the_read_timeout(
    served: Running, server: str
) -> None:
    partial = b"POST /hooks/c HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"
    answer = await exchange(*_address(served, server), partial)
    assert answer.status == 408
    assert _code(server, answer) in ("REQUEST_TIMEOUT", "request_timeout")


async def test_an_idle_keep_alive_connection_is_not_answered_408(served: Running) -> None:
    host, port = _address(served, "receiver")
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        with pytest.raises(TimeoutError):  # nothing arrives: no stray 408 on the idle line
            await asyncio.wait_for(reader.read(1), TIMEOUT_S * 3)
        writer.write(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
    finally:
        writer.close()


async def test_a_body_read_by_a_handler_does_not_start_the_header_timer(served: Running) -> None:
    host, port = _address(served, "receiver")
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = b"POST /hooks/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\n"
        writer.write(head + b"{}")
        await writer.drain()
        writer.write(b"  ")  # the rest of the body, separately: body bytes, not a new head
        answer = await reader.readuntil(b"\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 204")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.read(1), TIMEOUT_S * 3)
    finally:
        writer.close()


async def test_an_app_without_an_error_shape_keeps_aiohttps_answer() -> None:
    from aiohttp import web

    from harness.serving import HarnessRunner

    runner = HarnessRunner(web.Application(), header_timeout_s=TIMEOUT_S)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        answer = await exchange(host, port, MALFORMED["bad-chunk-size"])
        assert answer.status == 400
        assert answer.headers["content-type"].startswith("text/plain")
    finally:
        await runner.cleanup()
