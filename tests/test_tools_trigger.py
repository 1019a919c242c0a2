"""``trigger``: one realistic event from its fixture, overridden, fresh, signed and sent."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import standardwebhooks

from harness.cli import main
from harness.delivery.signing import whsec
from harness.domain.enums import EMITTED_EVENTS, EventType
from harness.errors import ConfigError
from harness.schemas import default_schemas
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json
from harness.tools.send import Target
from harness.tools.trigger import build_event, parse_override, trigger
from tests.tools_handlers import SECRET, handler_app, received


@pytest.mark.parametrize("event", EMITTED_EVENTS, ids=str)
def test_every_event_builds_fresh_and_schema_clean(event: EventType) -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    doc = build_event(event.value, now=now)
    fixture = read_json(WEBHOOK_FIXTURES / f"{event.value}.json")
    assert doc["deliveryId"] != fixture["deliveryId"]
    assert doc["timestamp"] == "2026-03-01T12:00:00.000Z"
    assert doc["data"] == fixture["data"]
    assert default_schemas().violations(doc, "events/event") == []


def test_overrides_parse_json_or_keep_strings() -> None:
    assert parse_override("data.metadata.x=1") == (["data", "metadata", "x"], 1)
    assert parse_override("data.metadata.x=abc") == (["data", "metadata", "x"], "abc")
    assert parse_override('a={"b": [1]}') == (["a"], {"b": [1]})
    assert parse_override("a=") == (["a"], "")
    assert parse_override("a=null") == (["a"], None)
    doc = build_event(
        "analysis.completed",
        [
            "data.metadata.x=1",
            "data.metadata.deep.er=true",
            "data.analysis.general.strongPoints.0=Punctual",
            "data.analysis.general.overallRating=99",
        ],
    )
    assert doc["data"]["metadata"]["x"] == 1
    assert doc["data"]["metadata"]["deep"] == {"er": True}
    assert doc["data"]["analysis"]["general"]["strongPoints"][0] == "Punctual"
    assert doc["data"]["analysis"]["general"]["overallRating"] == 99


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("novalue", "PATH=VALUE"),
        ("=1", "PATH=VALUE"),
        ("data.analysis.general.strongPoints.9=x", "no such list item"),
        ("data.analysis.general.strongPoints.x=x", "no such list item"),
        ("data.isTest.x=1", None),
        ("event.x=1", None),
    ],
)
def test_bad_overrides(override: str, message: str | None) -> None:
    if message is None:  # a scalar on the way is replaced by an object
        doc = build_event("analysis.completed", [override])
        head, _, _ = override.partition("=")
        assert isinstance(doc[head.split(".")[0]], dict)
        return
    with pytest.raises(ConfigError, match=message):
        build_event("analysis.completed", [override])


def test_setting_inside_a_scalar_list_item_fails() -> None:
    with pytest.raises(ConfigError, match="not an object or a list"):
        build_event("analysis.completed", ["data.analysis.general.strongPoints.0.x=1"])


def test_test_and_live_switch(tmp_path: Path) -> None:
    test = build_event("interview.completed", is_test=True)["data"]
    assert test["isTest"] is True and test["metadata"]["isTest"] is True
    source = WEBHOOK_FIXTURES / "interview.completed--test.json"
    (tmp_path / "interview.completed.json").write_bytes(source.read_bytes())
    live = build_event("interview.completed", is_test=False, directory=tmp_path)["data"]
    assert live["isTest"] is False and "isTest" not in live["metadata"]
    ping = build_event("ping", is_test=True)["data"]
    assert "isTest" not in ping


def test_event_names_and_unknown_events() -> None:
    assert build_event("ANALYSIS_FAILED")["event"] == "analysis.failed"
    assert build_event("2")["event"] == "ping"
    with pytest.raises(ConfigError, match="unknown event"):
        build_event("interview.paused")


@pytest.mark.parametrize("event", ["SOURCING_COMPLETED", "enrich.failed"])
def test_subscription_only_events_cannot_be_triggered(event: str) -> None:
    with pytest.raises(ConfigError, match="never sends it"):
        build_event(event)


async def test_trigger_sends_a_signed_event(aiohttp_server: Any) -> None:
    server = await aiohttp_server(handler_app())
    target = Target(str(server.make_url("/hook")), SECRET)
    doc, result = await trigger("analysis.completed", target, ["data.metadata.x=1"], True)
    assert result.ok and result.delivery_id == doc["deliveryId"]
    headers, body, _ = received(server).requests[0]
    assert standardwebhooks.Webhook(whsec(SECRET)).verify(body, headers) == doc


async def test_cli(aiohttp_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    server = await aiohttp_server(handler_app(scheme="hex"))
    url = str(server.make_url("/hook"))
    argv = ["trigger", "interview.failed", "--to", url, "--secret", SECRET, "--scheme", "hex"]
    code = await asyncio.to_thread(main, [*argv, "--set", "data.error.code=X", "--live"])
    assert code == 0
    assert "sent interview.failed deliveryId=" in capsys.readouterr().out
    sent = json.loads(received(server).bodies[0])
    assert sent["data"]["error"]["code"] == "X"
    code = await asyncio.to_thread(main, [*argv[:-1], "standard"])  # wrong scheme → 401
    assert code == 1
    assert "401" in capsys.readouterr().out
    assert main(["trigger", "nope", "--to", url, "--scheme", "none"]) == 2
    assert "unknown event" in capsys.readouterr().err
