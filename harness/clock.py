"""An injectable clock: real time in production, a virtual one where tests need control."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # a coroutine runs only once asyncio is loaded: the CLI's tools start without
    import asyncio


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    """Wall-clock time and ``asyncio.sleep``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)


class VirtualClock:
    """Time that moves only when told to; ``sleep`` waits until ``advance`` passes its deadline."""

    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._elapsed = 0.0
        self._waiters: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return self._elapsed

    async def sleep(self, seconds: float) -> None:
        import asyncio

        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._elapsed + seconds, fut))
        await fut

    @property
    def pending(self) -> int:
        """How many sleepers are waiting for time to move."""
        return sum(1 for _, f in self._waiters if not f.done())

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds
        keep: list[tuple[float, asyncio.Future[None]]] = []
        for deadline, fut in self._waiters:
            if deadline <= self._elapsed:
                if not fut.done():
                    fut.set_result(None)
            else:
                keep.append((deadline, fut))
        self._waiters = keep


@functools.lru_cache(maxsize=256)
def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a ``Z`` and millisecond precision, as responses carry it.

    Cached: one request renders the same instant several times."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
