"""``replay``: fixture payloads re-signed at send time, answers reported, JUnit/JSON reports."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import standardwebhooks

from harness.cli import main
from harness.delivery.signing import Verdict, whsec
from harness.errors import ConfigError
from harness.store.captures import Capture, open_captures
from harness.tools.corpus import WEBHOOK_FIXTURES, Payload, load_payloads, read_json
from harness.tools.progress import Progress
from harness.tools.replay import replay
from harness.tools.send import Target
from tests.tools_handlers import SECRET, handler_app, received

VALID = sorted(WEBHOOK_FIXTURES.glob("*.json"))


async def test_replays_every_fixture_resigned_with_its_delivery_id(aiohttp_server: Any) -> None:
    server = await aiohttp_server(handler_app())
    target = Target(str(server.make_url("/hook")), SECRET)
    report = await replay(load_payloads([WEBHOOK_FIXTURES]), target, concurrency=3)
    assert len(report.results) == len(VALID) + len(list(WEBHOOK_FIXTURES.glob("invalid/*.json")))
    assert report.ok, [r.line() for r in report.failures]
    verifier = standardwebhooks.Webhook(whsec(SECRET))
    sent = {}
    for headers, body, status in received(server).requests:
        assert status == 200
        doc = verifier.verify(body, headers)
        if "deliveryId" in doc:
            assert headers["webhook-id"] == doc["deliveryId"]
        sent[headers["webhook-id"]] = doc
    for path in VALID:
        doc = read_json(path)
        assert sent[doc["deliveryId"]] == doc
    assert [r.source for r in report.results] == [
        p.source for p in load_payloads([WEBHOOK_FIXTURES])
    ]


async def test_a_payload_without_delivery_id_gets_a_new_id_per_send(aiohttp_server: Any) -> None:
    server = await aiohttp_server(handler_app())
    payload = Payload("x", {"event": "ping", "data": {}})
    target = Target(str(server.make_url("/hook")), SECRET)
    report = await replay([payload, payload], target, concurrency=1)
    ids = [r.delivery_id for r in report.results]
    assert len(set(ids)) == 2
    assert [h["webhook-id"] for h, _, _ in received(server).requests] == ids


async def test_failures_and_reports(aiohttp_server: Any, tmp_path: Path) -> None:
    server = await aiohttp_server(handler_app())
    target = Target(str(server.make_url("/status/500")), scheme="none")
    payloads = load_payloads([WEBHOOK_FIXTURES / "ping.json", WEBHOOK_FIXTURES / "invalid"])
    report = await replay(payloads, target)
    assert not report.ok and len(report.failures) == len(payloads)
    assert "not 2xx" in report.summary()
    assert "webhook-signature" not in received(server).requests[0][0]
    suite = ET.fromstring(report.as_junit())
    assert suite.get("tests") == suite.get("failures") == str(len(payloads))
    cases = suite.findall("testcase")
    assert cases[0].get("classname") == "ping"
    assert cases[0].find("failure") is not None
    assert cases[0].find("failure").get("message") == "HTTP 500"  # type: ignore[union-attr]
    doc = report.as_json()
    assert doc["failed"] == len(payloads) and doc["results"][0]["status"] == 500


async def test_unreachable_handler_is_a_failure() -> None:
    target = Target("http://127.0.0.1:9/hook", SECRET, timeout_s=2)
    report = await replay([Payload("p", {"event": "ping"})], target)
    assert report.results[0].status is None
    assert "no answer" in report.results[0].line()


def test_progress_bar_only_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = Progress(4, stream, enabled=True)
    for ok in (True, False, True, True):
        bar.advance(ok)
    bar.finish("done")
    text = stream.getvalue()
    assert "\r[" + "#" * 30 + "] 4/4 sent, 1 not 2xx" in text
    assert text.endswith("\ndone\n")
    quiet = io.StringIO()
    bar = Progress(4, quiet)  # StringIO is not a TTY
    bar.advance()
    bar.finish("done")
    assert quiet.getvalue() == "done\n"


async def test_concurrency_must_be_positive() -> None:
    with pytest.raises(ConfigError):
        await replay([], Target("http://127.0.0.1:9/"), concurrency=0)


async def test_cli(aiohttp_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = await aiohttp_server(handler_app())
    good = str(server.make_url("/hook"))
    junit = tmp_path / "junit.xml"
    args = ["replay", str(WEBHOOK_FIXTURES / "ping.json"), "--to", good, "--secret", SECRET]
    assert await asyncio.to_thread(main, [*args, "--report", str(junit)]) == 0
    captured = capsys.readouterr()
    assert "200" in captured.out and "ping.json" in captured.out
    assert captured.err.startswith("replayed 1 payload(s)")  # no bar: stderr is not a TTY
    assert ET.parse(junit).getroot().get("failures") == "0"
    report = tmp_path / "report.json"
    bad = str(server.make_url("/status/503"))
    code = await asyncio.to_thread(
        main, ["replay", str(WEBHOOK_FIXTURES), "--to", bad, "--scheme", "none",
               "--report", str(report), "--concurrency", "8"]
    )  # fmt: skip
    assert code == 1
    # invalid/ is left out of a directory walk unless --expect corpus
    assert json.loads(report.read_text())["failed"] == len(VALID)
    assert "left out" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--to", "http://example.com/hook", "--secret", SECRET], "not loopback"),
        (["--to", "http://127.0.0.1:9/hook"], "--secret is required"),
        (["--to", "http://127.0.0.1:9/hook", "--secret", "xyz"], "64 hex"),
        (["--to", "ftp://127.0.0.1/hook", "--scheme", "none"], "http://"),
        (["--to", "http://127.0.0.1:9/", "--scheme", "none", "--report", "r.txt"], ".xml"),
    ],
)
def test_cli_refuses_bad_options(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(WEBHOOK_FIXTURES / "ping.json"), *extra]) == 2
    assert message in capsys.readouterr().err


def test_cli_nothing_to_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path), "--to", "http://127.0.0.1:9/", "--scheme", "none"]) == 2
    assert "nothing to replay" in capsys.readouterr().err


async def test_replay_from_a_capture_database_sends_the_captured_bytes(
    aiohttp_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = await aiohttp_server(handler_app())
    db = tmp_path / "captures.sqlite3"
    raw = b'{"event": "ping", "deliveryId": "0b3c2a4e-8d1f-4c6b-9a7e-2f5d8c1b0a93", "data": {}}'
    with open_captures(db, read_only=False) as store:
        store.add(Capture("acme", "2026-01-15T09:30:00.000Z", {}, raw, len(raw),
                          Verdict.VALID, ""))  # fmt: skip
    url = str(server.make_url("/hook"))
    argv = ["replay", "--from-db", str(db), "--to", url, "--secret", SECRET]
    assert await asyncio.to_thread(main, argv) == 0
    headers, body, _ = received(server).requests[0]
    assert body == raw
    assert headers["webhook-id"] == "0b3c2a4e-8d1f-4c6b-9a7e-2f5d8c1b0a93"
    assert f"{db}#capture-1" in capsys.readouterr().out
