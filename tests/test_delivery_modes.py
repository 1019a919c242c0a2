"""Delivery failure injection: duplicate, out-of-order and delayed, per webhook and per run."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from harness.api.app import create_api_app
from harness.api.webhooks import enable_delivery
from harness.cli import build_parser, main, serve_config
from harness.clock import Clock
from harness.config import HarnessConfig
from harness.delivery.modes import DeliveryModes, parse_delivery_modes
from harness.domain.enums import EventType
from tests.delivery_support import SignallingClock, SteppingClock, Target, dispatcher_of
from tests.support import MISSING_ID, Api, full_inline_body

Make = Callable[..., Awaitable[Api]]
ALL = [e.value for e in EventType]


@pytest.fixture
def make(aiohttp_client: Any) -> Make:
    async def build(*, clock: Clock | None = None, **options: Any) -> Api:
        app = create_api_app(HarnessConfig(**options), clock=clock or SteppingClock())
        enable_delivery(app)
        return Api(await aiohttp_client(app))

    return build


async def hook(api: Api, target: Target, channel: str) -> str:
    reply = await api.post("/webhooks", {"url": target.url(channel), "events": ALL})
    assert reply.status == 201
    return str(reply.data["id"])


async def attempts(api: Api) -> list[dict[str, Any]]:
    return (await api.get("/_harness/deliveries")).data["items"]  # type: ignore[no-any-return]


def on(target: Target, channel: str) -> list[tuple[str, str]]:
    return [(r.event, r.json["deliveryId"]) for r in target.received if r.channel == channel]


async def test_duplicate_on_one_webhook_sends_each_delivery_twice_with_the_same_id(
    make: Make, target: Target
) -> None:
    api = await make()
    dup, plain = await hook(api, target, "dup"), await hook(api, target, "plain")
    reply = await api.post(f"/_harness/webhooks/{dup}/modes", {"duplicate": True})
    assert reply.data == {"duplicate": True, "outOfOrder": False, "delayMs": 0}
    await api.post("/interviews", full_inline_body(isTest=True))
    await dispatcher_of(api).drain()

    got = on(target, "dup")
    assert [e for e, _ in got] == ["interview.completed"] * 2 + ["analysis.completed"] * 2
    assert got[0][1] == got[1][1] and got[2][1] == got[3][1] and got[0][1] != got[2][1]
    bodies = [r.body for r in target.received if r.channel == "dup"]
    assert bodies[0] == bodies[1]  # the same bytes; only the signature headers are fresh
    assert [e for e, _ in on(target, "plain")] == ["interview.completed", "analysis.completed"]
    log = await attempts(api)
    assert [a["injected"] for a in log if a["webhookId"] == dup] == [["duplicate"]] * 4
    assert [a["injected"] for a in log if a["webhookId"] == plain] == [[], []]


async def test_out_of_order_for_the_run_sends_the_analysis_first(
    make: Make, target: Target
) -> None:
    api = await make(delivery_modes=DeliveryModes(out_of_order=True))
    hook_id = await hook(api, target, "ooo")
    created = await api.post("/interviews", full_inline_body())
    interview = created.data["id"]
    await api.post(f"/_harness/interviews/{interview}/complete", {"analysisFails": True})
    await dispatcher_of(api).drain()

    assert [e for e, _ in on(target, "ooo")] == [
        "interview.started",
        "analysis.failed",
        "interview.completed",
    ]
    log = {a["event"]: a["injected"] for a in await attempts(api) if a["webhookId"] == hook_id}
    assert log == {
        "interview.started": [],
        "analysis.failed": ["out-of-order"],
        "interview.completed": [],
    }


async def test_a_webhooks_own_modes_win_over_the_run_default_and_reset_restores_config(
    make: Make, target: Target
) -> None:
    api = await make(delivery_modes=DeliveryModes(duplicate=True))
    mine = await hook(api, target, "mine")
    await api.post(f"/_harness/webhooks/{mine}/modes")  # an empty body: every mode off
    await api.post("/interviews", full_inline_body(isTest=True))
    await dispatcher_of(api).drain()
    assert len(on(target, "mine")) == 2

    assert (await api.post("/_harness/modes", {"outOfOrder": True})).data["outOfOrder"] is True
    await api.post("/_harness/reset")
    again = await hook(api, target, "again")
    await api.post("/interviews", full_inline_body(isTest=True))
    await dispatcher_of(api).drain()
    assert [e for e, _ in on(target, "again")] == [
        "interview.completed",
        "interview.completed",
        "analysis.completed",
        "analysis.completed",
    ]
    assert again != mine


async def test_delayed_waits_on_the_injectable_clock_before_the_first_attempt(
    make: Make, target: Target
) -> None:
    clock = SignallingClock()
    api = await make(clock=clock)
    hook_id = await hook(api, target, "slow")
    await api.post(f"/_harness/webhooks/{hook_id}/modes", {"delayMs": 1500})
    await api.post("/interviews", full_inline_body(isTest=True))
    await clock.sleeping.wait()
    assert target.received == []
    clock.advance(1.499)
    await asyncio.sleep(0)
    assert target.received == [] and clock.pending == 1
    clock.sleeping.clear()
    clock.advance(0.001)
    await target.wait_for(1)
    await clock.sleeping.wait()  # the next delivery of the lane is held in its turn
    assert target.events() == ["interview.completed"]
    clock.advance(1.5)
    await dispatcher_of(api).drain()
    assert target.events() == ["interview.completed", "analysis.completed"]
    assert {tuple(a["injected"]) for a in await attempts(api)} == {("delayed",)}


async def test_modes_refuse_unknown_webhooks_fields_and_values(make: Make) -> None:
    api = await make()
    missing = await api.post(f"/_harness/webhooks/{MISSING_ID}/modes", {"duplicate": True})
    assert missing.status == 404
    unknown = await api.post("/_harness/modes", {"twice": True})
    assert (unknown.status, unknown.fields) == (400, ["twice"])
    too_long = await api.post("/_harness/modes", {"delayMs": 60_001})
    assert (too_long.status, too_long.fields) == (400, ["delayMs"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duplicate": 0}, "duplicate"),
        ({"duplicate": "true"}, "duplicate"),
        ({"outOfOrder": 1}, "outOfOrder"),
        ({"outOfOrder": None}, "outOfOrder"),
        ({"delayMs": "5"}, "delayMs"),
        ({"delayMs": False}, "delayMs"),
        ({"delayMs": 5.5}, "delayMs"),
    ],
)
async def test_modes_take_json_booleans_and_a_json_integer_only(
    make: Make, target: Target, body: dict[str, Any], field: str
) -> None:
    api = await make()
    hook_id = await hook(api, target, "strict")
    for path in ("/_harness/modes", f"/_harness/webhooks/{hook_id}/modes"):
        reply = await api.post(path, body)
        assert (reply.status, reply.error["code"], reply.fields) == (
            400,
            "VALIDATION_ERROR",
            [field],
        )
    off = {"duplicate": False, "outOfOrder": False, "delayMs": 0}
    assert (await api.post("/_harness/modes", off)).data == off


async def test_modes_delay_may_be_a_whole_number_written_with_a_fraction(make: Make) -> None:
    reply = await (await make()).post("/_harness/modes", {"delayMs": 250.0})
    assert reply.data == {"duplicate": False, "outOfOrder": False, "delayMs": 250}


def test_serve_flags_set_the_run_default() -> None:
    args = build_parser().parse_args(
        ["serve", "--delivery-mode", "duplicate,out-of-order", "--delivery-delay-ms", "250"]
    )
    assert serve_config(args).delivery_modes == DeliveryModes(
        duplicate=True, out_of_order=True, delay_ms=250
    )
    default = serve_config(build_parser().parse_args(["serve"]))
    assert default.delivery_modes == DeliveryModes()
    assert json.loads(default.delivery_modes.model_dump_json(by_alias=True)) == {
        "duplicate": False,
        "outOfOrder": False,
        "delayMs": 0,
    }


def test_serve_refuses_an_unknown_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "0", "--delivery-mode", "twice"]) == 2
    assert "unknown delivery mode 'twice'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown delivery mode"):
        parse_delivery_modes("duplicate,late")
