"""The dispatcher: takes the mock's events, signs them and POSTs them, with retries and a circuit.

``publish`` never blocks: it builds one *delivery* per (event, subscribed webhook) and queues it.
Deliveries run in *lanes*: one lane per (webhook, interview), so the events of one interview reach
one webhook in the order they happened (a retrying earlier event holds back the later ones),
while other interviews and other webhooks go ahead concurrently. Events without an interview
(``ping``) get a lane of their own.

One delivery = up to ``1 + maxRetries`` attempts. The body (``event``, ``timestamp`` = when the
event happened, ``deliveryId``, ``data``) is serialized once and is byte-identical on every
attempt; the signature headers carry a fresh timestamp and signature per attempt. Any 2xx is a
success; another status (3xx included: redirects are never followed), a timeout (``timeoutMs``)
or a connection error is a failure, retried after ``config.retry_schedule[n-1]`` seconds on the
injectable clock (the last delay repeats if ``maxRetries`` is longer than the schedule).
An exception raised while building or sending an attempt (a harness bug, or a configuration
aiohttp cannot send) is an attempt with outcome ``error`` (the exception in ``error``), counted
and retried like any failure: no delivery ends without an attempt in the log.
``config.circuit_threshold`` consecutive failed *attempts* open the webhook's circuit; while it is
open, deliveries are recorded as ``skipped``. Every attempt lands in the :class:`DeliveryLog`.

:meth:`Dispatcher.close` (the app's cleanup: ``serve`` on SIGTERM, ``running()`` on exit) waits
up to ``config.shutdown_grace_s`` for attempts in flight, then stops every lane and logs each
delivery it abandons (in flight, waiting to retry, delayed or queued; see
:mod:`harness.delivery.lanes`).

Failure injection (:mod:`harness.delivery.modes`): per webhook or per run, a delivery may be
queued twice (``duplicate``), an analysis event queued before the ``interview.completed`` it
follows (``outOfOrder``), or held ``delayMs`` before its first attempt; the attempts say so in
``injected``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

import aiohttp

from harness.clock import Clock, iso
from harness.config import HarnessConfig
from harness.delivery import attempt
from harness.delivery.answer import describe
from harness.delivery.attempt import envelope
from harness.delivery.lanes import (
    HELD,
    IN_FLIGHT,
    RETRY_WAIT,
    Abandoned,
    Delivery,
    Lane,
    LaneKey,
    report_abandoned,
)
from harness.delivery.log import DeliveryLog, Outcome
from harness.delivery.modes import DELAYED, DUPLICATE, OUT_OF_ORDER, ModeTable, reorder
from harness.delivery.webhooks import UrlVerdicts, Webhook, WebhookRegistry
from harness.domain.enums import EventType
from harness.domain.events import DomainEvent
from harness.domain.ids import new_id

log = logging.getLogger("harness.delivery")

USER_AGENT = "instaview-harness-webhooks/1"
__all__ = ["Delivery", "Dispatcher", "envelope"]  # envelope: harness.delivery.attempt's


class Dispatcher:
    """An :class:`~harness.domain.events.EventSink` that delivers to the registry's webhooks."""

    def __init__(
        self,
        config: HarnessConfig,
        clock: Clock,
        registry: WebhookRegistry,
        deliveries: DeliveryLog | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.registry = registry
        self.log = (
            deliveries if deliveries is not None else DeliveryLog(config.max_delivery_attempts)
        )
        self.modes = ModeTable(config.delivery_modes)
        #: Unexpected exceptions outside an attempt (bugs); ``drain`` re-raises the first.
        self.errors: list[BaseException] = []
        self._session: aiohttp.ClientSession | None = None
        self._lanes: dict[LaneKey, Lane] = {}
        #: Lanes per interview (the key's second part): an interview with one is still at work.
        self._lanes_of: dict[UUID, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending = 0
        self._idle: list[asyncio.Future[None]] = []
        #: Set by :meth:`close`: lanes stop at the next step, what they hold is abandoned.
        self._closing = False
        self._abandoned: list[Abandoned] = []
        self._url_problem = UrlVerdicts(config.allow_remote_webhooks).problem

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers={"User-Agent": USER_AGENT}, auto_decompress=False
            )

    async def close(self, grace_s: float | None = None) -> list[Abandoned]:
        """Waits up to ``grace_s`` (default ``config.shutdown_grace_s``, real time: it waits
        for real I/O) for the attempts in flight, stops every lane, logs every delivery still
        pending (:func:`~harness.delivery.lanes.report_abandoned`) and closes the HTTP session.
        Returns the abandoned deliveries."""
        grace = self.config.shutdown_grace_s if grace_s is None else grace_s
        self._closing = True
        in_flight = [lane.task for lane in self._lanes.values() if lane.state == IN_FLIGHT]
        for lane in list(self._lanes.values()):
            if lane.state != IN_FLIGHT and lane.task is not None:
                lane.task.cancel()  # delayed, waiting to retry or queued: nothing to wait for
        waited = [task for task in in_flight if task is not None]
        if waited and grace > 0:
            await asyncio.wait(waited, timeout=grace)
        await self._cancel_all()
        for lane in list(self._lanes.values()):  # a task cancelled before it ran left its lane
            self._retire(lane)
        abandoned, self._abandoned = self._abandoned, []
        report_abandoned(log, abandoned, grace)
        if self._session is not None:
            await self._session.close()
            self._session = None
        return abandoned

    def reset(self) -> None:
        """Forget queued work and the attempt log (``POST /_harness/reset``)."""
        for lane in list(self._lanes.values()):
            if lane.task is not None:
                lane.task.cancel()
            self._retire(lane)  # forgotten, not abandoned: reset drops queued work on purpose
        self.log.clear()
        self.errors.clear()
        self.modes.reset()

    async def _cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- queueing ------------------------------------------------------------------------------

    def publish(self, events: Sequence[DomainEvent]) -> None:
        sends = [
            (hook, event)
            for event in events
            for hook in self.registry.subscribed(event.company_id, event.type)
        ]
        ordered = reorder(
            sends,
            lambda s: (s[0].id, s[1].type, s[1].interview_id),
            lambda webhook_id: self.modes.of(webhook_id).out_of_order,
        )
        for (hook, event), moved in ordered:
            self.send(hook, event.type, event.data, event.interview_id, moved=moved)

    def send(
        self,
        hook: Webhook,
        event: EventType,
        data: dict[str, Any],
        interview_id: UUID | None = None,
        *,
        moved: bool = False,
    ) -> UUID:
        """Queue one delivery to ``hook`` (twice in duplicate mode); returns its ``deliveryId``.
        ``moved``: it was put ahead of an earlier event (out-of-order mode)."""
        delivery_id = new_id()
        body = envelope(event, delivery_id, iso(self.clock.now()), data)
        modes = self.modes.of(hook.id)
        injected = [OUT_OF_ORDER] if moved else []
        if modes.delay_ms:
            injected.append(DELAYED)
        delivery = Delivery(
            delivery_id, hook.id, event, interview_id, body, tuple(injected), modes.delay_ms
        )
        key = (hook.id, interview_id or delivery_id)
        if modes.duplicate:
            copy = (*delivery.injected, DUPLICATE)
            self._enqueue(key, replace(delivery, injected=copy))
            self._enqueue(key, replace(delivery, injected=copy))
        else:
            self._enqueue(key, delivery)
        return delivery_id

    async def send_now(
        self, hook: Webhook, event: EventType, data: dict[str, Any]
    ) -> tuple[UUID, attempt.Attempt]:
        """One attempt of a fresh delivery to ``hook``, awaited (``POST /webhooks/{id}/test``):
        no queue, no retry, no injected mode, the circuit's counters untouched; the attempt is
        logged (``delivered``, ``failed`` or ``error``) like any other."""
        delivery_id = new_id()
        body = envelope(event, delivery_id, iso(self.clock.now()), data)
        delivery = Delivery(delivery_id, hook.id, event, None, body, (), 0)
        status, latency, error, truncated, raised = await self._guarded_attempt(hook, delivery)
        if raised and error is not None:
            error += "; not retried"
        outcome: Outcome = "error" if raised else "delivered" if error is None else "failed"
        self._record(delivery, 1, hook.url, status, latency, error, outcome, truncated)
        return delivery_id, attempt.Attempt(status, latency or 0.0, error, truncated)

    def _enqueue(self, key: LaneKey, delivery: Delivery) -> None:
        if self._closing:
            log.warning("shutdown: %s", Abandoned(delivery, "queued", 0).line())
            return
        self._pending += 1
        lane = self._lanes.get(key)
        if lane is not None:
            lane.queue.append(delivery)
            return
        lane = self._lanes[key] = Lane(key, deque([delivery]))
        self._lanes_of[key[1]] = self._lanes_of.get(key[1], 0) + 1
        task = lane.task = asyncio.get_running_loop().create_task(self._run_lane(lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every queued delivery has finished (delivered, failed or skipped)."""
        while self._pending:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._idle.append(waiter)
            await waiter
        if self.errors:
            raise self.errors[0]

    def busy(self, interview_id: UUID) -> bool:
        """Whether a delivery of ``interview_id``'s events is queued or in flight (retention
        never evicts such an interview)."""
        return interview_id in self._lanes_of

    @property
    def pending(self) -> int:
        """Deliveries queued or in flight."""
        return self._pending

    def _finished(self, count: int) -> None:
        self._pending -= count
        if self._pending == 0:
            waiters, self._idle = self._idle, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def _run_lane(self, lane: Lane) -> None:
        try:
            while lane.queue and not self._closing:
                delivery = lane.queue[0]
                try:
                    done = await self._deliver(lane, delivery)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a bug outside an attempt: for drain(), and logged
                    log.exception("delivery %s crashed", delivery.id)
                    self.errors.append(exc)
                    self._record_crash(lane, delivery, exc)
                    done = True
                if not done:
                    break  # closing: the head stays, abandoned below
                lane.next_head()
                self._finished(1)
        finally:
            self._retire(lane)

    def _retire(self, lane: Lane) -> None:
        """Drops ``lane`` and accounts for what it still holds (abandoned, when closing); does
        nothing the second time."""
        left = lane.pending()
        lane.queue.clear()
        if self._lanes.get(lane.key) is lane:
            del self._lanes[lane.key]
            owner = lane.key[1]
            if self._lanes_of[owner] <= 1:
                del self._lanes_of[owner]
            else:
                self._lanes_of[owner] -= 1
        if left:
            if self._closing:
                self._abandoned.extend(left)
            self._finished(len(left))

    # -- sending -------------------------------------------------------------------------------

    async def _deliver(self, lane: Lane, delivery: Delivery) -> bool:
        """Every attempt of ``delivery``; False if the dispatcher closed before it was done."""
        if delivery.delay_ms:
            lane.state = HELD
            await self.clock.sleep(delivery.delay_ms / 1000)
        while True:
            number = lane.attempts + 1
            hook = self.registry.get(delivery.webhook_id)
            reason = "webhook was deleted" if hook is None else hook.blocked
            if hook is not None and reason is None:
                reason = self._url_problem(hook.url)
            if hook is None or reason is not None:
                url = hook.url if hook is not None else ""
                self._record(delivery, number, url, None, None, reason, "skipped")
                return True
            lane.state, lane.attempts = IN_FLIGHT, number
            answer = await self._guarded_attempt(hook, delivery)
            status, latency, error, truncated, raised = answer
            if error is None:
                hook.record_success()
                self._record(
                    delivery, number, hook.url, status, latency, None, "delivered", truncated
                )
                return True
            opened = hook.record_failure(self.config.circuit_threshold, self.clock.now())
            if opened:
                error += f"; circuit opened after {hook.consecutive_failures} failures"
            last = opened or number > hook.max_retries
            outcome: Outcome = "error" if raised else "failed" if last else "retrying"
            if raised:
                error += "; no retry left" if last else "; will be retried"
            self._record(delivery, number, hook.url, status, latency, error, outcome, truncated)
            if last:
                return True
            lane.state = RETRY_WAIT
            if self._closing:
                return False
            await self.clock.sleep(self._delay(number))

    async def _guarded_attempt(
        self, hook: Webhook, delivery: Delivery
    ) -> tuple[int | None, float | None, str | None, bool, bool]:
        """:meth:`_attempt` (status, latency, error, truncated), with any exception it raises
        turned into a failure (the last item says so): a delivery is never lost to one."""
        try:
            status, latency, error, truncated = await self._attempt(hook, delivery)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("delivery %s: the attempt raised", delivery.id)
            return None, None, f"harness error: {describe(exc)}", False, True
        return status, latency, error, truncated, False

    def _record_crash(self, lane: Lane, delivery: Delivery, exc: Exception) -> None:
        """The trace a delivery leaves when its lane itself failed (a bug): one ``error``."""
        hook = self.registry.get(delivery.webhook_id)
        try:
            url = hook.url if hook is not None else ""
            error = f"harness error: {describe(exc)}; not retried"
            self._record(delivery, max(lane.attempts, 1), url, None, None, error, "error")
        except Exception:
            log.exception("delivery %s: could not record its crash", delivery.id)

    def _delay(self, retry: int) -> float:
        schedule = self.config.retry_schedule
        return schedule[min(retry, len(schedule)) - 1] if schedule else 0.0

    async def _attempt(
        self, hook: Webhook, delivery: Delivery
    ) -> tuple[int | None, float, str | None, bool]:
        """One signed POST (:func:`harness.delivery.attempt.post`), signed now."""
        if self._session is None:
            raise RuntimeError("Dispatcher.start() was not awaited (the app is not running)")
        stamp = int(self.clock.now().timestamp())
        scheme = self.config.signing_scheme
        return await attempt.post(self._session, hook, delivery.id, delivery.body, scheme, stamp)

    def _record(
        self,
        delivery: Delivery,
        number: int,
        url: str,
        status: int | None,
        latency: float | None,
        error: str | None,
        outcome: Outcome,
        truncated: bool = False,
    ) -> None:
        self.log.add(
            delivery_id=delivery.id,
            webhook_id=delivery.webhook_id,
            event=delivery.event,
            interview_id=delivery.interview_id,
            attempt=number,
            url=url,
            status_code=status,
            latency_ms=latency,
            error=error,
            at=self.clock.now(),
            outcome=outcome,
            injected=delivery.injected,
            response_truncated=truncated,
        )
