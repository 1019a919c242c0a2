"""Schema checks after the answer: off the capture path, always done before anyone reads.

Validating a webhook body with ``jsonschema`` costs several times what capturing it does
(parse, verify, insert), so a JSON capture is stored with its schema check pending and answered
at once. The checks run:

- when the receiver is quiet (no capture for ``quiet_seconds``), in slices of at most
  ``slice_seconds`` so a new capture never waits long for the loop;
- before any read: ``GET /events``, ``/events/{id}`` and a wait's answer settle what they show
  first, so no one ever sees a capture without its ``schemaErrors``;
- inline, for the oldest pending capture, whenever ``max_pending`` are waiting (backpressure:
  under endless load the receiver degrades to checking as it captures);
- at shutdown (everything left), and at start-up for captures a crash left unchecked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from harness.receiver.capture import Inspector
from harness.store.captures import Capture, CaptureStore


class DeferredChecks:
    """The pending schema checks of one receiver."""

    def __init__(
        self,
        store: CaptureStore,
        inspector: Inspector,
        *,
        quiet_seconds: float = 0.02,
        slice_seconds: float = 0.005,
        max_pending: int = 20_000,
    ) -> None:
        self._store = store
        self._inspector = inspector
        self._quiet = quiet_seconds
        self._slice = slice_seconds
        self._max_pending = max_pending
        #: Ordered set of capture ids whose check is pending (dict keeps insertion order).
        self._pending: dict[int, None] = dict.fromkeys(store.unchecked_ids())
        self._last_arrival = 0.0
        self._handle: asyncio.Handle | None = None
        #: Set whenever no check is pending (``await checks.idle.wait()``).
        self.idle = asyncio.Event()
        if self._pending:
            self._schedule(0.0)
        else:
            self.idle.set()

    def __len__(self) -> int:
        return len(self._pending)

    def defer(self, capture: Capture) -> None:
        """Queues the check of a just-stored capture (checks the oldest now if too many wait)."""
        if capture.schema_errors is not None:
            return
        self._pending[capture.id] = None
        self.idle.clear()
        self._last_arrival = asyncio.get_running_loop().time()
        if len(self._pending) > self._max_pending:
            oldest = next(iter(self._pending))
            self._check(oldest, capture if oldest == capture.id else None)
        self._schedule(self._quiet)

    def settle(self, ids: Iterable[int] | None = None) -> None:
        """Runs the checks of ``ids`` now (of every pending capture when None). A named capture
        is checked even before it is queued: a wait can find a capture the moment it is stored,
        before its save has returned and deferred the check."""
        targets = list(self._pending) if ids is None else list(ids)
        for capture_id in targets:
            self._check(capture_id)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.settle()

    def _check(self, capture_id: int, known: Capture | None = None) -> None:
        self._pending.pop(capture_id, None)
        found = known or self._store.get(capture_id)
        if found is not None and found.schema_errors is None:
            self._store.set_checked(self._inspector.schema_check(found))
        if not self._pending:
            self.idle.set()

    def _schedule(self, delay: float) -> None:
        if self._handle is None:
            self._handle = asyncio.get_running_loop().call_later(delay, self._run)

    def _run(self) -> None:
        self._handle = None
        if not self._pending:
            return
        loop = asyncio.get_running_loop()
        quiet_for = loop.time() - self._last_arrival
        if quiet_for < self._quiet:
            self._schedule(self._quiet - quiet_for)
            return
        deadline = loop.time() + self._slice
        while self._pending and loop.time() < deadline:
            self._check(next(iter(self._pending)))
        if self._pending:
            self._schedule(0.0)
