"""At shutdown the dispatcher waits a grace period for attempts in flight, then abandons every
pending delivery and names each one on the log: nothing is dropped silently."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from harness.api.app import create_api_app
from harness.api.webhooks import enable_delivery
from harness.config import HarnessConfig
from harness.delivery.modes import DeliveryModes
from tests.delivery_support import SignallingClock, Target, dispatcher_of
from tests.support import ACME_KEY, Api, full_inline_body

Make = Callable[..., Awaitable[Api]]
MakeTarget = Callable[[], Awaitable[Target]]


@pytest.fixture
def make(aiohttp_client: Any) -> Make:
    """A mock whose clock never moves: a delivery waiting to retry waits until shutdown."""

    async def build(**options: Any) -> Api:
        app = create_api_app(HarnessConfig(**options), clock=SignallingClock())
        enable_delivery(app)
        return Api(await aiohttp_client(app))

    return build


@pytest.fixture
def make_target(aiohttp_server: Any) -> MakeTarget:
    async def build() -> Target:
        t = Target()
        server = await aiohttp_server(t.app())
        t.base_url = str(server.make_url("")).rstrip("/")
        return t

    return build


async def _pings(api: Api, url: str, count: int) -> list[str]:
    hook = (await api.post("/webhooks", {"url": url, "events": ["ping"]})).data
    replies = [await api.post(f"/_harness/webhooks/{hook['id']}/test") for _ in range(count)]
    return [r.data["deliveryId"] for r in replies]


async def _slow_and_failing(api: Api, make_target: MakeTarget) -> tuple[list[str], list[str]]:
    """10 pings in flight against a target that never answers, 10 waiting to retry a 500
    (on two webhooks: ten failures in a row would open one's circuit)."""
    slow, failing = await make_target(), await make_target()
    slow.script.extend(["hang"] * 10)
    failing.default = 500
    in_flight = await _pings(api, slow.url(), 10)
    retrying = await _pings(api, failing.url("a"), 5) + await _pings(api, failing.url("b"), 5)
    await slow.wait_for(10)
    await failing.wait_for(10)
    return in_flight, retrying


async def test_twenty_pending_deliveries_are_each_named_on_the_log(
    make: Make, make_target: MakeTarget, caplog: pytest.LogCaptureFixture
) -> None:
    api = await make()
    in_flight, retrying = await _slow_and_failing(api, make_target)
    dispatcher = dispatcher_of(api)
    with caplog.at_level(logging.WARNING, logger="harness.delivery"):
        abandoned = await dispatcher.close(grace_s=0.2)
    assert {str(a.delivery.id) for a in abandoned} == {*in_flight, *retrying}
    states = {str(a.delivery.id): (a.state, a.attempts) for a in abandoned}
    assert {states[i] for i in in_flight} == {("in flight", 1)}
    assert {states[i] for i in retrying} == {("waiting to retry", 1)}
    lines = [r.getMessage() for r in caplog.records if r.name == "harness.delivery"]
    assert lines[0].startswith("shutdown: abandoned 20 pending deliveries after a 0.2 s grace (")
    assert {"10 in flight", "10 waiting to retry"} == set(lines[0][:-1].split(" (")[1].split(", "))
    assert len(lines) == 21
    for delivery_id in [*in_flight, *retrying]:
        assert sum(delivery_id in line for line in lines[1:]) == 1
    assert dispatcher.pending == 0
    await dispatcher.drain()  # nothing left to wait for


async def test_an_attempt_that_ends_within_the_grace_is_delivered_not_abandoned(
    make: Make, make_target: MakeTarget, caplog: pytest.LogCaptureFixture
) -> None:
    api = await make()
    slow = await make_target()
    slow.script.append("hang")
    await _pings(api, slow.url(), 1)
    await slow.wait_for(1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    loop.call_soon(slow.release)  # the answer comes once close() is waiting for it
    with caplog.at_level(logging.WARNING, logger="harness.delivery"):
        abandoned = await dispatcher_of(api).close(grace_s=30)
    assert abandoned == []
    assert loop.time() - started < 10, "close waited for the attempt, not the whole grace"
    (attempt,) = (await api.get("/_harness/deliveries")).data["items"]
    assert attempt["outcome"] == "delivered"
    assert not [r for r in caplog.records if "abandoned" in r.getMessage()]


async def test_queued_and_delayed_deliveries_are_abandoned_too(
    make: Make, make_target: MakeTarget
) -> None:
    api = await make()
    slow = await make_target()
    slow.script.append("hang")
    hook = (await api.post("/webhooks", {"url": slow.url(), "events": ["*"]})).data
    await api.post("/interviews", full_inline_body(isTest=True))  # two events, one lane
    await slow.wait_for(1)
    dispatcher = dispatcher_of(api)
    dispatcher.modes.set(None, DeliveryModes(delay_ms=1000))
    await api.post(f"/_harness/webhooks/{hook['id']}/test")  # held 1 s on a clock that never moves
    abandoned = await dispatcher.close(grace_s=0)
    assert Counter((a.delivery.event.value, a.state) for a in abandoned) == {
        ("interview.completed", "in flight"): 1,
        ("analysis.completed", "queued"): 1,
        ("ping", "delayed"): 1,
    }
    assert dispatcher.pending == 0


async def test_serve_on_sigterm_names_every_abandoned_delivery_and_exits_0(
    make_target: MakeTarget,
) -> None:
    slow, failing = await make_target(), await make_target()
    slow.script.extend(["hang"] * 10)
    failing.default = 500
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "harness",
        "serve",
        *("--port", "0", "--receiver-port", "0", "--db", ":memory:"),
        *("--retry-schedule", "60", "--shutdown-grace", "0.5"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        api = line.split()[1].removeprefix("api=")
        auth = {"Authorization": f"Bearer {ACME_KEY}"}
        ids: list[str] = []
        async with aiohttp.ClientSession(headers=auth) as http:
            # two failing webhooks: ten failures in a row would open one's circuit
            for url, count in ((slow.url(), 10), (failing.url("a"), 5), (failing.url("b"), 5)):
                body = {"url": url, "events": ["ping"]}
                async with http.post(f"{api}/webhooks", json=body) as made:
                    hook_id = (await made.json())["data"]["id"]
                for _ in range(count):
                    async with http.post(f"{api}/_harness/webhooks/{hook_id}/test") as sent:
                        ids.append((await sent.json())["data"]["deliveryId"])
        await slow.wait_for(10)
        await failing.wait_for(10)
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    log = err.decode()
    assert "shutdown: abandoned 20 pending deliveries after a 0.5 s grace" in log
    for delivery_id in ids:
        assert f"abandoned delivery {delivery_id} (ping to webhook" in log
