"""Runs every benchmark and prints each figure beside its same-run baseline, as a ratio."""

from __future__ import annotations

import asyncio
import json

from benchmarks.load import run_load, target

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


def main() -> None:
    asyncio.run(create_interview_throughput())


if __name__ == "__main__":
    main()
