"""Payloads from a capture database written by the receiver (``harness.store.captures``).

The capture store is not part of this build yet; until it is, a database path is refused as
unreadable input (exit 2) rather than guessed at with raw SQL.
"""

from __future__ import annotations

from pathlib import Path

from harness.tools.corpus import Payload, UnreadableInput


def payloads_in_db(path: Path) -> list[Payload]:
    """Every captured delivery in ``path``, oldest first."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such capture database")
    raise UnreadableInput(f"{path}: reading capture databases needs harness.store.captures")
