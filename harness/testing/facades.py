"""What a test holds: :class:`Instaview` (awaitable calls) and :class:`InstaviewSync` (blocking).

Both drive the same :class:`~harness.testing.server.BackgroundHarness`; every call runs on the
harness's loop, so an async test's own loop stays free to serve the user's handler while it
awaits, and a sync test simply blocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from harness.delivery.signing import Scheme
from harness.testing.assertions import assert_valid, assert_valid_event
from harness.testing.client import WAIT_SLACK_S, HarnessClient
from harness.testing.controls import AsyncControls, SyncControls
from harness.testing.server import BackgroundHarness
from harness.testing.types import ApiResponse, CapturedEvent, Webhook
from harness.tools.matrix import MatrixReport

T = TypeVar("T")

#: Seconds a blocking call (other than a wait) may take.
CALL_TIMEOUT_S = 60.0


def _modes(duplicate: bool, out_of_order: bool, delay_ms: int) -> dict[str, Any]:
    return {"duplicate": duplicate, "outOfOrder": out_of_order, "delayMs": delay_ms}


def _fault(
    route: str, latency_ms: int, error_rate: float, error_status: int, burst: int, seed: int
) -> dict[str, Any]:
    return {
        "route": route,
        "latencyMs": latency_ms,
        "errorRate": error_rate,
        "errorStatus": error_status,
        "burst": burst,
        "seed": seed,
    }


def _filters(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Facade:
    """What both facades share: addresses, keys, ids and the schema assertions."""

    assert_valid = staticmethod(assert_valid)
    assert_valid_event = staticmethod(assert_valid_event)

    def __init__(self, harness: BackgroundHarness) -> None:
        self._harness = harness
        self._client: HarnessClient = harness.client

    @property
    def base_url(self) -> str:
        """The mock API's base URL (point your Instaview client here)."""
        return self._client.base_url

    @property
    def receiver_url(self) -> str:
        return self._client.receiver_url

    @property
    def keys(self) -> dict[str, str]:
        """``keys["acme"]``, ``keys["globex"]``: full-scope keys; ``keys["readonly"]``."""
        return dict(self._client.keys)

    @property
    def company_ids(self) -> dict[str, str]:
        return dict(self._client.company_ids)

    @property
    def webhooks(self) -> dict[str, Webhook]:
        """The world's webhooks by receiver channel (``webhooks["acme"].secret``)."""
        return dict(self._client.webhooks)


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
    ) -> Webhook:
        coro = self._client.register_webhook(
            url, events, channel=channel, company=company, name=name
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
    ) -> dict[str, Any]:
        """Latency and/or 5xx answers on one route of the mock (``"POST /interviews"``)."""
        fault = _fault(route, latency_ms, error_rate, error_status, burst, seed)
        return await self._run(self._client.inject_fault(fault))

    async def clear_faults(self) -> None:
        await self._run(self._client.clear_faults())

    async def signature_matrix(
        self, url: str, secret: str, scheme: Scheme = "standard"
    ) -> MatrixReport:
        """Sends the genuine and forged variants of one event to ``url``; see the report's
        ``wrongly_accepted`` and ``wrongly_rejected``."""
        return await self._run(self._client.signature_matrix(url, secret, scheme))


class InstaviewSync(_Facade, SyncControls):
    """The harness for sync tests (Django, Flask): every call blocks until it is done."""

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT_S) -> T:
        __tracebackhide__ = True
        if _loop_running():
            coro.close()
            raise RuntimeError("InstaviewSync blocks; in an async test use the instaview fixture")
        try:
            return self._harness.call(coro, timeout)
        except AssertionError as exc:
            raise exc.with_traceback(None) from None

    def reset(self) -> None:
        self._run(self._client.reset())

    def request(
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
        return self._run(coro)

    def create_interview(
        self, body: dict[str, Any] | None = None, *, key: str | None = None, company: str = "acme"
    ) -> dict[str, Any]:
        return self._run(self._client.create_interview(body, key=key, company=company))

    def register_webhook(
        self,
        url: str | None = None,
        events: Sequence[str] = ("*",),
        *,
        channel: str | None = None,
        company: str | None = "acme",
        name: str | None = None,
    ) -> Webhook:
        coro = self._client.register_webhook(
            url, events, channel=channel, company=company, name=name
        )
        return self._run(coro)

    def wait_for(
        self,
        event: str | None = None,
        *,
        interview_id: str | None = None,
        channel: str | None = None,
        delivery_id: str | None = None,
        after: int = 0,
        timeout: float = 5.0,
    ) -> CapturedEvent:
        """Blocks for the first captured event that matches; see :meth:`Instaview.wait_for`."""
        __tracebackhide__ = True
        coro = self._client.wait_for(
            event,
            interview_id=interview_id,
            channel=channel,
            delivery_id=delivery_id,
            after=after,
            seconds=timeout,
        )
        return self._run(coro, timeout + 2 * WAIT_SLACK_S)

    def events(
        self,
        event: str | None = None,
        *,
        interview_id: str | None = None,
        channel: str | None = None,
    ) -> list[CapturedEvent]:
        filters = _filters(event=event, interviewId=interview_id, channel=channel)
        return self._run(self._client.events(**filters))

    def deliveries(
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
        return self._run(self._client.deliveries(**filters))

    def drain(self, timeout: float = 10.0) -> None:
        self._run(self._client.drain(timeout), timeout + WAIT_SLACK_S)

    def delivery_modes(
        self,
        webhook_id: str | None = None,
        *,
        duplicate: bool = False,
        out_of_order: bool = False,
        delay_ms: int = 0,
    ) -> dict[str, Any]:
        modes = _modes(duplicate, out_of_order, delay_ms)
        return self._run(self._client.set_modes(webhook_id, modes))

    def inject_fault(
        self,
        route: str,
        *,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        error_status: int = 503,
        burst: int = 0,
        seed: int = 0,
    ) -> dict[str, Any]:
        fault = _fault(route, latency_ms, error_rate, error_status, burst, seed)
        return self._run(self._client.inject_fault(fault))

    def clear_faults(self) -> None:
        self._run(self._client.clear_faults())

    def signature_matrix(self, url: str, secret: str, scheme: Scheme = "standard") -> MatrixReport:
        """Blocks while the matrix runs: ``url`` must be served by another thread or process."""
        return self._run(self._client.signature_matrix(url, secret, scheme))
