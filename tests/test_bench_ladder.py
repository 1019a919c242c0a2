"""``make bench-ladder`` is built from steps that each do what their row says (no timing is
asserted): ``stack`` answers WireMock's stub without a check, ``checked`` refuses what a create
refuses before answering the same stub, a cut-down step's child is ``serve`` with its create
replaced, and the table gives each step's added CPU and its ratios to bare and WireMock."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

import harness.api.interviews
from benchmarks import ladder
from benchmarks.measure import ACME_KEY, Figure, create_request
from benchmarks.targets import started
from harness.api.app import create_api_app
from harness.api.state import STORE
from harness.config import HarnessConfig

KEY = {"Authorization": f"Bearer {ACME_KEY}"}


def _body() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(create_request().body)
    return body


async def _cut_api(aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch, step: str) -> TestClient:
    monkeypatch.setattr(harness.api.interviews, "create", ladder.handler(step))
    client: TestClient = await aiohttp_client(create_api_app(HarnessConfig.for_tests()))
    return client


def test_the_stub_body_is_the_answer_wiremock_is_given() -> None:
    mapping = json.loads(ladder.STUB.read_text())
    assert json.loads(ladder.stub_body()) == mapping["response"]["jsonBody"]
    assert mapping["response"]["status"] == 201


async def test_the_stack_step_answers_the_stub_without_looking_at_key_or_body(
    aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await _cut_api(aiohttp_client, monkeypatch, "stack")
    answer = await api.post("/interviews", data=b"not json")
    assert answer.status == 201
    assert await answer.read() == ladder.stub_body()
    assert "X-RateLimit-Limit-Minute" not in answer.headers  # no key was checked


async def test_the_checked_step_refuses_a_missing_key_and_an_invalid_body(
    aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await _cut_api(aiohttp_client, monkeypatch, "checked")
    answer = await api.post("/interviews", json=_body())
    assert answer.status == 401
    assert (await answer.json())["error"]["code"] == "INVALID_API_KEY"
    body = _body()
    del body["candidate"]["gdprExpiryDate"]
    answer = await api.post("/interviews", json=body, headers=KEY)
    assert answer.status == 400
    fields = [e["field"] for e in (await answer.json())["error"]["details"]["errors"]]
    assert fields == ["candidate.gdprExpiryDate"]


async def test_the_checked_step_answers_a_valid_create_with_the_stub_and_writes_nothing(
    aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await _cut_api(aiohttp_client, monkeypatch, "checked")
    store = api.app[STORE]
    before = len(store.interviews)
    answer = await api.post("/interviews", json=_body(), headers=KEY)
    assert answer.status == 201
    assert await answer.read() == ladder.stub_body()
    assert answer.headers["X-RateLimit-Limit-Minute"]  # the key was checked, as a create does
    assert len(store.interviews) == before


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="no cut-down step 'api'"):
        ladder.handler("api")


def test_a_cut_down_step_runs_serve_with_its_own_database(tmp_path: Path) -> None:
    command = ladder.step_command("checked", tmp_path)
    assert command[1:5] == ["-m", "benchmarks.ladder", "--step", "checked"]
    assert command[5] == "serve"
    assert command[command.index("--db") + 1] == str(tmp_path / "checked.sqlite3")
    assert command[command.index("--world") + 1] == str(tmp_path / "world-no-webhooks.json")


def test_a_cut_down_step_started_as_the_ladder_starts_it_answers_the_stub(
    tmp_path: Path,
) -> None:
    request = create_request()
    with started(ladder.step_command("checked", tmp_path)) as target:
        send = urllib.request.Request(
            target.url + request.path, request.body, request.headers, method=request.method
        )
        with urllib.request.urlopen(send, timeout=30) as answer:
            assert answer.status == 201
            assert answer.read() == ladder.stub_body()
        send = urllib.request.Request(target.url + request.path, request.body, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(send, timeout=30)
        refused.value.close()
        assert refused.value.code == 401


def _step(name: str, rps: float, cpu_us: float, rounds: list[float] | None = None) -> Figure:
    return Figure(name, ladder.STEPS[name], rps, int(rps), 0, cpu_us, [], rounds or [])


STEPS = [
    _step("bare", 6000, 150, [5000, 7000]),
    _step("stack", 4000, 220, [4000, 4200]),
    _step("checked", 3000, 330, [2500, 3500]),
    _step("api", 1500, 680, [1000, 1400]),
]


def test_the_table_gives_what_each_step_adds_and_its_ratios_round_by_round() -> None:
    wiremock = _step("wiremock", 2400, 300, [2000, 2800])
    text = ladder.table([*STEPS, wiremock])
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()[2:7]}
    cells = {name: [c.strip() for c in row.split("|")[3:-1]] for name, row in rows.items()}
    assert cells["bare"] == ["6,000", "150", "-", "1.00x", "2.50x", "0"]
    assert cells["stack"][2] == "+70"
    assert cells["checked"][2] == "+110"
    assert cells["api"][2:5] == ["+350", "0.20x", "0.50x"]  # 1,000 of 5,000 and 1,400 of 7,000
    assert cells["wiremock"][2] == "-"  # a peer, not a step of the harness
    line = ladder.budget([*STEPS, wiremock])
    assert line == (
        "CPU per request against WireMock's 300 µs: "
        "bare 0.50x, stack 0.73x, checked 1.10x, api 2.27x"
    )


def test_without_wiremock_its_column_is_empty_and_there_is_no_budget_line() -> None:
    text = ladder.table(STEPS)
    assert all(line.split("|")[7].strip() == "-" for line in text.splitlines()[2:6])
    assert ladder.budget(STEPS) is None
