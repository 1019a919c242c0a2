"""One measurement each: a target started pinned to the server CPU, probed once, warmed up
with wrk, then measured with wrk on the other CPU (req/s and server CPU-µs per request)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

from benchmarks import wrk
from benchmarks.targets import BENCH_SECRET, Running
from harness.config import FIXTURES_DIR
from harness.delivery.signing import sign
from harness.examples import example_interview_body

ACME_KEY = "sk_test_acme_full_0000000000000000"
#: Seconds of wrk before measuring (Python needs little; WireMock's JIT gets ``JIT_WARM_S``),
#: in a target's first round; ``ROUND_WARM_S`` in each later one (its server kept running).
WARM_S = 2.0
JIT_WARM_S = 10.0
ROUND_WARM_S = 1.0
#: Idle targets count as quiet below this share of a CPU, sampled over ``QUIET_WINDOW_S``;
#: a run waits for that at most ``QUIET_LIMIT_S``.
QUIET_SHARE = 0.02
QUIET_WINDOW_S = 0.5
QUIET_LIMIT_S = 20.0
RUN_S = 5.0
#: Distinct signed deliveries wrk cycles through when it posts captures.
CAPTURE_POOL = 2000
#: The longest a run of ``serve`` may take to deliver what its creates published.
DRAIN_LIMIT_S = 120.0


@dataclass
class Figure:
    """One row of the table."""

    name: str
    label: str
    rps: float
    requests: int
    errors: int
    #: CPU the server (the dispatcher, for its row) used per request, in microseconds.
    cpu_us: float
    notes: list[str] = field(default_factory=list)
    #: req/s of each round, when the row was measured in rounds (:mod:`benchmarks.rounds`).
    rounds: list[float] = field(default_factory=list)


def create_request() -> wrk.Request:
    """``POST /interviews``, isTest, everything inline (the issue's request)."""
    body = json.dumps(example_interview_body(metadata={"externalInterviewId": "INT-789"}))
    headers = {"Authorization": f"Bearer {ACME_KEY}", "Content-Type": "application/json"}
    return wrk.Request("POST", "/interviews", headers, body.encode())


def capture_requests(count: int = CAPTURE_POOL, path: str = "/hooks/bench") -> list[wrk.Request]:
    """Signed ``analysis.completed`` deliveries from the fixture corpus, each with its own
    ``deliveryId`` and ``webhook-id``, signed now with ``BENCH_SECRET``."""
    fixture = json.loads((FIXTURES_DIR / "webhooks" / "analysis.completed.json").read_text())
    now = int(time.time())
    out = []
    for _ in range(count):
        delivery = str(uuid4())
        body = json.dumps({**fixture, "deliveryId": delivery}, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            **sign("standard", BENCH_SECRET, delivery, now, body),
        }
        out.append(wrk.Request("POST", path, headers, body))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (and its waited-for children) has used (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = sum(int(n) for n in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def probe(base: str, request: wrk.Request, expect: int) -> bytes:
    """Sends one request; the target must answer ``expect`` (else the figure would be wrong)."""
    sent = urllib.request.Request(
        base + request.path, request.body, dict(request.headers), method=request.method
    )
    try:
        with urllib.request.urlopen(sent, timeout=30) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        with error:
            status, raw = error.code, error.read()
    if status != expect:
        raise RuntimeError(
            f"{request.method} {base}{request.path}: {status}, not {expect}: {raw[:300]!r}"
        )
    return raw


def warm_up(round_index: int, jit: bool = False) -> float:
    """Seconds of wrk before a target's run in round ``round_index`` (0 first): ``WARM_S``, or
    ``JIT_WARM_S`` for a JIT's target, in the first; ``ROUND_WARM_S`` in each later one."""
    if round_index:
        return ROUND_WARM_S
    return JIT_WARM_S if jit else WARM_S


def quiet(pids: Sequence[int], limit_s: float = QUIET_LIMIT_S) -> float:
    """Waits until the processes ``pids`` (the other targets, idle on the same CPU) together use
    under ``QUIET_SHARE`` of a CPU over ``QUIET_WINDOW_S`` (a JVM still compiling, a server
    still starting), at most ``limit_s``; returns the last share seen."""
    deadline = time.monotonic() + limit_s
    while True:
        before = sum(cpu_seconds(pid) for pid in pids)
        time.sleep(QUIET_WINDOW_S)  # a sampling window: there is no event to wait for
        share = (sum(cpu_seconds(pid) for pid in pids) - before) / QUIET_WINDOW_S
        if share < QUIET_SHARE or time.monotonic() >= deadline:
            return share


def load(
    name: str,
    label: str,
    target: Running,
    requests: Sequence[wrk.Request],
    expect: int,
    folder: Path,
    warm_s: float = WARM_S,
    others: Sequence[int] = (),
) -> Figure:
    """Probe, warm up, measure; the server's CPU is read around the measured run. ``others``:
    the pids of targets idle meanwhile on the same CPU; the run waits until they are quiet,
    and a note says how much CPU they took during it if that was more than ``QUIET_SHARE``."""
    file = wrk.requests_file(requests, folder / f"{name}.requests")
    probe(target.url, requests[0], expect)
    quiet(others)
    wrk.run(target.url, file, warm_s)
    cpu = cpu_seconds(target.pid)
    taken = sum(cpu_seconds(pid) for pid in others)
    result = wrk.run(target.url, file, RUN_S)
    used = cpu_seconds(target.pid) - cpu
    taken = sum(cpu_seconds(pid) for pid in others) - taken
    figure = Figure(
        name, label, result.rps, result.requests, result.errors,
        used / max(result.requests, 1) * 1e6,
    )  # fmt: skip
    if taken > QUIET_SHARE * result.seconds:
        figure.notes.append(
            f"the idle targets took {taken / result.seconds:.0%} of a CPU during a run"
        )
    return figure


def _get_json(url: str, timeout: float = 30) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


def drained(target: Running, captures: int) -> None:
    """Returns once the receiver holds ``captures`` captures and the dispatcher has nothing
    pending (long-polls the receiver for the last one; bounded by ``DRAIN_LIMIT_S``)."""
    deadline = time.monotonic() + DRAIN_LIMIT_S
    receiver, api = target.urls["receiver"], target.urls["api"]
    while time.monotonic() < deadline:
        try:
            _get_json(f"{receiver}/events/wait?after={captures - 1}&timeout=10", timeout=20)
        except urllib.error.HTTPError as error:
            with error:
                if error.code != 408:  # not there yet: wait again
                    raise
            continue
        pending = _get_json(f"{api}/_harness/deliveries?outcome=failed")["data"]
        if isinstance(pending, dict) and pending["pending"] == 0:
            return
    raise RuntimeError(f"serve had not delivered {captures} captures in {DRAIN_LIMIT_S:g} s")


def verdicts(receiver: str) -> tuple[int, int]:
    """(captures, of which signed validly and without a schema error), every check settled."""
    items: list[dict[str, object]] = []
    page = _get_json(f"{receiver}/events?limit=1000", timeout=120)
    while True:  # every page: the receiver answers at most 1,000 at once, with a cursor
        found = page["items"]
        assert isinstance(found, list)
        items.extend(found)
        if not page.get("next"):
            break
        page = _get_json(f"{receiver}/events?limit=1000&cursor={page['next']}", timeout=120)
    good = sum(1 for c in items if c["signature"] == "valid" and c["schemaErrors"] == [])
    return len(items), good


def captures(receiver: str) -> int:
    count = _get_json(f"{receiver}/health")["captures"]
    assert isinstance(count, int)
    return count


def end_to_end(name: str, label: str, target: Running, folder: Path) -> Figure:
    """``serve``: creates under wrk, timed until both deliveries of every create are captured
    and checked by the receiver; the rate counts that drain time too."""
    request = create_request()
    file = wrk.requests_file([request], folder / f"{name}.requests")
    probe(target.url, request, 201)
    wrk.run(target.url, file, WARM_S)
    receiver = target.urls["receiver"]
    drained(target, 1)
    before = captures(receiver)
    cpu = cpu_seconds(target.pid)
    started = time.perf_counter()
    result = wrk.run(target.url, file, RUN_S)
    expected = before + 2 * result.requests
    drained(target, expected)
    seconds = time.perf_counter() - started
    used = cpu_seconds(target.pid) - cpu
    total, good = verdicts(receiver)
    created = (captures(receiver) - before) / 2
    figure = Figure(
        name, label, created / seconds, int(created), result.errors + (total - good),
        used / max(created, 1) * 1e6,
    )  # fmt: skip
    figure.notes.append(
        f"{int(created)} creates, {total} captures ({good} valid and schema-clean),"
        f" {seconds:.1f} s including the drain after wrk's {result.seconds:.1f} s"
    )
    return figure


def dispatcher(sink: Running, count: int) -> Figure:
    """The dispatcher, run pinned to the load CPU, delivering ``count`` events into ``sink``."""
    command = [*wrk.pinned(wrk.LOAD_CPU), sys.executable, "-m", "benchmarks.dispatch"]
    done = subprocess.run(
        [*command, f"{sink.url}/hooks/dispatch", str(count)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    delivered = int(result["delivered"])
    figure = Figure(
        "dispatcher", "dispatcher -> the bare 204 sink", delivered / result["seconds"], delivered,
        int(result["failed"]), result["cpu_s"] / max(delivered, 1) * 1e6,
    )  # fmt: skip
    figure.notes.append(f"{delivered} of {count} events delivered in {result['seconds']:.1f} s")
    return figure
