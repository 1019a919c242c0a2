"""The vendor's lists: ``page`` (1-10000) and ``limit`` (1-100, default 20) and the ``{items,
pagination}`` body. The control API's own lists page by cursor instead (:func:`cursor_query`,
:mod:`harness.paging`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiohttp import web

from harness import paging
from harness.domain.numbers import query_integer
from harness.errors import ValidationFailed

from .body import query_text

T = TypeVar("T")


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    """An integer written as JSON writes one (``2``, and ``2.0`` like a body's integer)."""
    raw = query_text(request, name)
    if raw is None:
        return default
    value = query_integer(raw)
    if value is None:
        raise ValidationFailed.one(name, f"must be an integer, got {raw!r}")
    if not low <= value <= high:
        raise ValidationFailed.one(name, f"must be between {low} and {high}")
    return int(value)


def page_of(
    request: web.Request, items: Sequence[T], render: Callable[[T], dict[str, Any]]
) -> dict[str, Any]:
    page = _int_param(request, "page", 1, 1, 10000)
    limit = _int_param(request, "limit", 20, 1, 100)
    total = len(items)
    pages = math.ceil(total / limit) if total else 0
    chunk = items[(page - 1) * limit : page * limit]
    return {
        "items": [render(item) for item in chunk],
        "pagination": {
            "total": total,
            "page": page,
            "limit": limit,
            "totalPages": pages,
            "hasNextPage": page < pages,
            "hasPreviousPage": page > 1,
        },
    }


def cursor_query(request: web.Request, kind: str, newest: int) -> tuple[int, int]:
    """``(limit, after)`` of a control list paged by an integer key (:mod:`harness.paging`);
    a bad ``limit`` or ``cursor`` is a 400 naming it."""
    try:
        limit = paging.parse_limit(request.query.get("limit"))
        return limit, paging.decode_int(kind, request.query.get("cursor"), newest)
    except paging.PagingError as exc:
        raise ValidationFailed.one(exc.field, exc.message) from exc


def text_cursor_query(request: web.Request, kind: str) -> tuple[int, str | None]:
    """``(limit, after)`` of a control list paged by a text key (a fault's route)."""
    try:
        limit = paging.parse_limit(request.query.get("limit"))
        return limit, paging.decode_text(kind, request.query.get("cursor"))
    except paging.PagingError as exc:
        raise ValidationFailed.one(exc.field, exc.message) from exc
