"""The receiver's query parameters: capture filters, integers in SQLite's range, and paging.

A bad value is a :class:`BadQuery` naming its parameter (``field``): the routes answer it 400
``bad_query`` with that ``field`` (never a 500, whatever the integer's size).
"""

from __future__ import annotations

import re

from aiohttp import web

from harness import paging
from harness.store.captures import CaptureQuery

#: The largest id (and ``after``, ``limit``) there can be: SQLite's INTEGER is 64-bit signed.
MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,20}")
#: The cursor kinds of the receiver's lists (:mod:`harness.paging`).
EVENTS = "events"
CHANNELS = "channels"


class BadQuery(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def whole_number(raw: str) -> int | None:
    """``raw`` as an integer when it is one written in ASCII digits (an optional ``-``, no
    sign, spaces or ``_``) within SQLite's 64-bit range, else None."""
    if _INTEGER.fullmatch(raw) is None:
        return None
    value = int(raw)
    return value if -MAX_ID - 1 <= value <= MAX_ID else None


def int_param(request: web.Request, name: str, low: int) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    value = whole_number(raw)
    if value is None:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise BadQuery(f"{name} must be an integer between {low} and {MAX_ID}, got {shown!r}", name)
    if value < low:
        raise BadQuery(f"{name} must be >= {low}", name)
    return value


def capture_query(request: web.Request) -> CaptureQuery:
    """The filters of ``GET /events``, ``/events/wait`` and ``/events/stream``."""
    q = request.query
    return CaptureQuery(
        event=q.get("event") or None,
        interview_id=q.get("interviewId") or None,
        channel=q.get("channel") or None,
        delivery_id=q.get("deliveryId") or None,
        after=int_param(request, "after", 0) or 0,
        limit=int_param(request, "limit", 1),
    )


def page_params(request: web.Request, kind: str, newest: int) -> tuple[int, int]:
    """``(limit, after)`` of a list paged by an integer key: ``limit`` defaults to
    :data:`harness.paging.DEFAULT_LIMIT`, at most :data:`harness.paging.MAX_LIMIT`."""
    try:
        limit = paging.parse_limit(request.query.get("limit"))
        return limit, paging.decode_int(kind, request.query.get("cursor"), newest)
    except paging.PagingError as exc:
        raise BadQuery(f"{exc.field} {exc.message}", exc.field) from exc


def text_page_params(request: web.Request, kind: str) -> tuple[int, str | None]:
    """``(limit, after)`` of a list paged by a text key (channel names)."""
    try:
        limit = paging.parse_limit(request.query.get("limit"))
        return limit, paging.decode_text(kind, request.query.get("cursor"))
    except paging.PagingError as exc:
        raise BadQuery(f"{exc.field} {exc.message}", exc.field) from exc
