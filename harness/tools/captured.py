"""Payloads from a capture database written by the receiver, read through its public API
(:func:`harness.store.captures.open_captures`), oldest capture first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.store.captures import open_captures
from harness.tools.corpus import Payload, UnreadableInput


def payloads_in_db(path: Path) -> list[Payload]:
    """Every capture in ``path`` as a payload: ``raw`` is the body exactly as received, so a
    replay sends the same bytes; ``source`` is ``<db>#capture-<id>``."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such capture database")
    try:
        with open_captures(path) as store:
            return [
                Payload(
                    f"{path}#capture-{c.id}",
                    c.parsed_body(),
                    raw=c.body,
                    extra={"channel": c.channel, "receivedAt": c.received_at},
                )
                for c in store.scan()
            ]
    except sqlite3.Error as exc:
        raise UnreadableInput(f"{path}: not a capture database ({exc})") from exc
