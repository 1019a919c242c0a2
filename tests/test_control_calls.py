"""The control API's call outcomes: a phone interview's attempt goes unanswered or fails, and is
retried or given up, with the webhook events a handler sees for each sequence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from harness.domain.events import RecordingSink
from tests.api_helpers import complete, iso_in
from tests.support import ACME_AGENT_GENERIC, ACME_AGENT_PHONE, ACME_CANDIDATE, ACME_JOB, Api

PHONE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_PHONE, "jobId": ACME_JOB}


def _kinds(events: RecordingSink) -> list[str]:
    return [e.type.value for e in events.events]


async def _scheduled(api: Api) -> dict[str, Any]:
    body = {**PHONE, "scheduleTime": iso_in(api, timedelta(hours=1))}
    return (await api.post("/interviews", body)).data  # type: ignore[no-any-return]


async def _control(api: Api, interview_id: str, action: str, body: Any = None) -> dict[str, Any]:
    reply = await api.post(f"/_harness/interviews/{interview_id}/{action}", body)
    assert reply.status == 200, reply.body
    return reply.data  # type: ignore[no-any-return]


async def test_two_unanswered_calls_then_an_answered_one(api: Api, events: RecordingSink) -> None:
    made = await _scheduled(api)
    await _control(api, made["id"], "unanswered")
    after = await _control(api, made["id"], "unanswered", {"reasonCode": "BUSY"})
    assert after["status"] == "SCHEDULED"
    assert events.events == []  # no event for a retried attempt: the vendor documents none
    started = await _control(api, made["id"], "start")
    done = await complete(api, made["id"], 7)
    first, second, third = done["callAttempts"]
    assert [a["status"] for a in done["callAttempts"]] == ["COMPLETED"] * 3
    assert [a["retryNumber"] for a in done["callAttempts"]] == [0, 1, 2]
    assert (first["reasonCode"], second["reasonCode"], third["reasonCode"]) == (
        "NO_ANSWER",
        "BUSY",
        None,
    )
    assert first["notes"] == "The candidate did not pick up"
    assert first["duration"] == 0 and first["calledAt"] is not None
    assert third["duration"] == 7 * 60
    assert started["callAttempts"][2]["status"] == "IN_PROGRESS"
    assert _kinds(events) == ["interview.started", "interview.completed", "analysis.completed"]
    assert events.events[0].data["callAttemptId"] == third["id"]
    assert events.events[1].data["callAttemptId"] == third["id"]


async def test_an_unanswered_call_that_is_not_retried_fails_the_interview(
    api: Api, events: RecordingSink
) -> None:
    made = await _scheduled(api)
    body = {"reasonCode": "VOICEMAIL", "notes": "Mailbox full", "retry": False}
    failed = await _control(api, made["id"], "unanswered", body)
    assert failed["status"] == "FAILED" and failed["finishedDate"] is not None
    (attempt,) = failed["callAttempts"]
    assert (attempt["status"], attempt["reasonCode"], attempt["notes"]) == (
        "COMPLETED",
        "VOICEMAIL",
        "Mailbox full",
    )
    assert _kinds(events) == ["interview.failed"]
    data = events.events[0].data
    assert data["callAttemptId"] == attempt["id"]
    assert data["status"] == "FAILED"
    assert data["error"] == {"code": "VOICEMAIL", "message": "Mailbox full"}


async def test_a_dropped_call_is_retried_and_started_again(api: Api, events: RecordingSink) -> None:
    made = (await api.post("/interviews", PHONE)).data  # called now: IN_PROGRESS
    when = iso_in(api, timedelta(minutes=30))
    body = {"reasonCode": "CALL_DROPPED", "retryAt": when}
    again = await _control(api, made["id"], "call-failed", body)
    assert again["status"] == "SCHEDULED"
    dropped, retry = again["callAttempts"]
    assert (dropped["status"], dropped["reasonCode"]) == ("FAILED", "CALL_DROPPED")
    assert dropped["notes"] == "The call dropped"
    assert retry["status"] == "SCHEDULED" and retry["retryNumber"] == 1
    assert abs(_at(retry["scheduledAt"]) - _at(when)) < timedelta(milliseconds=1)
    await _control(api, made["id"], "start")
    assert _kinds(events) == ["interview.started", "interview.started"]
    assert [e.data["callAttemptId"] for e in events.events] == [dropped["id"], retry["id"]]


async def test_a_failed_call_that_is_not_retried_fails_the_interview(
    api: Api, events: RecordingSink
) -> None:
    made = await _scheduled(api)
    failed = await _control(
        api, made["id"], "call-failed", {"reasonCode": "INVALID_NUMBER", "retry": False}
    )
    assert failed["status"] == "FAILED"
    assert failed["callAttempts"][0]["status"] == "FAILED"
    assert events.events[-1].data["error"]["code"] == "INVALID_NUMBER"


async def test_outcomes_need_a_live_call_of_a_phone_interview(api: Api) -> None:
    online = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}
    made = (await api.post("/interviews", online)).data
    for action in ("unanswered", "call-failed"):
        reply = await api.post(f"/_harness/interviews/{made['id']}/{action}")
        assert reply.status == 409 and "ONLINE" in reply.error["message"]
    called = (await api.post("/interviews", PHONE)).data  # IN_PROGRESS: it was answered
    reply = await api.post(f"/_harness/interviews/{called['id']}/unanswered")
    assert reply.status == 409 and "SCHEDULED" in reply.error["message"]
    await complete(api, called["id"], 1)
    reply = await api.post(f"/_harness/interviews/{called['id']}/call-failed")
    assert reply.status == 409


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("unanswered", {"reasonCode": "CALL_DROPPED"}, "reasonCode"),
        ("call-failed", {"reasonCode": "NO_ANSWER"}, "reasonCode"),
        ("unanswered", {"retry": "no"}, "retry"),
        ("unanswered", {"notes": ""}, "notes"),
        ("unanswered", {"retryAt": "soon"}, "retryAt"),
        ("unanswered", {"retry": False, "retryAt": "{{+1h}}"}, "retryAt"),
        ("call-failed", {"retryAt": "{{-1h}}"}, "retryAt"),
        ("call-failed", {"retryAt": "{{+31d}}"}, "retryAt"),
        ("call-failed", {"later": True}, "later"),
    ],
)
async def test_bad_outcome_bodies_are_refused_naming_the_field(
    api: Api, action: str, body: dict[str, Any], field: str
) -> None:
    made = await _scheduled(api)
    shifts = {"{{+1h}}": timedelta(hours=1), "{{-1h}}": -timedelta(hours=1)}
    shifts["{{+31d}}"] = timedelta(days=31)
    sent = {k: iso_in(api, shifts[v]) if v in shifts else v for k, v in body.items()}
    reply = await api.post(f"/_harness/interviews/{made['id']}/{action}", sent)
    assert reply.status == 400 and reply.fields == [field], reply.body
    assert (await api.get(f"/interviews/{made['id']}")).data == made  # nothing changed


async def test_a_call_of_a_deleted_interview_fails_without_an_event(
    api: Api, events: RecordingSink
) -> None:
    made = (await api.post("/interviews", PHONE)).data
    assert (await api.delete(f"/interviews/{made['id']}")).status == 200
    await _control(api, made["id"], "call-failed", {"retry": False})
    assert _kinds(events) == ["interview.started"]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
