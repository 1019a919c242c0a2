"""A plain-text progress bar on stderr: drawn only on a terminal; the summary line always."""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class Progress:
    """``advance()`` after each item; ``finish(summary)`` ends the bar and prints the summary."""

    def __init__(
        self, total: int, stream: TextIO, enabled: bool | None = None, failing: str = "not 2xx"
    ) -> None:
        self.total = total
        self.failing = failing
        self.done = 0
        self.failed = 0
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled

    def advance(self, ok: bool = True) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if self.enabled:
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        return f"[{bar}] {self.done}/{self.total} sent, {self.failed} {self.failing}"

    def finish(self, summary: str) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
        self.stream.write(summary + "\n")
        self.stream.flush()
