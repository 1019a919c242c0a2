"""Every delivery attempt, as ``GET /_harness/deliveries`` shows it: nothing is lost silently.

``outcome`` is one of:

- ``delivered`` — a 2xx answer;
- ``retrying`` — this attempt failed and another one is scheduled;
- ``failed`` — this attempt failed and it was the last (retries spent, or the circuit opened);
- ``skipped`` — nothing was sent: the circuit is open, the webhook is inactive or gone, or the
  target is not loopback while remote webhooks are not allowed;
- ``error`` — building or sending the attempt raised inside the harness (``error`` names the
  exception and says whether it will be retried); counted and retried like any failure.

``responseTruncated`` says the target's answer body was longer than the 64 KiB the dispatcher
reads (:mod:`harness.delivery.answer`); the rest was left unread and the connection closed.

``injected`` names the failure-injection modes that shaped the attempt's delivery
(``duplicate``, ``out-of-order``, ``delayed``; see :mod:`harness.delivery.modes`).

Retention: the log keeps the newest ``limit`` attempts (``HarnessConfig.max_delivery_attempts``)
and evicts the oldest beyond, counting them in ``retention.evicted``. The log is history: a
pending delivery's work lives in its lane (:mod:`harness.delivery.lanes`), never here, so
eviction drops no delivery. Each attempt has a sequence number (``seq``, never reused, not
reset by ``clear``) that orders the log and positions its paging cursor (:mod:`harness.paging`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, Literal
from uuid import UUID

from harness.clock import iso
from harness.domain.enums import EventType
from harness.domain.ids import new_id
from harness.paging import Retention

#: Attempts the log keeps by default (see docs/decisions.md, "Retention limits").
DEFAULT_MAX_ATTEMPTS = 20_000

Outcome = Literal["delivered", "retrying", "failed", "skipped", "error"]


@dataclass(frozen=True)
class Attempt:
    delivery_id: UUID
    webhook_id: UUID
    event: EventType
    interview_id: UUID | None
    attempt: int
    url: str
    status_code: int | None
    latency_ms: float | None
    error: str | None
    at: datetime
    outcome: Outcome
    id: UUID
    injected: tuple[str, ...] = ()
    #: The answer body was longer than the dispatcher reads (64 KiB): the rest was not read.
    response_truncated: bool = False
    #: Position in the log (1, 2, ...): orders it and positions a paging cursor.
    seq: int = 0

    def wire(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "deliveryId": str(self.delivery_id),
            "webhookId": str(self.webhook_id),
            "event": self.event.value,
            "interviewId": str(self.interview_id) if self.interview_id else None,
            "attempt": self.attempt,
            "url": self.url,
            "statusCode": self.status_code,
            "latencyMs": self.latency_ms,
            "error": self.error,
            "at": iso(self.at),
            "outcome": self.outcome,
            "injected": list(self.injected),
            "responseTruncated": self.response_truncated,
        }


class DeliveryLog:
    """Attempts in the order they finished, the newest ``limit`` of them (None: every one)."""

    def __init__(self, limit: int | None = DEFAULT_MAX_ATTEMPTS) -> None:
        self._attempts: deque[Attempt] = deque()
        self._seq = 0
        self.retention = Retention(limit)

    def add(self, **fields: Any) -> Attempt:
        self._seq += 1
        attempt = Attempt(id=new_id(), seq=self._seq, **fields)
        self._attempts.append(attempt)
        for _ in range(self.retention.over(len(self._attempts))):
            self._attempts.popleft()
            self.retention.evicted += 1
        return attempt

    def clear(self) -> None:
        """Forgets every attempt (``POST /_harness/reset``); sequence numbers keep growing, so
        a cursor handed out before stays valid."""
        self._attempts.clear()

    def __len__(self) -> int:
        return len(self._attempts)

    @property
    def last_seq(self) -> int:
        """The newest sequence number given out (0 before the first attempt)."""
        return self._seq

    def after(self, seq: int) -> Iterator[Attempt]:
        """Attempts with a sequence number above ``seq``, oldest first."""
        if not self._attempts:
            return iter(())
        start = max(0, seq - self._attempts[0].seq + 1)
        return islice(self._attempts, start, None)

    def before(self, seq: int) -> Iterator[Attempt]:
        """Attempts with a sequence number below ``seq`` (every one if 0), newest first."""
        if not self._attempts:
            return iter(())
        skip = 0 if seq == 0 else max(0, self._attempts[-1].seq - seq + 1)
        return islice(reversed(self._attempts), skip, None)

    def find(
        self,
        *,
        webhook_id: UUID | None = None,
        event: EventType | None = None,
        interview_id: UUID | None = None,
        delivery_id: UUID | None = None,
        outcome: str | None = None,
        after: int = 0,
        newest_first: bool = False,
    ) -> Iterator[Attempt]:
        """Matching attempts past sequence number ``after``, oldest first; ``newest_first``:
        before sequence number ``after`` (from the newest when 0), newest first."""
        return (
            a
            for a in (self.before(after) if newest_first else self.after(after))
            if (webhook_id is None or a.webhook_id == webhook_id)
            and (event is None or a.event is event)
            and (interview_id is None or a.interview_id == interview_id)
            and (delivery_id is None or a.delivery_id == delivery_id)
            and (outcome is None or a.outcome == outcome)
        )
