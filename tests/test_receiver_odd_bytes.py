"""Deliveries a handler would read differently are captured whole, flagged, and shown as strict
JSON: nothing a sender sends makes the receiver (or its listing) answer 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from harness.delivery.signing import sign
from harness.receiver.secrets import static_secrets
from tests.raw_http import Header, exchange, request
from tests.receiver_support import SECRET, MakeReceiver, listed

ODD: list[tuple[str, bytes, list[Header], list[str]]] = [
    ("lone-surrogate", b'{"event":"\\ud800"}', [], ["unknown_event", "lone_surrogate"]),
    ("lone-low-surrogate-key", b'{"\\udc00":1}', [], ["unknown_event", "lone_surrogate"]),
    ("out-of-range", b'{"a":1e400,"b":-1e400}', [], ["unknown_event", "number_out_of_range"]),
    ("huge-integer", b'{"a":' + b"9" * 5000 + b"}", [], ["unknown_event", "number_out_of_range"]),
    ("duplicate-key", b'{"event":"ping","event":"x"}', [], ["unknown_event", "duplicate_key"]),
    ("bom", b'\xef\xbb\xbf{"event":"ping"}', [], ["byte_order_mark"]),
    ("utf-16", '{"event":"ping"}'.encode("utf-16"), [], ["not_json", "non_utf8_body"]),
    ("cesu-surrogate", b'{"event":"\xed\xa0\x80"}', [], ["not_json", "non_utf8_body"]),
    ("webhook-id", b"{}", [("webhook-id", b"\xff\xfe")], ["unknown_event", "non_utf8_header"]),
    ("header-byte", b"{}", [("X-Odd", b"caf\xe9")], ["unknown_event", "non_utf8_header"]),
    ("gzip-declared", b"{}", [("Content-Encoding", "gzip")], ["unknown_event", "content_encoded"]),
    ("nul-path", b"{}", [], ["unknown_event"]),
]


async def _send(client: TestClient, channel: str, body: bytes, headers: list[Header]) -> int:
    target = "/hooks/a%00b" if channel == "nul-path" else f"/hooks/{channel}"
    typed = any(str(name).lower() == "content-type" for name, _ in headers)
    sent = headers if typed else [("Content-Type", "application/json"), *headers]
    answer = await exchange(client.host, client.port, request("POST", target, body, sent))
    return answer.status


def _strict(data: bytes) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the answer")

    text = data.decode("utf-8")  # strict: every answer is UTF-8
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(("name", "body", "headers", "flags"), ODD, ids=[o[0] for o in ODD])
async def test_an_odd_delivery_is_captured_exactly_flagged_and_listed_as_strict_json(
    make_receiver: MakeReceiver, name: str, body: bytes, headers: list[Header], flags: list[str]
) -> None:
    client = await make_receiver()
    assert await _send(client, name, body, headers) == 204
    listing = await client.get("/events")
    assert listing.status == 200
    [item] = _strict(await listing.read())["items"]
    assert [f for f in item["flags"] if f != "schema_invalid"] == flags
    assert item["size"] == len(body)
    raw = await client.get(f"/events/{item['id']}/raw")
    assert await raw.read() == body
    for path in (
        f"/events/{item['id']}",
        "/events/wait?timeout=0",
        f"/events/{item['id']}/fixture",
    ):
        answer = await client.get(path)
        assert answer.status == 200, path
        if path.endswith("fixture"):
            continue
        _strict(await answer.read())
    if "non_utf8_body" in flags:
        assert base64.b64decode(item["bodyBase64"]) == body
    else:
        assert item["bodyBase64"] is None
    for header, value in headers:
        if "non_utf8_header" in flags:
            assert base64.b64decode(item["headersBase64"][str(header)]) == value
            assert "\ufffd" in item["headers"][str(header)]


async def test_an_odd_capture_shows_what_a_handler_would_read(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    for body in (b'{"event":"\\ud800x"}', b'{"a":1e400,"b":1.5}', b'{"k":1,"k":2}'):
        await _send(client, "show", body, [])
    surrogate, number, duplicate = [i["body"] for i in await listed(client)]
    assert surrogate == {"event": "\ufffdx"}
    assert number == {"a": "1e400", "b": 1.5}
    assert duplicate == {"k": 2}


async def test_an_odd_capture_keeps_its_fields_readable(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    body = b'{"event":"ping\\udfff","deliveryId":"d\\ud800","data":{"interviewId":"\\udc00"}}'
    await _send(client, "fields", body, [])
    await _send(client, "header-id", b"{}", [("webhook-id", b"id-\xff")])
    first, second = await listed(client)
    assert (first["event"], first["deliveryId"]) == ("ping\ufffd", "d\ufffd")
    assert first["interviewId"] == "\ufffd"
    assert second["deliveryId"] == "id-\ufffd"
    assert [i["id"] for i in await listed(client, deliveryId="id-\ufffd")] == [second["id"]]


async def test_a_fixture_of_odd_json_is_the_bytes_as_sent(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    body = b'{"event":"ping","event":"interview.completed"}'
    await _send(client, "fixture", body, [])
    [item] = await listed(client)
    fixture = await client.get(f"/events/{item['id']}/fixture")
    assert fixture.headers["Content-Type"].startswith("application/json")
    assert await fixture.read() == body


async def test_a_signature_over_a_header_that_is_not_utf8_verifies_byte_for_byte(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = b'{"event":"ping"}'
    good = sign("standard", SECRET, "id-\xff", 1_700_000_000, body)  # signs "id-ÿ" as UTF-8
    raw_id = b"id-\xff"  # ...but the sender put the single byte 0xff on the wire
    headers: list[Header] = [(k, v) for k, v in good.items() if k != "webhook-id"]
    await _send(client, "sig", body, [("webhook-id", raw_id), *headers])
    [item] = await listed(client)
    assert item["signature"] == "invalid"
    assert "internal_error" not in item["flags"]
    assert item["signatureReason"] != ""


async def test_a_content_type_header_that_is_not_utf8_is_served_raw_as_octets(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    await _send(client, "ctype", b"abc", [("Content-Type", b"text/\xff")])
    [item] = await listed(client)
    raw = await client.get(f"/events/{item['id']}/raw")
    assert raw.status == 200
    assert await raw.read() == b"abc"
