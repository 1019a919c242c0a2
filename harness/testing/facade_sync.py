"""The blocking facade: :class:`InstaviewSync`, for sync tests (the ``instaview_sync`` fixture)."""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any

from harness.delivery.signing import Scheme
from harness.testing.apps import AppKind
from harness.testing.client import WAIT_SLACK_S
from harness.testing.controls import SyncControls
from harness.testing.facade_base import (
    CALL_TIMEOUT_S,
    MAX_JOURNAL_LIMIT,
    T,
    _Facade,
    _fault,
    _filters,
    _journal_filters,
    _loop_running,
    _modes,
)
from harness.testing.types import ApiResponse, CapturedEvent, RecordedRequest, Webhook
from harness.tools.matrix import MatrixReport


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
        secret: str | None = None,
    ) -> Webhook:
        coro = self._client.register_webhook(
            url, events, channel=channel, company=company, name=name, secret=secret
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
        after: bool = False,
        drop: bool = False,
    ) -> dict[str, Any]:
        fault = _fault(route, latency_ms, error_rate, error_status, burst, seed, after, drop)
        return self._run(self._client.inject_fault(fault))

    def clear_faults(self) -> None:
        self._run(self._client.clear_faults())

    def signature_matrix(self, url: str, secret: str, scheme: Scheme = "standard") -> MatrixReport:
        """Blocks while the matrix runs: ``url`` must be served by another thread or process."""
        return self._run(self._client.signature_matrix(url, secret, scheme))

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        route: str | None = None,
        status: int | None = None,
        after: int = 0,
        limit: int = MAX_JOURNAL_LIMIT,
    ) -> list[RecordedRequest]:
        """See :meth:`Instaview.requests <harness.testing.facades.Instaview.requests>`."""
        filters = _journal_filters(method, path, route, status, after, limit)
        return self._run(self._client.requests(filters))

    def serve_app(self, app: object, *, kind: AppKind | None = None) -> str:
        """Serves ``app`` (aiohttp, ASGI or WSGI, detected; or say ``kind``) on a loopback URL
        until the test ends, in a thread of its own; returns the URL (no trailing slash)."""
        return self._serve_app(app, kind)
