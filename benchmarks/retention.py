"""RSS of ``serve`` while it takes isTest interviews, under the default retention or none.

``python -m benchmarks.retention [--interviews N] [--unlimited] [--max-seconds S]`` starts
``instaview-harness serve`` (loopback, free ports, a capture database in a temporary folder),
creates ``N`` isTest interviews (default 100,000) from ``--clients`` concurrent clients, and at
each checkpoint waits until every delivery is done (both of each interview's deliveries
captured by the receiver) and prints the server's RSS with the retention counters. Bounded:
at most ``MAX_INTERVIEWS`` interviews and ``--max-seconds`` (default 1200) of wall time; past
that it stops and says so. ``--unlimited`` passes ``--max-interviews 0 --max-deliveries 0
--max-captures 0`` (the harness before retention).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from harness.examples import example_interview_body

ACME_KEY = "sk_test_acme_full_0000000000000000"
#: Concurrent clients by default: few enough that deliveries keep within their timeout on a
#: busy 2-core machine (a run of timeouts opens the webhook's circuit, and then nothing more
#: is delivered, which would flatter the figures).
CLIENTS = 8
MAX_INTERVIEWS = 200_000
CHECKPOINTS = (1_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000)
UNLIMITED = ("--max-interviews", "0", "--max-deliveries", "0", "--max-captures", "0")


@dataclass
class Served:
    api: str
    receiver: str
    pid: int


def rss_mib(pid: int) -> float:
    """The process's resident set size (Linux /proc), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@contextlib.asynccontextmanager
async def served(folder: Path, extra: tuple[str, ...]) -> AsyncIterator[Served]:
    args = ["serve", "--port", "0", "--receiver-port", "0", "--db", str(folder / "h.sqlite3")]
    proc = subprocess.Popen(  # noqa: ASYNC220 - started once, read from a thread below
        [sys.executable, "-m", "harness", *args, *extra], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.to_thread(proc.stdout.readline)
        if not line.startswith("ready "):
            raise RuntimeError(f"serve did not start: {line!r}")
        urls = dict(part.split("=", 1) for part in line.split()[1:])
        yield Served(urls["api"], urls["receiver"], proc.pid)
    finally:
        proc.terminate()
        await asyncio.to_thread(proc.wait, 30)


async def settle(http: aiohttp.ClientSession, run: Served, deadline: float) -> dict[str, Any]:
    """Waits until no delivery is pending; returns the retention counters."""
    while True:
        async with http.get(f"{run.api}/_harness/deliveries?limit=1") as r:
            deliveries = (await r.json())["data"]
        if deliveries["pending"] == 0 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)  # polling a subprocess's queue: no event to await across it
    async with http.get(f"{run.receiver}/health") as r:
        health = await r.json()
    async with http.get(f"{run.api}/_harness/world") as r:
        world = (await r.json())["data"]
    outcomes = {}
    for outcome in ("delivered", "retrying", "failed", "skipped", "error"):
        async with http.get(f"{run.api}/_harness/deliveries?limit=1&outcome={outcome}") as r:
            outcomes[outcome] = (await r.json())["data"]["total"]
    captures = health["retention"]
    return {
        "captured": captures["kept"] + captures["evicted"],
        "kept_outcomes": outcomes,
        "pending": deliveries["pending"],
        "interviews": world["retention"]["interviews"],
        "attempts": world["retention"]["deliveryAttempts"],
        "captures": health["retention"],
    }


async def create(http: aiohttp.ClientSession, url: str, count: int, clients: int) -> int:
    """``count`` isTest interviews from ``clients`` clients; returns how many failed."""
    body = json.dumps(example_interview_body())
    headers = {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"}
    left = count
    failed = 0

    async def client() -> None:
        nonlocal left, failed
        while left > 0:
            left -= 1
            async with http.post(f"{url}/interviews", data=body, headers=headers) as r:
                await r.read()
                failed += r.status != 201

    await asyncio.gather(*(client() for _ in range(clients)))
    return failed


async def measure(total: int, unlimited: bool, max_seconds: float, clients: int) -> None:
    deadline = time.monotonic() + max_seconds
    label = "no limits" if unlimited else "default retention"
    with tempfile.TemporaryDirectory(prefix="harness-retention-") as folder:
        async with (
            served(Path(folder), UNLIMITED if unlimited else ()) as run,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as http,
        ):
            print(f"{label}: start rss={rss_mib(run.pid):.1f} MiB", flush=True)
            done = 0
            started = time.monotonic()
            for checkpoint in (c for c in CHECKPOINTS if c <= total):
                if time.monotonic() > deadline:
                    print(f"{label}: stopped at {done} interviews (time budget)", flush=True)
                    return
                failed = await create(http, run.api, checkpoint - done, clients)
                done = checkpoint
                counters = await settle(http, run, deadline)
                rate = done / (time.monotonic() - started)
                print(
                    f"{label}: interviews={done} rss={rss_mib(run.pid):.1f} MiB "
                    f"failed={failed} rate={rate:.0f}/s {json.dumps(counters)}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.retention")
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--unlimited", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=1200.0)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args()
    total = min(args.interviews, MAX_INTERVIEWS)
    asyncio.run(measure(total, args.unlimited, args.max_seconds, max(1, min(args.clients, 64))))


if __name__ == "__main__":
    main()
