"""Runs every benchmark and prints each figure beside its same-run baseline, as a ratio."""

from __future__ import annotations

import asyncio
import json
import time

from benchmarks.latency import measure
from benchmarks.load import LoadResult, run_load, target
from benchmarks.targets import BENCH_SECRET
from harness.config import FIXTURES_DIR
from harness.delivery.signing import sign
from harness.examples import example_interview_body

ACME_KEY = "sk_test_acme_full_0000000000000000"
INLINE_BODY = example_interview_body(metadata={"externalInterviewId": "INT-789"})


ROUNDS = 3


async def compare(
    title: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    expect: int,
    pair: tuple[tuple[str, str], tuple[str, str]],
    target_ratio: float,
) -> None:
    """Runs baseline and subject alternately ``ROUNDS`` times, keeps each one's best round
    (this machine is shared: best-of-N is the figure least disturbed by neighbours)."""
    best: dict[str, LoadResult] = {}
    for _ in range(ROUNDS):
        for name, _label in pair:
            with target(name) as server:
                result = await run_load(
                    server.url + path, body, headers, expect=expect, server_pid=server.pid
                )
            if name not in best or result.rps > best[name].rps:
                best[name] = result
    print(f"{title}; 16 clients in another process, best of {ROUNDS} x 3 s")
    for name, label in pair:
        r = best[name]
        print(
            f"  {label:34} {r.rps:8.0f} req/s  {r.cpu_us:6.1f} server CPU-us/req"
            f"  ({r.errors} errors)"
        )
    base, subject = best[pair[0][0]], best[pair[1][0]]
    print(f"  ratio, req/s: {subject.rps / base.rps:.2f}  (target >= {target_ratio})")
    print(
        f"  ratio, server CPU per request: {base.cpu_us / subject.cpu_us:.2f}"
        "  (stricter: the baseline server idles while the client is the bottleneck)"
    )


async def create_interview_throughput() -> None:
    await compare(
        "POST /interviews (isTest, fully inline)",
        "/interviews",
        json.dumps(INLINE_BODY).encode(),
        {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"},
        201,
        (("bare", "bare aiohttp handler (fixed 201)"), ("mock", "mock API, validation+state")),
        0.35,
    )


async def event_latency() -> None:
    result = await measure(INLINE_BODY, ACME_KEY)
    count = len(result.samples_ms)
    print(f"POST /interviews (isTest) → both events stored in the receiver ({count} in sequence)")
    print(f"  p50 {result.p50:6.2f} ms   (target <= 10 ms)")
    print(f"  p99 {result.p99:6.2f} ms   (target <= 50 ms)")


async def receiver_throughput() -> None:
    fixture = json.loads((FIXTURES_DIR / "webhooks" / "analysis.completed.json").read_text())
    body = json.dumps(fixture, separators=(",", ":")).encode()
    headers = sign("standard", BENCH_SECRET, fixture["deliveryId"], int(time.time()), body)
    headers["Content-Type"] = "application/json"
    await compare(
        f"Receiver captures, signed analysis.completed ({len(body)} B), SQLite on disk",
        "/hooks/bench",
        body,
        headers,
        204,
        (
            ("bare-hooks", "bare aiohttp handler (204)"),
            ("receiver", "receiver, verify+store+check"),
        ),
        0.3,
    )


def main() -> None:
    asyncio.run(create_interview_throughput())
    print()
    asyncio.run(event_latency())
    print()
    asyncio.run(receiver_throughput())


if __name__ == "__main__":
    main()
