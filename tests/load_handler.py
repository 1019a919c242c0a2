"""A webhook handler to drive with ``instaview-harness load`` and Locust: every delivery is
verified with the official ``standardwebhooks`` library (401 when it fails), and counted.

``GET /counts`` answers ``{received, valid, invalid, distinct, events}`` (``distinct``: how many
different ``webhook-id`` s came); ``POST /status/{code}`` answers that status; ``POST /stall``
never answers (until the client gives up). Run alone as ``python -m tests.load_handler --secret
HEX [--port P]``: it prints ``{"ready": "http://127.0.0.1:PORT"}`` once listening.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import standardwebhooks
from aiohttp import web

from harness.delivery.signing import whsec


@dataclass
class Counts:
    received: int = 0
    valid: int = 0
    invalid: int = 0
    ids: set[str] = field(default_factory=set)
    events: Counter[str] = field(default_factory=Counter)
    bodies: list[bytes] = field(default_factory=list)
    keep_bodies: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "valid": self.valid,
            "invalid": self.invalid,
            "distinct": len(self.ids),
            "events": dict(self.events),
        }


COUNTS = web.AppKey("counts", Counts)


def counting_app(secret: str, keep_bodies: bool = False) -> web.Application:
    verifier = standardwebhooks.Webhook(whsec(secret))
    stalled = asyncio.Event()  # never set: /stall waits until the client leaves

    async def hook(request: web.Request) -> web.Response:
        counts = request.app[COUNTS]
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        counts.received += 1
        counts.ids.add(headers.get("webhook-id", ""))
        if counts.keep_bodies:
            counts.bodies.append(body)
        try:
            payload = verifier.verify(body, headers)
        except standardwebhooks.WebhookVerificationError:
            counts.invalid += 1
            return web.Response(status=401)
        counts.valid += 1
        counts.events[str(payload.get("event"))] += 1
        return web.Response(status=204)

    async def counted(request: web.Request) -> web.Response:
        return web.json_response(request.app[COUNTS].as_json())

    async def status(request: web.Request) -> web.Response:
        await request.read()
        request.app[COUNTS].received += 1
        return web.Response(status=int(request.match_info["code"]))

    async def stall(request: web.Request) -> web.Response:
        await request.read()
        request.app[COUNTS].received += 1
        await stalled.wait()
        return web.Response(status=204)  # pragma: no cover - never reached

    app = web.Application()
    app[COUNTS] = Counts(keep_bodies=keep_bodies)
    app.router.add_post("/hook", hook)
    app.router.add_get("/counts", counted)
    app.router.add_post("/status/{code:\\d{3}}", status)
    app.router.add_post("/stall", stall)
    return app


async def _serve(secret: str, port: int) -> None:
    runner = web.AppRunner(counting_app(secret), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = runner.addresses[0][1]
    print(json.dumps({"ready": f"http://127.0.0.1:{bound}"}), flush=True)
    try:
        await asyncio.Event().wait()  # until the process is stopped
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.load_handler")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(_serve(args.secret, args.port))


if __name__ == "__main__":
    main()
