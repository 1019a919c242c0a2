"""The inspector's view of the mock API: ``GET /mock/webhooks``, ``GET /mock/deliveries`` and
``POST /mock/webhooks/{id}/reset-circuit`` (the page's "Reset circuit" button).

The receiver proxies the mock's control API (``/_harness/webhooks``, ``/_harness/deliveries``)
so the page needs no CORS and no second origin. The receiver never imports the mock: it only
knows its URL, through a :class:`MockLink` (``serve`` sets it once the mock listens; ``listen``
has none, and both routes answer 503 ``no_mock``). The answers are the mock's ``data`` (the
envelope unwrapped); webhooks come without ``signingSecret``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from harness.receiver.app import _error

DELIVERY_FILTERS = ("webhookId", "event", "interviewId", "deliveryId", "outcome")
#: Paging parameters the proxies pass on (harness.paging; ``order`` on deliveries only).
PAGING = ("limit", "cursor")
PROXY_TIMEOUT_S = 10.0


@dataclass
class MockLink:
    """Where the mock API listens (``url`` None: no mock, the receiver runs alone)."""

    url: str | None = None


LINK = web.AppKey("receiver_mock_link", MockLink)
HTTP = web.AppKey("receiver_http", aiohttp.ClientSession)


def _unwrapped(body: Any) -> Any:
    if isinstance(body, dict) and "success" in body and "data" in body:
        return body["data"] if body["success"] else body.get("error")
    return body


class _Unavailable(Exception):
    def __init__(self, response: web.Response) -> None:
        self.response = response


async def _fetch(
    request: web.Request, path: str, params: dict[str, str], method: str = "GET"
) -> tuple[int, Any]:
    """The mock's status and unwrapped body; raises :class:`_Unavailable` with the answer."""
    base = request.app[LINK].url
    if base is None:
        raise _Unavailable(
            _error(
                503,
                "no_mock",
                "this receiver runs without the mock (listen mode): no webhooks or delivery "
                "attempts to show; run `instaview-harness serve` to see them",
            )
        )
    url = base.rstrip("/") + path
    try:
        async with request.app[HTTP].request(
            method, url, params=params, timeout=aiohttp.ClientTimeout(total=PROXY_TIMEOUT_S)
        ) as answer:
            return answer.status, _unwrapped(await answer.json(content_type=None))
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        failed = f"{method} {url} failed: {exc!r}"
        raise _Unavailable(_error(502, "mock_unreachable", failed)) from exc


async def mock_webhooks(request: web.Request) -> web.Response:
    try:
        params = {k: request.query[k] for k in PAGING if k in request.query}
        status, data = await _fetch(request, "/_harness/webhooks", params)
    except _Unavailable as exc:
        return exc.response
    items = data.get("items") if isinstance(data, dict) else None
    for hook in items if isinstance(items, list) else []:
        if isinstance(hook, dict):
            hook.pop("signingSecret", None)
    return web.json_response(data, status=status)


async def mock_deliveries(request: web.Request) -> web.Response:
    names = (*DELIVERY_FILTERS, *PAGING, "order")
    params = {k: request.query[k] for k in names if k in request.query}
    try:
        status, data = await _fetch(request, "/_harness/deliveries", params)
    except _Unavailable as exc:
        return exc.response
    return web.json_response(data, status=status)


async def mock_reset_circuit(request: web.Request) -> web.Response:
    """Closes a webhook's circuit through the control API (the guard has refused a foreign
    ``Origin`` already; the mock checks the id)."""
    hook_id = request.match_info["id"]
    path = f"/_harness/webhooks/{quote(hook_id, safe='')}/reset-circuit"
    try:
        status, data = await _fetch(request, path, {}, "POST")
    except _Unavailable as exc:
        return exc.response
    return web.json_response(data, status=status)


def register(app: web.Application, api_url: str | MockLink | None) -> None:
    """The proxy routes; ``api_url`` is the mock's URL, or a link filled in later."""
    app[LINK] = api_url if isinstance(api_url, MockLink) else MockLink(api_url)

    async def session(app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession() as http:
            app[HTTP] = http
            yield

    app.cleanup_ctx.append(session)
    app.router.add_get("/mock/webhooks", mock_webhooks)
    app.router.add_get("/mock/deliveries", mock_deliveries)
    app.router.add_post("/mock/webhooks/{id}/reset-circuit", mock_reset_circuit)
