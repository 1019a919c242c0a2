"""Driving wrk: the requests file its Lua script reads, the command line, its output parsed.

wrk runs pinned to the load CPU (``taskset``), one thread, ``CONNECTIONS`` connections; every
server measured runs pinned to the other CPU (:mod:`benchmarks.targets`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("requests.lua")
#: The CPU servers are pinned to, and the one load generators (wrk, the dispatcher) get.
SERVER_CPU = 0
LOAD_CPU = 1
CONNECTIONS = 32


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


def requests_file(requests: Sequence[Request], path: Path) -> Path:
    """Writes the blocks ``benchmarks/requests.lua`` reads (see its header)."""
    parts = []
    for r in requests:
        if b"\n" in r.body:
            raise ValueError("a body sent by wrk must be on one line")
        head = [f"{r.method} {r.path}", *(f"{k}: {v}" for k, v in r.headers.items())]
        parts.append("\n".join(head).encode() + b"\n\n" + r.body + b"\n--\n")
    path.write_bytes(b"".join(parts))
    return path


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    #: Answers outside 2xx/3xx, as wrk counts them.
    non_2xx: int
    #: Socket errors: connect + read + write + timeout.
    socket_errors: int
    rps: float
    latency_avg_ms: float

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(output: str) -> WrkResult:
    """The figures of one wrk run, from its standard output."""
    done = re.search(r"^\s*(\d+) requests in ([\d.]+)(m?s|m|h)", output, re.M)
    rate = re.search(r"^Requests/sec:\s*([\d.]+)", output, re.M)
    if done is None or rate is None:
        raise ValueError(f"not wrk output: {output!r}")
    seconds = float(done.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[done.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    latency = re.search(r"^\s*Latency\s+(\S+)", output, re.M)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=seconds,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        rps=float(rate.group(1)),
        latency_avg_ms=_ms(latency.group(1)) if latency else 0.0,
    )


def command(url: str, requests: Path, seconds: float) -> list[str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    return [
        *pinned(LOAD_CPU),
        wrk,
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        url,
    ]


def pinned(cpu: int) -> list[str]:
    """The prefix that runs a command on one CPU (none on a machine with a single CPU)."""
    taskset = shutil.which("taskset")
    if taskset is None or cpu >= _cpus():
        return []
    return [taskset, "-c", str(cpu)]


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def run(url: str, requests: Path, seconds: float) -> WrkResult:
    """One wrk run against ``url`` (its path is replaced by each request's own)."""
    done = subprocess.run(
        command(url, requests, seconds),
        env={"BENCH_REQUESTS": str(requests), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
