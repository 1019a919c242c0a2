"""``instaview-harness serve`` as a process: the one ready line, a working harness, clean stops."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.support import ACME_KEY, full_inline_body

READY = re.compile(r"^ready api=(http://127\.0\.0\.1:\d+) receiver=(http://127\.0\.0\.1:\d+)$")


async def _serve(*extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "harness",
        "serve",
        "--port",
        "0",
        "--receiver-port",
        "0",
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(proc: asyncio.subprocess.Process, sig: signal.Signals) -> int:
    proc.send_signal(sig)
    try:
        return await asyncio.wait_for(proc.wait(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_serve_prints_one_ready_line_works_and_stops_cleanly(
    tmp_path: Path, sig: signal.Signals
) -> None:
    proc = await _serve("--db", str(tmp_path / "h.sqlite3"))
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode().rstrip("\n")
        found = READY.match(line)
        assert found, line
        api, receiver = found.groups()
        async with aiohttp.ClientSession() as http:
            created = await http.post(
                f"{api}/interviews",
                json=full_inline_body(isTest=True),
                headers={"Authorization": f"Bearer {ACME_KEY}"},
            )
            interview = (await created.json())["data"]
            params = {"event": "analysis.completed", "interviewId": interview["id"]}
            waited = await http.get(f"{receiver}/events/wait", params={**params, "timeout": "10"})
            assert waited.status == 200
            assert (await waited.json())["signature"] == "valid"
    finally:
        code = await _stop(proc, sig)
    assert code == 0
    assert proc.stdout is not None
    assert await proc.stdout.read() == b"", "serve prints exactly one line"


async def test_serve_demo_prints_keys_and_a_curl_after_the_ready_line() -> None:
    proc = await _serve("--db", ":memory:", "--demo")
    try:
        assert proc.stdout is not None
        first = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        assert READY.match(first.rstrip("\n")), first
        banner = b""
        while b"Stop with Ctrl-C." not in banner:
            banner += await asyncio.wait_for(proc.stdout.readline(), 20)
    finally:
        assert await _stop(proc, signal.SIGTERM) == 0
    text = banner.decode()
    assert "sk_test_acme_full_0000000000000000" in text
    assert "sk_test_globex_full_00000000000000" in text
    assert "curl -s -X POST http://127.0.0.1:" in text and '"isTest": true' in text


async def test_serve_refuses_a_busy_port_with_a_clear_error() -> None:
    blocker = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = blocker.sockets[0].getsockname()[1]
    try:
        proc = await _serve("--port", str(port), "--db", ":memory:")
        assert await asyncio.wait_for(proc.wait(), 20) == 2
        assert proc.stderr is not None
        assert b"instaview-harness:" in await proc.stderr.read()
    finally:
        blocker.close()
        await blocker.wait_closed()
