"""``GET /events/stream``: the inspector's live feed of captures (server-sent events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import ClientResponse

from harness.receiver.app import WAITERS
from harness.receiver.secrets import static_secrets
from harness.receiver.waiters import Waiters
from tests.receiver_support import (
    SECRET,
    MakeReceiver,
    fixture_body,
    post,
    signed_headers,
)


async def frames(response: ClientResponse) -> AsyncIterator[tuple[str, str | None, Any]]:
    """(event, id, data) per server-sent event; comments and ``retry:`` skipped."""
    event, event_id, data = "message", None, []
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield event, event_id, json.loads("\n".join(data))
            event, event_id, data = "message", None, []
        elif line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("id: "):
            event_id = line.removeprefix("id: ")
        elif line.startswith("data: "):
            data.append(line.removeprefix("data: "))


async def until_ready(stream: AsyncIterator[tuple[str, str | None, Any]]) -> list[Any]:
    """The backlog's captures, read up to the ``ready`` event."""
    backlog = []
    async for event, _, data in stream:
        if event == "ready":
            return backlog
        backlog.append(data)
    raise AssertionError("the stream ended before ready")


async def test_stream_sends_the_backlog_then_each_new_capture_checked(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body("interview.started"), "acme")
    async with client.get("/events/stream") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        stream = frames(response)
        backlog = await until_ready(stream)
        assert [c["event"] for c in backlog] == ["interview.started"]
        body = fixture_body("interview.completed")
        await post(client, body, "acme", signed_headers("standard", body))
        event, event_id, capture = await anext(stream)
    assert event == "capture"
    assert event_id == str(capture["id"]) == "2"
    assert capture["event"] == "interview.completed"
    assert capture["channel"] == "acme"
    assert capture["signature"] == "valid"
    assert capture["schemaErrors"] == 0, "the schema check is settled before sending"
    assert capture["interviewId"] == json.loads(body)["data"]["interviewId"]
    assert "body" not in capture and "headers" not in capture


async def test_stream_filters_and_backlog_size(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for index in range(5):
        await post(client, fixture_body("interview.started"), f"c{index % 2}")
    async with client.get("/events/stream", params={"channel": "c0", "backlog": "2"}) as r:
        stream = frames(r)
        assert [c["id"] for c in await until_ready(stream)] == [3, 5], "newest 2 matching"
        await post(client, fixture_body("interview.failed"), "c1")  # filtered out
        await post(client, fixture_body("interview.failed"), "c0")
        _, _, capture = await anext(stream)
    assert (capture["id"], capture["channel"]) == (7, "c0")


async def test_stream_resumes_after_last_event_id(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for _ in range(4):
        await post(client, fixture_body("interview.started"), "acme")
    async with client.get("/events/stream", headers={"Last-Event-ID": "2"}) as r:
        assert [c["id"] for c in await until_ready(frames(r))] == [3, 4]


async def test_stream_with_no_backlog_and_a_burst(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body("interview.started"), "acme")
    async with client.get("/events/stream", params={"backlog": "0"}) as r:
        stream = frames(r)
        assert await until_ready(stream) == []
        for _ in range(3):
            await post(client, fixture_body("interview.started"), "acme")
        ids = [(await anext(stream))[2]["id"] for _ in range(3)]
    assert ids == [2, 3, 4], "each capture once, in order"


async def test_shutdown_ends_an_open_stream(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.get("/events/stream") as r:
        stream = frames(r)
        await until_ready(stream)
        client.app[WAITERS].close()  # what the receiver's on_shutdown does
        assert [frame async for frame in stream] == [], "the stream ends, nothing more sent"


async def test_stream_rejects_a_bad_query(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.get("/events/stream", params={"backlog": "-1"}) as r:
        assert r.status == 400
        assert (await r.json())["error"] == "bad_query"


async def test_a_watch_wakes_on_notify_and_closes_with_the_waiters() -> None:
    waiters = Waiters()
    with waiters.watch() as watch:
        waiters.notify(_capture())
        assert await watch.next() is True
        waiters.close()
        assert await watch.next() is False
    with waiters.watch() as late:
        assert await late.next() is False, "a watch made after close is closed at once"


def _capture() -> Any:
    from harness.delivery.signing import Verdict
    from harness.store.captures import Capture

    return Capture("c", "2030-01-01T00:00:00Z", {}, b"{}", 2, Verdict.UNCHECKED, "", id=1)
