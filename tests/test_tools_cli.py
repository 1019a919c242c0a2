"""One smoke test per QA command, run as a user runs it: ``python -m harness ...`` in a process."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from harness.tools.corpus import WEBHOOK_FIXTURES
from tests.tools_handlers import SECRET, handler_app, received

ROOT = Path(__file__).resolve().parent.parent


async def _run(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "harness",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_validate() -> None:
    code, out, _ = await _run("validate", str(WEBHOOK_FIXTURES / "ping.json"))
    assert (code, out) == (0, "1 payload(s) checked: all valid\n")


async def test_replay(aiohttp_server: Any, tmp_path: Path) -> None:
    server = await aiohttp_server(handler_app())
    url = str(server.make_url("/hook"))
    report = tmp_path / "junit.xml"
    code, out, err = await _run(
        "replay", str(WEBHOOK_FIXTURES), "--to", url, "--secret", SECRET, "--report", str(report)
    )
    assert code == 0, err
    assert err.splitlines()[-1].startswith("replayed ") and report.is_file()
    assert len(received(server).requests) == len(out.splitlines())


async def test_trigger(aiohttp_server: Any) -> None:
    server = await aiohttp_server(handler_app())
    url = str(server.make_url("/hook"))
    code, out, err = await _run(
        "trigger", "analysis.completed", "--to", url, "--secret", SECRET, "--is-test"
    )
    assert code == 0, err
    assert out.startswith("sent analysis.completed deliveryId=")
    assert len(received(server).requests) == 1


async def test_matrix(aiohttp_server: Any) -> None:
    server = await aiohttp_server(handler_app(broken=True))
    url = str(server.make_url("/hook"))
    code, out, _ = await _run("matrix", "--to", url, "--secret", SECRET)
    assert code == 1
    assert "wrongly accepted (forged, got 2xx)" in out
