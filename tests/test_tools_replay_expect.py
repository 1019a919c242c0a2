"""``replay --expect``: an invalid corpus replays as a test, and a directory walk leaves out
``invalid/`` unless the corpus mode sends it expecting refusals."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from harness.cli import main
from harness.errors import ConfigError
from harness.testing.assertions import assert_valid_event
from harness.tools.corpus import WEBHOOK_FIXTURES, Payload
from harness.tools.expect import expected_for, meets, parse_expect, replay_files

VALID = sorted(WEBHOOK_FIXTURES.glob("*.json"))
INVALID = sorted((WEBHOOK_FIXTURES / "invalid").glob("*.json"))


def validating_app() -> web.Application:
    """A handler that refuses (422) what breaks the event schemas, at the strict level."""

    async def hook(request: web.Request) -> web.Response:
        try:
            assert_valid_event(await request.read(), strict=True)
        except AssertionError:
            return web.Response(status=422)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    return app


async def replay_cli(url: str, *args: str, report: Path) -> int:
    argv = ["replay", *args, "--to", url, "--scheme", "none", "--report", str(report)]
    return await asyncio.to_thread(main, argv)


async def test_the_corpus_mode_replays_valid_and_invalid_fixtures_as_a_test(
    aiohttp_server: Any, tmp_path: Path
) -> None:
    server = await aiohttp_server(validating_app())
    report = tmp_path / "r.json"
    code = await replay_cli(
        str(server.make_url("/hook")), str(WEBHOOK_FIXTURES), "--expect", "corpus", report=report
    )
    doc = json.loads(report.read_text())
    assert (code, doc["failed"], doc["total"]) == (0, 0, len(VALID) + len(INVALID))
    expected = {r["source"]: r["expected"] for r in doc["results"]}
    assert {expected[str(p)] for p in INVALID} == {"4xx"}
    assert {expected[str(p)] for p in VALID} == {"2xx"}


async def test_rejected_mode_fails_on_what_a_lax_handler_accepts(
    aiohttp_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def lax(request: web.Request) -> web.Response:
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", lax)
    server = await aiohttp_server(app)
    report = tmp_path / "r.json"
    invalid = str(WEBHOOK_FIXTURES / "invalid")
    code = await replay_cli(str(server.make_url("/hook")), invalid, "--expect", "rejected",
                            report=report)  # fmt: skip
    assert code == 1
    doc = json.loads(report.read_text())
    assert doc["failed"] == len(INVALID)
    out, err = capsys.readouterr()
    assert "HTTP 200, expected 4xx" in out
    assert "not as expected" in err


async def test_an_exact_status_is_expected_of_every_answer(
    aiohttp_server: Any, tmp_path: Path
) -> None:
    server = await aiohttp_server(validating_app())
    report = tmp_path / "r.json"
    url = str(server.make_url("/hook"))
    assert await replay_cli(url, *map(str, INVALID), "--expect", "422", report=report) == 0
    assert await replay_cli(url, str(VALID[0]), "--expect", "422", report=report) == 1


async def test_a_plain_walk_leaves_invalid_out_and_says_so(
    aiohttp_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = await aiohttp_server(validating_app())
    report = tmp_path / "r.json"
    code = await replay_cli(str(server.make_url("/hook")), str(WEBHOOK_FIXTURES), report=report)
    assert code == 0  # the valid payloads, all accepted
    assert json.loads(report.read_text())["total"] == len(VALID)
    assert f"left out {len(INVALID)} file(s) below invalid/" in capsys.readouterr().err


def test_a_bad_expectation_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["replay", str(VALID[0]), "--to", "http://127.0.0.1:9/", "--scheme", "none"]
    assert main([*argv, "--expect", "maybe"]) == 2
    assert "--expect 'maybe'" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["accepted", "rejected", "corpus", "400", "599", "100"])
def test_expectations_parse(text: str) -> None:
    assert parse_expect(text) == text


@pytest.mark.parametrize("text", ["", "4xx", "99", "600", "ok", "-400"])
def test_bad_expectations_name_the_choices(text: str) -> None:
    with pytest.raises(ConfigError, match="accepted, rejected, corpus"):
        parse_expect(text)


def test_what_each_mode_expects_of_a_payload() -> None:
    plain = Payload("a", {})
    labelled = Payload("b", {}, label={"keyword": "required"})
    assert [expected_for(m, plain) for m in ("accepted", "rejected", "corpus", "409")] == [
        "2xx",
        "4xx",
        "2xx",
        "409",
    ]
    assert expected_for("corpus", labelled) == "4xx"
    assert meets("4xx", 404) and not meets("4xx", 500) and not meets("2xx", None)
    assert meets("409", 409) and not meets("409", 400)


def test_a_path_given_itself_is_always_walked(tmp_path: Path) -> None:
    files, skipped = replay_files([WEBHOOK_FIXTURES / "invalid"], "accepted")
    assert (len(files), skipped) == (len(INVALID), 0)
    nested = tmp_path / "a" / "invalid"
    nested.mkdir(parents=True)
    (nested / "x.json").write_text("{}")
    (tmp_path / "a" / "y.json").write_text("{}")
    files, skipped = replay_files([tmp_path], "rejected")
    assert ([f.name for f in files], skipped) == (["y.json"], 1)
    files, skipped = replay_files([tmp_path], "corpus")
    assert (sorted(f.name for f in files), skipped) == (["x.json", "y.json"], 0)
