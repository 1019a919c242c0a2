"""WSGI and ASGI apps behind an aiohttp handler, so :mod:`harness.testing.apps` serves every
kind of app with one server (fast to start and to stop, no polling loop).

- :func:`wsgi_handler`: PEP 3333. The body is read whole, the app runs in a worker thread (a
  blocking Flask or Django view never stalls the loop), its iterable is collected and closed.
- :func:`asgi_handler`: the ASGI 3 HTTP protocol (spec 2.3): ``http.request`` with the whole
  body, then ``http.disconnect`` once the answer is sent; ``http.response.start`` /
  ``http.response.body`` (streamed when ``more_body``). An app that fails before it starts its
  answer gets a 500; after, the connection is closed.
- :class:`Lifespan`: the ASGI lifespan protocol (startup, shutdown, ``state``); an app that
  raises on the lifespan scope before its first message does not support it and is served
  without (as uvicorn's ``lifespan="auto"`` does).
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from aiohttp import web

log = logging.getLogger("harness.testing.apps")

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ASGI_VERSION = {"version": "3.0", "spec_version": "2.3"}
#: Seconds an ASGI app may take for its lifespan startup or shutdown.
LIFESPAN_TIMEOUT_S = 10.0


def _server(request: web.Request) -> tuple[str, int]:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2:
        return str(sockname[0]), int(sockname[1])
    return "127.0.0.1", 0


def _client(request: web.Request) -> tuple[str, int] | None:
    peer = request.transport.get_extra_info("peername") if request.transport else None
    if isinstance(peer, tuple) and len(peer) >= 2:
        return str(peer[0]), int(peer[1])
    return None


def wsgi_environ(request: web.Request, body: bytes) -> dict[str, Any]:
    """The PEP 3333 environ of ``request``: ``PATH_INFO`` percent-decoded, as latin-1 text."""
    host, port = _server(request)
    client = _client(request)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(request.raw_path.partition("?")[0]).decode("latin-1"),
        "QUERY_STRING": request.query_string,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": f"HTTP/{request.version.major}.{request.version.minor}",
        "REMOTE_ADDR": client[0] if client else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if "Content-Type" in request.headers:
        environ["CONTENT_TYPE"] = request.headers["Content-Type"]
    environ["CONTENT_LENGTH"] = str(len(body)) if body else ""
    for name, value in request.headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            continue
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call_wsgi(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    started: list[tuple[int, list[tuple[str, str]]]] = []
    written: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [(int(status.split(" ", 1)[0]), list(headers))]
        return written.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            written.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not started:
        raise RuntimeError("the WSGI app returned without calling start_response")
    status, headers = started[0]
    return status, headers, b"".join(written)


#: Headers aiohttp sets itself from the body it writes.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})


def wsgi_handler(app: WsgiApp) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        environ = wsgi_environ(request, body)
        loop = asyncio.get_running_loop()
        try:
            status, headers, out = await loop.run_in_executor(None, _call_wsgi, app, environ)
        except Exception:
            log.exception("the WSGI app failed on %s %s", request.method, request.path)
            return web.Response(status=500, text="the WSGI app raised; see the log")
        response = web.Response(status=status, body=out)
        for name, value in headers:
            if name.lower() not in _FRAMING:
                response.headers.add(name, value)
        return response

    return handle


def asgi_scope(request: web.Request, state: dict[str, Any] | None) -> dict[str, Any]:
    raw_path, _, _ = request.raw_path.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": dict(ASGI_VERSION),
        "http_version": f"{request.version.major}.{request.version.minor}",
        "method": request.method,
        "scheme": "http",
        "path": unquote_to_bytes(raw_path).decode("utf-8", "replace"),
        "raw_path": raw_path.encode("latin-1", "replace"),
        "query_string": request.query_string.encode("latin-1", "replace"),
        "root_path": "",
        "headers": [
            (name.lower().encode("latin-1"), value.encode("latin-1", "replace"))
            for name, value in request.headers.items()
        ],
        "client": _client(request),
        "server": _server(request),
    }
    if state is not None:
        scope["state"] = dict(state)
    return scope


class _AsgiExchange:
    """One request: what the app receives and how what it sends becomes the answer."""

    def __init__(self, request: web.Request, body: bytes) -> None:
        self.request = request
        self.body = body
        self.body_sent = False
        self.finished = asyncio.Event()
        self.response: web.StreamResponse | None = None
        self.status = 500
        self.headers: list[tuple[str, str]] = []

    async def receive(self) -> Message:
        if not self.body_sent:
            self.body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.finished.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if self.response is not None:
                raise RuntimeError("http.response.start sent twice")
            self.status = int(message["status"])
            self.headers = [
                (bytes(n).decode("latin-1"), bytes(v).decode("latin-1"))
                for n, v in message.get("headers", [])
            ]
            self.response = web.StreamResponse(status=self.status)
            for name, value in self.headers:
                if name.lower() not in _FRAMING:
                    self.response.headers.add(name, value)
            length = [v for n, v in self.headers if n.lower() == "content-length"]
            if length:
                self.response.content_length = int(length[0])
        elif kind == "http.response.body":
            if self.response is None:
                raise RuntimeError("http.response.body before http.response.start")
            if self.finished.is_set():
                return
            if not self.response.prepared:
                await self.response.prepare(self.request)
            chunk = bytes(message.get("body", b""))
            if chunk:
                await self.response.write(chunk)
            if not message.get("more_body", False):
                await self.response.write_eof()
                self.finished.set()


def asgi_handler(app: AsgiApp, lifespan: Lifespan) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        exchange = _AsgiExchange(request, await request.read())
        try:
            await app(asgi_scope(request, lifespan.state), exchange.receive, exchange.send)
        except Exception:
            log.exception("the ASGI app failed on %s %s", request.method, request.path)
            if exchange.response is None or not exchange.response.prepared:
                return web.Response(status=500, text="the ASGI app raised; see the log")
            raise
        finally:
            exchange.finished.set()
        response = exchange.response
        if response is None:
            log.error("the ASGI app sent no answer to %s %s", request.method, request.path)
            return web.Response(status=500, text="the ASGI app sent no answer")
        if not response.prepared:
            await response.prepare(request)
            await response.write_eof()
        return response

    return handle


class Lifespan:
    """The ASGI lifespan protocol of one app: :meth:`startup` before serving, :meth:`shutdown`
    after; ``state`` is the scope state each request gets a copy of."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app
        self.state: dict[str, Any] | None = None
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._outbox: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.supported = False

    async def _run(self) -> None:
        scope = {"type": "lifespan", "asgi": dict(ASGI_VERSION), "state": self.state}
        try:
            await self.app(scope, self._inbox.get, self._outbox.put)
        except Exception as exc:
            if self.supported:
                log.exception("the ASGI app's lifespan failed")
            await self._outbox.put({"type": "lifespan.unsupported", "message": str(exc)})
        else:  # an app that returns at once on a scope it does not know
            await self._outbox.put({"type": "lifespan.unsupported", "message": "returned"})

    async def _expect(self, sent: str) -> None:
        await self._inbox.put({"type": sent})
        async with asyncio.timeout(LIFESPAN_TIMEOUT_S):
            answer = await self._outbox.get()
        kind = answer["type"]
        if kind == "lifespan.unsupported":
            return
        self.supported = True
        if kind.endswith(".failed"):
            raise RuntimeError(f"the ASGI app's {sent} failed: {answer.get('message', '')}")

    async def startup(self) -> None:
        self.state = {}
        self._task = asyncio.create_task(self._run())
        await self._expect("lifespan.startup")
        if not self.supported:
            self.state = None

    async def shutdown(self) -> None:
        if self._task is None:
            return
        try:
            if self.supported and not self._task.done():
                await self._expect("lifespan.shutdown")
        finally:
            if not self._task.done():
                self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
