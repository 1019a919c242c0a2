"""The receiver's error shape, ``{"error": code, "message": text}``, for every error it answers.

Handlers build their own errors (:func:`error`); this module covers the rest: aiohttp's own
answers (404 of an unknown route, 405, 413 of a too-large script body...), unexpected failures
(500, logged), and, through :func:`protocol_error` (see :mod:`harness.serving`), what aiohttp's
HTTP parser answers before any handler runs. The code is named by the status when nothing more
is known.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from harness import strict_json

log = logging.getLogger("harness.receiver")

CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    431: "headers_too_large",
    503: "unavailable",
}


def code_of(status: int) -> str:
    return CODES.get(status, "bad_request" if status < 500 else "internal_error")


def error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """An error answer in the receiver's shape (strict JSON, see :mod:`harness.strict_json`)."""
    return web.json_response(
        {"error": code, "message": message, **extra}, status=status, dumps=strict_json.dumps
    )


def protocol_error(app: web.Application, status: int, message: str) -> web.Response:
    """What the receiver answers for a request its HTTP parser refused (or timed out)."""
    return error(status, code_of(status), message)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:  # redirects (the static files' directory) are not errors
            raise
        message = exc.reason
        if exc.status == 404:
            message = f"no such route: {request.method} {request.path}"
        elif exc.status == 405:
            message = f"{request.method} is not allowed on {request.path}"
        response = error(exc.status, code_of(exc.status), message)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        return error(500, "internal_error", "unexpected error; see the receiver's log")
