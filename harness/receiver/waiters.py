"""Long-poll waits: a future per waiting request, resolved by the capture that matches it.

No polling: :meth:`Waiters.notify` runs for every stored capture and resolves the futures whose
query it matches. A wait first looks in the store, then registers, with no ``await`` in between,
so a capture cannot slip through the gap.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from harness.store.captures import Capture, CaptureQuery, CaptureStore


class ReceiverClosing(Exception):
    """A wait ended because the receiver stops."""


@dataclass
class _Waiter:
    query: CaptureQuery
    future: asyncio.Future[Capture]


class Waiters:
    """The pending waits of one receiver."""

    def __init__(self) -> None:
        self._pending: list[_Waiter] = []
        self._watchers: list[asyncio.Future[None]] = []

    def __len__(self) -> int:
        return len(self._pending)

    def notify(self, capture: Capture) -> None:
        """Resolves every pending wait ``capture`` matches."""
        if not self._pending:
            return
        keep = []
        for waiter in self._pending:
            if waiter.future.done():
                continue
            if waiter.query.matches(capture):
                waiter.future.set_result(capture)
            else:
                keep.append(waiter)
        self._pending = keep

    async def wait(self, store: CaptureStore, query: CaptureQuery, seconds: float) -> Capture:
        """The first capture matching ``query`` (already stored, or the next to arrive);
        raises :class:`TimeoutError` after ``seconds``."""
        found = store.first(query)
        if found is not None:
            return found
        future: asyncio.Future[Capture] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(query, future)
        self._pending.append(waiter)
        for watcher in self._watchers:
            if not watcher.done():
                watcher.set_result(None)
        self._watchers.clear()
        try:
            async with asyncio.timeout(seconds):
                return await future
        finally:
            if waiter in self._pending:
                self._pending.remove(waiter)

    async def until_pending(self, count: int) -> None:
        """Returns once at least ``count`` waits are pending (tests and tools use it to know
        a wait has started before they send what it waits for)."""
        while len(self._pending) < count:
            watcher: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._watchers.append(watcher)
            await watcher

    def close(self) -> None:
        """On shutdown: every pending wait ends with :class:`ReceiverClosing`."""
        for waiter in self._pending:
            if not waiter.future.done():
                waiter.future.set_exception(ReceiverClosing("the receiver is shutting down"))
        self._pending.clear()
