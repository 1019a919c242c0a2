"""A phone interview's call attempts, in the vendor's shape (docs/contract.md section 4).

``{id, direction, status, reasonCode, notes, retryNumber, recordingUrl, duration, scheduledAt,
calledAt}``. At most one attempt of an interview is *live* (SCHEDULED or IN_PROGRESS) at a time;
the others are history. Ids are derived from the interview id and the attempt's serial number,
so the same sequence of calls gives the same ids.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from harness.clock import iso

if TYPE_CHECKING:
    from harness.domain.models import Interview


class AttemptStatus(StrEnum):
    """The statuses the vendor's reschedule page names."""

    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


#: Why a call was not answered (the vendor shows ``NO_ANSWER`` and speaks of "busy").
UnansweredReason = Literal["NO_ANSWER", "BUSY", "VOICEMAIL"]
#: Why a call failed (the harness's names; the vendor lists none).
FailedReason = Literal["CALL_FAILED", "INVALID_NUMBER", "CALL_DROPPED"]

LIVE = frozenset({AttemptStatus.SCHEDULED, AttemptStatus.IN_PROGRESS})
#: Attempts a call was placed for: the ones ``callAttemptId`` of an interview event names.
DIALLED = frozenset({AttemptStatus.IN_PROGRESS, AttemptStatus.COMPLETED, AttemptStatus.FAILED})


class CallAttempt(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    id: UUID
    direction: Literal["OUTBOUND"] = "OUTBOUND"
    status: AttemptStatus
    reason_code: str | None = None
    notes: str | None = None
    retry_number: int = 0
    #: The harness records nothing, so it never shows a recording URL.
    recording_url: str | None = None
    #: Seconds the call lasted; None until it ends.
    duration: int | None = None
    scheduled_at: datetime
    called_at: datetime | None = None

    def wire(self) -> dict[str, Any]:
        body = self.model_dump(by_alias=True, mode="json")
        body["scheduledAt"] = iso(self.scheduled_at)
        body["calledAt"] = iso(self.called_at) if self.called_at else None
        return body

    def end(self, status: AttemptStatus, now: datetime, reason: str | None = None) -> None:
        """The call is over: ``status``, its length from ``calledAt`` (0 if never answered)."""
        self.status = status
        if self.called_at is None:
            self.called_at = now
        self.duration = max(0, int((now - self.called_at).total_seconds()))
        self.reason_code = reason


def _attempt_id(interview_id: UUID, serial: int) -> UUID:
    digest = hashlib.blake2b(interview_id.bytes + serial.to_bytes(2, "big"), digest_size=64)
    return UUID(bytes=digest.digest()[48:64], version=4)


def new_attempt(
    interview: Interview, status: AttemptStatus, when: datetime, now: datetime
) -> CallAttempt:
    """Appends the interview's next attempt; ``retryNumber`` counts the attempts before it."""
    serial = interview.attempt_serial
    interview.attempt_serial += 1
    attempt = CallAttempt(
        id=_attempt_id(interview.id, serial),
        status=status,
        retry_number=serial,
        scheduled_at=when,
        called_at=now if status is AttemptStatus.IN_PROGRESS else None,
    )
    interview.call_attempts.append(attempt)
    return attempt


def live_attempt(interview: Interview) -> CallAttempt | None:
    """The SCHEDULED or IN_PROGRESS attempt, if any."""
    return next((a for a in reversed(interview.call_attempts) if a.status in LIVE), None)


def last_dialled(interview: Interview) -> CallAttempt | None:
    """The latest attempt a call was placed for (``callAttemptId`` of the interview events)."""
    return next((a for a in reversed(interview.call_attempts) if a.status in DIALLED), None)


def find_attempt(interview: Interview, attempt_id: UUID) -> CallAttempt | None:
    return next((a for a in interview.call_attempts if a.id == attempt_id), None)


def cancel_scheduled(interview: Interview, notes: str) -> None:
    """Every SCHEDULED attempt becomes CANCELLED (kept in the history)."""
    for attempt in interview.call_attempts:
        if attempt.status is AttemptStatus.SCHEDULED:
            attempt.status = AttemptStatus.CANCELLED
            attempt.notes = notes
