"""Deliveries and their lanes: what is pending, and what each pending delivery is doing.

A *lane* is the queue of deliveries to one (webhook, interview): its head is being delivered,
the rest wait their turn (see :mod:`harness.delivery.dispatcher`). The head is ``queued`` (not
started), ``delayed`` (held by the ``delayMs`` mode before its first attempt), ``in flight``
(an attempt is being built or sent) or ``waiting to retry``. At shutdown every delivery still
in a lane is *abandoned*: :func:`report_abandoned` names each one on the log, never silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from harness.domain.enums import EventType

LaneKey = tuple[UUID, UUID]
State = Literal["queued", "delayed", "in flight", "waiting to retry"]
QUEUED: State = "queued"
HELD: State = "delayed"
IN_FLIGHT: State = "in flight"
RETRY_WAIT: State = "waiting to retry"


@dataclass(frozen=True)
class Delivery:
    id: UUID
    webhook_id: UUID
    event: EventType
    interview_id: UUID | None
    body: bytes
    #: The failure-injection modes applied to this delivery (see :mod:`harness.delivery.modes`).
    injected: tuple[str, ...] = ()
    delay_ms: int = 0


@dataclass(frozen=True)
class Abandoned:
    """A delivery that was still pending when the dispatcher stopped."""

    delivery: Delivery
    state: State
    #: Attempts it had made (each one is in the delivery log).
    attempts: int

    def line(self) -> str:
        d = self.delivery
        made = "no attempt" if self.attempts == 0 else f"{self.attempts} attempt(s) made"
        return (
            f"abandoned delivery {d.id} ({d.event.value} to webhook {d.webhook_id}): "
            f"{self.state}, {made}"
        )


@dataclass
class Lane:
    key: LaneKey
    queue: deque[Delivery]
    #: What the head of ``queue`` is doing, and how many attempts it has made.
    state: State = QUEUED
    attempts: int = 0
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def next_head(self) -> None:
        """The head is done: the next delivery starts from scratch."""
        self.queue.popleft()
        self.state = QUEUED
        self.attempts = 0

    def pending(self) -> list[Abandoned]:
        """Every delivery still in the lane, the head first with what it was doing."""
        return [
            Abandoned(d, self.state, self.attempts) if i == 0 else Abandoned(d, QUEUED, 0)
            for i, d in enumerate(self.queue)
        ]


def report_abandoned(log: logging.Logger, abandoned: Sequence[Abandoned], grace_s: float) -> None:
    """One warning with the count per state, then one per abandoned delivery (with its id)."""
    if not abandoned:
        return
    counts: dict[str, int] = {}
    for item in abandoned:
        counts[item.state] = counts.get(item.state, 0) + 1
    states = ", ".join(f"{n} {state}" for state, n in counts.items())
    log.warning(
        "shutdown: abandoned %d pending deliveries after a %g s grace (%s)",
        len(abandoned),
        grace_s,
        states,
    )
    for item in abandoned:
        log.warning("shutdown: %s", item.line())
