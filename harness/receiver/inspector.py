"""The event inspector: a web page at ``/`` on the receiver, and the routes only it needs.

Routes::

    GET  /                        the page (harness/receiver/static/index.html)
    GET  /static/{file}           its CSS and JS (plain files, no build step, nothing remote)
    GET  /inspector/info          {"apiUrl": url|null, "scheme", "knownEvents": [...]}
    POST /events/{id}/replay      {url, secret?, scheme?, body?} → the capture's bytes (or the
                                  edited body) POSTed to a loopback url, re-signed now
                                  (:mod:`harness.receiver.replay`)
    GET  /events/{id}/fixture     the body as a fixture file (:mod:`harness.receiver.downloads`)

plus ``GET /events/stream`` (:mod:`harness.receiver.stream`: rows, the true total, ``q``
search, ``cleared``) and ``GET /mock/webhooks``, ``GET /mock/deliveries``,
``POST /mock/webhooks/{id}/reset-circuit`` (:mod:`harness.receiver.mock`). The page renders
every payload value with ``textContent`` and is served with a Content-Security-Policy allowing
only its own files.
"""

from __future__ import annotations

from aiohttp import web

from harness._data import static_dir
from harness.receiver import downloads, mock, replay, stream
from harness.receiver.app import INSPECTOR

STATIC = static_dir()
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        STATIC / "index.html",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


async def info(request: web.Request) -> web.Response:
    inspector = request.app[INSPECTOR]
    return web.json_response(
        {
            "apiUrl": request.app[mock.LINK].url,
            "scheme": inspector.scheme,
            "knownEvents": sorted(inspector.known_events),
        }
    )


def register(app: web.Application, api_url: str | mock.MockLink | None = None) -> None:
    """Every inspector route on a receiver app (see the module docstring)."""
    mock.register(app, api_url)
    downloads.register(app)
    stream.register(app)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/inspector/info", info)
    replay.register(app)
