"""``serve_app(app)``: the user's own handler on a loopback URL for one test.

The kind of app is detected: an :class:`aiohttp.web.Application`; an ASGI app (a coroutine
function, or an object whose ``__call__`` is one: FastAPI, Starlette, Quart); else a WSGI app
(any other callable: Flask, Django's ``get_wsgi_application()``, Falcon). Each :class:`ServedApp`
runs in a thread of its own with its own event loop and an aiohttp server on ``127.0.0.1`` and
a free port; WSGI and ASGI apps go through :mod:`harness.testing.adapters`. Stopping closes the
listening socket and idle connections at once (no polling interval to wait out) and gives
requests still running :data:`STOP_GRACE_S`; an ASGI app's lifespan shutdown runs then.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from typing import Any, Literal

from aiohttp import web

from harness.testing.adapters import AsgiApp, Lifespan, WsgiApp, asgi_handler, wsgi_handler

AppKind = Literal["aiohttp", "asgi", "wsgi"]
KINDS: tuple[AppKind, ...] = ("aiohttp", "asgi", "wsgi")
#: Seconds starting (incl. an ASGI lifespan startup) may take.
START_TIMEOUT_S = 30.0
#: Seconds requests still running at the end of a test get to finish.
STOP_GRACE_S = 1.0


def app_kind(app: object) -> AppKind:
    """Which kind ``app`` is; a TypeError names what was passed when it is no app at all."""
    if isinstance(app, web.Application):
        return "aiohttp"
    if inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__):
        return "asgi"
    if callable(app):
        return "wsgi"
    raise TypeError(
        f"serve_app takes an aiohttp Application, an ASGI app or a WSGI app, "
        f"not {type(app).__name__}"
    )


def _handler_app(handler: Callable[[web.Request], Any]) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


class ServedApp:
    """One app on its own loop and thread; :meth:`start` gives the URL, :meth:`stop` ends it."""

    def __init__(self, app: object, kind: AppKind | None = None) -> None:
        self.kind: AppKind = kind or app_kind(app)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self.app = app
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="instaview-app")
        self._runner: web.AppRunner | None = None
        self._lifespan: Lifespan | None = None

    def _web_app(self) -> web.Application:
        if self.kind == "aiohttp":
            if not isinstance(self.app, web.Application):
                raise TypeError("kind='aiohttp' needs an aiohttp.web.Application")
            return self.app
        if self.kind == "asgi":
            asgi: AsgiApp = self.app  # type: ignore[assignment]
            self._lifespan = Lifespan(asgi)
            return _handler_app(asgi_handler(asgi, self._lifespan))
        wsgi: WsgiApp = self.app  # type: ignore[assignment]
        return _handler_app(wsgi_handler(wsgi))

    async def _open(self) -> str:
        web_app = self._web_app()
        if self._lifespan is not None:
            await self._lifespan.startup()
        runner = web.AppRunner(
            web_app, access_log=None, handle_signals=False, shutdown_timeout=STOP_GRACE_S
        )
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    async def _close(self) -> None:
        try:
            if self._runner is not None:
                await self._runner.cleanup()
        finally:
            self._runner = None
            if self._lifespan is not None:
                await self._lifespan.shutdown()
            await self._loop.shutdown_default_executor()

    def start(self) -> str:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        try:
            self.url = future.result(START_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        """Closes the server, runs the ASGI lifespan shutdown, ends the thread and the loop."""
        if self._loop.is_closed():
            return
        if self._thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(START_TIMEOUT_S)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(START_TIMEOUT_S)
        self._loop.close()


class AppServers:
    """The apps one test serves; :meth:`close` (the fixture's teardown) stops them all."""

    def __init__(self) -> None:
        self._served: list[ServedApp] = []

    def serve(self, app: object, kind: AppKind | None = None) -> str:
        served = ServedApp(app, kind)
        url = served.start()
        self._served.append(served)
        return url

    def close(self) -> None:
        errors: list[BaseException] = []
        while self._served:
            try:
                self._served.pop().stop()
            except Exception as exc:  # stop the others anyway
                errors.append(exc)
        if errors:
            raise errors[0]
