"""``GET /events/stream``: captures as server-sent events, for the inspector page.

Query: the filters of ``GET /events`` (``event``, ``interviewId``, ``channel``, ``deliveryId``,
``after``), ``q=TEXT`` (free text: a capture matches when TEXT, case-folded, is in its event,
channel, interview id, delivery id or body text) and ``backlog=N`` (default 200, at most 1000):
the stream first sends the newest N matching captures (or, when the browser reconnects with
``Last-Event-ID``, every matching one after that id, at most 1000), then ``event: ready``
``{lastId, total}`` (``total``: how many captures match, all of them, not only those sent),
then each new matching capture as it is stored. Each capture is ``id: <captureId>`` /
``event: capture`` / ``data: <summary JSON>`` (``Capture.summary()``, no headers, no body,
``schemaErrors`` the number of violations, the check settled before sending; plus
``answerStatus``, what the receiver answered, and ``isTest``, the body's ``data.isTest`` when
it is a boolean, else null). After ``DELETE /events`` the stream sends ``event: cleared``
``{lastId}`` (the page drops its rows). Frames are described in
``schemas/receiver-stream.json``. A comment line every 15 s keeps proxies from closing it.

No polling: the handler holds a :class:`~harness.receiver.waiters.Watch`, woken by the same
notification that resolves long-poll waits, and reads the store from the last id it sent, so
a burst costs one read and nothing slips between the backlog and the live part. A browser
that goes away ends its stream at once (the handler is cancelled, see
:data:`harness.serving.CANCEL_ON_DISCONNECT`); streams count towards the
receiver's cap on open waits (503 ``too_many_waits`` beyond it).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
from dataclasses import replace
from typing import Any

from aiohttp import web

from harness import strict_json
from harness.receiver.app import (
    CHECKS,
    STORE,
    WAITERS,
    BadQuery,
    _int_param,
    _query,
    bad_query,
    too_many_waits,
    whole_number,
)
from harness.receiver.waiters import TooManyWaits
from harness.serving import CANCEL_ON_DISCONNECT
from harness.store.captures import Capture, CaptureQuery, CaptureStore

DEFAULT_BACKLOG = 200
MAX_BACKLOG = 1000
KEEPALIVE_SECONDS = 15.0


#: The longest ``q`` taken (characters).
MAX_SEARCH = 200


class TextFilter:
    """``q``: a case-folded substring of a capture's fields or body text (None: everything)."""

    def __init__(self, raw: str | None) -> None:
        if raw is not None and len(raw) > MAX_SEARCH:
            raise BadQuery(f"q must be at most {MAX_SEARCH} characters")
        self.needle = raw.casefold() if raw else None

    def matches(self, capture: Capture) -> bool:
        if self.needle is None:
            return True
        fields = (capture.event, capture.channel, capture.interview_id, capture.delivery_id)
        if any(self.needle in f.casefold() for f in fields if f):
            return True
        return self.needle in capture.body.decode("utf-8", "replace").casefold()


def is_test(capture: Capture) -> bool | None:
    """The body's ``data.isTest`` when it is a boolean, else None."""
    if {"not_json", "too_large"} & set(capture.flags):
        return None
    try:
        body = strict_json.loads(capture.body)
    except (ValueError, RecursionError):
        return None
    data = body.get("data") if isinstance(body, dict) else None
    value = data.get("isTest") if isinstance(data, dict) else None
    return value if isinstance(value, bool) else None


def row(capture: Capture) -> dict[str, Any]:
    """What the stream sends of a capture: its summary, the answer's status and ``isTest``."""
    return {**capture.summary(), "answerStatus": capture.answer_status, "isTest": is_test(capture)}


def _backlog(
    store: CaptureStore, query: CaptureQuery, text: TextFilter, count: int
) -> tuple[list[Capture], int]:
    """(the newest ``count`` captures matching, how many match in all)."""
    if text.needle is None:
        return (store.newest(query, count) if count else []), store.count(query)
    kept: collections.deque[Capture] = collections.deque(maxlen=count or None)
    total = 0
    for capture in store.scan(query):  # free text is matched here, not in SQL
        if text.matches(capture):
            total += 1
            if count:
                kept.append(capture)
    return list(kept), total


def _frame(event: str, data: Any, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _settled(app: web.Application, captures: list[Capture]) -> list[Capture]:
    """The captures with their schema checks done (re-read after settling)."""
    app[CHECKS].settle(c.id for c in captures)
    store = app[STORE]
    return [store.get(c.id) or c for c in captures]


def _start_after(request: web.Request, query: CaptureQuery, backlog: int) -> tuple[int, int]:
    """(after, how many) for the first read: a reconnect resumes after ``Last-Event-ID``."""
    resume = whole_number(request.headers.get("Last-Event-ID", ""))
    if resume is not None and resume >= 0:
        return max(query.after, resume), MAX_BACKLOG
    return query.after, backlog


async def event_stream(request: web.Request) -> web.StreamResponse:
    try:
        query = _query(request)
        backlog = _int_param(request, "backlog", 0)
        text = TextFilter(request.query.get("q"))
    except BadQuery as exc:
        return bad_query(exc)
    backlog = min(DEFAULT_BACKLOG if backlog is None else backlog, MAX_BACKLOG)
    request[CANCEL_ON_DISCONNECT] = True  # a browser that leaves ends its stream at once
    app = request.app
    store = app[STORE]
    waiters = app[WAITERS]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    with contextlib.ExitStack() as stack:
        try:
            watch = stack.enter_context(waiters.watch())
        except TooManyWaits as exc:
            return too_many_waits(exc)
        await response.prepare(request)
        after, count = _start_after(request, query, backlog)
        first = replace(query, after=after, limit=None)
        cursor = store.last_id()
        clears = waiters.clears
        newest, total = _backlog(store, first, text, count)
        if after != query.after:  # a reconnect: the total is of every match, not the resumed
            total = _backlog(store, replace(query, limit=None), text, 0)[1]
        items = _settled(app, newest)
        try:
            await response.write(b"retry: 2000\n\n" + _frames(items))
            await response.write(_frame("ready", {"lastId": cursor, "total": total}))
            while True:
                try:
                    async with asyncio.timeout(KEEPALIVE_SECONDS):
                        alive = await watch.next()
                except TimeoutError:
                    await response.write(b": keepalive\n\n")
                    continue
                if not alive:
                    break
                if waiters.clears != clears:
                    clears = waiters.clears
                    await response.write(_frame("cleared", {"lastId": cursor}))
                live = replace(query, after=max(cursor, query.after), limit=None)
                found = [c for c in store.find(live) if text.matches(c)]
                cursor = store.last_id()
                if found:
                    await response.write(_frames(_settled(app, found)))
        except (ConnectionResetError, ConnectionError):
            return response  # the browser went away
    return response


def _frames(captures: list[Capture]) -> bytes:
    return b"".join(_frame("capture", row(c), c.id) for c in captures)


def register(app: web.Application) -> None:
    app.router.add_get("/events/stream", event_stream)
