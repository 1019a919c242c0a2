"""The receiver captures every POST: signatures, schema checks, and hostile input."""

from __future__ import annotations

import io
import json
import os
import time
from typing import Any

import pytest
import standardwebhooks

from harness.delivery.signing import KnownSecret, Scheme, whsec
from harness.receiver.secrets import static_secrets
from tests.receiver_support import (
    OTHER_SECRET,
    SECRET,
    MakeReceiver,
    fixture_body,
    listed,
    post,
    signed_headers,
)


async def test_capture_keeps_everything(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = fixture_body("analysis.completed")
    headers = signed_headers("standard", body)
    response = await client.post("/hooks/acme", data=body, headers=headers)
    assert response.status == 204
    capture_id = int(response.headers["X-Harness-Capture-Id"])
    [item] = await listed(client)
    sent = json.loads(body)
    assert item["id"] == capture_id
    assert item["channel"] == "acme"
    assert item["event"] == "analysis.completed"
    assert item["interviewId"] == sent["data"]["interviewId"]
    assert item["deliveryId"] == sent["deliveryId"]
    assert item["body"] == sent
    assert item["headers"]["webhook-signature"] == headers["webhook-signature"]
    assert item["signature"] == "valid"
    assert item["schemaErrors"] == []
    assert item["flags"] == []
    assert item["size"] == len(body)
    assert item["answer"] == {"status": 204, "delayMs": 0}
    assert item["receivedAt"].endswith("Z")
    raw = await client.get(f"/events/{capture_id}/raw")
    assert await raw.read() == body
    assert raw.headers["Content-Type"] == "application/json"
    one = await client.get(f"/events/{capture_id}")
    assert (await one.json())["id"] == capture_id
    assert (await client.get("/events/999")).status == 404
    assert (await client.get("/events/999/raw")).status == 404


@pytest.mark.parametrize("scheme", ["standard", "hex"])
async def test_signature_verdicts(make_receiver: MakeReceiver, scheme: Scheme) -> None:
    client = await make_receiver(scheme=scheme, secrets=static_secrets(OTHER_SECRET, SECRET))
    body = fixture_body()
    await post(client, body, "good", signed_headers(scheme, body))
    await post(client, body, "wrong-key", signed_headers(scheme, body, "ef" * 32))
    tampered = body.replace(b'"isTest": false', b'"isTest": true ')
    await post(client, tampered, "tampered", signed_headers(scheme, body))
    await post(client, body, "missing", {"Content-Type": "application/json"})
    stale = signed_headers(scheme, body, at=int(time.time()) - 3600)
    await post(client, body, "stale", stale)
    verdicts = {i["channel"]: (i["signature"], i["flags"]) for i in await listed(client)}
    assert verdicts == {
        "good": ("valid", []),
        "wrong-key": ("invalid", ["bad_signature"]),
        "tampered": ("invalid", ["bad_signature"]),
        "missing": ("invalid", ["bad_signature"]),
        "stale": ("invalid", ["bad_signature"]),
    }
    reasons = {i["channel"]: i["signatureReason"] for i in await listed(client)}
    assert "missing" in reasons["missing"]
    assert "timestamp" in reasons["stale"]


async def test_standard_signature_verifies_with_the_official_library(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = fixture_body("analysis.completed")
    headers = signed_headers("standard", body)
    standardwebhooks.Webhook(whsec(SECRET)).verify(body, headers)  # raises if not
    await post(client, body, "acme", headers)
    [item] = await listed(client)
    assert item["signature"] == "valid"
    stored = {k: v for k, v in item["headers"].items() if k.startswith("webhook-")}
    standardwebhooks.Webhook(whsec(SECRET)).verify(body, stored)


@pytest.mark.parametrize(
    ("scheme", "secrets", "reason"),
    [("none", [SECRET], "scheme none"), ("standard", [], "no secret"), ("hex", [], "no secret")],
)
async def test_unchecked_when_nothing_to_check_with(
    make_receiver: MakeReceiver, scheme: Scheme, secrets: list[str], reason: str
) -> None:
    client = await make_receiver(scheme=scheme, secrets=static_secrets(*secrets))
    body = fixture_body()
    await post(client, body, headers=signed_headers("standard", body))
    [item] = await listed(client)
    assert item["signature"] == "unchecked"
    assert reason in item["signatureReason"]
    assert item["flags"] == []


async def test_secret_source_is_asked_per_channel(make_receiver: MakeReceiver) -> None:
    asked: list[str] = []

    def source(channel: str) -> list[KnownSecret]:
        asked.append(channel)
        return [KnownSecret(SECRET if channel == "acme" else OTHER_SECRET, label=channel)]

    client = await make_receiver(secrets=source)
    body = fixture_body()
    for channel in ("acme", "globex"):
        await post(client, body, channel, signed_headers("standard", body))
    verdicts = {i["channel"]: i["signature"] for i in await listed(client)}
    assert verdicts == {"acme": "valid", "globex": "invalid"}
    assert asked == ["acme", "globex"]


async def test_a_failing_secret_source_is_recorded_not_raised(make_receiver: MakeReceiver) -> None:
    def broken(channel: str) -> list[KnownSecret]:
        raise RuntimeError("no secrets today")

    client = await make_receiver(secrets=broken)
    body = fixture_body()
    assert (await post(client, body, headers=signed_headers("standard", body)))[0] == 204
    [item] = await listed(client)
    assert item["signature"] == "unchecked"
    assert "no secrets today" in item["signatureReason"]
    assert item["flags"] == ["internal_error"]


async def test_schema_errors_name_instance_paths(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    doc = json.loads(fixture_body("analysis.completed"))
    doc["data"]["analysis"]["general"]["overallRating"] = 140
    doc["data"]["isTest"] = "yes"
    body = json.dumps(doc).encode()
    await post(client, body, headers=signed_headers("standard", body))
    [item] = await listed(client)
    found = [(e["instancePath"], e["keyword"]) for e in item["schemaErrors"]]
    assert found == [
        ("/data/analysis/general/overallRating", "maximum"),
        ("/data/isTest", "type"),
    ]
    assert all(e["message"] and e["schemaPath"] for e in item["schemaErrors"])
    assert item["flags"] == ["schema_invalid"]
    assert item["signature"] == "valid"


def _vendor_shaped() -> dict[str, Any]:
    """interview.completed as docs.instaview.sk shows it: no agentId, isTest or metadata, and
    a timestamp without milliseconds."""
    doc: dict[str, Any] = json.loads(fixture_body("interview.completed"))
    for field in ("agentId", "isTest", "metadata"):
        del doc["data"][field]
    doc["timestamp"] = "2024-01-20T14:30:00Z"
    return doc


@pytest.mark.parametrize("strict", [False, True], ids=["vendor", "strict"])
async def test_the_verdict_says_which_level_failed(
    make_receiver: MakeReceiver, strict: bool
) -> None:
    client = await make_receiver(strict_schemas=strict)
    vendor_shaped = _vendor_shaped()
    broken = {**vendor_shaped, "data": {**vendor_shaped["data"], "status": "PAUSED"}}
    del broken["data"]["interviewId"]
    for channel, doc in (("documented", vendor_shaped), ("broken", broken)):
        await post(client, json.dumps(doc).encode(), channel)
    items = {i["channel"]: i for i in await listed(client)}
    documented = {(e["instancePath"], e["level"]) for e in items["documented"]["schemaErrors"]}
    assert documented == ({("/data", "strict"), ("/timestamp", "strict")} if strict else set())
    assert ("schema_invalid" in items["documented"]["flags"]) is strict
    found = [(e["instancePath"], e["keyword"], e["level"]) for e in items["broken"]["schemaErrors"]]
    assert found == [("/data", "required", "vendor"), ("/data/status", "enum", "vendor")]


HOSTILE: list[tuple[str, bytes, dict[str, str], list[str]]] = [
    ("not-json", b"hello, <b>world</b>", {}, ["not_json", "schema_invalid"]),
    ("empty", b"", {}, ["not_json", "schema_invalid"]),
    (
        "binary",
        bytes(range(256)) * 4,
        {},
        ["not_json", "schema_invalid", "bad_signature", "non_utf8_body"],
    ),
    ("nan", b'{"event": NaN}', {}, ["not_json", "schema_invalid"]),
    ("deep", b"[" * 100_000 + b"]" * 100_000, {}, ["not_json", "schema_invalid"]),
    ("array", b"[1, 2, 3]", {}, ["unknown_event", "schema_invalid"]),
    (
        "unknown-event",
        fixture_body(event="interview.rescheduled"),
        {},
        ["unknown_event", "schema_invalid"],
    ),
    (
        "garbage-signature",
        fixture_body(),
        {"webhook-id": "\u00ff", "webhook-timestamp": "soon", "webhook-signature": "v1,!!"},
        ["bad_signature"],
    ),
    (
        "garbage-v1",
        fixture_body(),
        {"webhook-id": "x", "webhook-timestamp": "0", "webhook-signature": "v2,abc v1"},
        ["bad_signature"],
    ),
]


@pytest.mark.parametrize(("name", "body", "headers", "flags"), HOSTILE, ids=[h[0] for h in HOSTILE])
async def test_hostile_input_is_captured_and_flagged(
    make_receiver: MakeReceiver,
    name: str,
    body: bytes,
    headers: dict[str, str],
    flags: list[str],
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    sent = {"Content-Type": "application/octet-stream", "webhook-id": "x", **headers}
    status, _ = await post(client, body, name, sent)
    assert status == 204
    [item] = await listed(client)
    expected = flags if "bad_signature" in flags else [*flags, "bad_signature"]
    assert item["flags"] == expected
    assert item["channel"] == name
    assert item["size"] == len(body)
    raw = await client.get(f"/events/{item['id']}/raw")
    assert await raw.read() == body
    if "not_json" in flags:
        assert item["body"] == body.decode("utf-8", "replace")
        assert item["schemaErrors"][0]["keyword"] == "json"
        assert item["event"] is None


async def test_huge_body_is_captured_truncated_and_answered_413(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = os.urandom(2 * 1024 * 1024)
    for chunked in (False, True):
        data: Any = io.BytesIO(body)
        if chunked:

            async def stream() -> Any:
                for i in range(0, len(body), 100_000):
                    yield body[i : i + 100_000]

            data = stream()
        status, payload = await post(client, data, "big", signed_headers("standard", b"{}"))
        assert status == 413
        assert payload["captureId"]
    for item in await listed(client):
        assert item["size"] == len(body)
        assert item["flags"] == ["too_large", "schema_invalid"]
        assert item["signature"] == "unchecked"
        assert item["schemaErrors"][0]["keyword"] == "size"
        assert item["answer"]["status"] == 413
        raw = await client.get(f"/events/{item['id']}/raw")
        assert await raw.read() == body[: 1024 * 1024]
    # the receiver is fine afterwards
    ok = fixture_body()
    assert (await post(client, ok, "after", signed_headers("standard", ok)))[0] == 204


async def test_repeated_headers_are_joined(make_receiver: MakeReceiver) -> None:
    from multidict import CIMultiDict

    client = await make_receiver()
    headers = CIMultiDict([("X-Trace", "a"), ("X-Trace", "b")])
    response = await client.post("/hooks/test", data=b"{}", headers=headers)
    assert response.status == 204
    [item] = await listed(client)
    assert item["headers"]["X-Trace"] == "a, b"


async def test_filters_and_clear(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    first = fixture_body("interview.completed")
    second = fixture_body("analysis.completed")
    await post(client, first, "acme")
    await post(client, second, "globex")
    await post(client, b"junk", "acme")
    interview = json.loads(first)["data"]["interviewId"]
    assert [i["event"] for i in await listed(client, channel="acme")] == [
        "interview.completed",
        None,
    ]
    assert len(await listed(client, event="analysis.completed")) == 1
    assert len(await listed(client, interviewId=interview)) == 2
    delivery = json.loads(second)["deliveryId"]
    assert [i["channel"] for i in await listed(client, deliveryId=delivery)] == ["globex"]
    assert [i["id"] for i in await listed(client, after="1", limit="1")] == [2]
    bad = await client.get("/events", params={"after": "soon"})
    assert bad.status == 400
    assert (await bad.json())["error"] == "bad_query"
    cleared = await client.delete("/events")
    assert await cleared.json() == {"deleted": 3}
    assert await listed(client) == []
    await post(client, b"{}", "acme")
    [item] = await listed(client)
    assert item["id"] == 4, "ids keep growing after a clear"
    health = await client.get("/health")
    assert (await health.json())["captures"] == 1
