"""The receiver's HTTP surface: capture hooks, list and wait for captures, script answers.

Routes (answers are JSON; errors are ``{"error": code, "message": text}``; every route first
refuses a foreign ``Host``, and every non-GET one a foreign ``Origin``, with 403
``foreign_host`` / ``foreign_origin``: :mod:`harness.guard`)::

    POST   /hooks/{channel}            capture anything; answer 204 (or as scripted; 413 if too
                                       large; 408 if the body stops arriving), header
                                       X-Harness-Capture-Id
    GET    /events?event=&interviewId=&channel=&deliveryId=&after=&limit=&cursor=
                                       {"items": [capture...], "count": n, "next": cursor,
                                       "retention": {limit, kept, evicted}}, oldest first, a
                                       page at a time (harness.paging: limit 1-1000, 100)
    GET    /events/wait?...&timeout=S  200 capture | 408 {"error": "timeout", ..., "arrived"}
    GET    /events/{id}                200 capture | 404
    GET    /events/{id}/raw            the exact bytes captured, as an inert download
    DELETE /events                     {"deleted": n}
    GET    /channels?limit=&cursor=    {"items": [script...], "next": cursor}, by name
    PUT|POST /channels/{channel}/script  {status, delayMs, failFirst} → 200 script
    GET    /channels/{channel}/script  200 script | 404
    DELETE /channels/{channel}/script  204
    GET    /health                     {"status": "ok", "captures": n, "retention": {...}}

``GET /events`` and ``GET /channels`` follow ``schemas/receiver-{events,channels}.json``; plus
the event inspector's page and routes (``/``, ``/events/stream``, replay, fixture, the
``/mock/*`` proxy): see :mod:`harness.receiver.inspector`; the raw and fixture downloads are in
:mod:`harness.receiver.downloads`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from harness import paging, strict_json
from harness.clock import Clock, RealClock
from harness.config import HarnessConfig
from harness.delivery.signing import Scheme, SecretSource
from harness.guard import Refusal, RequestGuard, guard_middleware
from harness.receiver.capture import HUNG_UP, Inspector, flat_headers, ordered, read_body
from harness.receiver.checks import DeferredChecks
from harness.receiver.errors import error, error_middleware, protocol_error
from harness.receiver.forward import FORWARDER
from harness.receiver.query import (
    CHANNELS,
    EVENTS,
    capture_query,
    int_param,
    page_params,
    text_page_params,
)
from harness.receiver.query import BadQuery as BadQuery
from harness.receiver.query import whole_number as whole_number
from harness.receiver.script import ScriptError, Scripts, parse_script
from harness.receiver.secrets import no_secrets
from harness.receiver.waiters import ReceiverClosing, TooManyWaits, Waiters
from harness.schemas import SchemaSet, default_schemas
from harness.serving import CANCEL_ON_DISCONNECT, PROTOCOL_ERROR
from harness.store.captures import Capture, CaptureQuery, CaptureStore, capture_cap

if TYPE_CHECKING:
    from harness.receiver.mock import MockLink

log = logging.getLogger("harness.receiver")

DEFAULT_DB = HarnessConfig.model_fields["db_path"].default
DEFAULT_WAIT_SECONDS = 10.0
MAX_WAIT_SECONDS = 600.0
#: How many captures a timed-out wait lists (the newest).
ARRIVED_SHOWN = 100

STORE = web.AppKey("receiver_store", CaptureStore)
INSPECTOR = web.AppKey("receiver_inspector", Inspector)
WAITERS = web.AppKey("receiver_waiters", Waiters)
CHECKS = web.AppKey("receiver_checks", DeferredChecks)
SCRIPTS = web.AppKey("receiver_scripts", Scripts)
CLOSING = web.AppKey("receiver_closing", asyncio.Event)
#: Seconds a request body may take to arrive (``HarnessConfig.read_timeout_s``).
READ_TIMEOUT = web.AppKey("receiver_read_timeout", float)
DEFAULT_READ_TIMEOUT = HarnessConfig.model_fields["read_timeout_s"].default
DEFAULT_MAX_WAITS = HarnessConfig.model_fields["max_waits"].default


_error = error


def _refuse(request: web.Request, refusal: Refusal) -> web.Response:
    return _error(403, refusal.code, refusal.message, **refusal.details)


# the query parsing lives in harness.receiver.query; these names stay importable from here
_int_param = int_param
_query = capture_query


def bad_query(exc: BadQuery) -> web.Response:
    """The 400 a bad query parameter gets (``field`` names it when known)."""
    extra = {} if exc.field is None else {"field": exc.field}
    return _error(400, "bad_query", str(exc), **extra)


async def capture_hook(request: web.Request) -> web.StreamResponse:
    app = request.app
    inspector = app[INSPECTOR]
    channel = request.match_info["channel"]
    body, size, short = await read_body(request, inspector.max_body_bytes, app[READ_TIMEOUT])
    forward = None
    timed_out = short is not None and short != HUNG_UP
    if size > len(body) or timed_out:  # a scripted attempt is not used up by either
        status, delay_ms = 408 if timed_out else 413, 0
    else:
        answer = app[SCRIPTS].answer(channel)
        status, delay_ms = answer.status, answer.delay_ms
        forward = None if answer.scripted else app.get(FORWARDER)
    headers = flat_headers(request.headers)
    capture = inspector.inspect(channel, headers, body, size, status, delay_ms)
    if short is not None:
        capture = replace(capture, flags=ordered([*capture.flags, "incomplete_body"]))
    if forward is not None:  # listen --forward-to: the handler's answer is the answer
        forwarded = await forward.forward(channel, headers, body)
        status = forwarded.answer_status
        capture = replace(capture, answer_status=status, forwarded=forwarded.wire())
    try:  # committed before anyone hears of it: a 2xx never acknowledges a capture a crash loses
        stored = await app[STORE].save(capture)
    except Exception:
        log.exception("could not store a capture on channel %s", channel)
        return _error(500, "store_failed", "the capture could not be stored (see the log)")
    app[CHECKS].defer(stored)
    app[WAITERS].notify(stored)
    if delay_ms:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(app[CLOSING].wait(), delay_ms / 1000)
    headers = {"X-Harness-Capture-Id": str(stored.id)}
    if timed_out:
        response = _error(408, "request_timeout", f"{short} (captured, incomplete)")
        response.headers.update(headers)
        return response
    if status == 204 or forward is not None:
        return web.Response(status=status, headers=headers)
    payload: dict[str, Any] = {"captureId": stored.id, "scripted": status != 413, "status": status}
    if status == 413:
        payload["error"] = (
            f"body larger than {inspector.max_body_bytes} bytes (captured, truncated)"
        )
    return web.json_response(payload, status=status, headers=headers)


async def list_events(request: web.Request) -> web.Response:
    store = request.app[STORE]
    try:
        query = _query(request)
        limit, after = page_params(request, EVENTS, store.newest_id())
    except BadQuery as exc:
        return bad_query(exc)
    request.app[CHECKS].settle()
    wanted = replace(query, after=max(query.after, after), limit=limit + 1)
    page = paging.take(EVENTS, store.scan(wanted), lambda c: c.id, limit)
    items = [c.wire() for c in page.items]
    body = {
        "items": items,
        "count": len(items),
        "next": page.next,
        "retention": store.retention.wire(store.kept),
    }
    return web.json_response(body, dumps=_dumps)


async def wait_event(request: web.Request) -> web.Response:
    request[CANCEL_ON_DISCONNECT] = True  # a client that leaves ends its wait (harness.serving)
    try:
        query = _query(request)
        timeout = float(request.query.get("timeout") or DEFAULT_WAIT_SECONDS)
    except BadQuery as exc:
        return bad_query(exc)
    except ValueError as exc:
        return _error(400, "bad_query", str(exc), field="timeout")
    if not 0 <= timeout <= MAX_WAIT_SECONDS:
        message = f"timeout must be between 0 and {MAX_WAIT_SECONDS}"
        return _error(400, "bad_query", message, field="timeout")
    store = request.app[STORE]
    try:
        found = await request.app[WAITERS].wait(store, query, timeout)
    except TimeoutError:
        seen = CaptureQuery(after=query.after)
        total = store.count(seen)
        shown = CaptureQuery(after=max(query.after, store.last_id() - ARRIVED_SHOWN))
        request.app[CHECKS].settle(c.id for c in store.scan(shown))
        newest = store.find(shown)
        return _error(
            408,
            "timeout",
            f"no capture matching {query.wire() or 'anything'} within {timeout:g}s; "
            f"{total} other capture(s) arrived",
            query=query.wire(),
            timeout=timeout,
            arrivedCount=total,
            arrived=[c.summary() for c in newest[-ARRIVED_SHOWN:]],
        )
    except ReceiverClosing as exc:
        return _error(503, "shutting_down", str(exc))
    except TooManyWaits as exc:
        return too_many_waits(exc)
    request.app[CHECKS].settle([found.id])
    settled = store.get(found.id) or found  # None only if cleared meanwhile
    return web.json_response(settled.wire(), dumps=_dumps)


def too_many_waits(exc: TooManyWaits) -> web.Response:
    response = _error(503, "too_many_waits", str(exc))
    response.headers["Retry-After"] = "1"
    return response


def capture_id(request: web.Request) -> int:
    """The path's capture id; 0 (no capture has it) for one past SQLite's range."""
    return whole_number(request.match_info["id"]) or 0


def found_capture(request: web.Request) -> Capture | web.Response:
    """The capture ``{id}`` names, its schema check settled; or the 404 answer."""
    wanted = capture_id(request)
    request.app[CHECKS].settle([wanted])
    found = request.app[STORE].get(wanted)
    if found is None:
        return _error(404, "not_found", f"no capture {request.match_info['id']}")
    return found


async def get_event(request: web.Request) -> web.Response:
    found = found_capture(request)
    if isinstance(found, web.Response):
        return found
    return web.json_response(found.wire(), dumps=_dumps)


async def clear_events(request: web.Request) -> web.Response:
    request.app[CHECKS].settle()
    deleted = request.app[STORE].clear()
    request.app[WAITERS].cleared()  # open inspector pages drop their rows
    return web.json_response({"deleted": deleted})


async def list_channels(request: web.Request) -> web.Response:
    try:
        limit, after = text_page_params(request, CHANNELS)
    except BadQuery as exc:
        return bad_query(exc)
    scripts = request.app[SCRIPTS].all()
    names = (name for name in sorted(scripts) if after is None or name > after)
    page = paging.take(CHANNELS, names, lambda name: name, limit)
    items = [scripts[name].wire(name) for name in page.items]
    return web.json_response({"items": items, "next": page.next})


async def read_json(request: web.Request) -> Any:
    """A control request's JSON body ({} when none came; raises ValueError if not JSON and
    :class:`TimeoutError` if it does not arrive within the read timeout)."""
    if not request.can_read_body:
        return {}
    async with asyncio.timeout(request.app[READ_TIMEOUT]):
        raw = await request.read()
    return strict_json.loads(raw)


def body_timeout(request: web.Request) -> web.Response:
    seconds = request.app[READ_TIMEOUT]
    return _error(408, "request_timeout", f"the body did not arrive within {seconds:g} s")


async def put_script(request: web.Request) -> web.Response:
    channel = request.match_info["channel"]
    try:
        body = await read_json(request)
    except TimeoutError:
        return body_timeout(request)
    except (ValueError, RecursionError):
        return _error(400, "bad_script", "body must be JSON {status, delayMs, failFirst}")
    try:
        script = parse_script(body)
    except ScriptError as exc:
        return _error(400, "bad_script", exc.message, field=exc.field)
    request.app[SCRIPTS].set(channel, script)
    return web.json_response(script.wire(channel))


async def get_script(request: web.Request) -> web.Response:
    channel = request.match_info["channel"]
    script = request.app[SCRIPTS].get(channel)
    if script is None:
        return _error(404, "not_found", f"no script for channel {channel!r} (it answers 204)")
    return web.json_response(script.wire(channel))


async def delete_script(request: web.Request) -> web.Response:
    request.app[SCRIPTS].remove(request.match_info["channel"])
    return web.Response(status=204)


async def health(request: web.Request) -> web.Response:
    store = request.app[STORE]
    retention = store.retention.wire(store.kept)
    return web.json_response({"status": "ok", "captures": store.kept, "retention": retention})


def _dumps(value: Any) -> str:
    return strict_json.dumps(value)


def create_receiver_app(
    *,
    db_path: str | Path = DEFAULT_DB,
    scheme: Scheme = "standard",
    secrets: SecretSource = no_secrets,
    schemas: SchemaSet | None = None,
    clock: Clock | None = None,
    max_body_bytes: int = 1024 * 1024,
    max_pending_checks: int = 20_000,
    api_url: str | MockLink | None = None,
    host: str = "127.0.0.1",
    allow_hosts: Sequence[str] = (),
    strict_schemas: bool = False,
    read_timeout_s: float = DEFAULT_READ_TIMEOUT,
    max_waits: int = DEFAULT_MAX_WAITS,
    max_captures: int | None = None,
) -> web.Application:
    """A receiver that stores its captures in ``db_path`` (``":memory:"`` allowed); the
    database is opened when the app starts and closed when it stops. Schema checks run after
    the answer, at most ``max_pending_checks`` behind (0: check each capture before answering;
    see :mod:`harness.receiver.checks`). ``api_url`` is the mock API's URL (or a
    :class:`~harness.receiver.mock.MockLink` filled in once it listens) for the inspector's
    view of the mock; None when the receiver runs alone. ``host`` is the address it listens on
    and ``allow_hosts`` the extra names it answers to (:mod:`harness.guard`); ``strict_schemas``
    checks captures against the harness's own emissions too, not only what the vendor documents.
    ``max_captures`` caps the captures it keeps (:func:`~harness.store.captures.capture_cap`)."""
    guard = guard_middleware(RequestGuard(host, allow_hosts), _refuse)
    cap = capture_cap(db_path, max_captures)
    # auto_decompress off: a capture keeps the body as it came, whatever Content-Encoding says;
    # handler_cancellation off, whatever the runner (aiohttp's test server turns it on): a
    # capture runs to its end when its sender hangs up; waits and streams end instead through
    # harness.serving.CANCEL_ON_DISCONNECT
    app = web.Application(
        middlewares=[guard, error_middleware],
        client_max_size=max_body_bytes,
        handler_args={"auto_decompress": False, "handler_cancellation": False},
    )
    app[READ_TIMEOUT] = read_timeout_s
    app[PROTOCOL_ERROR] = protocol_error
    app[INSPECTOR] = Inspector(
        scheme=scheme,
        secrets=secrets,
        schemas=schemas or default_schemas(),
        clock=clock or RealClock(),
        max_body_bytes=max_body_bytes,
        strict=strict_schemas,
    )
    app[WAITERS] = Waiters(max_waits)
    app[SCRIPTS] = Scripts()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        app[CLOSING] = asyncio.Event()
        app[STORE] = store = CaptureStore.open(db_path, max_captures=cap)
        try:
            app[CHECKS] = DeferredChecks(store, app[INSPECTOR], max_pending=max_pending_checks)
            yield
        finally:
            app[WAITERS].close()
            if CHECKS in app:
                app[CHECKS].close()
            store.close()

    async def on_shutdown(app: web.Application) -> None:
        app[CLOSING].set()
        app[WAITERS].close()

    app.cleanup_ctx.append(lifecycle)
    app.on_shutdown.append(on_shutdown)
    router = app.router
    router.add_post("/hooks/{channel}", capture_hook)
    router.add_get("/events", list_events)
    router.add_delete("/events", clear_events)
    router.add_get("/events/wait", wait_event)
    router.add_get(r"/events/{id:\d+}", get_event)
    router.add_get("/channels", list_channels)
    router.add_put("/channels/{channel}/script", put_script)
    router.add_post("/channels/{channel}/script", put_script)
    router.add_get("/channels/{channel}/script", get_script)
    router.add_delete("/channels/{channel}/script", delete_script)
    router.add_get("/health", health)
    from harness.receiver import inspector  # it imports this module's app keys

    inspector.register(app, api_url)
    return app
