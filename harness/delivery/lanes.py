"""Deliveries and their lanes: what is pending, and what each pending delivery is doing.

A *lane* is the queue of deliveries to one (webhook, interview): its head is being delivered,
the rest wait their turn (see :mod:`harness.delivery.dispatcher`). The head is ``queued`` (not
started), ``delayed`` (held by the ``delayMs`` mode before its first attempt), ``in flight``
(an attempt is being built or sent) or ``waiting to retry``.
"""

from __future__ import annotations

import asyncio
from collections import deque
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
