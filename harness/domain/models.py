"""The resources the mock holds. Each knows its company and renders itself for the wire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from harness.clock import iso
from harness.domain.calls import CallAttempt
from harness.domain.enums import (
    AgentFocus,
    AgentType,
    BackgroundSound,
    CandidateStatus,
    CompanyFit,
    ContractType,
    Education,
    Experience,
    InterviewStatus,
    JobStatus,
    Language,
    Plan,
    Proficiency,
    Voice,
)
from harness.domain.requests import LanguageRequirement, Location, Salary


class Record(BaseModel):
    """A stored resource. ``deleted_at`` never crosses the wire, nor ``company_id`` unless the
    type shows it (jobs and agents do)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    id: UUID
    company_id: UUID
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    _hidden: ClassVar[frozenset[str]] = frozenset({"company_id", "deleted_at"})

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def wire(self) -> dict[str, Any]:
        body = self.model_dump(by_alias=True, mode="json", exclude=set(self._hidden))
        body["createdAt"] = iso(self.created_at)
        body["updatedAt"] = iso(self.updated_at)
        return body


class ApiKey(BaseModel):
    """A key of the world. ``id`` is the vendor's ``apiKeyId`` (on the webhooks it creates);
    a key is refused with ``API_KEY_SUSPENDED`` from ``suspended_at`` on, and with
    ``INVALID_API_KEY`` from ``expires_at`` on (docs.instaview.sk/guides/error-handling)."""

    id: UUID
    key: str
    scopes: frozenset[str]
    suspended_at: datetime | None = None
    suspended_reason: str | None = None
    expires_at: datetime | None = None

    def status(self, now: datetime) -> str:
        """``ACTIVE``, ``SUSPENDED`` or ``EXPIRED`` at ``now`` (suspension wins)."""
        if self.suspended_at is not None and self.suspended_at <= now:
            return "SUSPENDED"
        if self.expires_at is not None and self.expires_at <= now:
            return "EXPIRED"
        return "ACTIVE"


class Company(BaseModel):
    id: UUID
    name: str
    #: None: no subscription plan, the vendor's default rate limits (60/min, 2,000/h).
    plan: Plan | None
    minutes_limit: int | None
    minutes_used: int = 0
    api_keys: list[ApiKey]
    phone_numbers: list[UUID] = Field(default_factory=list)

    def minutes_left(self) -> int | None:
        return None if self.minutes_limit is None else self.minutes_limit - self.minutes_used


class Candidate(Record):
    first_name: str
    last_name: str
    email: str | None = None
    phone_number: str | None = None
    gdpr_expiry_date: date | datetime | None = None
    job_ids: list[UUID] = Field(default_factory=list)
    status: CandidateStatus = CandidateStatus.UNDEFINED
    metadata: dict[str, Any] = Field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        body = super().wire()
        expiry = self.gdpr_expiry_date
        if isinstance(expiry, datetime):
            body["gdprExpiryDate"] = iso(expiry)
        return body


#: Jobs and agents show their ``companyId`` (docs.instaview.sk/guides/resources/jobs, agents).
_SHOWS_COMPANY: frozenset[str] = frozenset({"deleted_at"})


class Job(Record):
    title: str
    description: str
    status: JobStatus = JobStatus.OPEN
    job_url: str | None = None
    description_url: str | None = None
    benefits: str | None = None
    required_skills: list[str] = Field(default_factory=list)
    nice_to_have_skills: list[str] = Field(default_factory=list)
    language_requirements: list[LanguageRequirement] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    experience: Experience = Experience.UNDEFINED
    contract_type: ContractType | None = None
    location: Location | None = None
    salary: Salary | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    _hidden: ClassVar[frozenset[str]] = _SHOWS_COMPANY


class Agent(Record):
    name: str
    type: AgentType = AgentType.ONLINE
    company_phone_number_id: UUID | None = None
    focus: AgentFocus = AgentFocus.GENERIC
    language: Language = Language.EN
    duration: int = 15
    questions: list[str] = Field(default_factory=list)
    instructions: str | None = None
    voice_id: Voice | None = None
    cefr_level: Proficiency | None = None
    background_sound: BackgroundSound = BackgroundSound.OFFICE
    metadata: dict[str, Any] = Field(default_factory=dict)

    _hidden: ClassVar[frozenset[str]] = _SHOWS_COMPANY


@dataclass(slots=True)
class AnalysisGeneral:
    """The analysis's ``general`` object. A plain dataclass: the harness builds it itself, so
    nothing needs validating, and a test create builds one (a pydantic model cost a tenth of
    the create; docs/decisions.md, speed)."""

    created_at: str
    updated_at: str
    overall_rating: int
    company_fit_rating: CompanyFit
    education: str
    experience: str
    strong_points: list[str]
    weak_points: list[str]
    evaluation: list[str]
    #: A number in the vendor's analysis object (3 for a finished analysis).
    status: int

    def wire(self) -> dict[str, Any]:
        return {
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "overallRating": self.overall_rating,
            "companyFitRating": self.company_fit_rating.value,
            "education": self.education,
            "experience": self.experience,
            "strongPoints": list(self.strong_points),
            "weakPoints": list(self.weak_points),
            "evaluation": list(self.evaluation),
            "status": self.status,
        }


@dataclass(slots=True)
class Analysis:
    id: UUID
    general: AnalysisGeneral
    specific: dict[str, Any] | None = None

    def wire(self) -> dict[str, Any]:
        specific = _copied(self.specific) if self.specific is not None else None
        return {"id": str(self.id), "general": self.general.wire(), "specific": specific}


def _copied(value: Any) -> Any:
    """A copy of JSON-shaped data (dicts, lists, scalars), so a caller's edit of a wire body
    never reaches the record."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


class Interview(Record):
    candidate_id: UUID
    agent_id: UUID
    job_id: UUID | None
    status: InterviewStatus
    scheduled_at: datetime
    duration_minutes: int | None = None
    finished_date: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    call_attempts: list[CallAttempt] = Field(default_factory=list)
    analysis: Analysis | None = None
    is_test: bool = False
    #: Set when deleted while IN_PROGRESS: completion webhooks are suppressed.
    suppress_events: bool = False
    #: Call attempts ever made (deleted ones too): the next attempt's serial number.
    attempt_serial: int = 0

    _hidden: ClassVar[frozenset[str]] = frozenset(
        {"company_id", "deleted_at", "suppress_events", "attempt_serial", "analysis"}
    )

    def wire(self) -> dict[str, Any]:
        """Written out field by field rather than dumped: every create and read renders one, and
        ``model_dump`` was a tenth of a create's CPU. A test checks it against the dump."""
        finished = self.finished_date
        return {
            "id": str(self.id),
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "candidateId": str(self.candidate_id),
            "agentId": str(self.agent_id),
            "jobId": None if self.job_id is None else str(self.job_id),
            "status": self.status.value,
            "scheduledAt": iso(self.scheduled_at),
            "durationMinutes": self.duration_minutes,
            "finishedDate": iso(finished) if finished else None,
            "metadata": _copied(self.metadata),
            "callAttempts": [a.wire() for a in self.call_attempts],
            "analysis": self.analysis.wire() if self.analysis is not None else None,
            "isTest": self.is_test,
        }
