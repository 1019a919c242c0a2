"""What ``GET /events/stream`` tells the inspector besides captures: the true total, free-text
search (``q``), the answer status and ``isTest`` of each row, ``cleared`` after a clear."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from harness.schemas import default_schemas
from tests.receiver_support import MakeReceiver, fixture_body, post
from tests.test_receiver_stream import frames


def _valid(frame: object) -> None:
    assert default_schemas().violations(frame, "receiver-stream") == []


async def test_ready_says_how_many_match_not_how_many_were_sent(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    for index in range(7):
        await post(client, fixture_body("interview.started"), f"c{index % 2}")
    params = {"channel": "c0", "backlog": "2"}
    async with client.get("/events/stream", params=params) as r:
        events = []
        async for event, _, data in frames(r):
            events.append((event, data))
            if event == "ready":
                break
    assert [e for e, _ in events] == ["capture", "capture", "ready"]
    assert events[-1][1] == {"lastId": 7, "total": 4}
    for _, data in events:
        _valid(data)


async def test_rows_carry_the_answer_status_and_is_test(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.put("/channels/down/script", json={"status": 503}) as r:
        assert r.status == 200
    live = json.loads(fixture_body("interview.started"))
    live["data"]["isTest"] = False
    await post(client, json.dumps(live).encode(), "down")
    await post(client, b"not json", "up")
    async with client.get("/events/stream") as r:
        stream = frames(r)
        first = [await anext(stream), await anext(stream)]
    rows = [data for _, _, data in first]
    assert [(c["answerStatus"], c["isTest"]) for c in rows] == [(503, False), (204, None)]
    for row in rows:
        _valid(row)


async def test_free_text_search_matches_body_text_and_fields(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body("interview.started", note="Needle in a haystack"), "a")
    await post(client, fixture_body("interview.started"), "b")
    await post(client, fixture_body("interview.completed"), "needles")
    async with client.get("/events/stream", params={"q": "NEEDLE"}) as r:
        stream = frames(r)
        backlog = []
        async for event, _, data in stream:
            if event == "ready":
                assert data["total"] == 2
                break
            backlog.append(data["id"])
        assert backlog == [1, 3], "body text, case-folded, and the channel"
        await post(client, fixture_body("interview.started"), "b")  # no match: not sent
        await post(client, fixture_body("ping", note="a needle"), "b")
        event, _, data = await anext(stream)
    assert (event, data["id"]) == ("capture", 5)


async def test_a_search_longer_than_the_cap_is_a_400(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.get("/events/stream", params={"q": "x" * 201}) as r:
        assert r.status == 400
        answer = await r.json()
    assert answer["error"] == "bad_query" and "q must be at most 200" in answer["message"]


async def test_clearing_tells_every_open_stream(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body("interview.started"), "a")
    async with client.get("/events/stream") as r:
        stream = frames(r)
        assert [e async for e, _, _ in _until(stream, "ready")] == ["capture", "ready"]
        async with client.delete("/events") as d:
            assert (await d.json()) == {"deleted": 1}
        event, _, data = await anext(stream)
        assert (event, data) == ("cleared", {"lastId": 1})
        _valid(data)
        await post(client, fixture_body("interview.started"), "a")
        event, _, data = await anext(stream)
    assert (event, data["id"]) == ("capture", 2), "ids keep growing after a clear"


async def _until(
    stream: AsyncIterator[tuple[str, str | None, Any]], name: str
) -> AsyncIterator[tuple[str, str | None, Any]]:
    async for event, event_id, data in stream:
        yield event, event_id, data
        if event == name:
            return


async def test_a_reconnect_counts_every_match_not_only_the_resumed(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    for _ in range(5):
        await post(client, fixture_body("interview.started"), "a")
    async with client.get("/events/stream", headers={"Last-Event-ID": "3"}) as r:
        sent = [(e, d) async for e, _, d in _until(frames(r), "ready")]
    assert [d["id"] for e, d in sent if e == "capture"] == [4, 5]
    assert sent[-1] == ("ready", {"lastId": 5, "total": 5})
