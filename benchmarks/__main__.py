"""Runs every benchmark and prints each figure beside its same-run baseline, as a ratio."""

from __future__ import annotations

import asyncio
import json
import time

from benchmarks.latency import measure
from benchmarks.load import run_load, target
from benchmarks.targets import BENCH_SECRET
from harness.config import FIXTURES_DIR
from harness.delivery.signing import sign

ACME_KEY = "sk_test_acme_full_0000000000000000"
INLINE_BODY = {
    "candidate": {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada@example.com",
        "gdprExpiryDate": "2030-01-01",
    },
    "agent": {"name": "Screening call", "focus": "SCREENING"},
    "job": {"title": "Backend Engineer", "description": "Builds the services behind hiring."},
    "metadata": {"externalInterviewId": "INT-789"},
    "isTest": True,
}


async def create_interview_throughput() -> None:
    body = json.dumps(INLINE_BODY).encode()
    headers = {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"}
    results = {}
    for name in ("bare", "mock"):
        with target(name) as server:
            results[name] = await run_load(
                f"{server.url}/interviews", body, headers, expect=201, server_pid=server.pid
            )
    bare, mock = results["bare"], results["mock"]
    print("POST /interviews (isTest, fully inline), 16 concurrent clients, 3 s, separate process")
    for label, r in (
        ("bare aiohttp handler (fixed 201)", bare),
        ("mock API, validation+state", mock),
    ):
        print(
            f"  {label:34} {r.rps:8.0f} req/s  {r.cpu_us:6.1f} server CPU-us/req"
            f"  ({r.errors} errors)"
        )
    print(f"  ratio mock/bare, req/s: {mock.rps / bare.rps:.2f}  (target >= 0.35)")
    print(
        f"  ratio bare/mock, server CPU per request: {bare.cpu_us / mock.cpu_us:.2f}"
        "  (stricter: the bare server idles while the client is the bottleneck)"
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
    results = {}
    for name, expect in (("bare-hooks", 204), ("receiver", 204)):
        with target(name) as server:
            results[name] = await run_load(
                f"{server.url}/hooks/bench", body, headers, expect=expect, server_pid=server.pid
            )
    bare, receiver = results["bare-hooks"], results["receiver"]
    print(
        f"Receiver captures, signed analysis.completed ({len(body)} B), SQLite on disk, 16 clients"
    )
    for label, r in (
        ("bare aiohttp handler (204)", bare),
        ("receiver (verify+store+check)", receiver),
    ):
        print(
            f"  {label:34} {r.rps:8.0f} req/s  {r.cpu_us:6.1f} server CPU-us/req"
            f"  ({r.errors} errors)"
        )
    print(f"  ratio receiver/bare, req/s: {receiver.rps / bare.rps:.2f}  (target >= 0.3)")


def main() -> None:
    asyncio.run(create_interview_throughput())
    print()
    asyncio.run(event_latency())
    print()
    asyncio.run(receiver_throughput())


if __name__ == "__main__":
    main()
