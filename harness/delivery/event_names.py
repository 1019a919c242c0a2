"""Event names as users spell them (dotted, UPPER_SNAKE or the vendor's number), apart from
:mod:`harness.delivery.webhooks` (which re-exports them) so that ``trigger`` checks its EVENT
without compiling the webhook URL grammar."""

from __future__ import annotations

from collections.abc import Iterable

from harness.domain.enums import EVENT_NUMBERS, EventType

ALL_EVENTS: tuple[EventType, ...] = tuple(EventType)


def parse_event(value: object) -> EventType:
    """One event named dotted (``interview.completed``), UPPER_SNAKE (``INTERVIEW_COMPLETED``)
    or by the vendor's number (0-5, also as the one-digit string); exactly the spellings of
    ``schemas/defs.json#/$defs/eventSpelling`` (and an integer 0-5); ``ValueError`` otherwise."""
    if isinstance(value, float) and value.is_integer():  # 3.0 is an integer to JSON Schema
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(EVENT_NUMBERS):
            return EVENT_NUMBERS[value]
        raise ValueError(f"event number must be 0-{len(EVENT_NUMBERS) - 1}, got {value}")
    if isinstance(value, str):
        if len(value) == 1 and "0" <= value < str(len(EVENT_NUMBERS)):
            return EVENT_NUMBERS[int(value)]
        for event in EventType:
            if value in (event.value, event.name):
                return event
    names = ", ".join(e.value for e in EventType)
    raise ValueError(f"unknown event {value!r}; use one of {names} (or UPPER_SNAKE, or 0-5)")


def parse_events(values: Iterable[object]) -> list[EventType]:
    """Several events, duplicates dropped, order kept; ``"*"`` means every event."""
    out: list[EventType] = []
    for value in values:
        for event in ALL_EVENTS if value == "*" else (parse_event(value),):
            if event not in out:
                out.append(event)
    return out
