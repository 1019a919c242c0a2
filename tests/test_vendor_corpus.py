"""fixtures/vendor/: every JSON example docs.instaview.sk shows, each checked.

A request gets the answer its file says: accepted, or refused as a line of docs/decisions.md
says (the test pins that refusal). A response, error or event passes the vendor level of the
schema it names and ``instaview-harness validate``. A pending example (none today) is one
whose endpoint the harness does not serve.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.schemas import default_schemas
from harness.tools.corpus import (
    VENDOR_FIXTURES,
    VendorExample,
    expand_placeholders,
    load_vendor_examples,
    pointed,
    read_json,
)
from tests.support import (
    ACME_AGENT_PHONE,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_KEY,
    ACME_READONLY_KEY,
    GLOBEX_KEY,
    Api,
)

EXAMPLES = load_vendor_examples()
REQUESTS = [e for e in EXAMPLES if e.kind == "request"]
CHECKED = [e for e in EXAMPLES if e.kind != "request" and e.schema is not None]
KEYS = {"acme": ACME_KEY, "globex": GLOBEX_KEY, "readonly": ACME_READONLY_KEY}
DECISIONS = (Path(__file__).parent.parent / "docs" / "decisions.md").read_text()
KNOWN_KEYS = {
    *("source", "kind", "schema", "at", "envelope", "route", "params", "key", "config", "base"),
    *("expect", "placeholders", "truncated", "note", "pending", "body"),
}
#: The corpus holds an example of every resource, the errors, rate limits and the events.
TOPICS = ("interviews", "candidates", "jobs", "agents", "webhooks", "billing", "error", "rate")


def _id(example: VendorExample) -> str:
    return example.path.relative_to(VENDOR_FIXTURES).with_suffix("").as_posix()


def test_the_corpus_covers_every_kind_and_topic() -> None:
    kinds = {e.kind for e in EXAMPLES}
    assert kinds == {"request", "response", "event", "error"}
    assert len(EXAMPLES) >= 60
    urls = " ".join(e.url for e in EXAMPLES)
    assert all(topic in urls for topic in TOPICS), urls
    assert {e.path.parent.name for e in EXAMPLES} == {"requests", "responses", "events", "errors"}
    for example in EXAMPLES:
        assert example.path.parent.name == f"{example.kind}s", example.path


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_each_example_names_its_page_and_what_was_replaced(example: VendorExample) -> None:
    assert set(read_json(example.path)) <= KNOWN_KEYS, example.path
    assert example.url.startswith("https://docs.instaview.sk/"), example.url
    assert example.section
    for placeholder in example.placeholders:
        assert set(placeholder) == {"at", "was", "why"}, placeholder
        assert placeholder["why"], placeholder
        if placeholder["at"].startswith("/"):  # else it names a route parameter
            pointed(example.body, placeholder["at"])  # raises unless it is in the body
        else:
            assert placeholder["at"].startswith("route {"), placeholder
    if example.kind == "request":
        assert example.route and example.expect.get("status"), example.path
        assert example.schema is None
    else:
        assert example.route is None and not example.expect
        assert (example.schema is None) is (example.pending is not None), example.path
    if example.pending is not None:
        assert "issue 9 item 4" in example.pending, example.pending


@pytest.mark.parametrize("example", CHECKED, ids=_id)
def test_each_documented_answer_and_event_passes_the_vendor_level(example: VendorExample) -> None:
    assert example.schema is not None
    schemas = default_schemas()
    found = schemas.verdict(example.checked, example.schema)
    assert found == [], [str(v) for v in found]
    if example.envelope:
        assert schemas.verdict(example.body, "envelope") == []


def test_validate_passes_the_whole_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VENDOR_FIXTURES)]) == 0
    checked = len(CHECKED) + sum(e.envelope for e in CHECKED)
    assert capsys.readouterr().out == f"{checked} payload(s) checked: all valid\n"


async def _resolved(api: Api, value: Any) -> Any:
    """The body with its world placeholders filled in: ``{{webhook:new}}``, ``{{job:new}}`` and
    ``{{interview:phone}}`` (a webhook, a job or a phone interview made for the request),
    ``{{now+…}}`` instants."""
    if isinstance(value, dict):
        return {k: await _resolved(api, v) for k, v in value.items()}
    if isinstance(value, list):
        return [await _resolved(api, v) for v in value]
    if value == "{{webhook:new}}":
        hook = {"url": "http://127.0.0.1:9/hooks/vendor", "events": ["ping"]}
        return (await api.post("/webhooks", hook)).data["id"]
    if value == "{{job:new}}":
        job = {"title": "Platform Engineer", "description": "Runs the platform.", "status": "OPEN"}
        return (await api.post("/jobs", job)).data["id"]
    if value == "{{interview:phone}}":
        when = expand_placeholders("{{now+1h}}", datetime.now(UTC))
        phone = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_PHONE, "jobId": ACME_JOB}
        return (await api.post("/interviews", {**phone, "scheduleTime": when})).data["id"]
    return expand_placeholders(value, datetime.now(UTC))


@pytest.mark.parametrize("example", REQUESTS, ids=_id)
async def test_each_documented_request_gets_its_answer(
    make_api: Any, example: VendorExample
) -> None:
    api = await make_api(**example.config)
    body = await _resolved(api, example.body)
    if example.base is not None:  # a field example, sent inside a request of the world
        body = {**copy.deepcopy(example.base), example.at.strip("/"): body}
    assert example.route is not None
    method, path = example.route.split(" ", 1)
    for name, value in example.params.items():
        path = path.replace(f"{{{name}}}", await _resolved(api, value))
    reply = await api.call(method, path, body, key=KEYS[example.key])
    expect = example.expect
    assert reply.status == expect["status"], reply.body
    if reply.status < 300:
        assert "decision" not in expect
        return
    assert reply.error["code"] == expect["code"], reply.body
    if "fields" in expect:
        assert sorted(reply.fields) == sorted(expect["fields"]), reply.body
    assert f"**{expect['decision']}**" in DECISIONS, expect["decision"]


def test_validate_refuses_a_vendor_example_of_an_unknown_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = {"source": {"url": "https://docs.instaview.sk/x", "section": "x"}, "kind": "note"}
    (tmp_path / "odd.json").write_text(json.dumps({**odd, "body": {}}))
    assert main(["validate", str(tmp_path / "odd.json")]) == 2
    assert "kind must be one of request, response, event, error" in capsys.readouterr().err
