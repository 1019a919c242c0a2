"""Issue 3's end-to-end proofs: a key's requests become signed, schema-clean captures."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import standardwebhooks

from harness.delivery.signing import whsec
from tests.e2e_support import harness
from tests.support import ACME_AGENT_SCREENING, ACME_CANDIDATE, GLOBEX_KEY, full_inline_body

TIGHT = (0.01, 0.01, 0.01)


async def test_is_test_interview_reaches_the_receiver_signed_clean_and_in_order() -> None:
    async with harness() as h:
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        last = await h.wait(event="analysis.completed", interviewId=interview["id"])
        captures = await h.events(interviewId=interview["id"])
        assert [c["event"] for c in captures] == ["interview.completed", "analysis.completed"]
        assert last["id"] == captures[-1]["id"]
        for capture in captures:
            assert capture["channel"] == "acme"
            assert capture["signature"] == "valid", capture["signatureReason"]
            assert capture["schemaErrors"] == []
            assert capture["flags"] == []
            assert capture["body"]["data"]["isTest"] is True
            assert capture["body"]["data"]["metadata"]["isTest"] is True
            assert capture["body"]["data"]["interviewId"] == interview["id"]
        pdf = base64.b64decode(captures[1]["body"]["data"]["analysisPdfBase64"])
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


async def test_the_official_library_verifies_what_the_receiver_stored() -> None:
    async with harness() as h:
        hooks = await h.api("GET", "/webhooks")
        assert hooks["items"], "the world registers a webhook per company"
        created = await h.api(
            "POST",
            "/webhooks",
            {"url": h.run.receiver_url + "/hooks/mine", "events": ["INTERVIEW_COMPLETED"]},
        )
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        capture = await h.wait(channel="mine", interviewId=interview["id"])
        async with h.http.get(f"{h.run.receiver_url}/events/{capture['id']}/raw") as r:
            raw = await r.read()
        verified = standardwebhooks.Webhook(whsec(created["signingSecret"])).verify(
            raw, capture["headers"]
        )
        assert verified["event"] == "interview.completed"
        assert capture["signature"] == "valid"


async def test_live_interview_through_start_complete_yields_events_and_billing() -> None:
    async with harness() as h:
        soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_SCREENING}
        interview = await h.api("POST", "/interviews", {**body, "scheduleTime": soon})
        assert interview["status"] == "SCHEDULED"
        started = await h.control(f"/interviews/{interview['id']}/start")
        assert started["status"] == "IN_PROGRESS"
        await h.control(f"/interviews/{interview['id']}/complete", {"durationMinutes": 12})
        await h.wait(event="analysis.completed", interviewId=interview["id"])
        events = [c["event"] for c in await h.events(interviewId=interview["id"])]
        assert events == ["interview.started", "interview.completed", "analysis.completed"]
        usage = await h.api("GET", "/billing/usage")
        assert usage["totalMinutesUsed"] == 12
        assert usage["totalInterviews"] == 1


async def test_failed_interview_and_failed_analysis_events() -> None:
    async with harness() as h:
        body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_SCREENING}
        failing = await h.api("POST", "/interviews", body)
        await h.control(f"/interviews/{failing['id']}/fail", {"code": "NO_ANSWER"})
        failed = await h.wait(event="interview.failed", interviewId=failing["id"])
        assert failed["body"]["data"]["error"]["code"] == "NO_ANSWER"
        assert failed["body"]["data"]["status"] == "FAILED"

        broken = await h.api("POST", "/interviews", body)
        await h.control(f"/interviews/{broken['id']}/complete", {"analysisFails": True})
        await h.wait(event="analysis.failed", interviewId=broken["id"])
        events = [c["event"] for c in await h.events(interviewId=broken["id"])]
        assert events == ["interview.started", "interview.completed", "analysis.failed"]
        assert all(c["schemaErrors"] == [] for c in await h.events())


async def test_receiver_failing_the_first_two_attempts_ends_in_success_with_one_delivery_id() -> (
    None
):
    async with harness(retry_schedule=TIGHT) as h:
        await h.receiver("PUT", "/channels/acme/script", {"status": 503, "failFirst": 2})
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await h.drain()
        first = await h.events(interviewId=interview["id"], event="interview.completed")
        assert [c["answer"]["status"] for c in first] == [503, 503, 204]
        assert len({c["deliveryId"] for c in first}) == 1
        assert len({c["headers"]["webhook-timestamp"] for c in first}) >= 1
        async with h.http.get(
            h.run.api_url + "/_harness/deliveries", params={"deliveryId": first[0]["deliveryId"]}
        ) as r:
            log = (await r.json())["data"]["items"]
        assert [a["statusCode"] for a in log] == [503, 503, 204]
        assert [a["outcome"] for a in log] == ["retrying", "retrying", "delivered"]


async def test_ten_failures_open_the_circuit_and_reset_circuit_closes_it() -> None:
    async with harness(retry_schedule=(0.0,)) as h:
        await h.receiver("PUT", "/channels/globex/script", {"status": 500})
        # maxRetries 3: 4 attempts per delivery, 8 per interview. One interview at a time, so
        # the 10th failed attempt opens the circuit with nothing else in flight.
        for _ in range(3):
            await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)
            await h.drain()
        hooks = (await h.api("GET", "/webhooks", key=GLOBEX_KEY))["items"]
        assert hooks[0]["isActive"] is False
        assert hooks[0]["circuitOpenedAt"] is not None
        assert len(await h.events(channel="globex")) == 10
        reset = await h.api("POST", f"/webhooks/{hooks[0]['id']}/reset-circuit", key=GLOBEX_KEY)
        assert reset["isActive"] is True and reset["consecutiveFailures"] == 0
        await h.receiver("DELETE", "/channels/globex/script")
        interview = await h.api(
            "POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY
        )
        capture = await h.wait(event="analysis.completed", interviewId=interview["id"])
        assert capture["answer"]["status"] == 204


async def test_captures_survive_a_restart_of_the_harness(tmp_path: Path) -> None:
    db = tmp_path / "harness.sqlite3"
    async with harness(db) as h:
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        await h.wait(event="analysis.completed", interviewId=interview["id"])
    async with harness(db) as h:
        kept = await h.events(interviewId=interview["id"])
        assert [c["event"] for c in kept] == ["interview.completed", "analysis.completed"]
        assert all(c["signature"] == "valid" for c in kept)
