"""The plugin's fixtures used directly by this suite: every call of the public facades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness import (
    DeliveryTimeout,
    EventTimeout,
    Instaview,
    InstaviewSync,
    SchemaViolationError,
    UnexpectedResponse,
    assert_valid,
    assert_valid_event,
)
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json
from tests.support import ACME_AGENT_PHONE, ACME_CANDIDATE, ACME_JOB

LIVE = {
    "candidate": {
        "firstName": "Grace",
        "lastName": "Hopper",
        "email": "grace@example.com",
        "gdprExpiryDate": "2030-01-01",
    },
    "agent": {"name": "Screening call", "focus": "SCREENING"},
    "job": {"title": "Support", "description": "Helps customers."},
}


async def test_world_keys_ids_and_the_world_webhooks(instaview: Instaview) -> None:
    assert set(instaview.keys) == {"acme", "acme_readonly", "readonly", "globex"}
    assert instaview.keys["readonly"] == instaview.keys["acme_readonly"]
    assert set(instaview.company_ids) == {"acme", "globex"}
    assert instaview.webhooks["acme"].url == f"{instaview.receiver_url}/hooks/acme"
    assert instaview.webhooks["acme"].whsec.startswith("whsec_")
    usage = await instaview.request("GET", "/billing/usage", company="globex")
    assert usage.ok and usage.data["companies"][0]["companyName"] == "Globex Trial"
    refused = await instaview.request("POST", "/interviews", LIVE, key=instaview.keys["readonly"])
    assert refused.status == 403


async def test_the_live_lifecycle_through_the_control_actions(instaview: Instaview) -> None:
    interview = await instaview.create_interview(LIVE, company="globex")
    started = await instaview.wait_for("interview.started", interview_id=interview["id"])
    assert started.channel == "globex"
    assert (await instaview.complete(interview["id"], duration_minutes=3))["status"] == "COMPLETED"
    analysis = await instaview.wait_for("analysis.completed", interview_id=interview["id"])
    assert analysis.data["isTest"] is False
    second = await instaview.create_interview(LIVE)
    failed = await instaview.fail(second["id"], code="NO_ANSWER", message="Nobody")
    assert failed["status"] == "FAILED"
    event = await instaview.wait_for("interview.failed", interview_id=second["id"])
    assert event.data["error"] == {"code": "NO_ANSWER", "message": "Nobody"}
    with pytest.raises(UnexpectedResponse, match="HTTP 409"):
        await instaview.start(second["id"])
    with pytest.raises(UnexpectedResponse, match="HTTP 400"):
        await instaview.create_interview({"isTest": True})


async def test_duplicate_mode_on_a_registered_webhook_and_waiting_after_a_capture(
    instaview: Instaview,
) -> None:
    hook = await instaview.register_webhook(events=["interview.completed"], channel="dups")
    assert hook.channel == "dups" and hook.events == ("interview.completed",)
    modes = await instaview.delivery_modes(hook.id, duplicate=True)
    assert modes == {"duplicate": True, "outOfOrder": False, "delayMs": 0}
    interview = await instaview.create_interview()
    first = await instaview.wait_for(channel="dups", interview_id=interview["id"])
    again = await instaview.wait_for(channel="dups", after=first.id)
    assert first.delivery_id == again.delivery_id and first.id < again.id
    await instaview.drain()
    log = await instaview.deliveries(webhook_id=hook.id)
    assert [a["injected"] for a in log] == [["duplicate"], ["duplicate"]]
    assert len(await instaview.events(channel="dups")) == 2


async def test_faults_and_the_out_of_order_default_through_the_facade(
    instaview: Instaview,
) -> None:
    fault = await instaview.inject_fault("POST /interviews", burst=1, error_status=500)
    assert fault["burst"] == 1
    with pytest.raises(UnexpectedResponse, match="HTTP 500"):
        await instaview.create_interview()
    await instaview.clear_faults()
    await instaview.delivery_modes(out_of_order=True)
    interview = await instaview.create_interview()
    await instaview.drain()
    events = await instaview.events(interview_id=interview["id"], channel="acme")
    assert [e.event for e in events] == ["analysis.completed", "interview.completed"]


async def test_a_global_webhook_to_a_url_nobody_serves_can_be_drained(
    instaview: Instaview,
) -> None:
    hook = await instaview.register_webhook("http://127.0.0.1:9/nowhere", company=None)
    assert hook.channel is None
    await instaview.create_interview(company="globex")
    await instaview.drain(timeout=10)
    failed = await instaview.deliveries(webhook_id=hook.id, outcome="failed")
    assert len(failed) == 2


def _phone_interview() -> dict[str, Any]:
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    return {
        "candidateId": ACME_CANDIDATE,
        "agentId": ACME_AGENT_PHONE,
        "jobId": ACME_JOB,
        "scheduleTime": later,
    }


async def test_a_phone_sequence_through_the_facade(instaview: Instaview) -> None:
    interview = await instaview.create_interview(_phone_interview())
    retried = await instaview.unanswered(interview["id"], "BUSY")
    assert [a["status"] for a in retried["callAttempts"]] == ["COMPLETED", "SCHEDULED"]
    await instaview.start(interview["id"])
    dropped = await instaview.call_failed(interview["id"], "CALL_DROPPED", notes="Line cut")
    assert dropped["callAttempts"][1]["notes"] == "Line cut"
    last = await instaview.unanswered(interview["id"], retry=False)
    assert last["status"] == "FAILED"
    failed = await instaview.wait_for("interview.failed", interview_id=interview["id"])
    assert failed.data["callAttemptId"] == last["callAttempts"][-1]["id"]
    assert failed.data["error"]["code"] == "NO_ANSWER"
    with pytest.raises(UnexpectedResponse, match="HTTP 409"):
        await instaview.call_failed(interview["id"])


def test_the_sync_twin_drives_phone_calls(instaview_sync: InstaviewSync) -> None:
    interview = instaview_sync.create_interview(_phone_interview())
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    retried = instaview_sync.unanswered(interview["id"], retry_at=later)
    assert retried["callAttempts"][-1]["status"] == "SCHEDULED"
    again = instaview_sync.call_failed(interview["id"], "INVALID_NUMBER")
    assert again["callAttempts"][1]["reasonCode"] == "INVALID_NUMBER"
    assert instaview_sync.start(interview["id"])["status"] == "IN_PROGRESS"
    assert instaview_sync.fail(interview["id"], message="Gone")["status"] == "FAILED"
    event = instaview_sync.wait_for("interview.failed", interview_id=interview["id"])
    assert event.data["callAttemptId"] == again["callAttempts"][2]["id"]


def test_the_sync_twin(instaview_sync: InstaviewSync) -> None:
    interview = instaview_sync.create_interview(LIVE)
    instaview_sync.start  # noqa: B018 (the same control actions exist)
    instaview_sync.complete(interview["id"])
    captured = instaview_sync.wait_for("analysis.completed", interview_id=interview["id"])
    instaview_sync.assert_valid_event(captured.body)
    assert_valid(captured.data["analysis"], "analysis")
    assert [e.event for e in instaview_sync.events(interview_id=interview["id"])] == [
        "interview.started",
        "interview.completed",
        "analysis.completed",
    ]
    with pytest.raises(EventTimeout, match="3 event"):
        instaview_sync.wait_for("ping", timeout=0)
    hook = instaview_sync.register_webhook(channel="s", events=["ping"])
    instaview_sync.delivery_modes(hook.id, delay_ms=1)
    instaview_sync.inject_fault("GET /billing/usage", error_rate=1.0)
    assert instaview_sync.request("GET", "/billing/usage").status == 503
    instaview_sync.clear_faults()
    instaview_sync.drain()
    assert instaview_sync.deliveries(interview_id=interview["id"], event="ping") == []


async def test_the_sync_twin_refuses_to_block_an_event_loop(
    instaview_sync: InstaviewSync,
) -> None:
    with pytest.raises(RuntimeError, match="use the instaview fixture"):
        instaview_sync.events()


def test_schema_assertions_check_the_vendor_level_unless_strict() -> None:
    documented = read_json(WEBHOOK_FIXTURES / "interview.completed.json")
    documented["timestamp"] = "2024-01-20T14:30:00Z"  # as the vendor's examples write it
    for field in ("agentId", "isTest", "metadata"):  # added by the harness
        del documented["data"][field]
    assert_valid_event(documented)
    assert_valid(documented, "events/interview.completed")
    with pytest.raises(SchemaViolationError, match=r"strict/events/interview\.completed") as found:
        assert_valid_event(documented, strict=True)
    assert {v.level for v in found.value.violations} == {"strict"}
    assert {v.instance_path for v in found.value.violations} == {"/timestamp", "/data"}
    assert_valid({"status": "ok"}, "health", strict=True)  # a schema of one level is both


def test_schema_assertions_take_text_and_bytes() -> None:
    with pytest.raises(SchemaViolationError, match="not JSON"):
        assert_valid(b"{", "health")
    with pytest.raises(SchemaViolationError, match="'status' is a required property"):
        assert_valid("{}", "health")
    assert_valid('{"status": "ok"}', "health")
    with pytest.raises(SchemaViolationError, match="schema 'events/event'"):
        Instaview.assert_valid_event({"event": "interview.exploded"})


def test_drain_timeout_is_an_assertion_error() -> None:
    assert issubclass(DeliveryTimeout, AssertionError)


def test_a_harness_that_cannot_start_stops_its_thread_and_loop() -> None:
    import socket
    import threading

    from harness import HarnessConfig
    from harness.testing.server import BackgroundHarness

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        harness = BackgroundHarness(HarnessConfig(port=port, db_path=":memory:"))
        before = threading.active_count()
        with pytest.raises(OSError):
            harness.start()
    assert threading.active_count() == before  # the harness's thread was joined
    with pytest.raises(RuntimeError, match="not started"):
        _ = harness.client
    harness.stop()  # a second stop is a no-op


async def test_a_bad_wait_is_an_unexpected_response(instaview: Instaview) -> None:
    with pytest.raises(UnexpectedResponse, match="GET /events/wait: HTTP 400"):
        await instaview.wait_for("ping", after=-1)


async def test_events_and_deliveries_follow_every_page(
    instaview: Instaview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("harness.testing.client.MAX_LIMIT", 2)  # pages of 2: several to follow
    created = [await instaview.create_interview() for _ in range(3)]
    await instaview.drain()
    captured = await instaview.events(channel="acme")
    assert len(captured) == 6 and len({e.id for e in captured}) == 6
    assert {e.interview_id for e in captured} == {c["id"] for c in created}
    attempts = await instaview.deliveries()
    assert len(attempts) == 6 and len({a["id"] for a in attempts}) == 6
    assert len(await instaview.deliveries(event="analysis.completed")) == 3
