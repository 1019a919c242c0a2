"""What the domain emits when an interview moves: events for the dispatcher to deliver."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from harness.domain.enums import EventType


@dataclass(frozen=True)
class DomainEvent:
    """One event: ``data`` is the webhook body's ``data`` object, exactly as it goes on the wire."""

    type: EventType
    company_id: UUID
    data: dict[str, Any]
    interview_id: UUID | None = None


class EventSink(Protocol):
    """Where the mock puts events: the dispatcher in ``serve``, a list in some tests."""

    def publish(self, events: Sequence[DomainEvent]) -> None: ...


@dataclass
class RecordingSink:
    """Keeps every published event in order; used where no delivery is wanted."""

    events: list[DomainEvent] = field(default_factory=list)

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.events.extend(events)
