"""Answers of webhook targets and handlers are read up to a cap and marked truncated past it:
a target answering hundreds of megabytes costs the harness 64 KiB, not the whole answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from harness.api.app import create_api_app
from harness.api.webhooks import enable_delivery
from harness.config import HarnessConfig
from harness.delivery.answer import ANSWER_CAP, describe, read_capped
from harness.receiver.listen import listening
from harness.tools.send import post
from tests.delivery_support import dispatcher_of
from tests.support import Api

BIG = 8 * 1024 * 1024  # far past the cap; streamed, so the target never holds it either


class Talker:
    """A target whose answer body is ``size`` bytes, streamed; counts what it managed to send."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.answer)
        return app

    async def answer(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse(status=200)
        response.content_length = self.size
        await response.prepare(request)
        block = b"x" * 65536
        try:
            while self.sent < self.size:  # ends when sent, or when the reader leaves
                part = block[: self.size - self.sent]
                await response.write(part)
                self.sent += len(part)
        except ConnectionError:
            pass
        return response


async def _serve(aiohttp_server: Any, size: int) -> tuple[Talker, str]:
    talker = Talker(size)
    server = await aiohttp_server(talker.app())
    return talker, str(server.make_url("")).rstrip("/")


@pytest.mark.parametrize(("size", "truncated"), [(BIG, True), (ANSWER_CAP, False), (0, False)])
async def test_the_dispatcher_reads_a_targets_answer_up_to_the_cap(
    aiohttp_client: Any, aiohttp_server: Any, size: int, truncated: bool
) -> None:
    talker, base = await _serve(aiohttp_server, size)
    app = create_api_app(HarnessConfig(retry_schedule=(0.0,)))
    enable_delivery(app, None)
    api = Api(await aiohttp_client(app))
    hook = await api.post("/webhooks", {"url": f"{base}/hooks/t", "events": ["ping"]})
    await api.post(f"/_harness/webhooks/{hook.data['id']}/test")
    await dispatcher_of(api).drain()
    [attempt] = (await api.get("/_harness/deliveries")).data["items"]
    assert (attempt["outcome"], attempt["statusCode"]) == ("delivered", 200)
    assert attempt["responseTruncated"] is truncated
    if truncated:
        assert talker.sent < BIG  # the harness stopped reading; the target could not finish


async def test_a_handlers_long_answer_is_kept_to_its_start_and_marked_truncated(
    tmp_path: Path, aiohttp_server: Any
) -> None:
    _, base = await _serve(aiohttp_server, BIG)
    config = HarnessConfig(db_path=str(tmp_path / "fw.sqlite3"))
    async with (
        listening(config, forward_to=f"{base}/hook/{{channel}}") as receiver,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(f"{receiver}/hooks/c", data=b"{}") as answer:
            assert answer.status == 200
            capture_id = answer.headers["X-Harness-Capture-Id"]
        async with session.get(f"{receiver}/events/{capture_id}") as found:
            forwarded = (await found.json())["forwarded"]
    assert forwarded["truncated"] is True
    assert forwarded["body"] == "x" * 2048


@pytest.mark.parametrize(("size", "truncated"), [(BIG, True), (10, False)])
async def test_the_tools_read_a_handlers_answer_up_to_the_cap(
    aiohttp_server: Any, size: int, truncated: bool
) -> None:
    _, base = await _serve(aiohttp_server, size)
    async with aiohttp.ClientSession() as session:
        answer = await post(session, f"{base}/hook", b"{}", {})
    assert (answer.status, answer.truncated) == (200, truncated)


@pytest.mark.parametrize(("size", "kept", "more"), [(5, 5, False), (6, 6, False), (7, 6, True)])
async def test_read_capped_keeps_the_cap_and_says_whether_there_was_more(
    aiohttp_server: Any, size: int, kept: int, more: bool
) -> None:
    _, base = await _serve(aiohttp_server, size)
    async with aiohttp.ClientSession() as session, session.post(base + "/") as response:
        body, truncated = await read_capped(response, cap=6)
    assert (len(body), truncated) == (kept, more)


def test_a_send_that_raised_is_described_by_its_name_and_its_text() -> None:
    assert describe(ConnectionRefusedError(111, "Connection refused")) == (
        "ConnectionRefusedError: [Errno 111] Connection refused"
    )
    assert describe(TimeoutError()) == "TimeoutError"
