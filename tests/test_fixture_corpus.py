"""Every request body in ``fixtures/requests/`` gets the answer its file says it gets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.tools.corpus import REQUEST_FIXTURES, RequestCase, expand_placeholders
from harness.tools.corpus import load_request_cases as load
from tests.support import ACME_KEY, ACME_READONLY_KEY, GLOBEX_KEY, Api

KEYS = {"acme": ACME_KEY, "globex": GLOBEX_KEY, "readonly": ACME_READONLY_KEY}
CASES = load()


def test_the_corpus_covers_both_kinds() -> None:
    kinds = {case.path.parent.name for case in CASES}
    assert kinds == {"valid", "invalid"}
    assert len(CASES) >= 50
    for case in CASES:
        assert case.key in KEYS, case.path
        valid = case.path.parent.name == "valid"
        assert (case.expect["status"] == 201) is valid, case.path


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.path.parent.name}/{c.path.stem}")
async def test_request_fixture_gets_its_expected_answer(api: Api, case: RequestCase) -> None:
    body = expand_placeholders(case.body, datetime.now(UTC))
    reply = await api.post("/interviews", body, key=KEYS[case.key])
    expect = case.expect
    assert reply.status == expect["status"], (case.description, reply.body)
    if reply.status == 201:
        assert reply.data["id"]
        return
    assert reply.error["code"] == expect["code"], reply.body
    if "field" in expect:
        assert expect["field"] in reply.fields, reply.body


VALID = [case for case in CASES if case.path.parent.name == "valid"]


@pytest.mark.parametrize("order", ["sorted", "reversed"])
async def test_every_valid_body_succeeds_posted_in_sequence_on_one_world_twice(
    api: Api, order: str
) -> None:
    """No valid fixture depends on another having run or not (issue 11: 10 of 21 failed)."""
    cases = VALID if order == "sorted" else VALID[::-1]
    failed = []
    for case in cases * 2:
        body = expand_placeholders(case.body, datetime.now(UTC))
        reply = await api.post("/interviews", body, key=KEYS[case.key])
        if reply.status != 201:
            failed.append((case.path.name, reply.body))
    assert failed == []


def test_placeholders_expand_to_instants() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    doc = {"a": ["{{now}}", "{{now+1d}}", "{{now-90s}}", "{{now+2h}}", "{{now+5m}}", "x{{now}}"]}
    assert expand_placeholders(doc, now) == {
        "a": [
            "2026-01-01T00:00:00.000Z",
            "2026-01-02T00:00:00.000Z",
            "2025-12-31T23:58:30.000Z",
            "2026-01-01T02:00:00.000Z",
            "2026-01-01T00:05:00.000Z",
            "x{{now}}",
        ]
    }


def test_request_fixtures_live_in_the_repository() -> None:
    assert REQUEST_FIXTURES.is_dir()
