"""What ``replay --expect`` wants of each answer, and which files a directory replays.

- ``accepted`` (the default): every answer is a 2xx;
- ``rejected``: every answer is a 4xx (a handler that refuses them all; a 5xx is a crash, not
  a refusal);
- ``corpus``: as the corpus labels each payload: a labelled wrapper (``{"violation",
  "payload"}``, ``fixtures/webhooks/invalid/``) must get a 4xx, any other payload a 2xx;
- a status (``--expect 422``): every answer is exactly that status.

A directory replays its ``*.json`` files recursively, but files below an ``invalid``
directory inside it only with ``--expect corpus`` (they are made to be refused): replaying
``fixtures/webhooks`` sends the valid payloads, and says how many it left out. A path given
itself (``fixtures/webhooks/invalid``) is always sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import ConfigError
from harness.tools.fixture_files import UnreadableInput

if TYPE_CHECKING:  # send.py imports this module; trigger starts without the corpus's records
    from harness.tools.corpus import Payload

ACCEPTED = "accepted"
REJECTED = "rejected"
CORPUS = "corpus"
MODES = (ACCEPTED, REJECTED, CORPUS)
#: The directory name whose files a directory walk leaves out unless ``--expect corpus``.
INVALID_DIR = "invalid"


def parse_expect(text: str) -> str:
    """A mode of :data:`MODES` or a status ``100``-``599`` (as text); else a ConfigError."""
    if text in MODES:
        return text
    if text.isdigit() and 100 <= int(text) <= 599:
        return str(int(text))
    raise ConfigError(f"--expect {text!r}: use {', '.join(MODES)} or an HTTP status such as 400")


def expected_for(mode: str, payload: Payload) -> str:
    """What one payload's answer must be: ``2xx``, ``4xx`` or a status."""
    if mode == ACCEPTED:
        return "2xx"
    if mode == REJECTED:
        return "4xx"
    if mode == CORPUS:
        return "4xx" if payload.label is not None else "2xx"
    return mode


def meets(expected: str, status: int | None) -> bool:
    """Whether ``status`` is what ``expected`` asks (no answer never is)."""
    if status is None:
        return False
    if expected.endswith("xx"):
        return status // 100 == int(expected[0])
    return status == int(expected)


def replay_files(paths: Iterable[Path], mode: str) -> tuple[list[Path], int]:
    """The files to replay, and how many below ``invalid/`` directories were left out."""
    files: list[Path] = []
    skipped = 0
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*.json")):
                below = found.relative_to(path).parts[:-1]
                if INVALID_DIR in below and mode != CORPUS:
                    skipped += 1
                else:
                    files.append(found)
        elif path.exists():
            files.append(path)
        else:
            raise UnreadableInput(f"{path}: no such file or directory")
    return files, skipped
