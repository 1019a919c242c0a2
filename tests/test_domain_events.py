"""Events render their ``data`` when a sink reads it, once: an event no webhook takes is never
rendered, and a recorded event shows the resource as it was when it was published."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from harness.clock import RealClock
from harness.config import HarnessConfig
from harness.delivery.dispatcher import Dispatcher
from harness.delivery.webhooks import WebhookRegistry
from harness.domain import lifecycle
from harness.domain.enums import EventType, InterviewStatus
from harness.domain.events import DomainEvent, RecordingSink
from harness.domain.models import Agent, Interview


class Renders:
    """A payload function that counts its calls and renders what ``state`` holds then."""

    def __init__(self) -> None:
        self.calls = 0
        self.state = "before"

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return {"state": self.state}


def _event(render: Renders) -> DomainEvent:
    return DomainEvent(EventType.INTERVIEW_COMPLETED, uuid4(), render, uuid4())


def test_data_is_rendered_once_however_often_it_is_read() -> None:
    render = Renders()
    event = _event(render)
    assert render.calls == 0
    assert event.data == {"state": "before"}
    assert event.data is event.data
    assert render.calls == 1


def test_a_dict_payload_is_the_data_itself() -> None:
    data = {"interviewId": "x"}
    assert DomainEvent(EventType.PING, uuid4(), data).data is data


def test_the_dispatcher_never_renders_an_event_no_webhook_takes() -> None:
    render = Renders()
    dispatcher = Dispatcher(HarnessConfig(), RealClock(), WebhookRegistry())
    dispatcher.publish([_event(render)])
    assert render.calls == 0
    assert dispatcher.pending == 0


def test_a_recorded_event_shows_the_resource_as_it_was_at_publish() -> None:
    render = Renders()
    sink = RecordingSink()
    sink.publish([_event(render)])
    render.state = "after"
    assert sink.events[0].data == {"state": "before"}


def test_a_test_interviews_events_render_the_analysis_only_when_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdfs: list[UUID] = []

    def pdf(interview: Interview, analysis: object) -> str:
        pdfs.append(interview.id)
        return "JVBERi0="

    monkeypatch.setattr(lifecycle, "analysis_pdf", pdf)
    now = RealClock().now()
    stamp = {"company_id": uuid4(), "created_at": now, "updated_at": now}
    agent = Agent(id=uuid4(), name="Screening", **stamp)
    interview = Interview(
        id=uuid4(), candidate_id=uuid4(), agent_id=agent.id, job_id=None,
        status=InterviewStatus.SCHEDULED, scheduled_at=now, is_test=True, **stamp,
    )  # fmt: skip
    completed, analysis = lifecycle.finish_as_test(interview, agent, now)
    assert pdfs == []
    interview.status = InterviewStatus.FAILED  # later changes do not reach what was emitted
    assert completed.data["status"] == "COMPLETED"
    assert analysis.data["analysisPdfBase64"] == "JVBERi0="
    assert pdfs == [interview.id]


def test_an_interviews_wire_body_is_a_copy_its_reader_may_edit() -> None:
    now = RealClock().now()
    stamp = {"company_id": uuid4(), "created_at": now, "updated_at": now}
    agent = Agent(id=uuid4(), name="Language", focus="LANGUAGE_TEST", **stamp)
    interview = Interview(
        id=uuid4(), candidate_id=uuid4(), agent_id=agent.id, job_id=None,
        status=InterviewStatus.SCHEDULED, scheduled_at=now, is_test=True, **stamp,
    )  # fmt: skip
    lifecycle.finish_as_test(interview, agent, now)
    first = interview.wire()
    assert list(first)[-2:] == ["analysis", "isTest"]
    first["analysis"]["specific"]["pronunciationScores"]["accuracy"] = -1
    first["analysis"]["general"]["strongPoints"].append("edited")
    again = interview.wire()
    assert again["analysis"]["specific"]["pronunciationScores"]["accuracy"] >= 40
    assert "edited" not in again["analysis"]["general"]["strongPoints"]
