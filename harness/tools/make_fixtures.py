"""Writes ``fixtures/webhooks/`` from the real event builders, deterministically.

``python -m harness.tools.make_fixtures`` rewrites the files; ``--check`` only compares them
(exit 1 when they differ). Ids and instants are fixed, so the output is the same on every run;
``tests/test_webhook_fixtures.py`` keeps the committed files equal to what the builders make.

``<event>.json`` is the canonical payload of an event type (the one ``trigger`` sends);
``<event>--<variant>.json`` are the variants; ``invalid/<name>.json`` wrap a payload with the one
violation it contains: ``{"description", "violation": {"instancePath", "keyword", "level"},
"payload"}``, ``level`` the lowest level of verdict that finds it (``vendor`` or ``strict``).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from harness.clock import iso
from harness.delivery.dispatcher import envelope
from harness.domain import lifecycle
from harness.domain.enums import AgentFocus, AgentType, EventType, InterviewStatus, Plan
from harness.domain.events import DomainEvent
from harness.domain.models import Agent, Company, Interview
from harness.tools.corpus import WEBHOOK_FIXTURES

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ACME = UUID("11111111-1111-4111-8111-111111111111")
CANDIDATE = UUID("1d1d1d1d-0000-4000-8000-000000000001")
JOB = UUID("1b1b1b1b-0000-4000-8000-000000000001")
PHONE_NUMBER = UUID("1a1a1a1a-0000-4000-8000-000000000001")
WEBHOOK = UUID("1e1e1e1e-0000-4000-8000-000000000001")
AGENTS = {
    "online": ("1c1c1c1c-0000-4000-8000-000000000001", AgentType.ONLINE, AgentFocus.GENERIC),
    "phone": ("1c1c1c1c-0000-4000-8000-000000000004", AgentType.PHONE, AgentFocus.SCREENING),
    "language": (
        "1c1c1c1c-0000-4000-8000-000000000003",
        AgentType.ONLINE,
        AgentFocus.LANGUAGE_TEST,
    ),
}
METADATA = {"atsId": "A-1042", "source": "careers-page"}


def _agent(kind: str) -> Agent:
    agent_id, agent_type, focus = AGENTS[kind]
    return Agent(
        id=UUID(agent_id),
        company_id=ACME,
        created_at=NOW - timedelta(days=30),
        updated_at=NOW - timedelta(days=30),
        name=f"{kind} agent",
        type=agent_type,
        focus=focus,
        company_phone_number_id=PHONE_NUMBER if agent_type is AgentType.PHONE else None,
        cefr_level="B2" if focus is AgentFocus.LANGUAGE_TEST else None,
    )


def _interview(name: str, is_test: bool) -> Interview:
    metadata = {**METADATA, "isTest": True} if is_test else dict(METADATA)
    return Interview(
        id=uuid5(NAMESPACE_URL, f"instaview-harness:fixture:{name}"),
        company_id=ACME,
        created_at=NOW - timedelta(minutes=20),
        updated_at=NOW - timedelta(minutes=20),
        candidate_id=CANDIDATE,
        agent_id=UUID(AGENTS["online"][0]),
        job_id=JOB,
        status=InterviewStatus.SCHEDULED,
        scheduled_at=NOW - timedelta(minutes=20),
        metadata=metadata,
        is_test=is_test,
    )


def _company() -> Company:
    return Company(
        id=ACME, name="Acme Recruiting", plan=Plan.BUSINESS, minutes_limit=10_000, api_keys=[]
    )


def _run(name: str, kind: str, path: str) -> list[DomainEvent]:
    """The events an interview fires along ``path``: test, complete, analysis-fails, fail-*."""
    agent = _agent(kind)
    interview = _interview(name, is_test=path == "test")
    interview.agent_id = agent.id
    if path == "test":
        return lifecycle.finish_as_test(interview, agent, NOW)
    if path == "fail-scheduled":
        return lifecycle.fail(interview, "CANDIDATE_NO_SHOW", "The candidate did not join", NOW)
    events = lifecycle.start(interview, agent, NOW - timedelta(minutes=16))
    if path == "start":
        return events
    if path == "fail-in-progress":
        return lifecycle.fail(interview, "CALL_FAILED", "The candidate did not answer", NOW)
    fails = path == "analysis-fails"
    return lifecycle.complete(interview, agent, _company(), 15, fails, NOW)


def _pick(event: EventType) -> Callable[[list[DomainEvent]], DomainEvent]:
    return lambda events: next(e for e in events if e.type is event)


@dataclass(frozen=True)
class Variant:
    file: str
    kind: str
    path: str
    event: EventType


VARIANTS = (
    Variant("interview.started", "online", "start", EventType.INTERVIEW_STARTED),
    Variant("interview.started--phone-live", "phone", "start", EventType.INTERVIEW_STARTED),
    Variant("interview.completed", "online", "complete", EventType.INTERVIEW_COMPLETED),
    Variant("interview.completed--test", "online", "test", EventType.INTERVIEW_COMPLETED),
    Variant("interview.completed--phone-live", "phone", "complete", EventType.INTERVIEW_COMPLETED),
    Variant("interview.completed--phone-test", "phone", "test", EventType.INTERVIEW_COMPLETED),
    Variant("interview.failed", "online", "fail-scheduled", EventType.INTERVIEW_FAILED),
    Variant(
        "interview.failed--phone-live", "phone", "fail-in-progress", EventType.INTERVIEW_FAILED
    ),
    Variant("analysis.completed", "online", "complete", EventType.ANALYSIS_COMPLETED),
    Variant("analysis.completed--test", "online", "test", EventType.ANALYSIS_COMPLETED),
    Variant("analysis.completed--phone-live", "phone", "complete", EventType.ANALYSIS_COMPLETED),
    Variant(
        "analysis.completed--language-test", "language", "complete", EventType.ANALYSIS_COMPLETED
    ),
    Variant(
        "analysis.completed--language-test-test", "language", "test", EventType.ANALYSIS_COMPLETED
    ),
    Variant("analysis.failed", "online", "analysis-fails", EventType.ANALYSIS_FAILED),
)


def _payload(file: str, event: EventType, data: dict[str, Any]) -> dict[str, Any]:
    delivery_id = uuid5(NAMESPACE_URL, f"instaview-harness:delivery:{file}")
    loaded: dict[str, Any] = json.loads(envelope(event, delivery_id, iso(NOW), data))
    return loaded


def valid_payloads() -> dict[str, dict[str, Any]]:
    """Every valid fixture by file stem."""
    out = {}
    for v in VARIANTS:
        domain_event = _pick(v.event)(_run(f"{v.kind}-{v.path}", v.kind, v.path))
        out[v.file] = _payload(v.file, v.event, domain_event.data)
    ping = {"webhookId": str(WEBHOOK), "message": "Test event from the Instaview harness"}
    out["ping"] = _payload("ping", EventType.PING, ping)
    return out


# (file, base fixture, JSON pointer, new value or _DELETE, keyword, level, description): the
# level is the lowest that finds it, ``vendor`` (real breakage) or ``strict`` (only the
# harness's own profile: a field the harness always sends, a field it never does)
_DELETE = object()
V, S = "vendor", "strict"
MUTATIONS: tuple[tuple[str, str, str, Any, str, str, str], ...] = (
    ("overall-rating-above-100", "analysis.completed", "/data/analysis/general/overallRating",
     101, "maximum", V, "overallRating is 0-100"),
    ("overall-rating-negative", "analysis.completed", "/data/analysis/general/overallRating",
     -1, "minimum", V, "overallRating is 0-100"),
    ("company-fit-unknown", "analysis.completed", "/data/analysis/general/companyFitRating",
     "VERY_HIGH", "enum", V, "companyFitRating is LOW, MEDIUM or HIGH"),
    ("analysis-without-general", "analysis.completed", "/data/analysis/general",
     _DELETE, "required", V, "analysis.general is required"),
    ("strong-points-not-array", "analysis.completed", "/data/analysis/general/strongPoints",
     "Clear answers", "type", V, "strongPoints is an array"),
    ("analysis-status-not-number", "analysis.completed", "/data/analysis/general/status",
     "COMPLETED", "type", V, "the analysis status is a number, as the vendor shows it"),
    ("missing-delivery-id", "interview.completed", "/deliveryId",
     _DELETE, "required", V, "every event carries deliveryId"),
    ("timestamp-not-string", "interview.completed", "/timestamp",
     1768469400, "type", V, "timestamp is an ISO 8601 string"),
    ("timestamp-without-milliseconds", "interview.completed", "/timestamp",
     "2026-01-15T09:30:00Z", "pattern", S, "the harness's timestamps carry milliseconds"),
    ("interview-id-missing", "interview.completed", "/data/interviewId",
     _DELETE, "required", V, "interview events carry interviewId"),
    ("interview-status-unknown", "interview.completed", "/data/status",
     "PAUSED", "enum", V, "status is one of the interview statuses"),
    ("is-test-string", "interview.completed", "/data/isTest",
     "true", "type", V, "isTest is a boolean"),
    ("call-attempt-id-number", "interview.started--phone-live", "/data/callAttemptId",
     42, "anyOf", V, "callAttemptId is a UUID string or null"),
    ("interview-failed-without-error", "interview.failed", "/data/error",
     _DELETE, "required", S, "the harness's interview.failed carries error"),
    ("analysis-failed-without-error", "analysis.failed", "/data/error",
     _DELETE, "required", S, "the harness's analysis.failed carries error"),
    ("ping-without-webhook-id", "ping", "/data/webhookId",
     _DELETE, "required", S, "the harness's ping data carries webhookId"),
    ("metadata-not-object", "interview.started", "/data/metadata",
     ["A-1042"], "type", V, "metadata is an object"),
    ("unknown-event", "ping", "/event",
     "interview.paused", "enum", V, "event is one of the six known names"),
    ("delivery-id-not-uuid", "ping", "/deliveryId",
     "delivery-42", "pattern", V, "deliveryId is a UUID"),
    ("unexpected-top-level-field", "interview.completed", "/attempt",
     2, "unevaluatedProperties", S,
     "the harness's envelope has exactly event, timestamp, deliveryId, data"),
)  # fmt: skip
#: Where the violation is reported when it is not at the mutated pointer itself.
_REPORTED_AT = {"unevaluatedProperties": "", "required": None}


def _apply(payload: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(payload)
    *parents, last = pointer.strip("/").split("/")
    target = doc
    for part in parents:
        target = target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


def _own_delivery(payload: dict[str, Any], name: str) -> dict[str, Any]:
    """An invalid payload gets its own deliveryId, so replaying the corpus never dedupes it."""
    return {**payload, "deliveryId": str(uuid5(NAMESPACE_URL, f"instaview-harness:invalid:{name}"))}


def invalid_payloads(valid: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, base, pointer, value, keyword, level, description in MUTATIONS:
        at = _REPORTED_AT.get(keyword, pointer)
        if at is None:  # a missing property is reported on its parent
            at = pointer.rsplit("/", 1)[0]
        out[name] = {
            "description": f"{description} (from {base}.json)",
            "violation": {"instancePath": at, "keyword": keyword, "level": level},
            "payload": _apply(_own_delivery(valid[base], name), pointer, value),
        }
    return out


def render_all() -> dict[str, str]:
    """Every fixture file's text by path relative to ``fixtures/webhooks``."""
    valid = valid_payloads()
    files = {f"{name}.json": doc for name, doc in valid.items()}
    files.update({f"invalid/{n}.json": d for n, d in invalid_payloads(valid).items()})
    return {path: json.dumps(doc, indent=2) + "\n" for path, doc in sorted(files.items())}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.tools.make_fixtures")
    parser.add_argument("--out", type=Path, default=WEBHOOK_FIXTURES)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    args = parser.parse_args(argv)
    stale = []
    for relative, text in render_all().items():
        path = args.out / relative
        if path.is_file() and path.read_text() == text:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    verb = "differ" if args.check else "written"
    print(f"{len(stale)} fixture file(s) {verb}" + "".join(f"\n  {s}" for s in stale))
    return 1 if args.check and stale else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
