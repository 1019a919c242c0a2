"""An exception inside a delivery is an attempt with outcome ``error``, retried like any failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import pytest

from harness.api.app import create_api_app
from harness.api.webhooks import WEBHOOKS, enable_delivery
from harness.clock import RealClock
from harness.config import HarnessConfig
from harness.delivery import attempt as attempt_module
from harness.delivery.dispatcher import Dispatcher
from harness.delivery.webhooks import URL_VERDICTS, WebhookRegistry
from tests.delivery_support import SteppingClock, Target, dispatcher_of
from tests.support import Api

Make = Callable[..., Awaitable[Api]]


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def make(aiohttp_client: Any, clock: SteppingClock) -> Make:
    async def build(**options: Any) -> Api:
        app = create_api_app(HarnessConfig(**options), clock=clock)
        enable_delivery(app)
        return Api(await aiohttp_client(app))

    return build


async def _ping_hook(api: Api, target: Target, **extra: Any) -> dict[str, Any]:
    reply = await api.post("/webhooks", {"url": target.url(), "events": ["ping"], **extra})
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def _attempts(api: Api, query: str = "") -> list[dict[str, Any]]:
    return (await api.get(f"/_harness/deliveries{query}")).data["items"]  # type: ignore[no-any-return]


async def test_a_header_aiohttp_refuses_makes_error_attempts_that_are_retried_then_end(
    make: Make, target: Target, clock: SteppingClock
) -> None:
    api = await make()
    hook = await _ping_hook(api, target, maxRetries=2)
    # The API refuses such a value now; a webhook made before (or by a bug) may still hold one.
    api.client.app[WEBHOOKS].get(UUID(hook["id"])).headers = [("X-Bad", "a\x00b")]
    sent = (await api.post(f"/_harness/webhooks/{hook['id']}/test")).data
    dispatcher = dispatcher_of(api)
    await dispatcher.drain()  # accounted for: the delivery ends, and drain does not raise
    log = await _attempts(api)
    assert [(a["deliveryId"], a["attempt"], a["outcome"]) for a in log] == [
        (sent["deliveryId"], 1, "error"),
        (sent["deliveryId"], 2, "error"),
        (sent["deliveryId"], 3, "error"),
    ]
    assert all(a["error"].startswith("harness error: ValueError: ") for a in log)
    assert [a["error"].rsplit("; ", 1)[1] for a in log] == [
        "will be retried",
        "will be retried",
        "no retry left",
    ]
    assert clock.sleeps == [5.0, 30.0]  # the retry schedule, as for any failure
    assert target.received == []
    assert dispatcher.pending == 0 and dispatcher.errors == []
    assert await _attempts(api, "?outcome=error") == log


async def test_an_attempt_that_raised_once_is_delivered_on_the_retry(
    make: Make, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await make()
    hook = await _ping_hook(api, target)
    real_sign = attempt_module.sign
    calls: list[int] = []

    def flaky_sign(*args: Any) -> dict[str, str]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("signing broke")
        return real_sign(*args)

    monkeypatch.setattr(attempt_module, "sign", flaky_sign)
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    log = await _attempts(api)
    assert [(a["attempt"], a["outcome"], a["error"]) for a in log] == [
        (1, "error", "harness error: RuntimeError: signing broke; will be retried"),
        (2, "delivered", None),
    ]
    assert len(target.received) == 1


async def test_error_attempts_count_towards_the_circuit(make: Make, target: Target) -> None:
    api = await make(circuit_threshold=2)
    hook = await _ping_hook(api, target, maxRetries=5)
    api.client.app[WEBHOOKS].get(UUID(hook["id"])).headers = [("X-Bad", "\x7f")]
    await api.post(f"/_harness/webhooks/{hook['id']}/test")
    await dispatcher_of(api).drain()
    log = await _attempts(api)
    assert [a["outcome"] for a in log] == ["error", "error"]
    assert "circuit opened after 2 failures; no retry left" in log[-1]["error"]


async def test_a_bug_outside_an_attempt_still_leaves_an_error_attempt(
    make: Make, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await make()
    hook = await _ping_hook(api, target)
    real_record = Dispatcher._record

    def record(self: Dispatcher, *args: Any) -> None:
        if "delivered" in args:  # the outcome (a truncated flag may follow)
            raise KeyError("bookkeeping broke")
        real_record(self, *args)

    monkeypatch.setattr(Dispatcher, "_record", record)
    sent = (await api.post(f"/_harness/webhooks/{hook['id']}/test")).data
    dispatcher = dispatcher_of(api)
    with pytest.raises(KeyError, match="bookkeeping broke"):  # a bug: drain says so
        await dispatcher.drain()
    (attempt,) = await _attempts(api)  # attempt 1 went out; recording it is what failed
    assert (attempt["deliveryId"], attempt["attempt"], attempt["outcome"]) == (
        sent["deliveryId"],
        1,
        "error",
    )
    assert attempt["error"] == "harness error: KeyError: 'bookkeeping broke'; not retried"
    assert dispatcher.pending == 0


def test_a_webhook_urls_verdict_is_remembered_and_urls_past_the_bound_are_judged() -> None:
    dispatcher = Dispatcher(HarnessConfig(), RealClock(), WebhookRegistry())
    for _ in range(2):  # the second time from memory
        assert dispatcher._url_problem("http://127.0.0.1:9/hooks/x") is None
        assert "not loopback" in (dispatcher._url_problem("http://203.0.113.7/x") or "")
    for port in range(URL_VERDICTS + 5):
        assert dispatcher._url_problem(f"http://localhost:{port}/") is None
        assert dispatcher._url_problem(f"http://203.0.113.7:{port}/") is not None
