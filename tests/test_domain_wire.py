"""An interview's wire body is written out field by field (speed): it must still show every
field the model has, except the hidden ones, with the values the generic dump gives."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from harness.clock import RealClock, iso
from harness.domain import lifecycle
from harness.domain.calls import AttemptStatus, new_attempt
from harness.domain.enums import InterviewStatus
from harness.domain.models import Agent, Company, Interview, Record


def _interview(phone: bool, job: bool) -> tuple[Interview, Agent]:
    now = RealClock().now()
    stamp = {"company_id": uuid4(), "created_at": now, "updated_at": now}
    kind = {"type": "PHONE", "company_phone_number_id": uuid4()} if phone else {}
    agent = Agent(id=uuid4(), name="Screening", **kind, **stamp)
    interview = Interview(
        id=uuid4(), candidate_id=uuid4(), agent_id=agent.id, job_id=uuid4() if job else None,
        status=InterviewStatus.SCHEDULED, scheduled_at=now + timedelta(hours=1),
        metadata={"externalId": "A-1", "nested": {"list": [1, "two", None, 2.5]}}, **stamp,
    )  # fmt: skip
    return interview, agent


def _dumped(interview: Interview) -> dict[str, object]:
    """The generic rendering: pydantic's dump of every field not hidden, times as ``iso``."""
    body = Record.wire(interview)
    body["scheduledAt"] = iso(interview.scheduled_at)
    body["finishedDate"] = iso(interview.finished_date) if interview.finished_date else None
    body["callAttempts"] = [a.wire() for a in interview.call_attempts]
    is_test = body.pop("isTest")  # the field order: analysis, then isTest
    body["analysis"] = interview.analysis.wire() if interview.analysis is not None else None
    body["isTest"] = is_test
    return body


@pytest.mark.parametrize("phone", [False, True])
@pytest.mark.parametrize("job", [False, True])
@pytest.mark.parametrize("stage", ["scheduled", "started", "completed", "failed"])
def test_an_interviews_wire_body_equals_the_generic_dump(
    phone: bool, job: bool, stage: str
) -> None:
    interview, agent = _interview(phone, job)
    now = RealClock().now()
    if phone:
        new_attempt(interview, AttemptStatus.SCHEDULED, interview.scheduled_at, now)
    if stage != "scheduled":
        lifecycle.start(interview, agent, now)
    if stage == "completed":
        company = Company(id=uuid4(), name="Acme", plan=None, minutes_limit=None, api_keys=[])
        lifecycle.complete(interview, agent, company, 7, False, now)
    if stage == "failed":
        lifecycle.fail(interview, "CALL_FAILED", "no line", now)
    body = interview.wire()
    assert list(body) == list(_dumped(interview))
    assert body == _dumped(interview)
