"""Helpers for receiver tests: a receiver under the aiohttp test client, signed posts."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from aiohttp.test_utils import TestClient

from harness.delivery.signing import Scheme, sign
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

SECRET = "ab" * 32
OTHER_SECRET = "cd" * 32

MakeReceiver = Callable[..., Awaitable[TestClient]]


def fixture_body(name: str = "interview.completed", **changes: Any) -> bytes:
    """A committed webhook fixture as bytes, with a fresh deliveryId and top-level changes."""
    doc: dict[str, Any] = read_json(WEBHOOK_FIXTURES / f"{name}.json")
    doc["deliveryId"] = str(uuid4())
    doc.update(changes)
    return json.dumps(doc).encode()


def signed_headers(
    scheme: Scheme, body: bytes, secret: str = SECRET, *, at: int | None = None
) -> dict[str, str]:
    delivery_id = str(json.loads(body).get("deliveryId") or uuid4())
    stamp = int(time.time()) if at is None else at
    headers = sign(scheme, secret, delivery_id, stamp, body)
    return {"Content-Type": "application/json", **headers}


async def post(
    client: TestClient,
    body: bytes,
    channel: str = "test",
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    response = await client.post(f"/hooks/{channel}", data=body, headers=headers or {})
    async with response:
        payload = await response.json() if response.status != 204 else None
        return response.status, payload


async def listed(client: TestClient, **query: str) -> list[dict[str, Any]]:
    response = await client.get("/events", params=query)
    assert response.status == 200
    items: list[dict[str, Any]] = (await response.json())["items"]
    return items


def db_file(tmp_path: Path) -> str:
    return str(tmp_path / "captures" / "harness.sqlite3")


def receiver_factory(aiohttp_client: Any, tmp_path: Path) -> MakeReceiver:
    """``await make(**options)``: a receiver (file DB in ``tmp_path`` unless ``db_path`` is
    given) under a test client, closed by the fixture's teardown."""

    async def make(**options: Any) -> TestClient:
        from harness.receiver.app import create_receiver_app

        options.setdefault("db_path", db_file(tmp_path))
        client: TestClient = await aiohttp_client(create_receiver_app(**options))
        return client

    return make
