"""API-side failure injection: latency and seeded 5xx answers on one route."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from harness.api.app import create_api_app
from harness.config import HarnessConfig
from tests.delivery_support import SteppingClock
from tests.support import ACME_CANDIDATE, Api, full_inline_body

Make = Callable[..., Awaitable[Api]]


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def make(aiohttp_client: Any, clock: SteppingClock) -> Make:
    async def build(**options: Any) -> Api:
        return Api(await aiohttp_client(create_api_app(HarnessConfig(**options), clock=clock)))

    return build


async def pattern(api: Api, count: int) -> str:
    """``x`` for each failed ``GET /billing/usage``, ``.`` for each success."""
    out = ""
    for _ in range(count):
        reply = await api.get("/billing/usage")
        out += "." if reply.status == 200 else "x"
    return out


async def test_a_burst_fails_the_first_requests_of_the_route_then_lets_them_through(
    make: Make,
) -> None:
    api = await make()
    fault = {"route": "POST /interviews", "burst": 2, "errorStatus": 502}
    set_ = await api.post("/_harness/faults", fault)
    assert set_.data == {
        "route": "POST /interviews",
        "latencyMs": 0,
        "errorRate": 0.0,
        "errorStatus": 502,
        "burst": 2,
        "seed": 0,
        "after": False,
        "drop": False,
        "seen": 0,
        "injected": 0,
    }
    first = await api.post("/interviews", full_inline_body(isTest=True))
    second = await api.post("/v1/interviews", full_inline_body(isTest=True))  # the alias too
    assert (first.status, second.status) == (502, 502)
    assert first.error["code"] == "INTERNAL_ERROR"
    assert first.error["details"] == {"injected": True, "route": "POST /interviews", "request": 1}
    other_route = await api.get(f"/interviews?candidateId={ACME_CANDIDATE}")
    assert other_route.status == 200
    third = await api.post("/interviews", full_inline_body(isTest=True))
    assert third.status == 201
    [listed] = (await api.get("/_harness/faults")).data["items"]
    assert (listed["seen"], listed["injected"]) == (3, 2)


async def test_error_rate_is_seeded_so_runs_repeat(make: Make) -> None:
    runs = []
    for seed in (7, 7, 8):
        api = await make()
        fault = {"route": "GET /billing/usage", "errorRate": 0.5, "seed": seed}
        assert (await api.post("/_harness/faults", fault)).status == 200
        runs.append(await pattern(api, 24))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert "x" in runs[0] and "." in runs[0]


async def test_latency_waits_on_the_injectable_clock_for_every_request(
    make: Make, clock: SteppingClock
) -> None:
    api = await make()
    route = {"route": "GET /interviews/{id}", "latencyMs": 250}
    await api.post("/_harness/faults", route)
    reply = await api.get("/interviews/99999999-9999-4999-8999-999999999999")
    assert reply.status == 404  # the handler still answers, late
    assert clock.sleeps == [0.25]
    await api.get("/billing/usage")
    assert clock.sleeps == [0.25]


async def test_a_new_fault_replaces_the_routes_old_one_and_delete_or_reset_clears(
    make: Make,
) -> None:
    api = await make()
    await api.post("/_harness/faults", {"route": "GET /billing/usage", "burst": 100})
    await api.post("/_harness/faults", {"route": "GET /billing/usage/", "burst": 1})
    assert await pattern(api, 3) == "x.."
    assert (await api.delete("/_harness/faults")).status == 204
    assert (await api.get("/_harness/faults")).data == {"items": [], "next": None}
    await api.post("/_harness/faults", {"route": "GET /billing/usage", "errorRate": 1})
    assert await pattern(api, 2) == "xx"
    await api.post("/_harness/reset")
    assert await pattern(api, 2) == ".."


async def test_fault_integers_may_be_whole_numbers_written_with_a_fraction(make: Make) -> None:
    fault = {"route": "GET /billing/usage", "latencyMs": 0.0, "errorStatus": 5.02e2}
    reply = await (await make()).post("/_harness/faults", {**fault, "burst": 1.0, "seed": 7.0})
    assert reply.status == 200, reply.body
    assert reply.data["errorStatus"] == 502
    assert (reply.data["burst"], reply.data["seed"]) == (1, 7)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"route": "GET /nowhere"}, "route"),
        ({"route": "POST /_harness/reset"}, "route"),
        ({"route": "get /interviews"}, "route"),
        ({"route": "GET /billing/usage", "errorStatus": 404}, "errorStatus"),
        ({"route": "GET /billing/usage", "errorRate": 1.5}, "errorRate"),
        ({"route": "GET /billing/usage", "latencyMs": -1}, "latencyMs"),
        ({"route": "GET /billing/usage", "later": True}, "later"),
        ({"route": "GET /billing/usage", "latencyMs": "5"}, "latencyMs"),
        ({"route": "GET /billing/usage", "burst": False}, "burst"),
        ({"route": "GET /billing/usage", "errorRate": "0.5"}, "errorRate"),
        ({"route": "GET /billing/usage", "seed": True}, "seed"),
        ({"route": "GET /billing/usage", "errorStatus": "503"}, "errorStatus"),
        ({}, "route"),
    ],
)
async def test_bad_faults_are_refused_naming_the_field(
    make: Make, body: dict[str, Any], field: str
) -> None:
    reply = await (await make()).post("/_harness/faults", body)
    assert (reply.status, reply.fields) == (400, [field])
