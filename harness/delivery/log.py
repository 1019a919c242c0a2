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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from harness.clock import iso
from harness.domain.enums import EventType

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
    """Attempts in the order they finished."""

    def __init__(self) -> None:
        self._attempts: list[Attempt] = []

    def add(self, **fields: Any) -> Attempt:
        attempt = Attempt(id=uuid4(), **fields)
        self._attempts.append(attempt)
        return attempt

    def clear(self) -> None:
        self._attempts.clear()

    def __len__(self) -> int:
        return len(self._attempts)

    def find(
        self,
        *,
        webhook_id: UUID | None = None,
        event: EventType | None = None,
        interview_id: UUID | None = None,
        delivery_id: UUID | None = None,
        outcome: str | None = None,
    ) -> list[Attempt]:
        return [
            a
            for a in self._attempts
            if (webhook_id is None or a.webhook_id == webhook_id)
            and (event is None or a.event is event)
            and (interview_id is None or a.interview_id == interview_id)
            and (delivery_id is None or a.delivery_id == delivery_id)
            and (outcome is None or a.outcome == outcome)
        ]
