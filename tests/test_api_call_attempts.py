"""POST/PATCH/DELETE /interviews/{id}/call-attempts: the vendor's rules for a phone interview's
call attempts, and the attempts in the interview's ``callAttempts``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from harness.api.state import STORE
from harness.domain.events import RecordingSink
from tests.api_helpers import iso_in, now_of
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_PHONE,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_KEY,
    ACME_READONLY_KEY,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
)

PHONE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_PHONE, "jobId": ACME_JOB}
VENDOR_FIELDS = {
    *("id", "direction", "status", "reasonCode", "notes", "retryNumber", "recordingUrl"),
    *("duration", "scheduledAt", "calledAt"),
}


def _at(text: str) -> datetime:
    """An instant to the millisecond (answers carry milliseconds)."""
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


async def _phone(api: Api, hours: float = 1) -> dict[str, Any]:
    body = {**PHONE, "scheduleTime": iso_in(api, timedelta(hours=hours))}
    reply = await api.post("/interviews", body)
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def _attempts(api: Api, interview_id: str) -> list[dict[str, Any]]:
    return (await api.get(f"/interviews/{interview_id}")).data["callAttempts"]  # type: ignore[no-any-return]


async def test_a_scheduled_phone_interview_has_one_scheduled_attempt_in_the_vendor_shape(
    api: Api,
) -> None:
    made = await _phone(api)
    (attempt,) = made["callAttempts"]
    assert set(attempt) == VENDOR_FIELDS
    assert attempt["direction"] == "OUTBOUND"
    assert attempt["status"] == "SCHEDULED"
    assert attempt["retryNumber"] == 0
    assert attempt["scheduledAt"] == made["scheduledAt"]
    assert attempt["calledAt"] is None
    assert attempt["duration"] is None and attempt["reasonCode"] is None


@pytest.mark.parametrize("prefix", ["", "/v1"])
async def test_invoking_an_attempt_replaces_the_scheduled_one(
    api: Api, events: RecordingSink, prefix: str
) -> None:
    made = await _phone(api)
    when = iso_in(api, timedelta(hours=3))
    reply = await api.post(f"{prefix}/interviews/{made['id']}/call-attempts", {"scheduledAt": when})
    assert reply.status == 201, reply.body
    assert reply.data["success"] is True and reply.data["message"]
    old, new = await _attempts(api, made["id"])
    assert old["id"] == made["callAttempts"][0]["id"]
    assert old["status"] == "CANCELLED"
    assert new["status"] == "SCHEDULED"
    assert _at(new["scheduledAt"]) == _at(when)
    assert new["retryNumber"] == 1
    assert new["id"] != old["id"]
    assert events.events == []  # the vendor documents no event for an invoked attempt


@pytest.mark.parametrize(
    "body", [{"scheduledAt": None}, {}, None], ids=["null", "absent", "no-body"]
)
async def test_an_attempt_without_a_time_is_due_now(api: Api, body: Any) -> None:
    made = await _phone(api)
    reply = await api.post(f"/interviews/{made['id']}/call-attempts", body)
    assert reply.status == 201, reply.body
    new = (await _attempts(api, made["id"]))[-1]
    assert new["status"] == "SCHEDULED"
    assert abs(_at(new["scheduledAt"]) - now_of(api)) < timedelta(seconds=5)


async def test_the_create_status_option_applies_to_invoking(make_api: Any) -> None:
    api = await make_api(create_status=200)
    body = {**PHONE, "scheduleTime": iso_in(api, timedelta(hours=1))}
    made = (await api.post("/interviews", body)).data
    assert (await api.post(f"/interviews/{made['id']}/call-attempts", {})).status == 200


async def test_call_attempts_are_forbidden_for_online_interviews(api: Api) -> None:
    body = {
        "candidateId": ACME_CANDIDATE,
        "agentId": ACME_AGENT_GENERIC,
        "scheduleTime": iso_in(api, timedelta(hours=1)),
    }
    made = (await api.post("/interviews", body)).data
    some = MISSING_ID
    for method, path, sent in (
        ("POST", f"/interviews/{made['id']}/call-attempts", {}),
        ("PATCH", f"/interviews/{made['id']}/call-attempts/{some}", {"scheduledAt": None}),
        ("DELETE", f"/interviews/{made['id']}/call-attempts/{some}", None),
    ):
        reply = await api.call(method, path, sent)
        assert reply.status == 403, (method, reply.body)
        assert reply.error["code"] == "OPERATION_NOT_ALLOWED"
        assert reply.error["details"] == {"interviewId": made["id"], "agentType": "ONLINE"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("tomorrow", "ISO 8601"),
        ("2030-05-01T10:00:00", "offset"),
        ("2030-05-01", "ISO 8601"),
        (1767225600, "valid datetime"),
        ("past", "future"),
        ("far", "30 days"),
    ],
)
async def test_a_bad_scheduled_at_is_refused_naming_it(api: Api, value: Any, reason: str) -> None:
    made = await _phone(api)
    if value == "past":
        value = iso_in(api, timedelta(seconds=-1))
    elif value == "far":
        value = iso_in(api, timedelta(days=31))
    for method, path in (
        ("POST", f"/interviews/{made['id']}/call-attempts"),
        ("PATCH", f"/interviews/{made['id']}/call-attempts/{made['callAttempts'][0]['id']}"),
    ):
        reply = await api.call(method, path, {"scheduledAt": value})
        assert reply.status == 400, reply.body
        assert reply.fields == ["scheduledAt"], reply.body
        assert reason in reply.error["details"]["errors"][0]["message"], reply.body
    assert await _attempts(api, made["id"]) == made["callAttempts"]  # nothing changed


async def test_unknown_fields_are_refused(api: Api) -> None:
    made = await _phone(api)
    reply = await api.post(f"/interviews/{made['id']}/call-attempts", {"when": None})
    assert reply.status == 400 and reply.fields == ["when"]


async def test_no_attempt_is_invoked_while_a_call_is_in_progress_or_after_completion(
    api: Api,
) -> None:
    made = (await api.post("/interviews", PHONE)).data  # starts now: IN_PROGRESS
    path = f"/interviews/{made['id']}/call-attempts"
    reply = await api.post(path, {})
    assert reply.status == 400 and reply.fields == ["id"]
    assert "in progress" in reply.error["message"]
    await api.post(f"/_harness/interviews/{made['id']}/complete", {"durationMinutes": 3})
    reply = await api.post(path, {})
    assert reply.status == 400 and reply.fields == ["id"]
    assert "COMPLETED" in reply.error["message"]


async def test_invoking_an_attempt_schedules_a_failed_interview_again(
    api: Api, events: RecordingSink
) -> None:
    made = await _phone(api)
    await api.post(f"/_harness/interviews/{made['id']}/unanswered", {"retry": False})
    assert (await api.get(f"/interviews/{made['id']}")).data["status"] == "FAILED"
    assert (await api.post(f"/interviews/{made['id']}/call-attempts", {})).status == 201
    again = (await api.get(f"/interviews/{made['id']}")).data
    assert again["status"] == "SCHEDULED"
    assert again["finishedDate"] is None
    assert [a["status"] for a in again["callAttempts"]] == ["COMPLETED", "SCHEDULED"]
    assert again["callAttempts"][-1]["retryNumber"] == 1


async def test_rescheduling_moves_a_scheduled_attempt(api: Api) -> None:
    made = await _phone(api)
    attempt = made["callAttempts"][0]
    when = iso_in(api, timedelta(days=2))
    path = f"/interviews/{made['id']}/call-attempts/{attempt['id']}"
    reply = await api.patch(path, {"scheduledAt": when})
    assert reply.status == 204 and reply.body is None
    (moved,) = await _attempts(api, made["id"])
    assert _at(moved["scheduledAt"]) == _at(when)
    assert {k: v for k, v in moved.items() if k != "scheduledAt"} == {
        k: v for k, v in attempt.items() if k != "scheduledAt"
    }
    assert (await api.patch(f"/v1{path}", {"scheduledAt": when})).status == 204


async def test_only_scheduled_attempts_are_rescheduled(api: Api) -> None:
    made = await _phone(api)
    first = made["callAttempts"][0]["id"]
    await api.post(f"/interviews/{made['id']}/call-attempts", {})  # first is CANCELLED now
    when = iso_in(api, timedelta(hours=2))
    reply = await api.patch(
        f"/interviews/{made['id']}/call-attempts/{first}", {"scheduledAt": when}
    )
    assert reply.status == 400 and reply.fields == ["attemptId"]
    assert "CANCELLED" in reply.error["message"]


async def test_reschedule_needs_a_scheduled_at(api: Api) -> None:
    made = await _phone(api)
    path = f"/interviews/{made['id']}/call-attempts/{made['callAttempts'][0]['id']}"
    for body in ({}, {"scheduledAt": None}):
        reply = await api.patch(path, body)
        assert reply.status == 400 and reply.fields == ["scheduledAt"], reply.body


async def test_an_unknown_or_malformed_attempt_id_is_refused(api: Api) -> None:
    made = await _phone(api)
    when = {"scheduledAt": iso_in(api, timedelta(hours=2))}
    base = f"/interviews/{made['id']}/call-attempts"
    for method, body in (("PATCH", when), ("DELETE", None)):
        reply = await api.call(method, f"{base}/{MISSING_ID}", body)
        assert reply.status == 404, reply.body
        assert reply.error["details"] == {"resourceType": "CallAttempt", "resourceId": MISSING_ID}
        reply = await api.call(method, f"{base}/not-a-uuid", body)
        assert reply.status == 400 and reply.fields == ["attemptId"], reply.body


async def test_deleting_an_attempt_removes_it_from_the_history(api: Api) -> None:
    made = await _phone(api)
    await api.post(f"/interviews/{made['id']}/call-attempts", {})
    cancelled, scheduled = await _attempts(api, made["id"])
    reply = await api.delete(f"/interviews/{made['id']}/call-attempts/{cancelled['id']}")
    assert reply.status == 204 and reply.body is None
    assert await _attempts(api, made["id"]) == [scheduled]
    assert (
        await api.delete(f"/v1/interviews/{made['id']}/call-attempts/{scheduled['id']}")
    ).status == 204
    assert await _attempts(api, made["id"]) == []
    # the next attempt still counts the deleted ones: a new id, retryNumber 2
    await api.post(f"/interviews/{made['id']}/call-attempts", {})
    (new,) = await _attempts(api, made["id"])
    assert new["retryNumber"] == 2
    assert new["id"] not in {cancelled["id"], scheduled["id"]}


async def test_an_attempt_in_progress_is_not_deleted(api: Api) -> None:
    made = (await api.post("/interviews", PHONE)).data
    attempt = made["callAttempts"][0]
    assert attempt["status"] == "IN_PROGRESS"
    reply = await api.delete(f"/interviews/{made['id']}/call-attempts/{attempt['id']}")
    assert reply.status == 400 and reply.fields == ["attemptId"]
    assert await _attempts(api, made["id"]) == [attempt]


async def test_another_companys_missing_or_deleted_interview(api: Api) -> None:
    made = await _phone(api)
    attempt = made["callAttempts"][0]["id"]
    when = {"scheduledAt": iso_in(api, timedelta(hours=2))}
    calls = (
        ("POST", "/interviews/{}/call-attempts", when),
        ("PATCH", f"/interviews/{{}}/call-attempts/{attempt}", when),
        ("DELETE", f"/interviews/{{}}/call-attempts/{attempt}", None),
    )
    for method, path, body in calls:
        reply = await api.call(method, path.format(made["id"]), body, key=GLOBEX_KEY)
        assert reply.status == 403 and reply.error["code"] == "RESOURCE_ACCESS_DENIED"
        reply = await api.call(method, path.format(made["id"]), body, key=ACME_READONLY_KEY)
        assert reply.status == 403 and reply.error["code"] == "INSUFFICIENT_PERMISSIONS"
        reply = await api.call(method, path.format(MISSING_ID), body)
        assert reply.status == 404 and reply.error["details"]["resourceType"] == "Interview"
    assert (await api.delete(f"/interviews/{made['id']}")).status == 200
    reply = await api.post(f"/interviews/{made['id']}/call-attempts", {})
    assert reply.status == 404


async def test_deleting_an_attempt_needs_the_delete_scope_too(api: Api) -> None:
    made = await _phone(api)
    keys = api.client.app[STORE].keys
    company, key = keys[ACME_KEY]
    keys[ACME_KEY] = (
        company,
        key.model_copy(update={"scopes": key.scopes - {"delete:interviews"}}),
    )
    reply = await api.delete(
        f"/interviews/{made['id']}/call-attempts/{made['callAttempts'][0]['id']}"
    )
    assert reply.status == 403
    assert reply.error["details"] == {"requiredScope": "delete:interviews"}


async def test_deleting_a_scheduled_interview_cancels_its_attempts(api: Api) -> None:
    made = await _phone(api)
    assert (await api.delete(f"/interviews/{made['id']}")).status == 200
    stored = next(i for i in api.client.app[STORE].interviews.values() if str(i.id) == made["id"])
    assert [a.status.value for a in stored.call_attempts] == ["CANCELLED"]
