"""Checks every body the suite receives against the wire schemas (filled in by the schema work)."""

from __future__ import annotations

from typing import Any


def check_wire(method: str, path: str, status: int, body: Any) -> None:
    """Placeholder until schemas/ lands: only the envelope's presence is checked."""
    if body is not None and isinstance(body, dict) and "success" in body:
        assert set(body) == {"success", "data", "error", "timestamp"}, body
