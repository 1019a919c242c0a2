"""What a test holds: :class:`Instaview` (awaitable calls) and :class:`InstaviewSync` (blocking).

Both drive the same :class:`~harness.testing.server.BackgroundHarness`; every call runs on the
harness's loop, so an async test's own loop stays free to serve the user's handler while it
awaits, and a sync test simply blocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

from harness.delivery.signing import Scheme
from harness.testing.apps import AppKind
from harness.testing.controls import AsyncControls
from harness.testing.facade_base import (
    CALL_TIMEOUT_S,
    MAX_JOURNAL_LIMIT,
    T,
    _Facade,
    _fault,
    _filters,
    _journal_filters,
    _modes,
)
from harness.testing.facade_sync import InstaviewSync
from harness.testing.types import ApiResponse, CapturedEvent, RecordedRequest, Webhook
from harness.tools.matrix import MatrixReport

__all__ = ["CALL_TIMEOUT_S", "Instaview", "InstaviewSync"]


class Instaview(_Facade, AsyncControls):
    """The harness for async tests: every call is awaited."""

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        __tracebackhide__ = True
        try:
            return await asyncio.wrap_future(self._harness.submit(coro))
        except AssertionError as exc:  # a verdict: the harness's own frames only add noise
            raise exc.with_traceback(None) from None

    async def reset(self) -> None:
        await self._run(self._client.reset())

    async def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        key: str | None = None,
        company: str = "acme",
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        coro = self._client.request(method, path, json, key=key, company=company, headers=headers)
        return await self._run(coro)

    async def create_interview(
        self, body: dict[str, Any] | None = None, *, key: str | None = None, company: str = "acme"
    ) -> dict[str, Any]:
        return await self._run(self._client.create_interview(body, key=key, company=company))

    async def register_webhook(
        self,
        url: str | None = None,
        events: Sequence[str] = ("*",),
        *,
        channel: str | None = None,
        company: str | None = "acme",
        name: str | None = None,
        secret: str | None = None,
    ) -> Webhook:
        coro = self._client.register_webhook(
            url, events, channel=channel, company=company, name=name, secret=secret
        )
        return await self._run(coro)

    async def wait_for(
        self,
        event: str | None = None,
        *,
        interview_id: str | None = None,
        channel: str | None = None,
        delivery_id: str | None = None,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 (the wait runs on the harness's loop)
    ) -> CapturedEvent:
        """The first captured event that matches (already here or the next to arrive, after
        capture id ``after``); raises :class:`~harness.testing.types.EventTimeout`."""
        __tracebackhide__ = True
        coro = self._client.wait_for(
            event,
            interview_id=interview_id,
            channel=channel,
            delivery_id=delivery_id,
            after=after,
            seconds=timeout,
        )
        return await self._run(coro)

    async def events(
        self,
        event: str | None = None,
        *,
        interview_id: str | None = None,
        channel: str | None = None,
    ) -> list[CapturedEvent]:
        filters = _filters(event=event, interviewId=interview_id, channel=channel)
        return await self._run(self._client.events(**filters))

    async def deliveries(
        self,
        *,
        webhook_id: str | None = None,
        event: str | None = None,
        interview_id: str | None = None,
        outcome: str | None = None,
    ) -> list[dict[str, Any]]:
        filters = _filters(
            webhookId=webhook_id, event=event, interviewId=interview_id, outcome=outcome
        )
        return await self._run(self._client.deliveries(**filters))

    async def drain(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Waits until every queued delivery has been delivered, failed or skipped."""
        await self._run(self._client.drain(timeout))

    async def delivery_modes(
        self,
        webhook_id: str | None = None,
        *,
        duplicate: bool = False,
        out_of_order: bool = False,
        delay_ms: int = 0,
    ) -> dict[str, Any]:
        """Switches the failure-injection modes of one webhook (or of every webhook)."""
        modes = _modes(duplicate, out_of_order, delay_ms)
        return await self._run(self._client.set_modes(webhook_id, modes))

    async def inject_fault(
        self,
        route: str,
        *,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        error_status: int = 503,
        burst: int = 0,
        seed: int = 0,
        after: bool = False,
        drop: bool = False,
    ) -> dict[str, Any]:
        """Latency and/or 5xx answers on one route of the mock (``"POST /interviews"``). With
        ``after`` the route's work is done first and kept, then its answer lost (``error_status``,
        or with ``drop`` the connection closed with no answer): a naive retry then creates a
        duplicate."""
        fault = _fault(route, latency_ms, error_rate, error_status, burst, seed, after, drop)
        return await self._run(self._client.inject_fault(fault))

    async def clear_faults(self) -> None:
        await self._run(self._client.clear_faults())

    async def signature_matrix(
        self, url: str, secret: str, scheme: Scheme = "standard"
    ) -> MatrixReport:
        """Sends the genuine and forged variants of one event to ``url``; see the report's
        ``wrongly_accepted`` and ``wrongly_rejected``."""
        return await self._run(self._client.signature_matrix(url, secret, scheme))

    async def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        route: str | None = None,
        status: int | None = None,
        after: int = 0,
        limit: int = MAX_JOURNAL_LIMIT,
    ) -> list[RecordedRequest]:
        """What clients sent the mock API (oldest first), from the request journal
        (``GET /_harness/requests``): method, path, headers with keys redacted, body, the
        answer's status and time. ``route`` is a fault's spelling (``"POST /interviews"``)."""
        filters = _journal_filters(method, path, route, status, after, limit)
        return await self._run(self._client.requests(filters))

    async def serve_app(self, app: object, *, kind: AppKind | None = None) -> str:
        """Serves ``app`` (aiohttp, ASGI or WSGI, detected; or say ``kind``) on a loopback URL
        until the test ends, in a thread of its own; returns the URL (no trailing slash)."""
        return await asyncio.to_thread(self._serve_app, app, kind)
