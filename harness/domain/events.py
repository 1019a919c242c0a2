"""What the domain emits when an interview moves: events for the dispatcher to deliver."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from harness.domain.enums import EventType


@dataclass(frozen=True)
class DomainEvent:
    """One event: ``data`` is the webhook body's ``data`` object, exactly as it goes on the wire.

    ``payload`` is that object, or a function that builds it: built the first time ``data`` is
    read, so an event no webhook subscribes to costs nothing to render (an analysis with its PDF
    is a large share of a create). Sinks read ``data`` while ``publish`` runs, when the
    resource still is as the event saw it (:class:`RecordingSink` does so too)."""

    type: EventType
    company_id: UUID
    payload: dict[str, Any] | Callable[[], dict[str, Any]] = field(repr=False)
    interview_id: UUID | None = None

    @functools.cached_property
    def data(self) -> dict[str, Any]:
        payload = self.payload
        return payload if isinstance(payload, dict) else payload()


class EventSink(Protocol):
    """Where the mock puts events: the dispatcher in ``serve``, a list in some tests."""

    def publish(self, events: Sequence[DomainEvent]) -> None: ...


@dataclass
class RecordingSink:
    """Keeps every published event in order; used where no delivery is wanted."""

    events: list[DomainEvent] = field(default_factory=list)

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            event.data  # noqa: B018 -- rendered now, as the resource is at publish time
        self.events.extend(events)
