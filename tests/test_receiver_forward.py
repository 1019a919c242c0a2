"""``listen --forward-to``: captures go on to the user's handler, whose answers drive retries."""

from __future__ import annotations

import sqlite3
from collections import deque
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from harness.api.app import create_api_app
from harness.api.webhooks import enable_delivery
from harness.cli import main
from harness.config import HarnessConfig
from harness.receiver.listen import listening
from harness.store.captures import CaptureQuery, CaptureStore
from harness.testing.types import CapturedEvent
from tests.delivery_support import closed_port, dispatcher_of
from tests.receiver_support import SECRET, fixture_body, signed_headers
from tests.support import Api


class Handler:
    """The user's webhook handler: records each request, answers from ``script`` then 200."""

    def __init__(self) -> None:
        self.script: deque[int] = deque()
        self.seen: list[tuple[str, bytes, dict[str, str]]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hook/{channel}", self.hook)
        return app

    async def hook(self, request: web.Request) -> web.Response:
        self.seen.append((request.match_info["channel"], await request.read(),
                          dict(request.headers)))  # fmt: skip
        status = self.script.popleft() if self.script else 200
        return web.Response(status=status, text=f"handled with {status}")


@pytest.fixture
async def handler(aiohttp_server: Any) -> tuple[Handler, str]:
    h = Handler()
    server = await aiohttp_server(h.app())
    return h, str(server.make_url("")).rstrip("/") + "/hook/{channel}"


def config(tmp_path: Path) -> HarnessConfig:
    return HarnessConfig(db_path=str(tmp_path / "fw.sqlite3"), receiver_port=0)


async def test_forwards_the_same_bytes_and_headers_and_answers_with_the_handlers_status(
    tmp_path: Path, handler: tuple[Handler, str]
) -> None:
    user, url = handler
    user.script.append(422)
    body = fixture_body("interview.completed")
    sent = {**signed_headers("standard", body), "X-Custom": "kept"}
    async with (
        listening(config(tmp_path), [SECRET], forward_to=url) as receiver,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(f"{receiver}/hooks/ch1", data=body, headers=sent) as answer:
            assert answer.status == 422
            capture_id = answer.headers["X-Harness-Capture-Id"]
        async with session.get(f"{receiver}/events/{capture_id}") as found:
            capture = await found.json()
    [(channel, got, headers)] = user.seen
    assert (channel, got) == ("ch1", body)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature", "X-Custom"):
        assert headers[name] == sent[name]
    assert headers["Content-Type"] == "application/json"
    assert capture["signature"] == "valid"
    assert capture["answer"]["status"] == 422
    forwarded = capture["forwarded"]
    assert forwarded["url"] == url.replace("{channel}", "ch1")
    assert (forwarded["status"], forwarded["error"]) == (422, None)
    assert forwarded["body"] == "handled with 422" and forwarded["latencyMs"] >= 0


async def test_the_mocks_retries_follow_the_handlers_answers(
    tmp_path: Path, handler: tuple[Handler, str], aiohttp_client: Any
) -> None:
    user, url = handler
    user.script.extend([500, 503])
    async with listening(config(tmp_path), forward_to=url) as receiver:
        app = create_api_app(HarnessConfig(retry_schedule=(0.0,)))
        enable_delivery(app)
        api = Api(await aiohttp_client(app))
        hook = await api.post("/webhooks", {"url": f"{receiver}/hooks/fw", "events": ["ping"]})
        await api.post(f"/_harness/webhooks/{hook.data['id']}/test")
        await dispatcher_of(api).drain()
        log = (await api.get("/_harness/deliveries")).data["items"]
        async with aiohttp.ClientSession() as session:
            captures = (await (await session.get(f"{receiver}/events")).json())["items"]
    assert [(a["statusCode"], a["outcome"]) for a in log] == [
        (500, "retrying"),
        (503, "retrying"),
        (200, "delivered"),
    ]
    assert [c["forwarded"]["status"] for c in captures] == [500, 503, 200]
    assert len({c["deliveryId"] for c in captures}) == 1
    assert len(user.seen) == 3


async def test_an_unreachable_handler_is_a_502_and_a_script_is_not_forwarded(
    tmp_path: Path,
) -> None:
    nowhere = f"http://127.0.0.1:{closed_port()}/hook"
    body = fixture_body("ping")
    async with (
        listening(config(tmp_path), forward_to=nowhere) as receiver,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(f"{receiver}/hooks/x", data=body) as answer:
            assert answer.status == 502
        await session.put(f"{receiver}/channels/x/script", json={"status": 418})
        async with session.post(f"{receiver}/hooks/x", data=body) as answer:
            assert answer.status == 418
        items = (await (await session.get(f"{receiver}/events")).json())["items"]
    assert items[0]["forwarded"]["status"] is None
    assert "Connect" in items[0]["forwarded"]["error"]
    assert items[1]["forwarded"] is None and items[1]["answer"]["status"] == 418


def test_listen_refuses_a_forward_url_that_is_not_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.sqlite3")
    assert main(["listen", "--port", "0", "--db", db, "--forward-to", "ftp://x/y"]) == 2
    assert "--forward-to 'ftp://x/y' must be an absolute http" in capsys.readouterr().err


def test_a_version_1_capture_file_gains_the_forwarded_column(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    store = CaptureStore.open(path)
    store.close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE captures DROP COLUMN forwarded")
    db.execute("ALTER TABLE captures DROP COLUMN verified_by")  # version 3's
    db.execute(
        "INSERT INTO captures (channel, received_at, headers, body, size, signature, "
        "signature_reason, schema_errors, flags, answer_status, answer_delay_ms) VALUES "
        "('old', '2026-01-01T00:00:00.000Z', '{}', x'7b7d', 2, 'unchecked', '', '[]', '[]', "
        "204, 0)"
    )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    old = CaptureStore.open(path, read_only=True)
    try:
        [capture] = old.find(_everything())
        assert (capture.channel, capture.forwarded) == ("old", None)
    finally:
        old.close()
    migrated = CaptureStore.open(path)
    try:
        [capture] = migrated.find(_everything())
        assert capture.forwarded is None
    finally:
        migrated.close()


def _everything() -> CaptureQuery:
    return CaptureQuery()


def test_the_plugins_capture_shows_the_forwarded_answer() -> None:
    item = {"id": 1, "channel": "c", "signature": "valid", "receivedAt": "x",
            "forwarded": {"status": 200}}  # fmt: skip
    assert CapturedEvent.from_wire(item).forwarded == {"status": 200}
