"""The counting handler of :mod:`tests.load_handler` as a real process (for tests that run
``instaview-harness load`` in-process, with its own event loop, or Locust)."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.request import urlopen

from tests.served import stop

ROOT = Path(__file__).resolve().parent.parent
SECRET = "5e" * 32
START_TIMEOUT_S = 30.0


@contextmanager
def handler_process(secret: str = SECRET) -> Iterator[str]:
    """The handler's base URL (``http://127.0.0.1:PORT``) until the block ends."""
    command = [sys.executable, "-m", "tests.load_handler", "--secret", secret]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            if not selector.select(START_TIMEOUT_S):
                raise AssertionError(f"the handler printed nothing within {START_TIMEOUT_S} s")
        yield str(json.loads(proc.stdout.readline())["ready"])
    finally:
        stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()


def counts(base: str) -> dict[str, Any]:
    with urlopen(f"{base}/counts", timeout=10) as answer:
        found: dict[str, Any] = json.load(answer)
    return found
