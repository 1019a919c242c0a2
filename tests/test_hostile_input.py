"""The hostile corpus (tests/hostile_corpus.py) against both servers as ``serve`` runs them:
no request gets a 5xx, every delivery is captured with its exact bytes, and every listing and
reading of the captures afterwards is strict JSON."""

from __future__ import annotations

import asyncio
import base64
import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harness.config import HarnessConfig
from harness.runtime import Running, running
from tests.hostile_corpus import AUTH, Case, api_cases, deliveries, receiver_cases, wire_cases
from tests.raw_http import Answer, exchange, request

#: Stalled requests wait this long for their 408.
READ_TIMEOUT_S = 0.5
#: Requests in flight at once.
CONCURRENCY = 16
MAX_BODY = 1024 * 1024


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Running]:
    config = HarnessConfig(db_path=str(tmp_path / "h.sqlite3"), read_timeout_s=READ_TIMEOUT_S)
    async with running(config) as run:
        yield run


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


async def _send_all(url: str, cases: list[Case]) -> dict[str, Answer]:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(case: Case) -> tuple[str, Answer]:
        async with gate:
            return case.name, await exchange(*_address(url), case.data, head_only=case.head_only)

    return dict(await asyncio.gather(*(one(c) for c in cases)))


def _strict(data: bytes) -> Any:
    """``data`` parsed as strict JSON: UTF-8, no NaN/Infinity, no lone surrogates."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in an answer")

    text = data.decode("utf-8")
    assert not any("\ud800" <= ch <= "\udfff" for ch in text), "a lone surrogate"
    return json.loads(text, parse_constant=refuse)


def _fives(answers: dict[str, Answer]) -> dict[str, int]:
    return {name: a.status for name, a in answers.items() if a.status >= 500}


async def test_no_hostile_request_gets_a_5xx_and_every_error_is_strict_json(
    served: Running,
) -> None:
    sent: Counter[str] = Counter()
    seed = await exchange(*_address(served.receiver_url), request("POST", "/hooks/seed", b"{}"))
    assert seed.headers["x-harness-capture-id"] == "1"  # what the replay cases replay
    for label, url, cases in [
        ("api", served.api_url, api_cases() + wire_cases("/candidates", AUTH)),
        ("receiver", served.receiver_url, receiver_cases() + wire_cases("/hooks/wire", [])),
    ]:
        answers = await _send_all(url, cases)
        sent[label] = len(answers)
        assert _fives(answers) == {}, label
        replayed = {a.status for n, a in answers.items() if n.startswith("POST /events/1/")}
        assert 404 not in replayed  # capture 1 exists: the bodies were read
        for name, answer in answers.items():
            if answer.status >= 400:
                assert answer.headers["content-type"].startswith("application/json"), name
                body = _strict(answer.body)
                code = body["error"]["code"] if label == "api" else body["error"]
                assert isinstance(code, str) and code, name
    print(f"hostile corpus: {sent['api']} requests to the mock API, {sent['receiver']} to the "
          "receiver, 0 answered 5xx")  # fmt: skip


async def test_every_hostile_delivery_is_captured_with_its_exact_bytes(served: Running) -> None:
    cases = deliveries()
    answers = await _send_all(served.receiver_url, cases)
    assert _fives(answers) == {}
    host, port = _address(served.receiver_url)
    listing = await exchange(host, port, request("GET", "/events?limit=1000", None))
    assert listing.status == 200
    captured = {c["id"]: c for c in _strict(listing.body)["items"]}
    for case in cases:
        answer = answers[case.name]
        assert answer.status in (204, 408, 413), (case.name, answer.status, answer.body)
        capture = captured[int(answer.headers["x-harness-capture-id"])]
        raw = await exchange(host, port, request("GET", f"/events/{capture['id']}/raw", None))
        assert case.body is not None
        assert raw.body == case.body[:MAX_BODY], case.name
        if capture["bodyBase64"] is not None:
            assert base64.b64decode(capture["bodyBase64"]) == raw.body, case.name
        for path in (f"/events/{capture['id']}", f"/events/{capture['id']}/fixture"):
            read = await exchange(host, port, request("GET", path, None))
            assert read.status == 200, (case.name, path)
            if not path.endswith("fixture"):
                _strict(read.body)
    waited = await exchange(host, port, request("GET", "/events/wait?after=0&timeout=0", None))
    assert waited.status == 200
    _strict(waited.body)
    print(f"hostile deliveries: {len(cases)} sent, {len(cases)} captured with their exact bytes")
