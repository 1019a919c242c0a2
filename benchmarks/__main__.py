"""``make bench`` (``python -m benchmarks``) and ``make bench-peers`` (``--peers``).

Every target runs in one run, each pinned to the server CPU while wrk (1 thread, 32
connections) runs on the other, in rounds that measure each target in turn
(:mod:`benchmarks.rounds`); the table gives each figure's ratio to its same-run baseline and to
the figure issue 12 asks for. See the README's benchmark section.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import subprocess

from benchmarks import peers, wrk
from benchmarks.latency import measure as event_latency
from benchmarks.measure import (
    ACME_KEY,
    JIT_WARM_S,
    ROUND_WARM_S,
    RUN_S,
    WARM_S,
    Figure,
    capture_requests,
    create_request,
    dispatcher,
    end_to_end,
    load,
    quiet,
    verdicts,
    warm_up,
)
from benchmarks.report import Target, table
from benchmarks.rounds import combined
from benchmarks.targets import Running, bare_command, harness_command, scratch, started
from harness.examples import example_interview_body

#: Rounds of every target but ``serve`` end to end (:mod:`benchmarks.rounds`).
ROUNDS = 3
#: Events the dispatcher delivers in its run (bounded in count; its run is bounded in time).
DISPATCH_COUNT = 10_000

#: Each row's label in the table (serve's and the dispatcher's come with their figures).
LABELS = {
    "bare": "bare aiohttp, fixed 201",
    "api": "serve, world's webhooks deleted (API work)",
    "sink": "bare aiohttp 204 sink, wrk into it",
    "receiver": "listen, signed captures",
    "prism": "Prism 5 static mock, request validation",
    "wiremock": "WireMock 3, one static stub",
}

#: (row, baseline row, least ratio) as issue 12 asks.
TARGETS = [
    Target("api", "bare", 0.25),
    Target("api", "wiremock", 1.0),
    Target("serve", "prism", 1.0),
    Target("receiver", "sink", None),
    Target("dispatcher", "sink", 0.3),
]


def run(with_peers: bool, rounds: int = ROUNDS) -> list[Figure]:
    """``serve`` end to end once (its own run: it drains), then every other target in
    ``rounds`` rounds, all of them kept running, each round measuring each target in turn."""
    folder = scratch()
    create = [create_request()]
    signed = capture_requests()
    with started(harness_command("serve", folder)) as serve:
        e2e = end_to_end("serve", "serve end to end (create + 2 deliveries)", serve, folder)
    runs: dict[str, list[Figure]] = {}
    with contextlib.ExitStack() as stack:
        bare = stack.enter_context(started(bare_command("bare")))
        api = stack.enter_context(started(harness_command("api", folder)))
        sink = stack.enter_context(started(bare_command("sink")))
        receiver = stack.enter_context(started(harness_command("receiver", folder)))
        if with_peers:
            document = peers.openapi_document(folder)
            prism = stack.enter_context(
                started(peers.prism_command(document), ready=peers.PRISM_READY)
            )
            wiremock = stack.enter_context(
                started(peers.wiremock_command(), ready=peers.WIREMOCK_READY)
            )
        pids = [bare.pid, api.pid, sink.pid, receiver.pid]
        if with_peers:
            pids += [prism.pid, wiremock.pid]

        def others(target: Running) -> list[int]:
            return [pid for pid in pids if pid != target.pid]

        def measure(name: str, target: Running, warm_s: float) -> Figure:
            requests, expect = (signed, 204) if name in ("sink", "receiver") else (create, 201)
            label = LABELS[name]
            return load(name, label, target, requests, expect, folder, warm_s, others(target))

        for index in range(rounds):
            warm, jit = warm_up(index), warm_up(index, jit=True)
            measured = [measure("bare", bare, warm), measure("api", api, warm)]
            measured.append(measure("sink", sink, warm))
            quiet(others(sink))
            measured.append(dispatcher(sink, DISPATCH_COUNT))
            measured.append(measure("receiver", receiver, warm))
            if with_peers:
                measured += [measure("prism", prism, warm), measure("wiremock", wiremock, jit)]
            for figure in measured:
                runs.setdefault(figure.name, []).append(figure)
        total, good = verdicts(receiver.url)
    rows = {name: combined(found) for name, found in runs.items()}
    rows["receiver"].errors += total - good
    rows["receiver"].notes.append(f"{total} captures, {good} valid and schema-clean")
    order = ["bare", "api", "serve", "sink", "dispatcher", "receiver", "prism", "wiremock"]
    rows["serve"] = e2e
    return [rows[name] for name in order if name in rows]


def header(with_peers: bool, rounds: int = ROUNDS) -> str:
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
        f" WireMock; {ROUND_WARM_S:g} s in later rounds), {RUN_S:g} s measured,"
        f" {rounds} round{'s' * (rounds != 1)} (serve end to end: one);"
        " POST /interviews is isTest, fully inline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--peers", action="store_true", help="also Prism 5 and WireMock 3")
    parser.add_argument("--no-latency", action="store_true", help="skip the latency figure")
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, choices=range(1, 11), metavar="1-10",
        help=f"rounds of each target but serve end to end (default {ROUNDS})",
    )  # fmt: skip
    args = parser.parse_args()
    print(header(args.peers, args.rounds), flush=True)
    figures = run(args.peers, args.rounds)
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
