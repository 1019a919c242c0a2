"""The open-model run: arrivals on the clock whatever the handler does, every answer counted
by status, every failure by kind, and what the handler counted equals what the report says."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from harness.errors import ConfigError
from harness.load.payloads import DeliveryFactory, load_templates
from harness.load.run import LoadPlan, error_kind, run_load
from tests.load_handler import COUNTS, counting_app
from tests.load_support import SECRET

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


@pytest.fixture
async def sink(aiohttp_server: ServerFactory) -> TestServer:
    return await aiohttp_server(counting_app(SECRET))


def build() -> Any:
    return DeliveryFactory(load_templates(), "standard", SECRET).build


def url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


async def test_what_the_handler_counted_equals_the_report(sink: TestServer) -> None:
    report = await run_load(LoadPlan(url(sink, "/hook"), rate=200, duration_s=1.0), build())
    counted = sink.app[COUNTS]
    assert report.scheduled == report.sent == report.ok == 200
    assert counted.received == counted.valid == len(counted.ids) == 200
    assert report.by_status == {"204": 200}
    assert report.errors == {} and report.failed == 0
    assert sum(report.by_event.values()) == 200
    assert report.by_event == dict(sorted(counted.events.items()))
    lat = report.latency_ms
    assert lat["p50"] is not None and lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]  # type: ignore[operator]
    assert 120 <= report.achieved_rate <= 210
    assert report.elapsed_s >= 0.99


async def test_answers_that_are_not_2xx_count_by_status_and_as_failures(sink: TestServer) -> None:
    report = await run_load(LoadPlan(url(sink, "/status/503"), rate=100, duration_s=0.3), build())
    assert report.sent == 30 and report.ok == 0
    assert report.by_status == {"503": 30}
    assert report.errors == {"status": 30} and report.failed == 30


async def test_a_handler_that_is_not_there_is_a_connect_error(unused_tcp_port: int) -> None:
    plan = LoadPlan(f"http://127.0.0.1:{unused_tcp_port}/hook", rate=50, duration_s=0.2)
    report = await run_load(plan, build())
    assert report.sent == 10 and report.errors == {"connect": 10}
    assert report.by_status == {} and report.latency_ms["p50"] is None


async def test_a_handler_that_never_answers_is_a_timeout(sink: TestServer) -> None:
    plan = LoadPlan(url(sink, "/stall"), rate=50, duration_s=0.1, timeout_s=0.2)
    report = await run_load(plan, build())
    assert report.sent == 5 and report.errors == {"timeout": 5}


async def test_arrivals_never_wait_for_answers(sink: TestServer) -> None:
    plan = LoadPlan(url(sink, "/stall"), rate=200, duration_s=0.5, concurrency=500, timeout_s=1)
    report = await run_load(plan, build())
    assert report.sent == 100 and report.errors == {"timeout": 100}
    assert report.achieved_rate >= 120, "arrivals slowed down while no answer came"
    assert sink.app[COUNTS].received == 100


async def test_arrivals_past_the_concurrency_are_dropped_as_backlog(sink: TestServer) -> None:
    plan = LoadPlan(url(sink, "/stall"), rate=100, duration_s=0.3, concurrency=4, timeout_s=1)
    report = await run_load(plan, build())
    assert report.scheduled == 30 and report.sent == 4
    assert report.errors == {"backlog": 26, "timeout": 4}
    assert sink.app[COUNTS].received == 4


async def test_a_progress_line_comes_once_a_second(sink: TestServer) -> None:
    stream = io.StringIO()
    plan = LoadPlan(url(sink, "/hook"), rate=20, duration_s=2.5)
    report = await run_load(plan, build(), progress=stream)
    lines = stream.getvalue().splitlines()
    assert 3 <= len(lines) <= 4, lines
    assert lines[0].startswith("load ") and "sent " in lines[0] and "in flight" in lines[0]
    assert f"sent {report.sent}  ok {report.ok}  failed 0  in flight 0" in lines[-1]


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (LoadPlan("u", rate=0, duration_s=1), "--rate"),
        (LoadPlan("u", rate=200_000, duration_s=1), "--rate"),
        (LoadPlan("u", rate=1, duration_s=0), "--duration"),
        (LoadPlan("u", rate=1, duration_s=4000), "--duration"),
        (LoadPlan("u", rate=1000, duration_s=3000), "at most 2000000"),
        (LoadPlan("u", rate=1, duration_s=1, concurrency=0), "--concurrency"),
        (LoadPlan("u", rate=1, duration_s=1, concurrency=20_000), "--concurrency"),
        (LoadPlan("u", rate=1, duration_s=1, timeout_s=0), "--timeout"),
    ],
)
async def test_a_plan_out_of_range_is_refused(plan: LoadPlan, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        await run_load(plan, build())


def test_error_kinds_name_why_no_answer_came() -> None:
    import aiohttp

    assert error_kind(TimeoutError()) == "timeout"
    assert error_kind(aiohttp.ServerDisconnectedError()) == "disconnected"
    assert error_kind(aiohttp.ClientPayloadError("cut")) == "disconnected"
    assert error_kind(aiohttp.TooManyRedirects(None, ())) == "other"  # type: ignore[arg-type]
