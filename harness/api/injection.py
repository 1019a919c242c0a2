"""``/_harness`` routes that switch failure injection on and off (loopback only).

- ``POST /_harness/modes {duplicate, outOfOrder, delayMs}``: the delivery modes of every webhook
  without its own (fields left out are off); answers the modes.
- ``POST /_harness/webhooks/{id}/modes {...}``: one webhook's own delivery modes.
- ``POST /_harness/faults {route, latencyMs, errorRate, errorStatus, burst, seed}``: a fault on
  one API route (:mod:`harness.api.faults`); ``GET`` lists them by route, a page at a time
  (``limit``, ``cursor``: :mod:`harness.paging`), ``DELETE`` clears them (204).

``POST /_harness/reset`` restores the configured modes and clears every fault.
"""

from __future__ import annotations

from aiohttp import web

from harness import paging
from harness.delivery.modes import DeliveryModes
from harness.errors import NotFound

from . import control
from .body import parse, path_uuid, read_body, read_model
from .control import _loopback_only
from .envelope import ok
from .faults import FAULTS, Faults, FaultSpec, api_routes
from .pagination import text_cursor_query
from .webhooks import DISPATCHER, WEBHOOKS


async def _modes_body(request: web.Request) -> DeliveryModes:
    raw = await read_body(request)
    return parse(raw, DeliveryModes) if raw.strip() else DeliveryModes()


async def set_default_modes(request: web.Request) -> web.Response:
    _loopback_only(request)
    modes = await _modes_body(request)
    request.app[DISPATCHER].modes.set(None, modes)
    return ok(request, modes.wire())


async def set_webhook_modes(request: web.Request) -> web.Response:
    _loopback_only(request)
    hook_id = path_uuid(request)
    if request.app[WEBHOOKS].get(hook_id) is None:
        raise NotFound("Webhook", str(hook_id))
    modes = await _modes_body(request)
    request.app[DISPATCHER].modes.set(hook_id, modes)
    return ok(request, modes.wire())


async def set_fault(request: web.Request) -> web.Response:
    _loopback_only(request)
    spec = await read_model(request, FaultSpec)
    fault = request.app[FAULTS].set(spec, api_routes(request.app))
    return ok(request, fault.wire())


async def list_faults(request: web.Request) -> web.Response:
    _loopback_only(request)
    limit, after = text_cursor_query(request, "faults")
    faults = request.app[FAULTS].by_route
    routes = (route for route in sorted(faults) if after is None or route > after)
    page = paging.take("faults", routes, lambda route: route, limit)
    return ok(request, {"items": [faults[r].wire() for r in page.items], "next": page.next})


async def clear_faults(request: web.Request) -> web.Response:
    _loopback_only(request)
    request.app[FAULTS].clear()
    return web.Response(status=204)


def register(app: web.Application) -> None:
    """The fault table (the middleware reads it) and the routes; reset clears the faults."""
    faults = app[FAULTS] = Faults()
    app[control.RESET_HOOKS].append(faults.clear)
    r = app.router
    r.add_post("/_harness/modes", set_default_modes)
    r.add_post("/_harness/webhooks/{id}/modes", set_webhook_modes)
    r.add_post("/_harness/faults", set_fault)
    r.add_get("/_harness/faults", list_faults)
    r.add_delete("/_harness/faults", clear_faults)
