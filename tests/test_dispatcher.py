"""The dispatcher against a real local server: signatures, retries, ordering, circuit, the log."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
import standardwebhooks

from harness.api.app import create_api_app
from harness.api.webhooks import WEBHOOKS, enable_delivery, webhook_secrets
from harness.clock import Clock
from harness.config import HarnessConfig
from harness.delivery.signing import whsec
from harness.domain.enums import EventType
from tests.delivery_support import (
    SignallingClock,
    SteppingClock,
    Target,
    closed_port,
    dispatcher_of,
)
from tests.support import ACME_ID, GLOBEX_KEY, Api, full_inline_body

Make = Callable[..., Awaitable[Api]]
ALL = [e.value for e in EventType]


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def make(aiohttp_client: Any, clock: SteppingClock) -> Make:
    async def build(
        *, use_clock: Clock | None = None, receiver_url: str | None = None, **options: Any
    ) -> Api:
        app = create_api_app(HarnessConfig(**options), clock=use_clock or clock)
        enable_delivery(app, receiver_url)
        return Api(await aiohttp_client(app))

    return build


async def add_hook(api: Api, target: Target, **extra: Any) -> dict[str, Any]:
    reply = await api.post("/webhooks", {"url": target.url(), "events": ALL, **extra})
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def attempts(api: Api, query: str = "") -> list[dict[str, Any]]:
    reply = await api.get(f"/_harness/deliveries{query}")
    return reply.data["items"]  # type: ignore[no-any-return]


async def test_is_test_interview_delivers_both_events_verified_by_the_official_library(
    make: Make, target: Target
) -> None:
    api = await make()
    hook = await add_hook(api, target, headers=[{"name": "X-Api-Token", "value": "t0k3n"}])
    created = await api.post("/interviews", full_inline_body(isTest=True, metadata={"ref": 7}))
    await dispatcher_of(api).drain()

    assert target.events() == ["interview.completed", "analysis.completed"]
    verifier = standardwebhooks.Webhook(whsec(hook["signingSecret"]))
    for got in target.received:
        payload = verifier.verify(got.body, got.headers)
        assert payload["deliveryId"] == got.headers["webhook-id"]
        assert got.headers["Content-Type"] == "application/json"
        assert got.headers["X-Api-Token"] == "t0k3n"
        data = payload["data"]
        assert data["interviewId"] == created.data["id"]
        assert data["isTest"] is True
        assert data["metadata"]["ref"] == 7
    pdf = base64.b64decode(target.received[1].json["data"]["analysisPdfBase64"])
    assert pdf.startswith(b"%PDF")
    log = await attempts(api)
    assert [(a["event"], a["attempt"], a["outcome"], a["statusCode"]) for a in log] == [
        ("interview.completed", 1, "delivered", 204),
        ("analysis.completed", 1, "delivered", 204),
    ]
    assert all(a["webhookId"] == hook["id"] and a["error"] is None for a in log)


async def test_hex_scheme(make: Make, target: Target) -> None:
    api = await make(signing_scheme="hex")
    hook = await add_hook(api, target)
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    (got,) = target.received
    key = bytes.fromhex(hook["signingSecret"])
    expected = "sha256=" + hmac.new(key, got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Instaview-Signature"] == expected
    assert got.headers["X-Instaview-Timestamp"].isdigit()
    assert "webhook-signature" not in got.headers
    assert got.json["data"] == {
        "webhookId": hook["id"],
        "message": "Test event from the Instaview harness",
    }


async def test_none_scheme_sends_no_signature(make: Make, target: Target) -> None:
    api = await make(signing_scheme="none")
    hook = await add_hook(api, target)
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    (got,) = target.received
    assert not {"webhook-signature", "X-Instaview-Signature"} & set(got.headers)


async def test_retries_keep_the_delivery_id_and_refresh_timestamp_and_signature(
    make: Make, target: Target, clock: SteppingClock
) -> None:
    api = await make()
    hook = await add_hook(api, target)
    target.script.extend([500, "redirect"])
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()

    assert len(target.received) == 3
    assert target.redirected == 0, "a 3xx is a failure; redirects are never followed"
    bodies = {r.body for r in target.received}
    assert len(bodies) == 1, "the body is the same bytes on every attempt"
    ids = {r.headers["webhook-id"] for r in target.received}
    assert ids == {target.received[0].json["deliveryId"]}
    stamps = [int(r.headers["webhook-timestamp"]) for r in target.received]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert len({r.headers["webhook-signature"] for r in target.received}) == 3
    verifier = standardwebhooks.Webhook(whsec(hook["signingSecret"]))
    for got in target.received:
        verifier.verify(got.body, got.headers)
    assert clock.sleeps == [5.0, 30.0], "the default schedule, slept on the injected clock"
    log = await attempts(api)
    assert [(a["attempt"], a["statusCode"], a["outcome"]) for a in log] == [
        (1, 500, "retrying"),
        (2, 302, "retrying"),
        (3, 204, "delivered"),
    ]
    assert log[0]["error"] == "HTTP 500"
    assert "redirect" in log[1]["error"]
    assert len({a["deliveryId"] for a in log}) == 1


async def test_retry_delays_come_from_the_config(
    make: Make, target: Target, clock: SteppingClock
) -> None:
    api = await make(retry_schedule=(0.05, 0.1, 0.2))
    hook = await add_hook(api, target, maxRetries=5)
    target.default = 503
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    assert clock.sleeps == [0.05, 0.1, 0.2, 0.2, 0.2], "the last delay repeats"
    log = await attempts(api)
    assert [a["outcome"] for a in log] == ["retrying"] * 5 + ["failed"]


async def test_timeout_is_a_failure_and_is_retried(make: Make, target: Target) -> None:
    api = await make()
    hook = await add_hook(api, target, timeoutMs=100)
    target.script.append("hang")
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    log = await attempts(api)
    assert [(a["statusCode"], a["outcome"]) for a in log] == [
        (None, "retrying"),
        (204, "delivered"),
    ]
    assert log[0]["error"] == "timed out after 100 ms"
    assert log[0]["latencyMs"] >= 90


async def test_connection_refused_is_retried_then_failed(make: Make, clock: SteppingClock) -> None:
    api = await make()
    url = f"http://127.0.0.1:{closed_port()}/hooks/x"
    hook = (await api.post("/webhooks", {"url": url, "events": ["ping"], "maxRetries": 2})).data
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    log = await attempts(api)
    assert [(a["attempt"], a["statusCode"], a["outcome"]) for a in log] == [
        (1, None, "retrying"),
        (2, None, "retrying"),
        (3, None, "failed"),
    ]
    assert all("Connect" in a["error"] for a in log)
    assert clock.sleeps == [5.0, 30.0]
    got = (await api.get(f"/webhooks/{hook['id']}")).data
    assert got["consecutiveFailures"] == 3


async def test_events_of_one_interview_stay_in_order_while_others_go_ahead(
    make: Make, target: Target
) -> None:
    clock = SignallingClock()
    api = await make(use_clock=clock)
    await add_hook(api, target)
    target.script.append(500)  # the first attempt of the first event fails
    started = await api.post("/interviews", full_inline_body())  # no scheduleTime: starts now
    assert started.data["status"] == "IN_PROGRESS"
    held = started.data["id"]
    await clock.sleeping.wait()  # interview.started failed once; its retry waits for the clock
    done = await api.post(f"/_harness/interviews/{held}/complete", {"durationMinutes": 3})
    assert done.status == 200
    other = (await api.post("/interviews", full_inline_body(isTest=True))).data["id"]
    await target.wait_for(3)  # the other interview's two events get through meanwhile
    assert [(r.json["data"]["interviewId"], r.event) for r in target.received] == [
        (held, "interview.started"),
        (other, "interview.completed"),
        (other, "analysis.completed"),
    ]
    clock.advance(5)
    await dispatcher_of(api).drain()
    assert [r.event for r in target.received if r.json["data"]["interviewId"] == held] == [
        "interview.started",
        "interview.started",
        "interview.completed",
        "analysis.completed",
    ]


async def test_circuit_opens_after_ten_failed_attempts_and_reset_closes_it(
    make: Make, target: Target
) -> None:
    api = await make()
    hook = await add_hook(api, target)
    path = f"/webhooks/{hook['id']}"
    target.default = 500
    dispatcher = dispatcher_of(api)
    for _ in range(4):  # 4 + 4 + 2 attempts open the circuit; the 4th ping is skipped
        await api.post(f"/_harness{path}/test")
        await dispatcher.drain()
    got = (await api.get(path)).data
    assert got["isActive"] is False
    assert got["circuitOpenedAt"] is not None
    assert got["consecutiveFailures"] == 10
    log = await attempts(api)
    assert len(target.received) == 10
    assert [a["outcome"] for a in log[-3:]] == ["retrying", "failed", "skipped"]
    assert "circuit opened" in log[-2]["error"]
    assert "circuit open" in log[-1]["error"] and log[-1]["statusCode"] is None

    closed = (await api.post(f"{path}/reset-circuit")).data
    assert (closed["isActive"], closed["consecutiveFailures"], closed["circuitOpenedAt"]) == (
        True,
        0,
        None,
    )
    target.default = 204
    await api.post(f"/_harness{path}/test")
    await dispatcher.drain()
    assert (await attempts(api))[-1]["outcome"] == "delivered"


async def test_inactive_and_deleted_webhooks_record_skipped(make: Make, target: Target) -> None:
    api = await make()
    hook = await add_hook(api, target, isActive=False)
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    assert target.received == []
    (skipped,) = await attempts(api)
    assert skipped["outcome"] == "skipped"
    assert skipped["error"] == "webhook is inactive"
    registry = api.client.app[WEBHOOKS]
    stored = registry.get(UUID(hook["id"]))
    assert stored is not None
    assert (await api.delete(f"/webhooks/{hook['id']}")).status == 204
    stored.is_active = True
    dispatcher_of(api).send(stored, EventType.PING, {"webhookId": hook["id"], "message": "x"})
    await dispatcher_of(api).drain()
    assert (await attempts(api))[-1]["error"] == "webhook was deleted"


async def test_remote_targets_are_refused_at_send_time(make: Make) -> None:
    api = await make()
    registry = api.client.app[WEBHOOKS]
    clock = SteppingClock()
    hook = registry.create(None, "https://example.com/hooks", [EventType.PING], clock.now())
    dispatcher_of(api).send(hook, EventType.PING, {"webhookId": str(hook.id), "message": "x"})
    await dispatcher_of(api).drain()
    (skipped,) = await attempts(api)
    assert skipped["outcome"] == "skipped"
    assert "not loopback" in skipped["error"]


async def test_subscriptions_and_global_webhooks(make: Make, target: Target) -> None:
    api = await make()
    only_analysis = (
        await api.post("/webhooks", {"url": target.url("acme"), "events": ["ANALYSIS_COMPLETED"]})
    ).data
    global_hook = (
        await api.post("/_harness/webhooks", {"url": target.url("all"), "events": [3]})
    ).data
    assert global_hook["companyId"] is None
    await api.post("/interviews", full_inline_body(isTest=True))
    await api.as_key(GLOBEX_KEY).post("/interviews", full_inline_body(isTest=True))
    await dispatcher_of(api).drain()
    got = sorted((r.channel, r.event) for r in target.received)
    assert got == [
        ("acme", "analysis.completed"),
        ("all", "interview.completed"),
        ("all", "interview.completed"),
    ]
    listed = (await api.get("/_harness/webhooks")).data["items"]
    assert {h["signingSecret"] for h in listed} == {
        only_analysis["signingSecret"],
        global_hook["signingSecret"],
    }
    by_hook = await attempts(api, f"?webhookId={global_hook['id']}&event=interview.completed")
    assert len(by_hook) == 2
    assert await attempts(api, "?event=ping") == []


async def test_world_webhooks_point_at_the_receiver_and_survive_reset(
    make: Make, target: Target
) -> None:
    api = await make(receiver_url=target.base_url + "/")
    secrets = webhook_secrets(api.client.app)
    world = (await api.get("/_harness/webhooks")).data["items"]
    assert sorted(h["url"] for h in world) == [target.url("acme"), target.url("globex")]
    acme = next(h for h in world if h["companyId"] == ACME_ID)
    assert set(acme["events"]) == set(ALL)
    [known] = secrets("acme")
    assert (known.secret, known.webhook_id, known.company_id) == (
        acme["signingSecret"],
        acme["id"],
        ACME_ID,
    )
    assert known.owns_channel
    assert secrets("nobody") == []

    created = (await api.post("/interviews", full_inline_body(isTest=True))).data
    await add_hook(api, target)
    await dispatcher_of(api).drain()
    assert [r.channel for r in target.received] == ["acme", "acme"]
    log = await attempts(api, f"?interviewId={created['id']}")
    assert len(log) == 2
    delivery = log[0]["deliveryId"]
    assert [a["deliveryId"] for a in await attempts(api, f"?deliveryId={delivery}")] == [delivery]
    verifier = standardwebhooks.Webhook(whsec(known.secret))
    verifier.verify(target.received[0].body, target.received[0].headers)

    await api.post("/_harness/reset")
    assert (await api.get("/_harness/webhooks")).data["items"] == world
    assert await attempts(api) == []
    assert (await api.get("/webhooks")).data["items"] == [
        {k: v for k, v in acme.items() if k != "signingSecret"}
    ]


async def test_bad_or_empty_delivery_filters_name_the_parameter(make: Make) -> None:
    api = await make()
    empty = [
        (f"?{name}=", name)
        for name in ("webhookId", "event", "interviewId", "deliveryId", "outcome")
    ]
    for query, field in [("?event=nope", "event"), ("?outcome=lost", "outcome"), *empty]:
        reply = await api.get(f"/_harness/deliveries{query}")
        assert reply.status == 400
        assert reply.fields == [field]


async def test_control_api_lifecycle_events_are_delivered(
    make: Make, target: Target, clock: SteppingClock
) -> None:
    api = await make()
    await add_hook(api, target)
    later = {"scheduleTime": (clock.now() + timedelta(days=1)).isoformat()}
    one = (await api.post("/interviews", full_inline_body(**later))).data["id"]
    two = (await api.post("/interviews", full_inline_body(**later))).data["id"]
    await api.post(f"/_harness/interviews/{one}/start")
    await api.post(f"/_harness/interviews/{one}/complete", {"analysisFails": True})
    await api.post(f"/_harness/interviews/{two}/fail", {"code": "NO_ANSWER", "message": "busy"})
    await dispatcher_of(api).drain()
    by_interview = {
        i: [r.json for r in target.received if r.json["data"]["interviewId"] == i]
        for i in (one, two)
    }
    assert [b["event"] for b in by_interview[one]] == [
        "interview.started",
        "interview.completed",
        "analysis.failed",
    ]
    assert [b["data"]["status"] for b in by_interview[one][:2]] == ["IN_PROGRESS", "COMPLETED"]
    (failed,) = by_interview[two]
    assert failed["event"] == "interview.failed"
    assert failed["data"]["error"] == {"code": "NO_ANSWER", "message": "busy"}
    assert failed["data"]["isTest"] is False


async def test_reset_cancels_queued_work(make: Make, target: Target) -> None:
    clock = SignallingClock()
    api = await make(use_clock=clock)
    hook = await add_hook(api, target)
    target.script.append(500)
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await clock.sleeping.wait()  # a retry is waiting for the clock
    await api.post("/_harness/reset")
    await dispatcher_of(api).drain()
    assert dispatcher_of(api).pending == 0
    assert await attempts(api) == []
    assert (await api.get(f"/webhooks/{hook['id']}")).status == 404


async def test_control_api_pings_global_webhooks(make: Make, target: Target) -> None:
    api = await make()
    body = {"url": target.url("all"), "events": ["ping"]}
    hook = (await api.post("/_harness/webhooks", body)).data
    assert (await api.post(f"/_harness/webhooks/{hook['id']}/test")).status == 200
    await dispatcher_of(api).drain()
    assert target.events() == ["ping"]
    missing = await api.post("/_harness/webhooks/99999999-9999-4999-8999-999999999999/test")
    assert missing.status == 404
    unknown = await api.post(
        "/_harness/webhooks", {**body, "companyId": "99999999-9999-4999-8999-999999999999"}
    )
    assert unknown.status == 404
    assert unknown.error["details"]["resourceType"] == "Company"
