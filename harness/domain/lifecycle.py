"""SCHEDULED → IN_PROGRESS → COMPLETED | FAILED, the isTest fast path, and the events each fires."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any
from uuid import UUID

from harness.clock import iso
from harness.domain.calls import AttemptStatus, last_dialled, live_attempt, new_attempt
from harness.domain.enums import AgentFocus, AgentType, CompanyFit, EventType, InterviewStatus
from harness.domain.events import DomainEvent
from harness.domain.ids import id_from_bytes
from harness.domain.models import Agent, Analysis, AnalysisGeneral, Company, Interview
from harness.domain.pdf import render_pdf
from harness.errors import Conflict

_STRONG = [
    "Clear, structured answers",
    "Relevant hands-on experience",
    "Good communication",
    "Asks thoughtful questions",
    "Strong problem solving",
]
_WEAK = [
    "Limited leadership experience",
    "Could give more concrete examples",
    "Unfamiliar with some required tools",
    "Long-winded at times",
]
_EDUCATION = ["Bachelor's degree", "Master's degree", "Secondary school diploma"]
_EVALUATION = [
    "Strong candidate with relevant experience",
    "Good cultural fit for the team",
    "Recommended for next round",
    "Needs a second interview on technical depth",
    "Communicates clearly under time pressure",
]
#: ``general.status`` of a finished analysis: the only value the vendor's examples show (an
#: undocumented number; docs/contract.md).
ANALYSIS_DONE = 3


class _Draws:
    """Deterministic pseudo-random draws from an interview id (cheap: one hash, no RNG object)."""

    def __init__(self, seed: UUID, salt: bytes = b"") -> None:
        self._bytes = hashlib.blake2b(seed.bytes + salt, digest_size=64).digest()
        self._at = 0

    def byte(self) -> int:
        value = self._bytes[self._at % 64]
        self._at += 1
        return value

    def between(self, low: int, high: int) -> int:
        return low + self.byte() % (high - low + 1)

    def pick(self, options: list[str], count: int) -> list[str]:
        """``count`` options in a row from a drawn start, wrapping round the end."""
        start = self.byte() % len(options)
        chosen = options[start : start + count]
        while len(chosen) < count:  # past the end: on from the first
            chosen += options[: count - len(chosen)]
        return chosen

    def uuid(self) -> UUID:
        return id_from_bytes(self._bytes[48:64])


def make_analysis(interview: Interview, agent: Agent, now: datetime) -> Analysis:
    """A plausible analysis, the same for the same interview id."""
    draw = _Draws(interview.id)
    rating = draw.between(35, 95)
    fit = CompanyFit.HIGH if rating >= 75 else CompanyFit.MEDIUM if rating >= 55 else CompanyFit.LOW
    stamp = iso(now)
    specific: dict[str, Any] | None = None
    if agent.focus is AgentFocus.LANGUAGE_TEST:
        specific = {
            "pronunciationScores": {
                "accuracy": draw.between(40, 100),
                "fluency": draw.between(40, 100),
                "completeness": draw.between(40, 100),
                "prosody": draw.between(40, 100),
            },
            "cefrLevel": (agent.cefr_level or "B2"),
        }
    return Analysis(
        id=draw.uuid(),
        general=AnalysisGeneral(
            created_at=stamp,
            updated_at=stamp,
            overall_rating=rating,
            company_fit_rating=fit,
            education=draw.pick(_EDUCATION, 1)[0],
            experience=f"{draw.between(1, 12)} years in similar roles",
            strong_points=draw.pick(_STRONG, 2),
            weak_points=draw.pick(_WEAK, 1),
            evaluation=draw.pick(_EVALUATION, 2),
            status=ANALYSIS_DONE,
        ),
        specific=specific,
    )


def analysis_pdf(interview: Interview, analysis: Analysis) -> str:
    """The analysis report as base64 PDF, deterministic for the interview."""
    general = analysis.general
    lines = [
        f"Interview: {interview.id}",
        f"Candidate: {interview.candidate_id}",
        f"Overall rating: {general.overall_rating}/100",
        f"Company fit: {general.company_fit_rating.value}",
        f"Education: {general.education}",
        f"Experience: {general.experience}",
        "Strong points: " + "; ".join(general.strong_points),
        "Weak points: " + "; ".join(general.weak_points),
    ]
    if interview.is_test:
        lines.append("This is a test interview (isTest).")
    return base64.b64encode(render_pdf("Instaview interview analysis", lines)).decode()


def _base(interview: Interview) -> dict[str, Any]:
    return {
        "interviewId": str(interview.id),
        "candidateId": str(interview.candidate_id),
        "jobId": str(interview.job_id) if interview.job_id else None,
        "agentId": str(interview.agent_id),
        "isTest": interview.is_test,
        "metadata": interview.metadata,
    }


def interview_event(
    kind: EventType, interview: Interview, error: dict[str, str] | None = None
) -> DomainEvent:
    attempt = last_dialled(interview)
    attempt_id = str(attempt.id) if attempt else None
    status = interview.status.value

    def render() -> dict[str, Any]:
        data = _base(interview)
        data["callAttemptId"] = attempt_id
        data["status"] = status
        if error is not None:
            data["error"] = error
        return data

    return DomainEvent(kind, interview.company_id, render, interview.id)


def analysis_completed(interview: Interview) -> DomainEvent:
    """Rendered only when read (:class:`DomainEvent`): the analysis and its PDF are the most
    expensive part of a test create, wasted when no webhook takes the event."""
    analysis = interview.analysis
    assert analysis is not None

    def render() -> dict[str, Any]:
        data = _base(interview)
        data["analysis"] = analysis.wire()
        data["analysisPdfBase64"] = analysis_pdf(interview, analysis)
        return data

    return DomainEvent(EventType.ANALYSIS_COMPLETED, interview.company_id, render, interview.id)


def analysis_failed(interview: Interview) -> DomainEvent:
    data = _base(interview)
    data["error"] = {"code": "ANALYSIS_FAILED", "message": "The analysis could not be generated"}
    return DomainEvent(EventType.ANALYSIS_FAILED, interview.company_id, data, interview.id)


def _phone(agent: Agent) -> bool:
    return agent.type is AgentType.PHONE


def schedule(interview: Interview, agent: Agent, now: datetime) -> None:
    """A phone interview scheduled for later gets its first call attempt, SCHEDULED then."""
    if _phone(agent):
        new_attempt(interview, AttemptStatus.SCHEDULED, interview.scheduled_at, now)


def finish_as_test(interview: Interview, agent: Agent, now: datetime) -> list[DomainEvent]:
    """isTest: COMPLETED at once, 0 minutes, analysis present; fires completed + analysis."""
    interview.status = InterviewStatus.COMPLETED
    interview.finished_date = now
    interview.duration_minutes = 0
    if _phone(agent):
        attempt = new_attempt(interview, AttemptStatus.IN_PROGRESS, now, now)
        attempt.end(AttemptStatus.COMPLETED, now)
    interview.analysis = make_analysis(interview, agent, now)
    return [
        interview_event(EventType.INTERVIEW_COMPLETED, interview),
        analysis_completed(interview),
    ]


def _require(interview: Interview, allowed: set[InterviewStatus], action: str) -> None:
    if interview.status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        raise Conflict(
            f"cannot {action} an interview that is {interview.status.value}; it must be {names}",
            {"status": interview.status.value},
        )


def start(interview: Interview, agent: Agent, now: datetime) -> list[DomainEvent]:
    _require(interview, {InterviewStatus.SCHEDULED}, "start")
    interview.status = InterviewStatus.IN_PROGRESS
    interview.updated_at = now
    if _phone(agent):  # the candidate answers the scheduled call, or a call placed now
        attempt = live_attempt(interview)
        if attempt is None:
            new_attempt(interview, AttemptStatus.IN_PROGRESS, now, now)
        else:
            attempt.status = AttemptStatus.IN_PROGRESS
            attempt.called_at = now
    return [interview_event(EventType.INTERVIEW_STARTED, interview)]


def complete(
    interview: Interview,
    agent: Agent,
    company: Company,
    duration_minutes: int,
    analysis_fails: bool,
    now: datetime,
) -> list[DomainEvent]:
    """Consumes the minutes from the plan (it may run over: that is how a plan gets spent);
    fires completed then analysis (completed or failed), unless the interview was deleted."""
    _require(interview, {InterviewStatus.IN_PROGRESS}, "complete")
    interview.status = InterviewStatus.COMPLETED
    interview.duration_minutes = duration_minutes
    interview.finished_date = now
    interview.updated_at = now
    attempt = live_attempt(interview)
    if attempt is not None:
        attempt.end(AttemptStatus.COMPLETED, now)
        attempt.duration = duration_minutes * 60
    if not interview.is_test:
        company.minutes_used += duration_minutes
    events = [interview_event(EventType.INTERVIEW_COMPLETED, interview)]
    if analysis_fails:
        events.append(analysis_failed(interview))
    else:
        interview.analysis = make_analysis(interview, agent, now)
        events.append(analysis_completed(interview))
    return [] if interview.suppress_events else events


def fail(interview: Interview, code: str, message: str, now: datetime) -> list[DomainEvent]:
    _require(interview, {InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS}, "fail")
    interview.status = InterviewStatus.FAILED
    interview.finished_date = now
    interview.updated_at = now
    attempt = live_attempt(interview)
    if attempt is not None:
        attempt.end(AttemptStatus.FAILED, now)
        attempt.notes = message
    error = {"code": code, "message": message}
    return [interview_event(EventType.INTERVIEW_FAILED, interview, error)]
