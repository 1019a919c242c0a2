"""Managing a phone interview's call attempts (docs/contract.md section 4, "Call attempts").

The vendor's three endpoints (invoke, reschedule, delete), and the control API's two outcomes
of a call that was placed (nobody answered; the call failed), each optionally retried.
Everything is checked before anything changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from pydantic import StringConstraints

from harness.domain.calls import (
    AttemptStatus,
    CallAttempt,
    FailedReason,
    UnansweredReason,
    cancel_scheduled,
    find_attempt,
    live_attempt,
    new_attempt,
)
from harness.domain.enums import AgentType, EventType, InterviewStatus
from harness.domain.events import DomainEvent
from harness.domain.lifecycle import interview_event
from harness.domain.models import Agent, Interview
from harness.domain.requests import IsoDateTime, WireModel
from harness.errors import Conflict, NotFound, OperationNotAllowed, ValidationFailed

#: How far ahead an attempt may be scheduled: as far as an interview (create-interview).
MAX_AHEAD = timedelta(days=30)
#: How far in the past the control API's ``retryAt`` may be (clock skew), as ``scheduleTime``.
MAX_BEHIND = timedelta(seconds=60)

Notes = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class CallAttemptCreate(WireModel):
    """``POST /interviews/{id}/call-attempts``: null or absent ``scheduledAt`` = call now."""

    scheduled_at: IsoDateTime | None = None


class CallAttemptReschedule(WireModel):
    """``PATCH /interviews/{id}/call-attempts/{attemptId}``."""

    scheduled_at: IsoDateTime


class _Outcome(WireModel):
    notes: Notes | None = None
    #: True: the next attempt is scheduled (at ``retryAt``, default now); false: the
    #: interview fails and ``interview.failed`` is sent.
    retry: bool = True
    retry_at: IsoDateTime | None = None


class UnansweredCall(_Outcome):
    """``POST /_harness/interviews/{id}/unanswered``."""

    reason_code: UnansweredReason = "NO_ANSWER"


class FailedCall(_Outcome):
    """``POST /_harness/interviews/{id}/call-failed``."""

    reason_code: FailedReason = "CALL_FAILED"


_NOTES = {
    "NO_ANSWER": "The candidate did not pick up",
    "BUSY": "The line was busy",
    "VOICEMAIL": "The call reached voicemail",
    "CALL_FAILED": "The call could not be connected",
    "INVALID_NUMBER": "The candidate's phone number is not reachable",
    "CALL_DROPPED": "The call dropped",
}


def check_phone(interview: Interview, agent: Agent) -> None:
    """The vendor: call attempt management "is strictly forbidden for ONLINE interviews"."""
    if agent.type is not AgentType.PHONE:
        raise OperationNotAllowed(
            f"interview {interview.id} is an {agent.type.value} interview; call attempts "
            "exist only for PHONE interviews (delete the interview instead)",
            {"interviewId": str(interview.id), "agentType": agent.type.value},
        )


def _future(when: datetime, now: datetime, field: str) -> None:
    if when <= now:
        raise ValidationFailed.one(field, "must be in the future")
    if when > now + MAX_AHEAD:
        raise ValidationFailed.one(field, "must be at most 30 days in the future")


def _attempt(interview: Interview, attempt_id: UUID) -> CallAttempt:
    attempt = find_attempt(interview, attempt_id)
    if attempt is None:
        raise NotFound("CallAttempt", str(attempt_id))
    return attempt


def invoke(interview: Interview, agent: Agent, when: datetime | None, now: datetime) -> CallAttempt:
    """A new attempt, SCHEDULED at ``when`` (now when None), replacing any scheduled one; a
    FAILED interview is SCHEDULED again. Refused while a call is in progress, and for an
    interview that is COMPLETED or CANCELLED."""
    check_phone(interview, agent)
    if interview.status is InterviewStatus.IN_PROGRESS:
        live = live_attempt(interview)
        raise ValidationFailed.one(
            "id",
            f"a call is in progress for this interview (attempt {live.id if live else '?'}); "
            "a new attempt can be invoked once it has ended",
        )
    if interview.status not in (InterviewStatus.SCHEDULED, InterviewStatus.FAILED):
        raise ValidationFailed.one(
            "id", f"the interview is {interview.status.value}; it is not called again"
        )
    if when is not None:
        _future(when, now, "scheduledAt")
    cancel_scheduled(interview, "Replaced by a new call attempt")
    if interview.status is InterviewStatus.FAILED:
        interview.status = InterviewStatus.SCHEDULED
        interview.finished_date = None
    interview.updated_at = now
    return new_attempt(interview, AttemptStatus.SCHEDULED, when or now, now)


def reschedule(
    interview: Interview, agent: Agent, attempt_id: UUID, when: datetime, now: datetime
) -> None:
    """Moves a SCHEDULED attempt (vendor: only those; in the future)."""
    check_phone(interview, agent)
    attempt = _attempt(interview, attempt_id)
    if attempt.status is not AttemptStatus.SCHEDULED:
        raise ValidationFailed.one(
            "attemptId",
            f"only SCHEDULED call attempts can be rescheduled; this one is {attempt.status.value}",
        )
    _future(when, now, "scheduledAt")
    attempt.scheduled_at = when
    interview.updated_at = now


def remove(interview: Interview, agent: Agent, attempt_id: UUID, now: datetime) -> None:
    """Deletes an attempt from the history (cancelling it if scheduled); not one IN_PROGRESS."""
    check_phone(interview, agent)
    attempt = _attempt(interview, attempt_id)
    if attempt.status is AttemptStatus.IN_PROGRESS:
        raise ValidationFailed.one(
            "attemptId", "the call attempt is IN_PROGRESS; it can be deleted once it has ended"
        )
    interview.call_attempts.remove(attempt)
    interview.updated_at = now


def _retry_at(outcome: _Outcome, now: datetime) -> datetime:
    if outcome.retry_at is None:
        return now
    if not outcome.retry:
        raise ValidationFailed.one("retryAt", "only with retry: true")
    if outcome.retry_at < now - MAX_BEHIND:
        raise ValidationFailed.one("retryAt", "must not be in the past")
    if outcome.retry_at > now + MAX_AHEAD:
        raise ValidationFailed.one("retryAt", "must be at most 30 days in the future")
    return outcome.retry_at


def _placed(interview: Interview, agent: Agent, allowed: set[AttemptStatus]) -> CallAttempt:
    if agent.type is not AgentType.PHONE:
        raise Conflict(
            f"interview {interview.id} is an {agent.type.value} interview; it has no calls",
            {"status": interview.status.value},
        )
    attempt = live_attempt(interview)
    if attempt is None or attempt.status not in allowed:
        names = " or ".join(sorted(allowed))
        raise Conflict(
            f"the interview has no {names} call attempt (it is {interview.status.value})",
            {"status": interview.status.value},
        )
    return attempt


def _settle(
    interview: Interview, outcome: _Outcome, attempt: CallAttempt, when: datetime, now: datetime
) -> list[DomainEvent]:
    """Retry (the next attempt, SCHEDULED; no event) or give up (FAILED, interview.failed)."""
    interview.updated_at = now
    if outcome.retry:
        interview.status = InterviewStatus.SCHEDULED
        new_attempt(interview, AttemptStatus.SCHEDULED, when, now)
        return []
    interview.status = InterviewStatus.FAILED
    interview.finished_date = now
    error = {"code": attempt.reason_code or "CALL_FAILED", "message": attempt.notes or ""}
    event = interview_event(EventType.INTERVIEW_FAILED, interview, error)
    return [] if interview.suppress_events else [event]


def unanswered(
    interview: Interview, agent: Agent, outcome: UnansweredCall, now: datetime
) -> list[DomainEvent]:
    """The SCHEDULED attempt's call was placed and not answered: the attempt ends COMPLETED
    with its reason code (as the vendor's own example pairs them)."""
    attempt = _placed(interview, agent, {AttemptStatus.SCHEDULED})
    when = _retry_at(outcome, now)
    attempt.end(AttemptStatus.COMPLETED, now, outcome.reason_code)
    attempt.notes = outcome.notes or _NOTES[outcome.reason_code]
    return _settle(interview, outcome, attempt, when, now)


def call_failed(
    interview: Interview, agent: Agent, outcome: FailedCall, now: datetime
) -> list[DomainEvent]:
    """The live attempt's call failed (not connected, or dropped while IN_PROGRESS)."""
    attempt = _placed(interview, agent, {AttemptStatus.SCHEDULED, AttemptStatus.IN_PROGRESS})
    when = _retry_at(outcome, now)
    attempt.end(AttemptStatus.FAILED, now, outcome.reason_code)
    attempt.notes = outcome.notes or _NOTES[outcome.reason_code]
    return _settle(interview, outcome, attempt, when, now)
