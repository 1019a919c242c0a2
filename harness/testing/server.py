"""The harness in a background thread with its own event loop, for test suites.

One :class:`BackgroundHarness` runs the mock API and the receiver (``harness.runtime.running``)
on a loop that lives in a daemon-less thread. Work is handed to that loop with :meth:`submit`,
which gives a :class:`concurrent.futures.Future`: sync code blocks on its ``result()``, async code
awaits ``asyncio.wrap_future`` of it, so async and sync tests share one server. The loop also
owns the one :class:`aiohttp.ClientSession` the test helpers use (see
:mod:`harness.testing.client`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from harness.config import HarnessConfig
from harness.runtime import Running, running
from harness.testing.client import HarnessClient

T = TypeVar("T")

#: How long starting or stopping the servers may take before the fixture gives up.
START_TIMEOUT_S = 30.0


class BackgroundHarness:
    """Start with :meth:`start`, stop with :meth:`stop` (also a context manager)."""

    def __init__(self, config: HarnessConfig) -> None:
        self.config = config
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run_loop, name="instaview-harness", daemon=False
        )
        self._stack = contextlib.AsyncExitStack()
        self._running: Running | None = None
        self._client: HarnessClient | None = None

    @property
    def client(self) -> HarnessClient:
        if self._client is None:
            raise RuntimeError("the harness is not started")
        return self._client

    @property
    def run(self) -> Running:
        if self._running is None:
            raise RuntimeError("the harness is not started")
        return self._running

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedules ``coro`` on the harness's loop."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Runs ``coro`` on the harness's loop and blocks for its result."""
        return self.submit(coro).result(timeout)

    async def _open(self) -> HarnessClient:
        self._running = await self._stack.enter_async_context(running(self.config))
        client = HarnessClient(self._running)
        await self._stack.enter_async_context(client)
        return client

    def start(self) -> BackgroundHarness:
        self._thread.start()
        try:
            self._client = self.call(self._open(), START_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stops the servers, the loop and the thread; closes the loop."""
        if self._loop.is_closed():
            return
        if self._thread.is_alive():
            try:
                self.call(self._stack.aclose(), START_TIMEOUT_S)
                self.call(self._loop.shutdown_asyncgens(), START_TIMEOUT_S)
                self.call(self._loop.shutdown_default_executor(), START_TIMEOUT_S)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(START_TIMEOUT_S)
        self._client = None
        self._running = None
        self._loop.close()

    def __enter__(self) -> BackgroundHarness:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
