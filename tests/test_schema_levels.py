"""Two levels of verdict from one source: ``schemas/<name>`` is what the vendor documents,
``schemas/strict/<name>`` ``$ref``s it and adds what the harness itself always sends."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urljoin

import pytest

from harness.schemas import BASE_URI, STRICT, default_schemas
from harness.tools.corpus import VENDOR_FIXTURES, WEBHOOK_FIXTURES, read_json

SCHEMAS = default_schemas()
STRICT_NAMES = [n for n in SCHEMAS.names if n.startswith(STRICT)]


def _refs(node: Any, base: str) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(urljoin(base, node["$ref"]).split("#")[0])
        for value in node.values():
            found |= _refs(value, base)
    elif isinstance(node, list):
        for item in node:
            found |= _refs(item, base)
    return found


@pytest.mark.parametrize("name", STRICT_NAMES)
def test_a_strict_schema_builds_on_its_vendor_schema(name: str) -> None:
    document = SCHEMAS.documents[name]
    vendor = name.removeprefix(STRICT)
    assert vendor in SCHEMAS.documents, name
    assert f"{BASE_URI}{vendor}.json" in _refs(document, document["$id"]), name
    assert SCHEMAS.level_name(vendor, strict=True) == name
    assert SCHEMAS.level_name(vendor, strict=False) == vendor


def test_enough_schemas_have_two_levels() -> None:
    stricter = {n.removeprefix(STRICT) for n in STRICT_NAMES}
    assert {"interview", "candidate", "job", "agent", "webhook", "error", "envelope"} <= stricter
    assert {f"events/{e}" for e in ("event", "interview.completed", "analysis.completed")} <= (
        stricter
    )
    assert "create-interview" not in stricter  # requests have one level: what the mock accepts


def _event(name: str = "interview.completed") -> dict[str, Any]:
    doc: dict[str, Any] = read_json(WEBHOOK_FIXTURES / f"{name}.json")
    return doc


def test_an_rfc3339_time_without_milliseconds_is_vendor_valid_not_strict() -> None:
    doc = _event()
    doc["timestamp"] = "2024-01-15T10:30:00Z"
    assert SCHEMAS.verdict(doc, "events/event") == []
    [found] = SCHEMAS.verdict(doc, "events/event", strict=True)
    assert (found.instance_path, found.keyword, found.level) == ("/timestamp", "pattern", "strict")
    doc["timestamp"] = "2024-01-15 10:30"
    [broken] = SCHEMAS.verdict(doc, "events/event", strict=True)
    assert (broken.instance_path, broken.level) == ("/timestamp", "vendor")


def test_fields_the_vendor_adds_are_allowed_at_the_vendor_level_only() -> None:
    doc = _event("analysis.completed")
    doc["data"]["analysis"]["general"]["confidence"] = 0.9
    doc["environment"] = "production"
    assert SCHEMAS.verdict(doc, "events/event") == []
    found = {(v.instance_path, v.keyword) for v in SCHEMAS.verdict(doc, "events/event", True)}
    assert found == {
        ("", "unevaluatedProperties"),
        ("/data/analysis/general", "unevaluatedProperties"),
    }


@pytest.mark.parametrize(
    ("name", "mutate", "path", "keyword"),
    [
        ("events/event", lambda d: d["data"].pop("interviewId"), "/data", "required"),
        ("events/event", lambda d: d["data"].update(status="PAUSED"), "/data/status", "enum"),
        ("events/event", lambda d: d["data"].update(jobId=7), "/data/jobId", "anyOf"),
        ("events/event", lambda d: d.update(event="interview.paused"), "/event", "enum"),
    ],
)
def test_the_vendor_level_still_names_real_breakage(
    name: str, mutate: Any, path: str, keyword: str
) -> None:
    doc = copy.deepcopy(_event())
    mutate(doc)
    for strict in (False, True):
        found = [(v.instance_path, v.keyword, v.level) for v in SCHEMAS.verdict(doc, name, strict)]
        assert (path, keyword, "vendor") in found, found


def test_vendor_shaped_analysis_passes_the_vendor_level() -> None:
    # docs.instaview.sk/guides/resources/interviews: an enum-like education, no `specific`
    analysis = {
        "id": "8d1a4b44-7d8b-4b53-9a3e-0c5a5f2b7e10",
        "general": {
            "overallRating": 85,
            "companyFitRating": "HIGH",
            "education": "MASTER_LEVEL",
            "experience": "THREE_TO_5_YEARS",
            "strongPoints": ["Strong technical skills", "Clear communication"],
            "weakPoints": ["Limited leadership experience"],
            "evaluation": ["Strong hire for senior individual contributor role"],
            "status": 3,
            "createdAt": "2024-01-20T14:30:00Z",
            "updatedAt": "2024-01-20T14:30:00Z",
        },
    }
    assert SCHEMAS.verdict(analysis, "analysis") == []
    broken = copy.deepcopy(analysis)
    broken["general"]["evaluation"] = [{"criterion": "fit", "score": 3}]
    [found] = SCHEMAS.verdict(broken, "analysis")
    assert (found.instance_path, found.keyword) == ("/general/evaluation/0", "type")
    strict = {v.instance_path for v in SCHEMAS.verdict(analysis, "analysis", strict=True)}
    assert strict == {"", "/general/createdAt", "/general/updatedAt"}  # specific; milliseconds


def test_the_strict_level_refuses_what_the_harness_never_sends() -> None:
    candidate = {
        "id": "1d1d1d1d-0000-4000-8000-000000000001",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada@example.com",
        "phoneNumber": None,
        "gdprExpiryDate": "2030-01-01",
        "jobIds": [],
        "status": "APPLIED",
        "metadata": {},
        "overallRating": None,
        "analysisCount": 0,
        "interviewCount": 0,
        "createdAt": "2026-01-15T09:30:00.000Z",
        "updatedAt": "2026-01-15T09:30:00.000Z",
    }
    assert SCHEMAS.verdict(candidate, "candidate", strict=True) == []
    uncounted = {k: v for k, v in candidate.items() if k != "interviewCount"}
    [missing] = SCHEMAS.verdict(uncounted, "candidate", strict=True)
    assert (missing.keyword, missing.level) == ("required", "strict")
    with_links = {**candidate, "links": {"interviews": "/candidates/x/interviews"}}
    assert SCHEMAS.verdict(with_links, "candidate") == []
    [found] = SCHEMAS.verdict(with_links, "candidate", strict=True)
    assert (found.instance_path, found.keyword, found.level) == ("/links", "not", "strict")


def _interview_with(attempt: dict[str, Any]) -> dict[str, Any]:
    example = read_json(VENDOR_FIXTURES / "responses" / "get-interview.json")
    body = copy.deepcopy(example["body"])
    body["callAttempts"] = [attempt]
    return body  # type: ignore[no-any-return]


def test_call_attempts_the_vendor_shows_pass_its_level_and_breakage_is_named() -> None:
    vendor = read_json(VENDOR_FIXTURES / "responses" / "get-interview.json")
    attempt = vendor["body"]["callAttempts"][0]
    assert SCHEMAS.verdict(_interview_with(attempt), "interview") == []
    # a recording URL, a reason code on a COMPLETED call: the vendor's, never the harness's
    strict = SCHEMAS.verdict(_interview_with(attempt), "interview", strict=True)
    assert {v.instance_path for v in strict} >= {"/callAttempts/0/recordingUrl"}
    assert all(v.level == "strict" for v in strict)
    for field, value in (("id", "attempt-1"), ("retryNumber", "2"), ("calledAt", "yesterday")):
        found = SCHEMAS.verdict(_interview_with({**attempt, field: value}), "interview")
        assert [v.instance_path for v in found] == [f"/callAttempts/0/{field}"], found
    without_status = {k: v for k, v in attempt.items() if k != "status"}
    found = SCHEMAS.verdict(_interview_with(without_status), "interview")
    assert [v.keyword for v in found] == ["required"]
