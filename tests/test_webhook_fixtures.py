"""``fixtures/webhooks/``: made by the real builders, schema-clean, and every label true."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.domain.enums import EMITTED_EVENTS
from harness.schemas import default_schemas
from harness.tools import make_fixtures
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

VALID = sorted(WEBHOOK_FIXTURES.glob("*.json"))
INVALID = sorted((WEBHOOK_FIXTURES / "invalid").glob("*.json"))


def _ids(path: Path) -> str:
    return path.stem


def test_committed_files_are_what_the_builders_make() -> None:
    rendered = make_fixtures.render_all()
    on_disk = {p.relative_to(WEBHOOK_FIXTURES).as_posix() for p in WEBHOOK_FIXTURES.rglob("*.json")}
    assert on_disk == set(rendered), "run: python -m harness.tools.make_fixtures"
    for relative, text in rendered.items():
        assert (WEBHOOK_FIXTURES / relative).read_text() == text, relative


def test_make_fixtures_check_mode(tmp_path: Path) -> None:
    assert make_fixtures.main(["--out", str(tmp_path), "--check"]) == 1
    assert make_fixtures.main(["--out", str(tmp_path)]) == 0
    assert make_fixtures.main(["--out", str(tmp_path), "--check"]) == 0


def test_every_event_type_has_a_canonical_fixture() -> None:
    for event in EMITTED_EVENTS:
        doc = read_json(WEBHOOK_FIXTURES / f"{event.value}.json")
        assert doc["event"] == event.value


def _all() -> dict[str, Any]:
    return {p.stem: read_json(p) for p in VALID}


def test_variants_cover_test_live_phone_and_specific() -> None:
    docs = _all()
    data = {name: doc["data"] for name, doc in docs.items()}
    assert data["interview.completed--test"]["isTest"] is True
    assert data["interview.completed--test"]["metadata"]["isTest"] is True
    assert data["interview.completed"]["isTest"] is False
    assert data["interview.completed"]["callAttemptId"] is None
    for name in ("interview.started--phone-live", "interview.completed--phone-live"):
        assert data[name]["callAttemptId"], name
    assert data["interview.failed--phone-live"]["callAttemptId"]
    assert data["interview.failed"]["error"]["code"]
    assert data["analysis.completed"]["analysis"]["specific"] is None
    specific = data["analysis.completed--language-test"]["analysis"]["specific"]
    assert set(specific["pronunciationScores"]) >= {"accuracy", "fluency"}
    assert data["analysis.failed"]["error"]["code"] == "ANALYSIS_FAILED"
    assert data["ping"]["webhookId"]
    assert len({doc["deliveryId"] for doc in docs.values()}) == len(docs)


@pytest.mark.parametrize("path", VALID, ids=_ids)
def test_valid_fixture_is_clean_at_both_levels(path: Path) -> None:
    for strict in (False, True):
        violations = default_schemas().verdict(read_json(path), "events/event", strict=strict)
        assert violations == [], [str(v) for v in violations]


@pytest.mark.parametrize("path", INVALID, ids=_ids)
def test_invalid_fixture_has_exactly_its_labelled_violation_at_its_level(path: Path) -> None:
    doc = read_json(path)
    label = doc["violation"]
    schemas = default_schemas()
    strict = schemas.verdict(doc["payload"], "events/event", strict=True)
    found = [(v.instance_path, v.keyword, v.level) for v in strict]
    assert found == [(label["instancePath"], label["keyword"], label["level"])], [
        str(v) for v in strict
    ]
    vendor = schemas.verdict(doc["payload"], "events/event")
    assert (vendor == []) is (label["level"] == "strict"), [str(v) for v in vendor]
