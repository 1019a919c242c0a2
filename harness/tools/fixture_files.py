"""Reading the fixture corpus's JSON files: where the fixtures are, :func:`read_json`, and one
event's canonical webhook payload. Apart from :mod:`harness.tools.corpus` (which re-exports
them) so that ``trigger`` reads its fixture without the corpus's record types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness._data import fixtures_dir
from harness.errors import ConfigError

FIXTURES_DIR = fixtures_dir()
WEBHOOK_FIXTURES = FIXTURES_DIR / "webhooks"


class UnreadableInput(ConfigError):
    """A path the tools cannot read or parse (missing file, not JSON, unknown database)."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise UnreadableInput(f"{path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UnreadableInput(f"{path}: not JSON ({exc})") from exc


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
