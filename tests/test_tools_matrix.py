"""The signature matrix catches a handler that accepts everything and passes a correct one."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from harness.cli import main
from harness.errors import ConfigError
from harness.tools.matrix import run_matrix, run_matrix_async
from tests.tools_handlers import SECRET, handler_app, received

FORGED_STANDARD = {
    "expired-timestamp",
    "future-timestamp",
    "tampered-body",
    "wrong-secret",
    "missing-signature",
    "unknown-version",
}


async def _url(aiohttp_server: Any, **options: Any) -> tuple[TestServer, str]:
    server = await aiohttp_server(handler_app(**options))
    return server, str(server.make_url("/hook"))


async def test_a_verifying_handler_passes_the_standard_matrix(aiohttp_server: Any) -> None:
    server, url = await _url(aiohttp_server)
    report = await run_matrix_async(url, SECRET, "standard")
    assert report.ok, report.render()
    names = [r.name for r in report.results]
    assert set(names) == FORGED_STANDARD | {"genuine", "rotation"}
    accepted = {r.name for r in report.results if r.accepted}
    assert accepted == {"genuine", "rotation"}
    ids = [headers["webhook-id"] for headers, _, _ in received(server).requests]
    assert len(set(ids)) == len(ids) == len(names)
    assert "all 8 cases answered as expected" in report.render()


async def test_a_handler_that_accepts_everything_is_caught(aiohttp_server: Any) -> None:
    _, url = await _url(aiohttp_server, broken=True)
    report = await run_matrix_async(url, SECRET, "standard")
    assert not report.ok
    assert {r.name for r in report.wrongly_accepted} == FORGED_STANDARD
    assert report.wrongly_rejected == []
    text = report.render()
    assert "wrongly accepted (forged, got 2xx): expired-timestamp" in text
    assert "WRONG" in text


async def test_a_handler_that_rejects_genuine_deliveries_is_reported(aiohttp_server: Any) -> None:
    _, url = await _url(aiohttp_server, secret="cd" * 32)
    report = await run_matrix_async(url, SECRET, "standard")
    assert {r.name for r in report.wrongly_rejected} == {"genuine", "rotation"}
    assert report.wrongly_accepted == []
    assert "wrongly rejected (genuine, not 2xx): genuine, rotation" in report.render()


async def test_hex_scheme_matrix(aiohttp_server: Any) -> None:
    _, url = await _url(aiohttp_server, scheme="hex")
    report = await run_matrix_async(url, SECRET, "hex")
    assert report.ok, report.render()
    assert {r.name for r in report.results} == FORGED_STANDARD | {"genuine"}
    _, broken = await _url(aiohttp_server, scheme="hex", broken=True)
    assert {r.name for r in (await run_matrix_async(broken, SECRET, "hex")).wrongly_accepted} == (
        FORGED_STANDARD
    )


async def test_matrix_refuses_scheme_none_and_remote_targets() -> None:
    with pytest.raises(ConfigError, match="standard or hex"):
        await run_matrix_async("http://127.0.0.1:9/hook", SECRET, "none")
    with pytest.raises(ConfigError, match="not loopback"):
        await run_matrix_async("http://example.com/hook", SECRET)
    with pytest.raises(ConfigError, match="--secret is required"):
        await run_matrix_async("http://127.0.0.1:9/hook", "")


async def test_unreachable_handler_rejects_the_genuine_cases() -> None:
    report = await run_matrix_async("http://127.0.0.1:9/hook", SECRET, timeout_s=2)
    assert {r.name for r in report.wrongly_rejected} == {"genuine", "rotation"}
    assert "no answer" not in report.render()  # the error is shown instead
    assert all(r.status is None and r.error for r in report.results)


async def test_blocking_twin(aiohttp_server: Any) -> None:
    _, url = await _url(aiohttp_server)
    with pytest.raises(RuntimeError, match="run_matrix_async"):
        run_matrix(url, SECRET)
    report = await asyncio.to_thread(run_matrix, url, SECRET)
    assert report.ok


async def test_cli_exit_codes(aiohttp_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, good = await _url(aiohttp_server, scheme="hex")
    _, bad = await _url(aiohttp_server, broken=True)
    assert await asyncio.to_thread(main, ["matrix", "--to", good, "--secret", SECRET,
                                          "--scheme", "hex"]) == 0  # fmt: skip
    assert "all 7 cases answered as expected" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["matrix", "--to", bad, "--secret", SECRET,
                                          "--scheme", "both"]) == 1  # fmt: skip
    out = capsys.readouterr().out
    assert "signature matrix (standard)" in out and "signature matrix (hex)" in out
    assert main(["matrix", "--to", good]) == 2
    assert "--secret is required" in capsys.readouterr().err
