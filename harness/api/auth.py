"""Bearer keys, scopes and the rate-limit headers that ride on every authenticated answer."""

from __future__ import annotations

from aiohttp import web

from harness.clock import iso
from harness.domain.models import ApiKey, Company
from harness.errors import ApiKeySuspended, InsufficientPermissions, InvalidApiKey

from .state import CLOCK, LIMITER, STORE

RATE_HEADERS = web.RequestKey("rate_headers", dict[str, str])
#: The key a request authenticated with (set by :func:`authenticate`).
API_KEY = web.RequestKey("api_key", ApiKey)
#: Why a suspended key is refused when the world file gives no ``suspendedReason``.
DEFAULT_SUSPENSION_REASON = "Suspended in the harness world file"


def authenticate(request: web.Request, *scopes: str) -> Company:
    """The key's company, after checking every scope in ``scopes`` (403 names the first missing).
    A missing, unknown or expired key is 401 ``INVALID_API_KEY`` (the vendor's code for all
    three), a suspended one 401 ``API_KEY_SUSPENDED``; neither counts against a rate limit."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidApiKey("missing API key: send Authorization: Bearer <key>")
    found = request.app[STORE].keys.get(token.strip())
    if found is None:
        raise InvalidApiKey("unknown API key")
    company, api_key = found
    status = api_key.status(request.app[CLOCK].now())
    if status == "SUSPENDED":
        assert api_key.suspended_at is not None
        reason = api_key.suspended_reason or DEFAULT_SUSPENSION_REASON
        raise ApiKeySuspended(iso(api_key.suspended_at), reason)
    if status == "EXPIRED":
        assert api_key.expires_at is not None
        raise InvalidApiKey(
            "The provided API key has expired", {"expiredAt": iso(api_key.expires_at)}
        )
    request[API_KEY] = api_key
    request[RATE_HEADERS] = request.app[LIMITER].hit(api_key.key, company.plan)
    for scope in scopes:
        if scope not in api_key.scopes:
            raise InsufficientPermissions(scope)
    return company
