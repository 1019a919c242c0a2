"""The broken twin: no signature check, no idempotency. The harness must catch both."""

from __future__ import annotations

import json

from aiohttp import web

from tests.sample_project.handler import RESULTS, Results, record


async def receive(request: web.Request) -> web.Response:
    results = request.app[RESULTS]
    payload = json.loads(await request.read())  # trusts whatever arrives
    if payload.get("event") != "ping":
        record(results, payload)
    results.processed.append(request.headers.get("webhook-id", ""))  # and processes it again
    return web.Response(status=204)


def create_app(results: Results) -> web.Application:
    app = web.Application()
    app[RESULTS] = results
    app.router.add_post("/webhooks/instaview", receive)
    return app
