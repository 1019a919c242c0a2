"""The request journal: what clients sent the mock API and what it answered, newest kept.

Every request to the API (not to the control API ``/_harness/*``, whose callers are the harness's
own helpers) is recorded once its answer is decided: method, path, query, headers with API keys
redacted, the body the API read, the answer's status (null when an injected fault dropped the
connection), when it arrived and how long it took. The journal is a ring buffer of
:data:`JOURNAL_SIZE` entries: the oldest go first, and ``dropped`` counts them.

``GET /_harness/requests?method=&path=&route=&status=&after=&limit=`` lists the entries (oldest
first) after entry id ``after``, at most ``limit`` (1-1000, default 100), as ``{items, total,
dropped, capacity, next}``: ``total`` is how many match in the buffer after ``after``, ``next``
the ``after`` of the following page (null on the last). ``POST /_harness/reset`` empties it.
"""

from __future__ import annotations

import base64
import itertools
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_urldispatcher import AbstractResource

from harness.domain.numbers import query_integer
from harness.errors import ValidationFailed

from . import control
from .body import query_text
from .control import _loopback_only
from .envelope import ok
from .state import CLOCK, READ_BODY

#: Entries the journal keeps (the oldest leave first).
JOURNAL_SIZE = 1000
#: Bytes of a body the journal keeps; a longer one is cut and flagged ``bodyTruncated``.
BODY_BYTES = 64 * 1024
MAX_LIMIT = 1000
#: The largest ``after``: the largest integer JSON tools (JavaScript) read exactly.
MAX_SAFE_ID = 2**53 - 1
DEFAULT_LIMIT = 100
#: Headers that carry credentials: their value is redacted.
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})
CONTROL_PREFIX = "/_harness/"
#: Set when an injected fault dropped the connection instead of answering.
DROPPED = web.RequestKey("journal_dropped", bool)


def redact(name: str, value: str) -> str:
    """A credential header's value with all but its scheme and last four characters hidden:
    ``Bearer sk_test_acme_full_0000`` → ``Bearer ****0000``."""
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, space, token = value.partition(" ")
    if not space:
        scheme, token = "", value
    shown = token[-4:] if len(token) > 8 else ""
    return (f"{scheme} " if scheme else "") + "****" + shown


@dataclass(slots=True)
class Entry:
    """One request. What the middleware takes is kept as it came (the request's header view,
    its route's resource, the arrival instant) and rendered only when the journal is read: a
    request is recorded on every call, read seldom (docs/decisions.md, speed)."""

    id: int
    method: str
    path: str
    query: str
    resource: AbstractResource | None
    raw_headers: Mapping[str, str]
    body: bytes | None
    status: int | None
    received: datetime
    duration_ms: float

    @property
    def route(self) -> str | None:
        """``METHOD /canonical/{path}``: the route the request matched (None for no route)."""
        return None if self.resource is None else f"{self.method} {self.resource.canonical}"

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The headers as sent, credentials redacted (:func:`redact`)."""
        return tuple((n, redact(n, v)) for n, v in self.raw_headers.items())

    def wire(self) -> dict[str, Any]:
        body = self.body[:BODY_BYTES] if self.body is not None else None
        text: str | None = None
        encoded: str | None = None
        if body is not None:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                encoded = base64.b64encode(body).decode()
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "route": self.route,
            "headers": [{"name": n, "value": v} for n, v in self.headers],
            "body": text,
            "bodyBase64": encoded,
            "bodyBytes": None if self.body is None else len(self.body),
            "bodyTruncated": self.body is not None and len(self.body) > BODY_BYTES,
            "status": self.status,
            "receivedAt": self.received.isoformat().replace("+00:00", "Z"),
            "durationMs": round(self.duration_ms, 3),
        }


class RequestJournal:
    """The ring buffer of one mock API."""

    def __init__(self, size: int = JOURNAL_SIZE) -> None:
        self.entries: deque[Entry] = deque(maxlen=size)
        self.dropped = 0
        self._ids = itertools.count(1)

    @property
    def capacity(self) -> int:
        return self.entries.maxlen or 0

    def next_id(self) -> int:
        return next(self._ids)

    def add(self, entry: Entry) -> None:
        if len(self.entries) == self.capacity:
            self.dropped += 1
        self.entries.append(entry)

    def clear(self) -> None:
        """Empties the journal (ids keep counting, so an ``after`` never sees old ids again)."""
        self.entries.clear()
        self.dropped = 0

    def find(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        route: str | None = None,
        status: int | None = None,
        after: int = 0,
    ) -> Iterator[Entry]:
        for entry in self.entries:
            if entry.id <= after:
                continue
            if method is not None and entry.method != method:
                continue
            if path is not None and entry.path != path:
                continue
            if route is not None and entry.route != route:
                continue
            if status is not None and entry.status != status:
                continue
            yield entry


JOURNAL = web.AppKey("journal", RequestJournal)


@web.middleware
async def journal_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost: records every API request with the status the client gets."""
    if request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    journal = request.app[JOURNAL]
    entry_id = journal.next_id()
    received = request.app[CLOCK].now()
    started = time.perf_counter()
    status: int | None = None
    try:
        response = await handler(request)
        status = None if request.get(DROPPED) else response.status
        return response
    finally:
        journal.add(
            Entry(
                id=entry_id,
                method=request.method,
                path=request.path,
                query=request.query_string,
                resource=request.match_info.route.resource,
                raw_headers=request.headers,
                body=request.get(READ_BODY),
                status=status,
                received=received,
                duration_ms=(time.perf_counter() - started) * 1000,
            )
        )


def _int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = query_text(request, name)
    if raw is None:
        return default
    value = query_integer(raw)
    if value is None or not low <= value <= high:
        raise ValidationFailed.one(name, f"must be an integer between {low} and {high}")
    return int(value)


def list_page(request: web.Request) -> dict[str, Any]:
    """The ``GET /_harness/requests`` body for the request's filters."""
    journal = request.app[JOURNAL]
    method = query_text(request, "method")
    if method is not None and not method.isalpha():
        raise ValidationFailed.one("method", "must be an HTTP method such as POST")
    status = query_text(request, "status")
    after = _int(request, "after", 0, 0, MAX_SAFE_ID)
    limit = _int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    found = list(
        journal.find(
            method=method.upper() if method is not None else None,
            path=query_text(request, "path"),
            route=query_text(request, "route"),
            status=None if status is None else _int(request, "status", 0, 100, 599),
            after=after,
        )
    )
    page = found[:limit]
    return {
        "items": [e.wire() for e in page],
        "total": len(found),
        "dropped": journal.dropped,
        "capacity": journal.capacity,
        "next": page[-1].id if len(found) > limit else None,
    }


async def list_requests(request: web.Request) -> web.Response:
    _loopback_only(request)
    return ok(request, list_page(request))


def register(app: web.Application) -> None:
    """The journal (the middleware writes it), its route, and reset empties it."""
    journal = app[JOURNAL] = RequestJournal()
    app[control.RESET_HOOKS].append(journal.clear)
    app.router.add_get("/_harness/requests", list_requests)
