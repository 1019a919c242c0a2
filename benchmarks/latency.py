"""Latency from ``POST /interviews`` (isTest) until both its events are stored in the receiver.

Runs ``instaview-harness serve`` as a child process with its capture database on disk. For
each interview a long-poll ``GET /events/wait?event=analysis.completed&after=<last id>`` is
opened first, then the interview is created; the time from sending the POST to the wait's
answer is the latency (the receiver answers a wait only once the capture is stored and
checked, and ``analysis.completed`` is delivered after ``interview.completed``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp


@dataclass
class Latency:
    samples_ms: list[float]

    def quantile(self, q: float) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        return self.quantile(0.99)


@contextlib.contextmanager
def serving() -> Iterator[tuple[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    command = [sys.executable, "-m", "harness", "serve", "--port", "0", "--receiver-port", "0"]
    command += ["--db", str(folder / "harness.sqlite3")]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        if not line or line[0] != "ready":
            raise RuntimeError(f"serve did not start: {line}")
        fields = dict(part.split("=", 1) for part in line[1:])
        yield fields["api"], fields["receiver"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def measure(body: dict[str, object], key: str, count: int = 300, warmup: int = 30) -> Latency:
    samples: list[float] = []
    with serving() as (api, receiver):
        async with aiohttp.ClientSession() as http:
            last = 0
            payload = json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            for n in range(warmup + count):
                params = {"event": "analysis.completed", "after": str(last), "timeout": "10"}
                wait = asyncio.create_task(_get_json(http, f"{receiver}/events/wait", params))
                started = time.perf_counter()
                async with http.post(f"{api}/interviews", data=payload, headers=headers) as r:
                    assert r.status == 201, await r.text()
                capture = await wait
                elapsed = (time.perf_counter() - started) * 1000
                last = int(str(capture["id"]))
                if n >= warmup:
                    samples.append(elapsed)
    return Latency(samples)


async def _get_json(
    http: aiohttp.ClientSession, url: str, params: dict[str, str]
) -> dict[str, object]:
    async with http.get(url, params=params) as r:
        assert r.status == 200, await r.text()
        return await r.json()  # type: ignore[no-any-return]
