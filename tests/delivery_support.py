"""Helpers for delivery tests: a scripted local webhook target and clocks that the test drives."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from harness.api.webhooks import DISPATCHER
from harness.clock import VirtualClock
from harness.delivery.dispatcher import Dispatcher
from tests.support import Api

#: A scripted answer: a status code, ``"hang"`` (never answers) or ``"redirect"`` (302).
Action = int | str


@dataclass
class Received:
    channel: str
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return str(self.json["event"])


@dataclass
class Target:
    """Records every POST to ``/hooks/{channel}``; answers from ``script`` then ``default``."""

    script: deque[Action] = field(default_factory=deque)
    default: int = 204
    received: list[Received] = field(default_factory=list)
    redirected: int = 0
    base_url: str = ""
    _waiters: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, channel: str = "test") -> str:
        return f"{self.base_url}/hooks/{channel}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hooks/{channel}", self._hook)
        app.router.add_post("/moved", self._moved)
        app.on_shutdown.append(self._shutdown)
        return app

    async def _shutdown(self, app: web.Application) -> None:
        self._release.set()

    async def _moved(self, request: web.Request) -> web.Response:
        self.redirected += 1
        return web.Response(status=204)

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(request.match_info["channel"], body, dict(request.headers)))
        for count, fut in self._waiters:
            if len(self.received) >= count and not fut.done():
                fut.set_result(None)
        action = self.script.popleft() if self.script else self.default
        if action == "hang":
            await self._release.wait()
            return web.Response(status=204)
        if action == "redirect":
            return web.Response(status=302, headers={"Location": f"{self.base_url}/moved"})
        assert isinstance(action, int)
        return web.Response(status=action)

    def release(self) -> None:
        """Answers every ``"hang"`` (waiting or to come) at once."""
        self._release.set()

    async def wait_for(self, count: int) -> None:
        """Until ``count`` requests have arrived."""
        if len(self.received) >= count:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((count, fut))
        await asyncio.wait_for(fut, 5)

    def events(self) -> list[str]:
        return [r.event for r in self.received]


class SteppingClock(VirtualClock):
    """Virtual time that jumps ahead by each requested sleep at once; remembers the sleeps.

    Starts at the real now so that signature timestamps pass the ±5-minute tolerance."""

    def __init__(self) -> None:
        super().__init__(start=datetime.now(UTC))
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


class SignallingClock(VirtualClock):
    """Virtual time that moves only on ``advance``; ``sleeping`` is set once someone sleeps."""

    def __init__(self) -> None:
        super().__init__(start=datetime.now(UTC))
        self.sleeping = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.sleeping.set()
        await super().sleep(seconds)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def dispatcher_of(api: Api) -> Dispatcher:
    app = api.client.app
    assert app is not None
    dispatcher: Dispatcher = app[DISPATCHER]
    return dispatcher
