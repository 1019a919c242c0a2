"""Every answer goes through here: errors become the envelope, rate-limit headers are attached."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from harness.errors import ApiError

from .auth import RATE_HEADERS
from .envelope import app_error_response, error_response

log = logging.getLogger("harness.api")


class RouteNotFound(ApiError):
    status = 404
    code = "RESOURCE_NOT_FOUND"


class MethodNotAllowed(ApiError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class Internal(ApiError):
    status = 500
    code = "INTERNAL_ERROR"


#: The code of an error answered by status alone (aiohttp's own answers, its parser's errors).
CODES = {
    400: "BAD_REQUEST",
    404: "RESOURCE_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMIT_EXCEEDED",
}


def from_status(status: int, message: str) -> ApiError:
    """An :class:`ApiError` for an answer known only by its status: 4xx without a code of
    its own is BAD_REQUEST, 5xx INTERNAL_ERROR."""
    error = ApiError(message)
    error.status = status
    error.code = CODES.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL_ERROR")
    return error


def protocol_error(app: web.Application, status: int, message: str) -> web.Response:
    """The envelope of what aiohttp's parser refused (see :mod:`harness.serving`)."""
    return app_error_response(app, from_status(status, message))


@web.middleware
async def envelope_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except ApiError as exc:
        response = error_response(request, exc)
        response.headers.update(exc.headers)
    except web.HTTPMethodNotAllowed as exc:
        response = error_response(
            request,
            MethodNotAllowed(
                f"{request.method} is not allowed on {request.path}",
                {"allowed": sorted(exc.allowed_methods)},
            ),
        )
        response.headers["Allow"] = ", ".join(sorted(exc.allowed_methods))
    except web.HTTPNotFound:
        response = error_response(
            request,
            RouteNotFound(
                f"no such endpoint: {request.method} {request.path}",
                {"resourceType": "Route", "resourceId": request.path},
            ),
        )
    except web.HTTPException as exc:
        if exc.status < 400:  # a redirect is not an error
            raise
        response = error_response(request, from_status(exc.status, exc.reason))
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        response = error_response(request, Internal("unexpected error; see the harness log"))
    headers = request.get(RATE_HEADERS)
    if headers:
        response.headers.update(headers)
    return response
