"""The receiver keeps the newest ``max_captures`` captures (counted in ``GET /events`` and
``/health``), and ``GET /events`` and ``/channels`` hand out pages behind an opaque cursor."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from harness.config import HarnessConfig
from harness.delivery.signing import Verdict
from harness.paging import encode
from harness.receiver.app import WAITERS
from harness.schemas import default_schemas
from harness.store.captures import (
    DEFAULT_MAX_DISK_CAPTURES,
    DEFAULT_MAX_MEMORY_CAPTURES,
    Capture,
    CaptureStore,
    capture_cap,
)
from tests.receiver_support import MakeReceiver, fixture_body, listed, post

CAPTURE = Capture(
    channel="c",
    received_at="2026-01-01T00:00:00.000Z",
    headers={},
    body=b"{}",
    size=2,
    signature=Verdict.VALID,
    signature_reason="ok",
)


async def page(client: Any, **query: str) -> dict[str, Any]:
    response = await client.get("/events", params=query)
    assert response.status == 200, await response.text()
    return await response.json()  # type: ignore[no-any-return]


async def every_page(client: Any, limit: int = 2, **query: str) -> list[list[int]]:
    pages: list[list[int]] = []
    params = {"limit": str(limit), **query}
    while True:
        data = await page(client, **params)
        pages.append([c["id"] for c in data["items"]])
        if data["next"] is None:
            return pages
        params["cursor"] = data["next"]


async def test_the_oldest_captures_are_evicted_and_counted(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(max_captures=3)
    for _ in range(5):
        await post(client, b"{}", "acme")
    data = await page(client)
    assert [c["id"] for c in data["items"]] == [3, 4, 5]
    assert data["retention"] == {"limit": 3, "kept": 3, "evicted": 2}
    health = await (await client.get("/health")).json()
    assert health["captures"] == 3 and health["retention"]["evicted"] == 2
    assert (await client.get("/events/1")).status == 404


async def test_a_burst_is_trimmed_at_its_commit(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(db_path=":memory:", max_captures=2)
    await asyncio.gather(*(post(client, b"{}", "acme") for _ in range(6)))
    assert [c["id"] for c in await listed(client)] == [5, 6]


async def test_memory_and_file_have_their_own_default_caps(make_receiver: MakeReceiver) -> None:
    assert capture_cap(":memory:", None) == DEFAULT_MAX_MEMORY_CAPTURES == 10_000
    assert capture_cap("x.sqlite3", None) == DEFAULT_MAX_DISK_CAPTURES == 100_000
    assert capture_cap(":memory:", 0) is None
    memory = await make_receiver(db_path=":memory:")
    assert (await page(memory))["retention"]["limit"] == 10_000
    config = HarnessConfig(db_path=":memory:", max_memory_captures=7)
    assert config.max_captures() == 7
    assert HarnessConfig(max_disk_captures=None).max_captures() is None


async def test_no_limit_keeps_every_capture(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(max_captures=0)
    for _ in range(3):
        await post(client, b"{}", "acme")
    assert (await page(client))["retention"] == {"limit": None, "kept": 3, "evicted": 0}


def test_a_file_reopened_with_a_smaller_cap_is_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CaptureStore.open(path)
    for _ in range(4):
        store.add(CAPTURE)
    store.close()
    smaller = CaptureStore.open(path, max_captures=1)
    try:
        assert [c.id for c in smaller.find()] == [4]
        assert smaller.retention.evicted == 3 and smaller.kept == 1
    finally:
        smaller.close()


async def test_a_waiter_gets_its_capture_even_if_evicted_at_once(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(db_path=":memory:", max_captures=1)
    body = fixture_body("interview.failed")
    interview = json.loads(body)["data"]["interviewId"]

    async def wait() -> Any:
        params = {"interviewId": interview, "timeout": "30"}
        async with client.get("/events/wait", params=params) as response:
            return response.status, await response.json()

    waiting = asyncio.create_task(wait())
    await client.app[WAITERS].until_pending(1)
    await asyncio.gather(post(client, body, "acme"), post(client, b"{}", "acme"))
    status, found = await waiting
    assert status == 200 and found["interviewId"] == interview
    assert [c["interviewId"] for c in await listed(client)] == [None], "it was evicted"


async def test_pages_follow_the_cursor(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for _ in range(5):
        await post(client, b"{}", "acme")
    assert await every_page(client) == [[1, 2], [3, 4], [5]]
    assert await every_page(client, after="2") == [[3, 4], [5]]


async def test_the_default_page_is_100(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(db_path=":memory:")
    await asyncio.gather(*(post(client, b"{}", "acme") for _ in range(101)))
    data = await page(client)
    assert data["count"] == 100 and data["next"] is not None
    assert [c["id"] for c in (await page(client, cursor=data["next"]))["items"]] == [101]


async def test_captures_arriving_while_paging_are_seen_once_none_skipped(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    for _ in range(3):
        await post(client, b"{}", "acme")
    await post(client, b"{}", "other")
    seen: list[int] = []
    params = {"limit": "2", "channel": "acme"}
    while True:
        data = await page(client, **params)
        seen.extend(c["id"] for c in data["items"])
        if data["next"] is None:
            break
        if len(seen) < 8:  # between two pages: two arrive on our channel, one elsewhere
            sends = [post(client, b"{}", c) for c in ("acme", "other", "acme")]
            await asyncio.gather(*sends)
        params["cursor"] = data["next"]
    acme = [c["id"] for c in await listed(client, channel="acme", limit="1000")]
    assert seen == acme and len(set(seen)) == len(seen) and len(seen) >= 8


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"cursor": "bogus!"}, "cursor"),
        ({"cursor": encode("channels", "acme")}, "cursor"),
        ({"cursor": encode("events", 999)}, "cursor"),
        ({"cursor": encode("events", "1x")}, "cursor"),
        ({"cursor": ""}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "9" * 30}, "limit"),
        ({"limit": "two"}, "limit"),
        ({"after": "soon"}, "after"),
    ],
)
async def test_a_bad_cursor_or_limit_is_a_400_naming_it(
    make_receiver: MakeReceiver, query: dict[str, str], field: str
) -> None:
    client = await make_receiver()
    await post(client, b"{}", "acme")
    response = await client.get("/events", params=query)
    assert response.status == 400
    body = await response.json()
    assert (body["error"], body["field"]) == ("bad_query", field)


async def test_a_cursor_stays_valid_after_a_clear(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for _ in range(3):
        await post(client, b"{}", "acme")
    cursor = (await page(client, limit="2"))["next"]
    await client.delete("/events")
    await post(client, b"{}", "acme")
    assert [c["id"] for c in (await page(client, cursor=cursor))["items"]] == [4]


async def test_channels_page_by_name(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for name in ("cherry", "apple", "banana"):
        response = await client.put(f"/channels/{name}/script", json={"status": 500})
        assert response.status == 200
    first = await (await client.get("/channels", params={"limit": "2"})).json()
    rest = await (await client.get("/channels", params={"cursor": first["next"]})).json()
    assert [s["channel"] for s in first["items"] + rest["items"]] == ["apple", "banana", "cherry"]
    assert rest["next"] is None
    bad = await client.get("/channels", params={"cursor": encode("events", 1)})
    assert (bad.status, (await bad.json())["field"]) == (400, "cursor")


async def test_the_receivers_lists_follow_their_schemas(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(max_captures=2)
    for _ in range(3):
        await post(client, fixture_body("ping"), "acme")
    await client.put("/channels/acme/script", json={"status": 503})
    schemas = default_schemas()
    events = await page(client, limit="1")
    assert events["next"] is not None
    last = await page(client, cursor=events["next"])
    channels = await (await client.get("/channels")).json()
    for body, name in ((events, "receiver-events"), (last, "receiver-events")):
        assert schemas.violations(body, name) == []
    assert schemas.violations(channels, "receiver-channels") == []
    assert schemas.violations({**events, "next": "not a cursor!"}, "receiver-events") != []
