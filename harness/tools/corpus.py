"""The fixture corpus on disk: request cases, webhook payloads, and loading payloads to check.

Request bodies may hold time placeholders, ``"{{now}}"`` or ``"{{now+1d}}"`` / ``"{{now-90s}}"``
(units ``s m h d``), that :func:`expand_placeholders` turns into ISO 8601 UTC instants, so the
corpus never goes stale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from harness.clock import iso
from harness.config import FIXTURES_DIR
from harness.errors import ConfigError

REQUEST_FIXTURES = FIXTURES_DIR / "requests"
WEBHOOK_FIXTURES = FIXTURES_DIR / "webhooks"
DB_SUFFIXES = (".sqlite3", ".sqlite", ".db")

_PLACEHOLDER = re.compile(r"^\{\{now(?:([+-])(\d+)([smhd]))?\}\}$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class UnreadableInput(ConfigError):
    """A path the tools cannot read or parse (missing file, not JSON, unknown database)."""


def expand_placeholders(value: Any, now: datetime) -> Any:
    """A copy of ``value`` with every ``{{now±N<unit>}}`` string replaced by an instant."""
    if isinstance(value, dict):
        return {k: expand_placeholders(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_placeholders(v, now) for v in value]
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        if match is not None:
            sign, amount, unit = match.groups()
            delta = timedelta(**{_UNITS[unit]: int(amount)}) if amount else timedelta()
            return iso(now - delta if sign == "-" else now + delta)
    return value


@dataclass(frozen=True)
class RequestCase:
    """One create-interview body and the answer it must get."""

    path: Path
    description: str
    key: str
    body: Any
    expect: dict[str, Any]


def load_request_cases(directory: Path = REQUEST_FIXTURES) -> list[RequestCase]:
    """Every ``*.json`` under ``directory`` (``valid/`` and ``invalid/``), sorted by path."""
    cases = []
    for path in sorted(directory.rglob("*.json")):
        doc = read_json(path)
        cases.append(RequestCase(path, doc["description"], doc["key"], doc["body"], doc["expect"]))
    return cases


@dataclass(frozen=True)
class Payload:
    """One webhook payload to check or send; ``label`` is the expected violation, if any."""

    source: str
    body: Any
    raw: bytes | None = None
    label: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise UnreadableInput(f"{path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UnreadableInput(f"{path}: not JSON ({exc})") from exc


def is_labelled(doc: Any) -> bool:
    """A fixture wrapper ``{"violation": {...}, "payload": {...}}`` rather than a raw payload."""
    return isinstance(doc, dict) and "payload" in doc and "violation" in doc


def payloads_in_file(path: Path) -> list[Payload]:
    """A raw payload, a labelled wrapper, or a JSON array of either."""
    doc = read_json(path)
    items = doc if isinstance(doc, list) else [doc]
    out = []
    for index, item in enumerate(items):
        source = f"{path}#{index}" if isinstance(doc, list) else str(path)
        if is_labelled(item):
            out.append(Payload(source, item["payload"], label=item["violation"]))
        else:
            out.append(Payload(source, item))
    return out


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories as their ``*.json`` files, recursively, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.rglob("*.json")))
        elif path.exists():
            out.append(path)
        else:
            raise UnreadableInput(f"{path}: no such file or directory")
    return out


def load_payloads(paths: Iterable[Path]) -> list[Payload]:
    """Every payload in the given files, directories and capture databases, in order."""
    out: list[Payload] = []
    for path in expand_paths(paths):
        if path.suffix in DB_SUFFIXES:
            from harness.tools.captured import payloads_in_db

            out.extend(payloads_in_db(path))
        else:
            out.extend(payloads_in_file(path))
    return out


def webhook_fixture(event: str, directory: Path = WEBHOOK_FIXTURES) -> dict[str, Any]:
    """The canonical fixture of one event type (``fixtures/webhooks/<event>.json``)."""
    path = directory / f"{event}.json"
    if not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.json") if "--" not in p.stem)
        raise UnreadableInput(f"no fixture for event {event!r}; known: {', '.join(known)}")
    doc = read_json(path)
    if not isinstance(doc, dict):
        raise UnreadableInput(f"{path}: a webhook fixture must be a JSON object")
    return doc
