"""The receiver answers every error in its own shape, {"error": code, "message"}, and a body
that never finishes arriving is captured as it stands and answered 408 instead of waited for."""

from __future__ import annotations

import asyncio

import pytest

from tests.raw_http import exchange, request
from tests.receiver_support import MakeReceiver, listed


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not_found"),
        ("GET", "/events/abc", 404, "not_found"),
        ("PATCH", "/events", 405, "method_not_allowed"),
        ("GET", "/hooks/acme", 405, "method_not_allowed"),
    ],
)
async def test_aiohttps_own_answers_come_in_the_receivers_error_shape(
    make_receiver: MakeReceiver, method: str, path: str, status: int, code: str
) -> None:
    client = await make_receiver()
    response = await client.request(method, path)
    assert response.status == status
    answer = await response.json()
    assert answer["error"] == code
    assert path in answer["message"]
    if status == 405:
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


async def test_a_script_body_over_the_limit_is_a_413_in_the_shape(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(max_body_bytes=1000)
    response = await client.put("/channels/c/script", data=b"{" + b" " * 5000 + b"}")
    assert response.status == 413
    assert (await response.json())["error"] == "payload_too_large"


async def test_a_delivery_whose_body_stops_arriving_is_captured_incomplete_and_answered_408(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(read_timeout_s=0.2)
    data = request("POST", "/hooks/slow", b'{"event": "pi', [("Content-Length", "100")])
    answer = await exchange(client.host, client.port, data)
    assert answer.status == 408
    assert answer.json()["error"] == "request_timeout"
    [item] = await listed(client)
    assert answer.headers["x-harness-capture-id"] == str(item["id"])
    assert item["flags"][:2] == ["not_json", "schema_invalid"]
    assert "incomplete_body" in item["flags"]
    assert item["size"] == 13
    assert item["answer"]["status"] == 408
    raw = await client.get(f"/events/{item['id']}/raw")
    assert await raw.read() == b'{"event": "pi'


async def test_a_delivery_whose_sender_hangs_up_is_captured_with_what_came(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    reader, writer = await asyncio.open_connection(client.host, client.port)
    headers = [("Content-Length", "100"), ("Expect", "100-continue")]
    writer.write(request("POST", "/hooks/gone", None, headers))
    # 100 Continue: the handler runs (a connection lost before that is dropped by aiohttp)
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 100")
    writer.write(b'{"event"')
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    wait = await client.get("/events/wait", params={"channel": "gone", "timeout": "5"})
    item = await wait.json()
    assert item["size"] == 8
    assert "incomplete_body" in item["flags"]


async def test_a_script_body_that_does_not_arrive_is_a_408(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(read_timeout_s=0.2)
    data = request("PUT", "/channels/c/script", b'{"status"', [("Content-Length", "50")])
    answer = await exchange(client.host, client.port, data)
    assert answer.status == 408
    assert answer.json()["error"] == "request_timeout"


async def test_an_unexpected_failure_is_a_500_in_the_shape_and_logged(
    make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    from harness.receiver.app import STORE

    client = await make_receiver()
    app = client.app
    assert app is not None
    app[STORE]._db.close()  # every read now fails: a bug, not the client's doing
    response = await client.get("/events/1")
    assert response.status == 500
    assert (await response.json())["error"] == "internal_error"
    assert "unexpected error in GET /events/1" in caplog.text
