"""The shipped Locust user class, run as users run it: a master and two workers on loopback,
headless, for a few seconds; what the handler counted equals what Locust reported. Locust
(gevent) only ever runs in subprocesses, never in the pytest process."""

from __future__ import annotations

import asyncio
import csv
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from harness.load.command import LOCUSTFILE
from tests.load_handler import COUNTS, counting_app
from tests.load_support import SECRET

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
RUN_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def locust(*args: str, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), *args,
        cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def finish(procs: list[asyncio.subprocess.Process]) -> list[tuple[int, str]]:
    """Each process's exit code and output; any still running after the timeout is killed."""
    try:
        outs = await asyncio.wait_for(
            asyncio.gather(*(p.communicate() for p in procs)), RUN_TIMEOUT_S
        )
    finally:
        for p in procs:
            if p.returncode is None:
                p.kill()
                await p.wait()
    return [(p.returncode or 0, out.decode()) for p, (out, _) in zip(procs, outs, strict=True)]


def aggregated(path: Path) -> dict[str, str]:
    with path.open(newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["Name"] == "Aggregated"]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.slow
@pytest.mark.timeout(RUN_TIMEOUT_S + 30)
async def test_a_master_and_two_workers_send_what_the_handler_counts(
    aiohttp_server: ServerFactory, tmp_path: Path
) -> None:
    sink = await aiohttp_server(counting_app(SECRET))
    port = str(free_port())
    master = await locust(
        "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", port,
        "--headless", "-u", "4", "-r", "4", "--run-time", "5s", "--expect-workers", "2",
        "--stop-timeout", "5", "--host", str(sink.make_url("/hook")),
        "--instaview-secret", SECRET, "--instaview-rate", "10",
        "--csv", str(tmp_path / "run"), "--only-summary",
        cwd=tmp_path,
    )  # fmt: skip
    workers = [
        await locust("--worker", "--master-host", "127.0.0.1", "--master-port", port, cwd=tmp_path)
        for _ in range(2)
    ]
    results = await finish([master, *workers])
    for code, out in results:
        assert code == 0, out
    reported = aggregated(tmp_path / "run_stats.csv")
    counted = sink.app[COUNTS]
    assert int(reported["Request Count"]) == counted.received > 20
    assert int(reported["Failure Count"]) == 0
    assert counted.valid == counted.received == len(counted.ids)
    assert "2 workers connected" in results[0][1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instaview-secret", "nope"], "--instaview-secret must be 64 hex"),
        (["--instaview-secret", SECRET, "--instaview-rate", "0"], "--instaview-rate must be"),
        (["--instaview-secret", SECRET, "--instaview-events", "x.y"], "unknown event"),
    ],
)
async def test_bad_options_stop_locust_before_any_user_starts(
    args: list[str], message: str, tmp_path: Path
) -> None:
    proc = await locust(
        "--headless", "-u", "1", "--run-time", "5s", "--host", "http://127.0.0.1:9/", *args,
        cwd=tmp_path,
    )  # fmt: skip
    [(code, out)] = await finish([proc])
    assert code == 2 and message in out
