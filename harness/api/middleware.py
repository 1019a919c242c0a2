"""Every answer goes through here: errors become the envelope, rate-limit headers are attached."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from harness.errors import ApiError

from .auth import RATE_HEADERS
from .envelope import error_response

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
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        response = error_response(request, Internal("unexpected error; see the harness log"))
    headers = request.get(RATE_HEADERS)
    if headers:
        response.headers.update(headers)
    return response
