"""Long-poll waits: a future per waiting request, resolved by the capture that matches it.

No polling: :meth:`Waiters.notify` runs for every stored capture and resolves the futures whose
query it matches. A wait first looks in the store, then registers, with no ``await`` in between,
so a capture cannot slip through the gap. The same notification wakes each :class:`Watch`
(the inspector's live stream, see :mod:`harness.receiver.stream`).

Every capture costs a look at each pending wait, so they are bounded: at most ``limit`` waits
and watches at once (:class:`TooManyWaits` beyond, a 503), and a wait or watch whose client
leaves ends there (its handler is cancelled, see :data:`harness.serving.CANCEL_ON_DISCONNECT`,
and its ``finally`` unregisters it), instead of sitting out its timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from harness.store.captures import Capture, CaptureQuery, CaptureStore


class ReceiverClosing(Exception):
    """A wait ended because the receiver stops."""


class TooManyWaits(Exception):
    """As many waits and watches as the receiver takes are open already."""


@dataclass
class _Waiter:
    query: CaptureQuery
    future: asyncio.Future[Capture]


class Watch:
    """A live reader's wake-up call: set by every new capture (and at shutdown); the reader
    then reads the store from where it stopped, so nothing is lost and bursts coalesce."""

    def __init__(self) -> None:
        self._woken = asyncio.Event()
        self.closed = False

    def wake(self) -> None:
        self._woken.set()

    async def next(self) -> bool:
        """Waits for the next wake-up; False once the receiver is closing."""
        await self._woken.wait()
        self._woken.clear()
        return not self.closed


class Waiters:
    """The pending waits of one receiver."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._pending: list[_Waiter] = []
        self._watchers: list[asyncio.Future[None]] = []
        self._leaving: list[asyncio.Future[None]] = []
        self._watches: set[Watch] = set()
        self._closed = False
        #: How many times ``DELETE /events`` cleared the store (streams tell their page).
        self.clears = 0

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def open(self) -> int:
        """Waits and watches open now (what :attr:`limit` bounds)."""
        return len(self._pending) + len(self._watches)

    def _claim(self) -> None:
        if self.open >= self.limit:
            raise TooManyWaits(
                f"{self.open} long-polls and streams are open, as many as the receiver takes"
                f" ({self.limit}); close one or retry later"
            )

    def notify(self, capture: Capture) -> None:
        """Resolves every pending wait ``capture`` matches and wakes every watch."""
        for watch in self._watches:
            watch.wake()
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

    def cleared(self) -> None:
        """The store was cleared: counts it and wakes every watch (a stream then tells its
        page, which drops the rows it lists)."""
        self.clears += 1
        for watch in self._watches:
            watch.wake()

    async def wait(self, store: CaptureStore, query: CaptureQuery, seconds: float) -> Capture:
        """The first capture matching ``query`` (already stored, or the next to arrive);
        raises :class:`TimeoutError` after ``seconds``, :class:`TooManyWaits` when full."""
        found = store.first(query)
        if found is not None:
            return found
        if seconds <= 0:  # a look, not a wait: needs no room
            raise TimeoutError
        self._claim()
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
            self._closed_one()

    async def until_pending(self, count: int) -> None:
        """Returns once at least ``count`` waits are pending (tests and tools use it to know
        a wait has started before they send what it waits for)."""
        while len(self._pending) < count:
            watcher: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._watchers.append(watcher)
            await watcher

    @contextlib.contextmanager
    def watch(self) -> Iterator[Watch]:
        """A :class:`Watch` woken by every capture until the ``with`` block ends (raises
        :class:`TooManyWaits` on entering when full)."""
        self._claim()
        watch = Watch()
        if self._closed:
            watch.closed = True
            watch.wake()
        self._watches.add(watch)
        try:
            yield watch
        finally:
            self._watches.discard(watch)
            self._closed_one()

    def _closed_one(self) -> None:
        for leaving in self._leaving:
            if not leaving.done():
                leaving.set_result(None)
        self._leaving.clear()

    async def until_open_at_most(self, count: int) -> None:
        """Returns once at most ``count`` waits and watches are open (tests use it to see an
        abandoned one end)."""
        while self.open > count:
            leaving: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._leaving.append(leaving)
            await leaving

    def close(self) -> None:
        """On shutdown: every pending wait ends with :class:`ReceiverClosing`, every watch
        is woken closed."""
        self._closed = True
        for watch in self._watches:
            watch.closed = True
            watch.wake()
        for waiter in self._pending:
            if not waiter.future.done():
                waiter.future.set_exception(ReceiverClosing("the receiver is shutting down"))
        self._pending.clear()
