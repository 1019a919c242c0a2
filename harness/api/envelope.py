"""The response envelope ``{success, data, error, timestamp}`` and its bare-object variant."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic_core import PydanticSerializationError, to_json

from harness import strict_json
from harness.clock import iso
from harness.errors import ApiError

from .state import CLOCK, CONFIG


def _dumps(body: Any) -> bytes:
    return to_json(body)


def ok(request: web.Request, data: Any, status: int = 200) -> web.Response:
    """A success: wrapped in the envelope unless the server runs with bare bodies."""
    app = request.app
    if app[CONFIG].envelope == "bare":
        body: Any = data
    else:
        body = {"success": True, "data": data, "error": None, "timestamp": iso(app[CLOCK].now())}
    return web.Response(body=_dumps(body), status=status, content_type="application/json")


def created(request: web.Request, data: Any) -> web.Response:
    """201 by default; 200 when the server runs with the legacy create status."""
    return ok(request, data, request.app[CONFIG].create_status)


def error_response(request: web.Request, exc: ApiError) -> web.Response:
    """An error always keeps the envelope."""
    return app_error_response(request.app, exc)


def app_error_response(app: web.Application, exc: ApiError) -> web.Response:
    """The envelope of an error of ``app`` (also where no request reached a handler)."""
    body = {
        "success": False,
        "data": None,
        "error": exc.body(),
        "timestamp": iso(app[CLOCK].now()),
    }
    try:
        data = _dumps(body)
    except PydanticSerializationError:  # text a client sent, not UTF-8: shown with U+FFFD
        data = strict_json.dumps(body).encode()
    return web.Response(body=data, status=exc.status, content_type="application/json")
