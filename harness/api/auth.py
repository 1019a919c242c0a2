"""Bearer keys, scopes and the rate-limit headers that ride on every authenticated answer."""

from __future__ import annotations

from aiohttp import web

from harness.domain.models import Company
from harness.errors import InsufficientPermissions, InvalidApiKey

from .state import LIMITER, STORE

RATE_HEADERS = web.RequestKey("rate_headers", dict[str, str])


def authenticate(request: web.Request, *scopes: str) -> Company:
    """The key's company, after checking every scope in ``scopes`` (403 names the first missing)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidApiKey("missing API key: send Authorization: Bearer <key>")
    found = request.app[STORE].keys.get(token.strip())
    if found is None:
        raise InvalidApiKey("unknown API key")
    company, api_key = found
    request[RATE_HEADERS] = request.app[LIMITER].hit(api_key.key, company.plan)
    for scope in scopes:
        if scope not in api_key.scopes:
            raise InsufficientPermissions(scope)
    return company
