"""Schema assertions for tests: every violation, with its instance path and schema path."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from harness.errors import HarnessError
from harness.schemas import Violation, default_schemas

EVENT_SCHEMA = "events/event"


class SchemaViolationError(HarnessError, AssertionError):
    """A document broke its schema; ``violations`` holds every one of them."""

    def __init__(self, schema: str, violations: Sequence[Violation]) -> None:
        self.schema = schema
        self.violations = list(violations)
        lines = [f"{len(self.violations)} violation(s) of schema {schema!r}:"]
        lines += [
            f"  at {v.instance_path or '/'}: {v.message} "
            f"(schema path {v.schema_path}, keyword {v.keyword}, level {v.level})"
            for v in self.violations
        ]
        super().__init__("\n".join(lines))


def _document(payload: Any) -> Any:
    if isinstance(payload, bytes | bytearray | memoryview):
        payload = bytes(payload).decode("utf-8")
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError as exc:
            raise SchemaViolationError(
                "json", [Violation(f"not JSON: {exc}", "", "", "json")]
            ) from None
    return payload


def assert_valid(payload: Any, schema_name: str, strict: bool = False) -> None:
    """Raises :class:`SchemaViolationError` unless ``payload`` (a parsed document, or JSON text
    or bytes) follows the schema ``schema_name`` (a path below ``schemas/`` without ``.json``,
    e.g. ``"interview"`` or ``"events/analysis.completed"``): at the vendor level (what
    docs.instaview.sk documents) or, with ``strict``, exactly as the harness itself sends it
    (``schemas/strict/``). Each violation says at which level it was found."""
    document = _document(payload)
    schemas = default_schemas()
    found = schemas.verdict(document, schema_name, strict=strict)
    if found:
        raise SchemaViolationError(schemas.level_name(schema_name, strict), found)


def assert_valid_event(payload: Any, strict: bool = False) -> None:
    """A webhook body: checked against its own event's schema when ``event`` is a known one,
    else against the schema of every event (which then reports the unknown ``event``); at the
    vendor level, or exactly as the harness sends it with ``strict``."""
    document = _document(payload)
    schemas = default_schemas()
    event = document.get("event") if isinstance(document, dict) else None
    name = f"events/{event}" if isinstance(event, str) else EVENT_SCHEMA
    if name not in schemas.documents or name == "events/envelope":
        name = EVENT_SCHEMA
    assert_valid(document, name, strict=strict)
