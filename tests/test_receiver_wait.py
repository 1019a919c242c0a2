"""``GET /events/wait`` and scripted answers per channel."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from harness.receiver.app import WAITERS
from tests.receiver_support import MakeReceiver, fixture_body, post


async def _wait(client: Any, **query: str) -> tuple[int, Any]:
    response = await client.get("/events/wait", params=query)
    async with response:
        return response.status, await response.json()


async def test_wait_returns_an_earlier_capture(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    body = fixture_body("analysis.completed")
    await post(client, fixture_body("interview.completed"), "acme")
    await post(client, body, "acme")
    status, found = await _wait(client, event="analysis.completed", timeout="0")
    assert status == 200
    assert found["body"] == json.loads(body)
    status, _ = await _wait(client, event="analysis.completed", after=str(found["id"]), timeout="0")
    assert status == 408, "after= skips what came before"


async def test_wait_wakes_on_a_later_capture(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    waiters = client.app[WAITERS]
    body = fixture_body("interview.failed")
    interview = json.loads(body)["data"]["interviewId"]
    waiting = asyncio.create_task(_wait(client, interviewId=interview, timeout="30"))
    await waiters.until_pending(1)  # the wait has reached the receiver and found nothing
    await post(client, fixture_body("interview.started"), "acme")  # does not match
    assert not waiting.done()
    await post(client, body, "acme")
    status, found = await waiting
    assert status == 200
    assert found["event"] == "interview.failed"
    assert found["interviewId"] == interview
    assert len(waiters) == 0


async def test_many_waiters_each_get_their_match(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    waiters = client.app[WAITERS]
    tasks = [asyncio.create_task(_wait(client, channel=f"c{i}", timeout="30")) for i in range(5)]
    await waiters.until_pending(5)
    for i in reversed(range(5)):
        await post(client, b"{}", f"c{i}")
    results = await asyncio.gather(*tasks)
    assert [r[1]["channel"] for r in results] == [f"c{i}" for i in range(5)]


async def test_wait_timeout_is_408_listing_arrivals(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body("interview.completed"), "acme")
    await post(client, b"not json", "globex")
    status, answer = await _wait(client, event="analysis.failed", channel="acme", timeout="0.01")
    assert status == 408
    assert answer["error"] == "timeout"
    assert answer["query"] == {"event": "analysis.failed", "channel": "acme"}
    assert answer["arrivedCount"] == 2
    assert [(a["channel"], a["event"]) for a in answer["arrived"]] == [
        ("acme", "interview.completed"),
        ("globex", None),
    ]
    assert "2 other capture(s) arrived" in answer["message"]


@pytest.mark.parametrize("seconds", ["-1", "soon", "601"])
async def test_wait_rejects_bad_timeouts(make_receiver: MakeReceiver, seconds: str) -> None:
    client = await make_receiver()
    status, answer = await _wait(client, timeout=seconds)
    assert status == 400
    assert answer["error"] == "bad_query"


async def test_script_fail_first_then_success(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    put = await client.put("/channels/acme/script", json={"status": 503, "failFirst": 2})
    assert put.status == 200
    assert await put.json() == {
        "channel": "acme",
        "status": 503,
        "delayMs": 0,
        "failFirst": 2,
        "seen": 0,
        "remaining": 2,
    }
    statuses = [(await post(client, b"{}", "acme"))[0] for _ in range(3)]
    assert statuses == [503, 503, 204]
    assert (await post(client, b"{}", "other"))[0] == 204, "scripts are per channel"
    items = (await (await client.get("/events", params={"channel": "acme"})).json())["items"]
    assert [i["answer"]["status"] for i in items] == [503, 503, 204]
    got = await (await client.get("/channels/acme/script")).json()
    assert (got["seen"], got["remaining"]) == (3, 0)


async def test_script_without_fail_first_applies_until_deleted(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await client.post("/channels/acme/script", json={"status": 410})
    status, answer = await post(client, b"{}", "acme")
    assert status == 410
    assert answer["scripted"] is True
    assert answer["captureId"] == 1
    assert (await post(client, b"{}", "acme"))[0] == 410
    listing = await (await client.get("/channels")).json()
    assert [s["channel"] for s in listing["items"]] == ["acme"]
    assert (await client.delete("/channels/acme/script")).status == 204
    assert (await client.get("/channels/acme/script")).status == 404
    assert (await post(client, b"{}", "acme"))[0] == 204


async def test_script_delay_is_recorded(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await client.put("/channels/slow/script", json={"status": 200, "delayMs": 1})
    status, _ = await post(client, b"{}", "slow")
    assert status == 200
    items = (await (await client.get("/events")).json())["items"]
    assert items[0]["answer"] == {"status": 200, "delayMs": 1}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": 99}, "status"),
        ({"status": "500"}, "status"),
        ({"delayMs": -1}, "delayMs"),
        ({"failFirst": True}, "failFirst"),
        ({"fail_first": 2}, "fail_first"),
        ([], "body"),
    ],
)
async def test_bad_scripts_are_400(make_receiver: MakeReceiver, body: Any, field: str) -> None:
    client = await make_receiver()
    response = await client.put("/channels/acme/script", json=body)
    assert response.status == 400
    assert (await response.json())["field"] == field
    not_json = await client.put("/channels/acme/script", data=b"{oops")
    assert not_json.status == 400


async def test_shutdown_ends_pending_waits(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    waiters = client.app[WAITERS]
    waiting = asyncio.create_task(_wait(client, event="ping", timeout="60"))
    await waiters.until_pending(1)
    await client.app.shutdown()
    status, answer = await waiting
    assert status == 503
    assert answer["error"] == "shutting_down"
