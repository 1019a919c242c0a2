"""``schemas/events/``: the mock's real emissions are schema-clean; bad events are caught."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from harness.clock import iso
from harness.delivery.dispatcher import envelope
from harness.domain.events import DomainEvent, RecordingSink
from harness.schemas import default_schemas
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_LANGUAGE,
    ACME_AGENT_PHONE,
    ACME_CANDIDATE,
    ACME_JOB,
    Api,
    full_inline_body,
)

EVENTS = [
    "interview.started",
    "interview.completed",
    "interview.failed",
    "analysis.completed",
    "analysis.failed",
    "ping",
]


def _wire(event: DomainEvent) -> dict[str, Any]:
    stamp = iso(datetime.now(UTC))
    body: dict[str, Any] = json.loads(envelope(event.type, uuid4(), stamp, event.data))
    return body


def _clean(body: dict[str, Any]) -> None:
    schemas = default_schemas()
    for name in ("events/event", f"events/{body['event']}", "events/envelope"):
        found = schemas.violations(body, name)
        assert found == [], (name, [str(v) for v in found])


async def _emissions(api: Api, events: RecordingSink) -> list[dict[str, Any]]:
    """Every event type the lifecycle fires, online and phone, test and live."""
    await api.post("/interviews", full_inline_body(isTest=True, metadata={"ref": 7}))
    language = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_LANGUAGE, "isTest": True}
    assert (await api.post("/interviews", language)).status == 201
    live = []
    for agent in (ACME_AGENT_GENERIC, ACME_AGENT_PHONE):
        body = {"candidateId": ACME_CANDIDATE, "agentId": agent, "jobId": ACME_JOB}
        for _ in range(3):
            created = await api.post("/interviews", body)
            assert created.status == 201, created.body
            live.append(created.data["id"])
    for i in range(0, len(live), 3):
        ok, bad, failed = live[i : i + 3]
        await api.post(f"/_harness/interviews/{ok}/start")
        await api.post(f"/_harness/interviews/{ok}/complete", {"durationMinutes": 2})
        await api.post(f"/_harness/interviews/{bad}/start")
        await api.post(f"/_harness/interviews/{bad}/complete", {"analysisFails": True})
        await api.post(f"/_harness/interviews/{failed}/fail", {"code": "NO_ANSWER", "message": "x"})
    return [_wire(e) for e in events.events]


async def test_every_lifecycle_emission_is_schema_clean(api: Api, events: RecordingSink) -> None:
    bodies = await _emissions(api, events)
    kinds = {b["event"] for b in bodies}
    assert kinds == set(EVENTS) - {"ping"}
    assert any(b["data"].get("callAttemptId") for b in bodies)
    assert any((b["data"].get("analysis") or {}).get("specific") for b in bodies)
    for body in bodies:
        _clean(body)


async def test_ping_is_schema_clean(api: Api) -> None:
    hook = await api.post("/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["ping"]})
    assert hook.status == 201, hook.body
    data = {"webhookId": hook.data["id"], "message": "hello"}
    body = {"event": "ping", "timestamp": iso(datetime.now(UTC)), "deliveryId": str(uuid4())}
    _clean({**body, "data": data})


def _analysis_body() -> dict[str, Any]:
    from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

    doc: dict[str, Any] = read_json(WEBHOOK_FIXTURES / "analysis.completed.json")
    return doc


@pytest.mark.parametrize(
    ("mutate", "path", "keyword"),
    [
        (lambda b: b.update(event="interview.rescheduled"), "/event", "enum"),
        (lambda b: b.update(extra=1), "", "unevaluatedProperties"),
        (lambda b: b.update(deliveryId="not-a-uuid"), "/deliveryId", "pattern"),
        (lambda b: b.update(timestamp="yesterday"), "/timestamp", "pattern"),
        (
            lambda b: b["data"].update(analysisPdfBase64="aGVsbG8="),
            "/data/analysisPdfBase64",
            "pattern",
        ),
        (lambda b: b["data"]["analysis"].update(specific=[1]), "/data/analysis/specific", "type"),
        (lambda b: b["data"].pop("interviewId"), "/data", "required"),
        (lambda b: b.update(data=[]), "/data", "type"),
    ],
)
def test_violations_are_reported_where_they_are(mutate: Any, path: str, keyword: str) -> None:
    body = copy.deepcopy(_analysis_body())
    _clean(body)
    mutate(body)
    verdict = default_schemas().verdict(body, "events/event", strict=True)
    found = [(v.instance_path, v.keyword) for v in verdict]
    assert (path, keyword) in found, found


def test_non_object_is_one_violation() -> None:
    found = default_schemas().violations([1, 2], "events/event")
    assert [(v.instance_path, v.keyword) for v in found] == [("", "type")]


def _invalid_payloads() -> list[dict[str, Any]]:
    from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

    docs = [read_json(p)["payload"] for p in sorted((WEBHOOK_FIXTURES / "invalid").glob("*.json"))]
    return [d for d in docs if isinstance(d, dict) and d.get("event") in EVENTS]


def test_per_event_schema_finds_what_event_json_finds() -> None:
    """The receiver checks a known event against its own schema (faster): same findings."""
    schemas = default_schemas()
    payloads = _invalid_payloads()
    assert len(payloads) >= 10
    for payload, strict in [(p, s) for p in payloads for s in (False, True)]:
        via_event = schemas.verdict(payload, "events/event", strict=strict)
        direct = schemas.verdict(payload, f"events/{payload['event']}", strict=strict)
        assert [(v.instance_path, v.keyword, v.message, v.level) for v in direct] == [
            (v.instance_path, v.keyword, v.message, v.level) for v in via_event
        ], payload
