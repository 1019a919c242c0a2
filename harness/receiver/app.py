"""Placeholder receiver until the capture app lands (issue 3): answers 204 to any hook."""

from __future__ import annotations

from aiohttp import web


async def _accept(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=204)


def create_receiver_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/hooks/{channel}", _accept)
    return app
