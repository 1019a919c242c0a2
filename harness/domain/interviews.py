"""``POST /interviews``: the twelve rules of contract section 3, as plain functions over a store.

Everything is checked before anything is written, and the writes happen without an ``await`` in
between, so a request that fails creates nothing (rule 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from harness.domain.checks import (
    candidate_jobs,
    check_gdpr,
    check_job_count,
    check_phone_number,
    check_phone_owned,
)
from harness.domain.enums import AgentFocus, AgentType, InterviewStatus
from harness.domain.events import DomainEvent
from harness.domain.ids import new_id
from harness.domain.lifecycle import finish_as_test, schedule, start
from harness.domain.models import Agent, Candidate, Company, Interview, Job
from harness.domain.requests import AgentCreate, CandidateCreate, CreateInterview, JobFields
from harness.errors import BillingLimitReached, FieldError, ValidationFailed
from harness.store.memory import Store

MAX_SCHEDULE_AHEAD = timedelta(days=30)
MAX_SCHEDULE_BEHIND = timedelta(seconds=60)


def check_shape(req: CreateInterview, now: datetime) -> datetime | None:
    """Rules 1-3 and 9: what can be judged from the body alone. Returns the schedule time."""
    errors: list[FieldError] = []
    if (req.candidate_id is None) == (req.candidate is None):
        errors.append(
            FieldError("candidateId", "exactly one of candidateId or candidate is required")
        )
    if (req.agent_id is None) == (req.agent is None):
        errors.append(FieldError("agentId", "exactly one of agentId or agent is required"))
    if req.job_id is not None and req.job is not None:
        errors.append(FieldError("jobId", "jobId and job are mutually exclusive; send one"))
    inline_job = req.candidate.job_id if req.candidate is not None else None
    if inline_job is not None and (req.job_id is not None or req.job is not None):
        errors.append(
            FieldError("candidate.jobId", "candidate.jobId cannot be combined with jobId or job")
        )
    when = req.schedule_time
    if req.scheduled_at is not None:
        if when is not None and when != req.scheduled_at:
            errors.append(
                FieldError("scheduledAt", "scheduledAt is an alias of scheduleTime; they differ")
            )
        when = req.scheduled_at
    field = "scheduleTime" if req.schedule_time is not None else "scheduledAt"
    if when is not None and when > now + MAX_SCHEDULE_AHEAD:
        errors.append(FieldError(field, "must be at most 30 days in the future"))
    if when is not None and when < now - MAX_SCHEDULE_BEHIND:
        errors.append(FieldError(field, "must not be in the past"))
    if errors:
        raise ValidationFailed(errors)
    return when


@dataclass
class _Plan:
    """What a valid request will write; built completely before anything is stored."""

    candidate: Candidate | None
    candidate_jobs: list[UUID]
    agent: Agent
    new_agent: bool
    job_id: UUID | None
    new_job: JobFields | None
    new_candidate: CandidateCreate | None


def _resolve(store: Store, company: Company, req: CreateInterview, now: datetime) -> _Plan:
    """Rules 4-8: look up what exists, decide the job, fail before writing anything."""
    candidate = store.candidates.owned(req.candidate_id, company) if req.candidate_id else None
    if req.agent_id is not None:
        agent = store.agents.owned(req.agent_id, company)
        new_agent = False
    else:
        assert req.agent is not None
        if req.agent.type is AgentType.PHONE:
            phone = req.agent.company_phone_number_id
            check_phone_number(store, company, phone, "agent.companyPhoneNumberId")
        elif req.agent.company_phone_number_id is not None:
            check_phone_owned(store, company, req.agent.company_phone_number_id)
        stamp: dict[str, Any] = {"company_id": company.id, "created_at": now, "updated_at": now}
        agent = Agent.model_validate({"id": new_id(), **stamp, **_fields(req.agent)})
        new_agent = True
    if req.candidate is not None:
        check_gdpr(req.candidate.gdpr_expiry_date, now, "candidate.gdprExpiryDate")
        assignments = candidate_jobs(store, company, req.candidate)
        check_job_count(assignments, "candidate.jobIds")
    else:
        assert candidate is not None
        assignments = [j for j in candidate.job_ids if _live(store, j)]
    if req.job_id is not None:
        store.jobs.owned(req.job_id, company)
    job_id: UUID | None
    if req.job is not None:  # rule 4: job > jobId > candidate.jobId
        job_id = None
    elif req.job_id is not None:
        if candidate is not None and req.job_id not in candidate.job_ids:  # rule 6
            raise ValidationFailed.one(
                "jobId", f"job {req.job_id} is not among the candidate's jobIds"
            )
        job_id = req.job_id
    elif req.candidate is not None and req.candidate.job_id is not None:
        job_id = req.candidate.job_id
    else:  # rule 7
        job_id = _automatic_job(assignments, agent.focus)
    return _Plan(candidate, assignments, agent, new_agent, job_id, req.job, req.candidate)


def _automatic_job(assignments: list[UUID], focus: AgentFocus) -> UUID | None:
    """Rule 7 (docs/contract.md): one live assignment is used, several need ``jobId`` whatever
    the focus (the seed's "first job" is never guessed), none is fine only for GENERIC."""
    if len(assignments) == 1:
        return assignments[0]
    if assignments:
        raise ValidationFailed.one(
            "jobId",
            f"the candidate has {len(assignments)} job assignments; pass jobId to choose one",
        )
    if focus is AgentFocus.GENERIC:
        return None
    raise ValidationFailed.one(
        "jobId", f"a job is required for an agent with focus {focus.value}; pass jobId or job"
    )


def _live(store: Store, job_id: UUID) -> bool:
    job = store.jobs.get(job_id)
    return job is not None and not job.deleted


def _fields(model: JobFields | AgentCreate | CandidateCreate) -> dict[str, Any]:
    """The fields a caller set, ready for a record (the deprecated ``jobId`` is folded elsewhere).
    Nested models are passed as instances, which pydantic does not validate again."""
    return {k: v for k, v in model.__dict__.items() if v is not None and k != "job_id"}


def _check_billing(company: Company, req: CreateInterview) -> None:
    left = company.minutes_left()
    if not req.is_test and left is not None and left <= 0:
        raise BillingLimitReached(
            f"{company.name} has used all {company.minutes_limit} minutes of its plan",
            {"minutesLimit": company.minutes_limit, "minutesUsed": company.minutes_used},
        )


def create_interview(
    store: Store, company: Company, req: CreateInterview, now: datetime
) -> tuple[Interview, list[DomainEvent]]:
    """Validate everything, then write job, candidate, agent and interview in one step."""
    when = check_shape(req, now)
    plan = _resolve(store, company, req, now)
    _check_billing(company, req)
    # --- nothing has been written above this line; nothing below can fail -------------------
    stamp: dict[str, Any] = {"company_id": company.id, "created_at": now, "updated_at": now}
    job_id = plan.job_id
    new_job = new_candidate = new_agent = None
    if plan.new_job is not None:
        job = Job.model_validate({"id": new_id(), **stamp, **_fields(plan.new_job)})
        store.jobs[job.id] = job
        job_id = new_job = job.id
    if plan.new_candidate is not None:
        jobs = plan.candidate_jobs + (
            [job_id] if job_id and job_id not in plan.candidate_jobs else []
        )
        fields = {**_fields(plan.new_candidate), "job_ids": jobs}
        candidate = Candidate.model_validate({"id": new_id(), **stamp, **fields})
        store.candidates[candidate.id] = candidate
        new_candidate = candidate.id
    else:
        assert plan.candidate is not None
        candidate = plan.candidate
        if job_id is not None and job_id not in candidate.job_ids:
            candidate.job_ids.append(job_id)
            candidate.updated_at = now
    agent = plan.agent
    if plan.new_agent:
        store.agents[agent.id] = agent
        new_agent = agent.id
    metadata = dict(req.metadata or {})
    if req.is_test:
        metadata["isTest"] = True
    interview = Interview(
        id=new_id(),
        **stamp,
        candidate_id=candidate.id,
        agent_id=agent.id,
        job_id=job_id,
        status=InterviewStatus.SCHEDULED,
        scheduled_at=when or now,
        metadata=metadata,
        is_test=req.is_test,
    )
    # an inline job an existing candidate now lists stays (only the new candidate's goes with it)
    store.add_interview(interview, (new_job if new_candidate else None, new_candidate, new_agent))
    if req.is_test:
        return interview, finish_as_test(interview, agent, now)
    if when is None:  # rule 9: no scheduleTime → the interview starts now
        return interview, start(interview, agent, now)
    schedule(interview, agent, now)
    return interview, []
