"""The control actions of both facades: move an interview on, and decide how its calls go.

:class:`AsyncControls` and :class:`SyncControls` are mixed into
:class:`~harness.testing.facades.Instaview` and :class:`~harness.testing.facade_sync.InstaviewSync`,
which supply ``_run`` and ``_client``. Each action returns the interview as the control API
answers it.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from harness.testing.client import HarnessClient

T = TypeVar("T")


def _complete(duration_minutes: int, analysis_fails: bool) -> dict[str, Any]:
    return {"durationMinutes": duration_minutes, "analysisFails": analysis_fails}


def _outcome(
    reason_code: str | None, notes: str | None, retry: bool, retry_at: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"retry": retry}
    for name, value in (("reasonCode", reason_code), ("notes", notes), ("retryAt", retry_at)):
        if value is not None:
            body[name] = value
    return body


class AsyncControls:
    _client: HarnessClient

    if TYPE_CHECKING:  # supplied by the facade

        async def _run(self, coro: Coroutine[Any, Any, T]) -> T: ...

    async def start(self, interview_id: str) -> dict[str, Any]:
        """SCHEDULED → IN_PROGRESS (a phone interview's scheduled call is answered)."""
        return await self._run(self._client.control(interview_id, "start"))

    async def complete(
        self, interview_id: str, duration_minutes: int = 15, *, analysis_fails: bool = False
    ) -> dict[str, Any]:
        body = _complete(duration_minutes, analysis_fails)
        return await self._run(self._client.control(interview_id, "complete", body))

    async def fail(
        self, interview_id: str, code: str = "CALL_FAILED", message: str = "No answer"
    ) -> dict[str, Any]:
        body = {"code": code, "message": message}
        return await self._run(self._client.control(interview_id, "fail", body))

    async def unanswered(
        self,
        interview_id: str,
        reason_code: str | None = None,
        *,
        notes: str | None = None,
        retry: bool = True,
        retry_at: str | None = None,
    ) -> dict[str, Any]:
        """A phone interview's scheduled call is not answered (``NO_ANSWER``, ``BUSY``,
        ``VOICEMAIL``): retried (the next attempt scheduled at ``retry_at``, default now; no
        event) or, with ``retry=False``, the interview fails (``interview.failed``)."""
        body = _outcome(reason_code, notes, retry, retry_at)
        return await self._run(self._client.control(interview_id, "unanswered", body))

    async def call_failed(
        self,
        interview_id: str,
        reason_code: str | None = None,
        *,
        notes: str | None = None,
        retry: bool = True,
        retry_at: str | None = None,
    ) -> dict[str, Any]:
        """A phone interview's live call fails (``CALL_FAILED``, ``INVALID_NUMBER``,
        ``CALL_DROPPED``), then is retried or given up as :meth:`unanswered` says."""
        body = _outcome(reason_code, notes, retry, retry_at)
        return await self._run(self._client.control(interview_id, "call-failed", body))


class SyncControls:
    _client: HarnessClient

    if TYPE_CHECKING:  # supplied by the facade

        def _run(self, coro: Coroutine[Any, Any, T], timeout: float = ...) -> T: ...

    def start(self, interview_id: str) -> dict[str, Any]:
        return self._run(self._client.control(interview_id, "start"))

    def complete(
        self, interview_id: str, duration_minutes: int = 15, *, analysis_fails: bool = False
    ) -> dict[str, Any]:
        body = _complete(duration_minutes, analysis_fails)
        return self._run(self._client.control(interview_id, "complete", body))

    def fail(
        self, interview_id: str, code: str = "CALL_FAILED", message: str = "No answer"
    ) -> dict[str, Any]:
        body = {"code": code, "message": message}
        return self._run(self._client.control(interview_id, "fail", body))

    def unanswered(
        self,
        interview_id: str,
        reason_code: str | None = None,
        *,
        notes: str | None = None,
        retry: bool = True,
        retry_at: str | None = None,
    ) -> dict[str, Any]:
        """Blocks; see :meth:`AsyncControls.unanswered`."""
        body = _outcome(reason_code, notes, retry, retry_at)
        return self._run(self._client.control(interview_id, "unanswered", body))

    def call_failed(
        self,
        interview_id: str,
        reason_code: str | None = None,
        *,
        notes: str | None = None,
        retry: bool = True,
        retry_at: str | None = None,
    ) -> dict[str, Any]:
        """Blocks; see :meth:`AsyncControls.call_failed`."""
        body = _outcome(reason_code, notes, retry, retry_at)
        return self._run(self._client.control(interview_id, "call-failed", body))
