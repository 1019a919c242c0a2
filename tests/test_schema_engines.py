"""The fast (jsonschema-rs) and detailed (jsonschema) engines give the same verdict.

``SchemaSet.violations`` trusts the fast engine's "valid"; these tests are what makes that safe:
every fixture, every labelled invalid document, and hypothesis mutations of requests and
events get the same yes/no from both engines over the same schema files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.config import FIXTURES_DIR
from harness.schemas import default_schemas
from harness.tools.corpus import VendorExample, load_vendor_examples
from tests.test_schema_agreement import INVALID_INTERVIEWS, VALUES, mutated

SCHEMAS = default_schemas()


def agree(document: Any, name: str) -> None:
    detailed = SCHEMAS.detailed_violations(document, name)
    assert SCHEMAS.is_valid(document, name) == (not detailed), (name, detailed, document)
    assert SCHEMAS.violations(document, name) == detailed


def _webhook_documents() -> list[tuple[str, Any]]:
    out = []
    for path in sorted((FIXTURES_DIR / "webhooks").rglob("*.json")):
        raw = json.loads(path.read_text())
        out.append((path.name, raw.get("payload", raw) if "violation" in raw else raw))
    return out


@pytest.mark.parametrize(("label", "document"), _webhook_documents())
def test_webhook_fixtures_get_the_same_verdict(label: str, document: Any) -> None:
    for level in ("", "strict/"):
        agree(document, f"{level}events/event")
        event = document.get("event") if isinstance(document, dict) else None
        if isinstance(event, str) and event in {"ping"} | {
            n.removeprefix("events/") for n in SCHEMAS.names if n.startswith("events/")
        }:
            agree(document, f"{level}events/{event}")


@pytest.mark.parametrize(
    "example",
    [e for e in load_vendor_examples() if e.schema is not None],
    ids=lambda e: e.path.stem,
)
def test_vendor_examples_get_the_same_verdict_at_both_levels(example: VendorExample) -> None:
    assert example.schema is not None
    agree(example.checked, example.schema)
    strict = SCHEMAS.level_name(example.schema, strict=True)
    agree(example.checked, strict)  # mostly invalid: not the harness's own shape


def _request_bodies() -> list[tuple[str, Any]]:
    out = []
    for path in sorted((FIXTURES_DIR / "requests").rglob("*.json")):
        out.append((path.name, json.loads(path.read_text())["body"]))
    return out


@pytest.mark.parametrize(("label", "body"), _request_bodies())
def test_request_fixtures_get_the_same_verdict(label: str, body: Any) -> None:
    agree(body, "create-interview")


@pytest.mark.parametrize(
    "document", list(INVALID_INTERVIEWS.values()), ids=list(INVALID_INTERVIEWS)
)
def test_labelled_invalid_requests_get_the_same_verdict(document: Any) -> None:
    agree(document, "create-interview")


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_mutated_requests_get_the_same_verdict(document: dict[str, Any]) -> None:
    agree(document, "create-interview")


EVENTS = [doc for _, doc in _webhook_documents() if isinstance(doc, dict) and "data" in doc]
PATHS = [
    ("data", "interviewId"),
    ("data", "isTest"),
    ("data", "metadata"),
    ("data", "status"),
    ("data", "analysis", "general", "overallRating"),
    ("data", "analysis", "general", "companyFitRating"),
    ("data", "analysisPdfBase64"),
    ("deliveryId",),
    ("timestamp",),
    ("event",),
]


@st.composite
def mutated_event(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(draw(st.sampled_from(EVENTS))))
    path = draw(st.sampled_from(PATHS))
    node: Any = document
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[path[-1]] = draw(VALUES)
    return document


@settings(max_examples=300, deadline=None)
@given(mutated_event())
def test_mutated_events_get_the_same_verdict(document: dict[str, Any]) -> None:
    agree(document, "events/event")


def test_every_schema_compiles_in_both_engines() -> None:
    for name in SCHEMAS.names:
        SCHEMAS.is_valid({}, name)
        SCHEMAS.detailed_violations({}, name)
    assert Path(SCHEMAS.directory).is_dir()
