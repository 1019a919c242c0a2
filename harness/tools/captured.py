"""Payloads from a capture database written by the receiver (``harness.store.captures``)."""

from __future__ import annotations

from pathlib import Path

from harness.tools.corpus import Payload, UnreadableInput


def payloads_in_db(path: Path) -> list[Payload]:
    """Every captured delivery in ``path``, oldest first."""
    raise UnreadableInput(f"{path}: reading capture databases is not available in this version")
