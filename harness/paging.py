"""Cursor paging for the harness's own lists (control API and receiver): ``limit`` and ``cursor``.

Each list is ordered by a key that only grows: a delivery attempt's sequence number, a capture's
id, a webhook's or fault's creation number, a channel's name (alphabetical). A page holds at
most ``limit`` items (default :data:`DEFAULT_LIMIT`, at most :data:`MAX_LIMIT`) whose key comes
after the cursor's; the answer's ``next`` is the cursor of its last item when more items follow,
else null. Items added while a client pages land after every cursor handed out, so following
``next`` sees each item once and skips none (retention may evict old ones before they are
reached: they are counted, see :class:`Retention`).

A cursor is opaque: base64url of ``<list>:<key>``. One that is not base64url, names another list,
or points past the newest key the list ever gave out is a 400 naming ``cursor``; a ``limit``
that is not an integer in 1..:data:`MAX_LIMIT` a 400 naming ``limit``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: A cursor longer than this is not one of ours (names and ids are short).
MAX_CURSOR_CHARS = 400
_DIGITS = re.compile(r"[0-9]{1,19}")


class PagingError(ValueError):
    """A bad ``limit`` or ``cursor``: ``field`` names the query parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


def parse_limit(raw: str | None, default: int = DEFAULT_LIMIT, cap: int = MAX_LIMIT) -> int:
    """The ``limit`` query value: ``default`` when absent, else an integer in 1..``cap``."""
    if raw is None:
        return default
    if _DIGITS.fullmatch(raw) is None or not 1 <= int(raw) <= cap:
        raise PagingError("limit", f"must be an integer between 1 and {cap}, got {_shown(raw)}")
    return int(raw)


def encode(kind: str, key: int | str) -> str:
    """The opaque cursor of position ``key`` in list ``kind``."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode().rstrip("=")


def _decode(kind: str, raw: str) -> str:
    bad = PagingError("cursor", f"is not a cursor this list gave out: {_shown(raw)}")
    if not raw or len(raw) > MAX_CURSOR_CHARS:
        raise bad
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    if encode(kind, text.partition(":")[2]) != raw or not text.startswith(f"{kind}:"):
        raise bad
    return text[len(kind) + 1 :]


def decode_int(kind: str, raw: str | None, newest: int) -> int:
    """The integer key of a cursor of list ``kind`` (0, before everything, when absent); a key
    past ``newest`` (the largest the list ever gave out) is out of range."""
    if raw is None:
        return 0
    text = _decode(kind, raw)
    if _DIGITS.fullmatch(text) is None:
        raise PagingError("cursor", f"is not a cursor this list gave out: {_shown(raw)}")
    key = int(text)
    if key > newest:
        raise PagingError("cursor", f"points past the end of the list: {_shown(raw)}")
    return key


def decode_text(kind: str, raw: str | None) -> str | None:
    """The text key of a cursor of list ``kind`` (None when absent)."""
    return None if raw is None else _decode(kind, raw)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next: str | None


def take(kind: str, ordered: Iterable[T], key: Callable[[T], int | str], limit: int) -> Page[T]:
    """The first ``limit`` of ``ordered`` (already past the cursor), and ``next`` if more follow."""
    found = list(islice(ordered, limit + 1))
    more = len(found) > limit
    items = found[:limit]
    return Page(items, encode(kind, key(items[-1])) if more else None)


@dataclass
class Retention:
    """A cap on how many items a store keeps, and how many it evicted (oldest first)."""

    limit: int | None
    evicted: int = 0

    def over(self, kept: int) -> int:
        """How many must go for ``kept`` to fit the limit."""
        return 0 if self.limit is None else max(0, kept - self.limit)

    def wire(self, kept: int) -> dict[str, Any]:
        return {"limit": self.limit, "kept": kept, "evicted": self.evicted}


def query_params(query: Mapping[str, str]) -> tuple[str | None, str | None]:
    """``(limit, cursor)`` as given (an empty value counts as given: it is malformed)."""
    return query.get("limit"), query.get("cursor")
