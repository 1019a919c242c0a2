"""How the harness's servers speak HTTP: :class:`HarnessRunner`, what ``serve``, ``listen`` and
the pytest plugin start the mock API and the receiver with.

aiohttp answers some requests before any handler or middleware sees them: its HTTP parser's
errors (a request line or header over 8190 bytes, more than 128 headers, a malformed header,
bad chunked framing, a duplicate ``Content-Length``...), each a 400 with a ``text/plain`` body.
And it waits for a request's headers as long as its keep-alive timeout (3630 s). The runner's
protocol changes both:

- a parser error is answered in the app's own error shape: the callable the app stores under
  :data:`PROTOCOL_ERROR` (the mock's envelope, the receiver's ``{"error", "message"}``), with
  aiohttp's status and message;
- a request whose headers have not all arrived ``header_timeout_s`` after its first byte is
  answered 408 in that shape, and its connection closed;
- a handler that marks its request :data:`CANCEL_ON_DISCONNECT` (a long-poll, a stream) is
  cancelled when its client leaves, as aiohttp's ``handler_cancellation`` would cancel every
  handler (the receiver turns that off: a capture must finish whatever its sender does).

Not covered (aiohttp gives no hook): a partial request pipelined behind a complete one on the
same connection waits for the keep-alive timeout. Apps run any other way (``web.run_app``, the
aiohttp test client) keep aiohttp's own answers for all of this. The protocol reaches into
aiohttp's ``RequestHandler`` (``_messages``, ``_waiter``, ``_ErrInfo``): a test sends each
case through a real server, so an aiohttp that changes them fails there, not silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.streams import EMPTY_PAYLOAD, StreamReader
from aiohttp.web_protocol import RequestHandler, _ErrInfo
from aiohttp.web_request import BaseRequest
from aiohttp.web_server import Server

log = logging.getLogger("harness.serving")

#: ``(app, status, message) -> response``: how an app answers what its parser refused.
ProtocolError = Callable[[web.Application, int, str], web.Response]
PROTOCOL_ERROR = web.AppKey[ProtocolError]("protocol_error")
#: ``request[CANCEL_ON_DISCONNECT] = True``: end this handler when its client leaves.
CANCEL_ON_DISCONNECT = web.RequestKey("cancel_on_disconnect", bool)
#: aiohttp echoes the offending bytes in its messages; a line of them is plenty.
MESSAGE_CHARS = 300


def _message(status: int, message: str | None) -> str:
    text = " ".join((message or "").split()) or HTTPStatus(status).phrase
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + "…"


class _Protocol(RequestHandler):
    """aiohttp's protocol with the app's error shape and a header read timeout."""

    def __init__(
        self,
        manager: Server,
        *,
        app: web.Application,
        header_timeout_s: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(manager, **kwargs)
        self._app = app
        self._header_timeout_s = header_timeout_s
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_timed_out = False
        #: The body of the last request parsed: bytes that arrive while it is open are body.
        self._last_payload: StreamReader | None = None

    # -- the error shape ----------------------------------------------------------------------

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        plain = super().handle_error(request, status, exc, message)  # logs; raises if answering
        shape = self._app.get(PROTOCOL_ERROR)
        if shape is None:
            return plain
        response = shape(self._app, status, _message(status, message))
        response.force_close()
        return response

    # -- the header read timeout --------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._head_timed_out:
            return  # answered 408; the connection closes
        parsed = self._request_count
        body_open = self._last_payload is not None and not self._last_payload.is_eof()
        super().data_received(data)
        if self._upgraded or self._payload_parser is not None:
            self._disarm()
        elif self._request_count != parsed:  # headers complete
            self._disarm()
            if self._messages:
                self._last_payload = self._messages[-1][1]
        elif data and not body_open and self._head_timer is None:
            self._head_timer = self._loop.call_later(
                self._header_timeout_s, self._head_late, self._request_count
            )

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_late(self, parsed: int) -> None:
        self._head_timer = None
        if self._request_count != parsed or self._force_close or self._close:
            return
        if self._request_in_progress or self.transport is None:
            return  # a request pipelined behind one being handled: not ours to cut
        self._head_timed_out = True
        message = f"the request's headers did not arrive within {self._header_timeout_s:g} s"
        self._messages.append((_ErrInfo(status=408, exc=None, message=message), EMPTY_PAYLOAD))  # type: ignore[arg-type]
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._disarm()
        request, task = self._current_request, self._task_handler
        super().connection_lost(exc)
        if request is not None and request.get(CANCEL_ON_DISCONNECT) and task is not None:
            task.cancel()  # the connection's task: it cancels the handler it awaits


class _Server(Server):
    """aiohttp's low-level server, making :class:`_Protocol` connections."""

    def __init__(self, base: Server, app: web.Application, header_timeout_s: float) -> None:
        super().__init__(
            base.request_handler,
            request_factory=base.request_factory,
            handler_cancellation=base.handler_cancellation,
            loop=base._loop,
            **base._kwargs,
        )
        self._app = app
        self._header_timeout_s = header_timeout_s

    def __call__(self) -> RequestHandler:
        return _Protocol(
            self,
            loop=self._loop,
            app=self._app,
            header_timeout_s=self._header_timeout_s,
            **self._kwargs,
        )


class HarnessRunner(web.AppRunner):
    """``web.AppRunner`` whose connections answer in the app's error shape and time out slow
    headers (see the module docstring)."""

    def __init__(self, app: web.Application, *, header_timeout_s: float, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._header_timeout_s = header_timeout_s

    async def _make_server(self) -> Server:
        return _Server(await super()._make_server(), self.app, self._header_timeout_s)
