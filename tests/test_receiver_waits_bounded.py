"""Long-polls and event streams end when their client leaves, and only so many may be open at
once: abandoned ones cannot pile up and slow every capture down."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import BaseRunner, TestClient, TestServer

from harness.receiver.app import WAITERS, create_receiver_app
from harness.receiver.waiters import Waiters
from harness.serving import HarnessRunner
from tests.receiver_support import MakeReceiver, db_file, post


class HarnessTestServer(TestServer):
    """aiohttp's test server on the harness's runner, as serve and listen run the receiver."""

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        return HarnessRunner(self.app, header_timeout_s=10.0, **kwargs)


@pytest.fixture
def make_served(aiohttp_client: Any, tmp_path: Path) -> MakeReceiver:
    async def make(**options: Any) -> TestClient:
        app = create_receiver_app(db_path=db_file(tmp_path), **options)
        client: TestClient = await aiohttp_client(HarnessTestServer(app))
        return client

    return make


WAIT = b"GET /events/wait?channel=never&timeout=600 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _waiters(client: TestClient) -> Waiters:
    app = client.app
    assert app is not None
    return app[WAITERS]


async def test_a_long_poll_whose_client_leaves_is_no_longer_pending(
    make_served: MakeReceiver,
) -> None:
    client = await make_served()
    waiters = _waiters(client)
    connections = []
    for _ in range(3):
        _, writer = await asyncio.open_connection(client.host, client.port)
        writer.write(WAIT)
        connections.append(writer)
    await waiters.until_pending(3)
    for writer in connections:
        writer.close()
    await waiters.until_open_at_most(0)
    assert len(waiters) == 0
    assert (await post(client, b"{}"))[0] == 204


async def test_a_capture_whose_sender_leaves_at_once_is_stored_and_notified(
    make_served: MakeReceiver,
) -> None:
    client = await make_served()
    waiters = _waiters(client)
    wait = asyncio.ensure_future(client.get("/events/wait", params={"timeout": "30"}))
    await waiters.until_pending(1)
    for _ in range(20):  # senders that hang up the moment their delivery is out
        _, writer = await asyncio.open_connection(client.host, client.port)
        writer.write(b"POST /hooks/gone HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}")
        writer.close()
    answer = await wait
    assert answer.status == 200
    assert (await answer.json())["channel"] == "gone"


async def test_a_stream_whose_client_leaves_is_no_longer_watching(
    make_served: MakeReceiver,
) -> None:
    client = await make_served()
    waiters = _waiters(client)
    response = await client.get("/events/stream")
    await response.content.readuntil(b"event: ready")
    assert waiters.open == 1
    response.close()
    await waiters.until_open_at_most(0)
    assert waiters.open == 0


async def test_waits_and_streams_beyond_the_cap_are_a_503(make_served: MakeReceiver) -> None:
    client = await make_served(max_waits=2)
    waiters = _waiters(client)
    first = asyncio.ensure_future(client.get("/events/wait", params={"timeout": "30"}))
    await waiters.until_pending(1)
    stream = await client.get("/events/stream")
    await stream.content.readuntil(b"event: ready")
    for path in ("/events/wait?timeout=30", "/events/stream"):
        refused = await client.get(path)
        assert refused.status == 503, path
        assert (await refused.json())["error"] == "too_many_waits"
        assert refused.headers["Retry-After"] == "1"
    found = await client.get("/events/wait", params={"timeout": "0"})
    assert found.status == 408, "a wait answered at once needs no room"
    await post(client, b"{}")
    assert (await first).status == 200
    stream.close()
    await waiters.until_open_at_most(0)
    again = await client.get("/events/wait", params={"timeout": "0"})
    assert again.status == 200
