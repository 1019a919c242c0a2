"""Every route is served at its path and under the ``/v1`` alias (contract section 1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

PREFIXES = ("", "/v1")


def add_route(
    app: web.Application,
    method: str,
    path: str,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> None:
    for prefix in PREFIXES:
        app.router.add_route(method, prefix + path, handler)
