"""Integers past SQLite's 64-bit range in a query or a path are a 400 or a 404, never a 500."""

from __future__ import annotations

import pytest

from tests.receiver_support import MakeReceiver, post

HUGE = str(2**63)  # one past the largest id SQLite holds


@pytest.mark.parametrize(
    "path",
    [
        f"/events?after={HUGE}",
        f"/events?limit={HUGE}",
        f"/events?limit={'9' * 5000}",
        "/events?after=1_0",
        "/events?after=%20 1",
        "/events?limit=%D9%A3",  # ARABIC-INDIC DIGIT THREE: int() takes it, the query does not
        f"/events/wait?after={HUGE}&timeout=0",
        f"/events/stream?after={HUGE}",
        f"/events/stream?backlog={HUGE}",
    ],
)
async def test_an_out_of_range_query_integer_is_a_400_naming_it(
    make_receiver: MakeReceiver, path: str
) -> None:
    client = await make_receiver()
    response = await client.get(path)
    assert response.status == 400
    answer = await response.json()
    assert answer["error"] == "bad_query"
    assert str(2**63 - 1) in answer["message"]


@pytest.mark.parametrize("tail", ["", "/raw", "/fixture"])
async def test_a_capture_id_past_the_range_is_a_404(make_receiver: MakeReceiver, tail: str) -> None:
    client = await make_receiver()
    await post(client, b"{}")
    response = await client.get(f"/events/{HUGE}{tail}")
    assert response.status == 404
    assert (await response.json())["error"] == "not_found"


async def test_replaying_a_capture_id_past_the_range_is_a_404(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    response = await client.post(f"/events/{HUGE}/replay", json={"url": "http://127.0.0.1:9/"})
    assert response.status == 404


async def test_a_last_event_id_past_the_range_or_not_ascii_starts_from_the_backlog(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    await post(client, b"{}")
    for resume in (HUGE, "\u00b2"):  # SUPERSCRIPT TWO: str.isdigit() says yes, int() says no
        response = await client.get("/events/stream", headers={"Last-Event-ID": resume})
        assert response.status == 200
        async with response:
            first = await response.content.readuntil(b"event: ready")
        assert b"id: 1\n" in first
