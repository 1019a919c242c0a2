"""Webhook handlers the QA tools are tested against: a good one that verifies signatures with the
official ``standardwebhooks`` library (hex: with the harness's verifier), and a broken one that
accepts everything. Each records what it received on its own app."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import standardwebhooks
from aiohttp import web
from aiohttp.test_utils import TestServer

from harness.delivery.signing import Scheme, Verdict, verify, whsec

SECRET = "ab" * 32


@dataclass
class Received:
    """Every request a handler got, in order: (headers, body, status answered)."""

    requests: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)

    @property
    def bodies(self) -> list[bytes]:
        return [body for _, body, _ in self.requests]


RECEIVED = web.AppKey("received", Received)


def _accepts(scheme: Scheme, secret: str, headers: dict[str, str], body: bytes) -> bool:
    if scheme == "standard":
        try:
            standardwebhooks.Webhook(whsec(secret)).verify(body, headers)
        except standardwebhooks.WebhookVerificationError:
            return False
        return True
    verdict, _ = verify(scheme, [secret], headers, body, int(time.time()))
    return verdict is not Verdict.INVALID


def handler_app(scheme: Scheme = "standard", secret: str = SECRET, broken: bool = False) -> Any:
    """``POST /hook`` verifies (or, broken, accepts anything); ``POST /status/{code}`` answers
    that status."""

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        status = 200 if broken or _accepts(scheme, secret, headers, body) else 401
        request.app[RECEIVED].requests.append((headers, body, status))
        return web.Response(status=status)

    async def status(request: web.Request) -> web.Response:
        body = await request.read()
        code = int(request.match_info["code"])
        request.app[RECEIVED].requests.append((dict(request.headers), body, code))
        return web.Response(status=code)

    app = web.Application()
    app[RECEIVED] = Received()
    app.router.add_post("/hook", hook)
    app.router.add_post("/status/{code}", status)
    return app


def received(server: TestServer) -> Received:
    return server.app[RECEIVED]  # type: ignore[index]
