"""``make bench`` (``python -m benchmarks``) and ``make bench-peers`` (``--peers``).

Every target runs in one run, one after the other, each pinned to the server CPU while wrk
(1 thread, 32 connections) runs on the other; the table gives each figure's ratio to its
same-run baseline and to the figure issue 12 asks for. See the README's benchmark section.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import subprocess

from benchmarks import peers, wrk
from benchmarks.latency import measure as event_latency
from benchmarks.measure import (
    ACME_KEY,
    JIT_WARM_S,
    RUN_S,
    WARM_S,
    Figure,
    capture_requests,
    create_request,
    dispatcher,
    end_to_end,
    load,
    verdicts,
)
from benchmarks.report import Target, table
from benchmarks.targets import bare_command, harness_command, scratch, started
from harness.examples import example_interview_body

#: Events the dispatcher delivers in its run (bounded in count; its run is bounded in time).
DISPATCH_COUNT = 10_000

#: (row, baseline row, least ratio) as issue 12 asks.
TARGETS = [
    Target("api", "bare", 0.25),
    Target("api", "wiremock", 1.0),
    Target("serve", "prism", 1.0),
    Target("receiver", "sink", None),
    Target("dispatcher", "sink", 0.3),
]


def run(with_peers: bool) -> list[Figure]:
    folder = scratch()
    create = [create_request()]
    figures: list[Figure] = []
    with started(bare_command("bare")) as bare:
        figures.append(load("bare", "bare aiohttp, fixed 201", bare, create, 201, folder))
    with started(harness_command("api", folder)) as api:
        figures.append(
            load("api", "serve, world's webhooks deleted (API work)", api, create, 201, folder)
        )
    with started(harness_command("serve", folder)) as serve:
        figures.append(
            end_to_end("serve", "serve end to end (create + 2 deliveries)", serve, folder)
        )
    signed = capture_requests()
    with started(bare_command("sink")) as sink:
        figures.append(
            load("sink", "bare aiohttp 204 sink, wrk into it", sink, signed, 204, folder)
        )
        figures.append(dispatcher(sink, DISPATCH_COUNT))
    with started(harness_command("receiver", folder)) as receiver:
        figure = load("receiver", "listen, signed captures", receiver, signed, 204, folder)
        total, good = verdicts(receiver.url)
        figure.errors += total - good
        figure.notes.append(f"{total} captures, {good} valid and schema-clean")
        figures.append(figure)
    if with_peers:
        document = peers.openapi_document(folder)
        with started(peers.prism_command(document), ready=peers.PRISM_READY) as prism:
            figures.append(
                load("prism", "Prism 5 static mock, request validation", prism, create, 201, folder)
            )
        with started(peers.wiremock_command(), ready=peers.WIREMOCK_READY) as wiremock:
            figures.append(
                load(
                    "wiremock",
                    "WireMock 3, one static stub",
                    wiremock,
                    create,
                    201,
                    folder,
                    warm_s=JIT_WARM_S,
                )
            )
    return figures


def header(with_peers: bool) -> str:
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    command = "make bench-peers" if with_peers else "make bench"
    first = (version.stdout or version.stderr).splitlines()[0].split(" [")[0]
    return (
        f"{command}, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC,"
        f" {platform.node()} ({cpu}, {len(os.sched_getaffinity(0))} CPUs)\n"
        f"{first}, 1 thread, {wrk.CONNECTIONS} connections on CPU {wrk.LOAD_CPU};"
        f" servers on CPU {wrk.SERVER_CPU}; {WARM_S:g} s warm-up ({JIT_WARM_S:g} s for"
        f" WireMock), {RUN_S:g} s measured; POST /interviews is isTest, fully inline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--peers", action="store_true", help="also Prism 5 and WireMock 3")
    parser.add_argument("--no-latency", action="store_true", help="skip the latency figure")
    args = parser.parse_args()
    print(header(args.peers), flush=True)
    figures = run(args.peers)
    print(table(figures, TARGETS))
    if not args.no_latency:
        body = example_interview_body(metadata={"externalInterviewId": "INT-789"})
        result = asyncio.run(event_latency(body, ACME_KEY))
        print(
            f"\nPOST /interviews (isTest) -> both events stored in the receiver, one at a time"
            f" ({len(result.samples_ms)}): p50 {result.p50:.2f} ms, p99 {result.p99:.2f} ms"
        )


if __name__ == "__main__":
    main()
