"""The delivery log keeps the newest ``max_delivery_attempts`` attempts (counted), and
``/_harness/deliveries`` hands them out a page at a time behind an opaque cursor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from harness.api.webhooks import WEBHOOKS
from harness.config import HarnessConfig
from harness.delivery.log import DEFAULT_MAX_ATTEMPTS, DeliveryLog
from harness.domain.enums import EventType
from harness.paging import encode
from tests.delivery_support import dispatcher_of
from tests.support import Api

Make = Callable[..., Awaitable[Api]]


def record(log: DeliveryLog, number: int) -> None:
    log.add(
        delivery_id=uuid4(),
        webhook_id=uuid4(),
        event=EventType.PING,
        interview_id=None,
        attempt=number,
        url="http://127.0.0.1:9/hooks/x",
        status_code=204,
        latency_ms=1.0,
        error=None,
        at=datetime.now(UTC),
        outcome="delivered",
    )


def fill(api: Api, count: int) -> DeliveryLog:
    log = dispatcher_of(api).log
    for number in range(1, count + 1):
        record(log, number)
    return log


async def every_page(api: Api, query: str = "", limit: int = 2) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor = ""
    while True:
        reply = await api.get(f"/_harness/deliveries?limit={limit}{cursor}{query}")
        pages.append([a["attempt"] for a in reply.data["items"]])
        if reply.data["next"] is None:
            return pages
        cursor = f"&cursor={reply.data['next']}"


def test_the_log_evicts_the_oldest_attempts_and_counts_them() -> None:
    log = DeliveryLog(limit=3)
    for number in range(1, 6):
        record(log, number)
    assert [a.attempt for a in log.find()] == [3, 4, 5]
    assert log.retention.wire(len(log)) == {"limit": 3, "kept": 3, "evicted": 2}
    assert log.last_seq == 5
    log.clear()
    record(log, 6)
    assert [a.seq for a in log.find()] == [6], "sequence numbers survive a clear"


async def test_the_configured_limit_reaches_the_log_world_and_list(make_api: Make) -> None:
    api = await make_api(max_delivery_attempts=2)
    fill(api, 5)
    data = (await api.get("/_harness/deliveries")).data
    assert [a["attempt"] for a in data["items"]] == [4, 5]
    assert data["retention"] == {"limit": 2, "kept": 2, "evicted": 3}
    assert data["total"] == 2 and data["next"] is None
    world = (await api.get("/_harness/world")).data
    assert world["retention"]["deliveryAttempts"] == {"limit": 2, "kept": 2, "evicted": 3}


def test_the_default_limit() -> None:
    assert HarnessConfig().max_delivery_attempts == DEFAULT_MAX_ATTEMPTS == 20_000
    assert DeliveryLog().retention.limit == DEFAULT_MAX_ATTEMPTS


async def test_pages_follow_the_cursor_to_the_end(api: Api) -> None:
    fill(api, 5)
    assert await every_page(api) == [[1, 2], [3, 4], [5]]
    first = (await api.get("/_harness/deliveries?limit=2")).data
    assert first["total"] == 5, "total counts every match, not the page"


async def test_the_default_page_is_100_and_the_cap_1000(api: Api) -> None:
    fill(api, 150)
    data = (await api.get("/_harness/deliveries")).data
    assert len(data["items"]) == 100 and data["next"] is not None
    assert (await api.get("/_harness/deliveries?limit=1000")).status == 200
    assert (await api.get("/_harness/deliveries?limit=1001")).fields == ["limit"]


async def test_inserts_while_paging_are_seen_once_and_none_skipped(api: Api) -> None:
    log = fill(api, 3)
    seen: list[int] = []
    cursor = ""
    added = 3
    while True:
        reply = await api.get(f"/_harness/deliveries?limit=2{cursor}")
        seen.extend(a["attempt"] for a in reply.data["items"])
        if reply.data["next"] is None:
            break
        if added < 9:  # new attempts land between the pages
            for _ in range(2):
                added += 1
                record(log, added)
        cursor = f"&cursor={reply.data['next']}"
    assert seen == list(range(1, added + 1)) and added == 9


async def test_newest_first_pages_backwards(api: Api) -> None:
    fill(api, 5)
    assert await every_page(api, "&order=newest") == [[5, 4], [3, 2], [1]]
    assert (await api.get("/_harness/deliveries?order=sideways")).fields == ["order"]


async def test_filters_apply_across_pages(api: Api) -> None:
    log = fill(api, 6)
    hook = next(iter(log.find())).webhook_id
    data = (await api.get(f"/_harness/deliveries?webhookId={hook}")).data
    assert [a["attempt"] for a in data["items"]] == [1] and data["total"] == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        encode("webhooks", 1),  # another list's
        encode("attempts", "x"),
        encode("attempts", 99),  # past the newest attempt
        encode("attempts", -1),
        "A" * 401,
        "",
    ],
)
async def test_a_bad_cursor_is_a_400_naming_it(api: Api, cursor: str) -> None:
    fill(api, 3)
    reply = await api.get(f"/_harness/deliveries?cursor={cursor}")
    assert reply.status == 400
    assert reply.fields == ["cursor"]


@pytest.mark.parametrize("limit", ["0", "-1", "1.5", "x", "", "99999999999999999999999"])
async def test_a_bad_limit_is_a_400_naming_it(api: Api, limit: str) -> None:
    reply = await api.get(f"/_harness/deliveries?limit={limit}")
    assert reply.status == 400
    assert reply.fields == ["limit"]


async def test_the_control_webhook_list_pages(api: Api) -> None:
    app = api.client.app
    assert app is not None
    for n in range(3):
        body = {"url": f"http://127.0.0.1:9/hooks/p{n}", "events": ["ping"]}
        assert (await api.post("/_harness/webhooks", body)).status == 201
    total = len(app[WEBHOOKS].all())
    urls: list[str] = []
    cursor = ""
    while True:
        data = (await api.get(f"/_harness/webhooks?limit=2{cursor}")).data
        assert len(data["items"]) <= 2
        urls.extend(h["url"] for h in data["items"])
        if data["next"] is None:
            break
        cursor = f"&cursor={data['next']}"
    assert len(urls) == len(set(urls)) == total
    assert urls[-3:] == [f"http://127.0.0.1:9/hooks/p{n}" for n in range(3)]
    assert (await api.get("/_harness/webhooks?cursor=zz")).fields == ["cursor"]


async def test_the_fault_list_pages_by_route(api: Api) -> None:
    for route in ("GET /jobs", "GET /agents", "GET /candidates"):
        assert (await api.post("/_harness/faults", {"route": route, "latencyMs": 1})).status == 200
    first = (await api.get("/_harness/faults?limit=2")).data
    rest = (await api.get(f"/_harness/faults?limit=2&cursor={first['next']}")).data
    routes = [f["route"] for f in first["items"] + rest["items"]]
    assert routes == ["GET /agents", "GET /candidates", "GET /jobs"]
    assert rest["next"] is None
    assert (await api.get("/_harness/faults?limit=0")).fields == ["limit"]
