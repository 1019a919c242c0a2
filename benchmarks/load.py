"""A closed-loop HTTP load generator in Python (N concurrent clients for a fixed time), kept for
``python -m benchmarks.abandoned``, which needs long-polls held open beside the load; ``make
bench`` uses wrk (:mod:`benchmarks.wrk`)."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import aiohttp


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    #: Server CPU microseconds per request, when the server's pid was given.
    cpu_us: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_load(
    url: str,
    body: bytes,
    headers: dict[str, str],
    expect: int,
    seconds: float = 3.0,
    warmup: float = 0.5,
    concurrency: int = 16,
    server_pid: int | None = None,
) -> LoadResult:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        counted = 0
        errors = 0
        measuring = False
        cpu_used = 0.0
        stop_at = time.perf_counter() + warmup + seconds

        async def worker() -> None:
            nonlocal counted, errors
            while time.perf_counter() < stop_at:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if measuring:
                        counted += 1
                        errors += response.status != expect

        async def clock() -> float:
            nonlocal measuring, cpu_used
            await asyncio.sleep(warmup)
            measuring = True
            started = time.perf_counter()
            cpu_before = cpu_seconds(server_pid) if server_pid else 0.0
            await asyncio.sleep(seconds)
            measuring = False
            cpu_used = (cpu_seconds(server_pid) if server_pid else 0.0) - cpu_before
            return time.perf_counter() - started

        timer = asyncio.create_task(clock())
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = await timer
    return LoadResult(counted, elapsed, errors, cpu_used / max(counted, 1) * 1e6)
