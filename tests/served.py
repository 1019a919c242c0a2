"""``instaview-harness serve`` as a real process, for tests that point external tools at it."""

from __future__ import annotations

import re
import selectors
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

READY = re.compile(r"^ready api=(http://127\.0\.0\.1:\d+) receiver=(http://127\.0\.0\.1:\d+)$")
START_TIMEOUT_S = 30.0


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
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
