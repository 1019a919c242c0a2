"""``instaview-harness serve`` as a real process, for tests that point external tools at it."""

from __future__ import annotations

import queue
import re
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

READY = re.compile(r"^ready api=(http://127\.0\.0\.1:\d+) receiver=(http://127\.0\.0\.1:\d+)$")
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Served:
    api: str
    receiver: str


def _ready_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(START_TIMEOUT_S):
            raise AssertionError(f"serve printed no ready line within {START_TIMEOUT_S} s")
    return proc.stdout.readline().rstrip("\n")


@contextmanager
def serve(*extra: str) -> Iterator[Served]:
    """A harness on free loopback ports (in-memory store, fast retries) until the block ends."""
    command = [sys.executable, "-m", "harness", "serve", "--port", "0", "--receiver-port", "0"]
    options = ["--db", ":memory:", "--retry-schedule", "0.01,0.01,0.01", *extra]
    proc = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, text=True)
    try:
        line = _ready_line(proc)
        found = READY.match(line)
        assert found, f"not a ready line: {line!r}"
        yield Served(api=found[1], receiver=found[2])
    finally:
        stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()


def stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM, then SIGKILL after 20 s."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_for_line(
    proc: subprocess.Popen[str], log: Path, pattern: re.Pattern[str]
) -> re.Match[str]:
    """Drain ``proc``'s stdout into ``log`` (a full pipe would block it) on a thread and return
    the first line matching ``pattern``, within :data:`START_TIMEOUT_S`."""
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        assert proc.stdout is not None
        with proc.stdout, log.open("w") as out:  # closed at the end of the output
            for line in proc.stdout:
                out.write(line)
                out.flush()
                lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(
                f"no line matching {pattern.pattern}:\n{log.read_text()}"
            ) from None
        if line is None:
            raise AssertionError(f"exited {proc.wait()} first:\n{log.read_text()}")
        if found := pattern.search(line):
            return found
