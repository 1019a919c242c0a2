"""``validate``: every violation with file, instance path, message and schema path; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.delivery.signing import Verdict
from harness.store.captures import Capture, open_captures
from harness.tools.corpus import WEBHOOK_FIXTURES, UnreadableInput, load_payloads, read_json
from harness.tools.validate import validate_paths

INVALID = sorted((WEBHOOK_FIXTURES / "invalid").glob("*.json"))
#: What the default (vendor) level finds: the strict-only labels are left out.
VENDOR_INVALID = [p for p in INVALID if read_json(p)["violation"]["level"] == "vendor"]


def test_the_valid_fixtures_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    valid = sorted(str(p) for p in WEBHOOK_FIXTURES.glob("*.json"))
    assert main(["validate", *valid]) == 0
    assert capsys.readouterr().out == f"{len(valid)} payload(s) checked: all valid\n"


@pytest.mark.parametrize("strict", [False, True], ids=["vendor", "strict"])
def test_every_invalid_fixture_is_reported_at_its_level(
    capsys: pytest.CaptureFixture[str], strict: bool
) -> None:
    assert main(["validate", str(WEBHOOK_FIXTURES / "invalid"), *(["--strict"] * strict)]) == 1
    lines = capsys.readouterr().out.splitlines()
    found = INVALID if strict else VENDOR_INVALID
    n, total = len(found), len(INVALID)
    assert 0 < len(VENDOR_INVALID) < total
    assert lines[-1] == f"{total} payload(s) checked: {n} invalid, {n} violation(s)"
    for path in INVALID:
        label = read_json(path)["violation"]
        line = next((x for x in lines if x.startswith(f"{path}: ")), None)
        if path not in found:
            assert line is None, line
            continue
        assert line is not None
        assert f": {label['instancePath'] or '/'}: " in line
        assert f"/{label['keyword']})" in line  # the schema path ends with the keyword
        assert line.endswith(" [strict]") is (label["level"] == "strict")


def test_vendor_documented_interview_event_is_valid_unless_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # docs.instaview.sk/guides/webhooks, Interview Events Payload: no agentId, isTest or
    # metadata, a timestamp the vendor may send without milliseconds
    documented = {
        "event": "interview.completed",
        "timestamp": "2024-01-20T14:30:00Z",
        "deliveryId": "550e8400-e29b-41d4-a716-446655440000",
        "data": {
            "interviewId": "6a0c7a5e-5d39-4b0e-9a51-8a6f2f1e7c11",
            "callAttemptId": "c9c9a6e8-fb4a-45f3-80fc-bf94f071cd2a",
            "candidateId": "987e6543-e21b-12d3-a456-426614174000",
            "jobId": "123e4567-e89b-12d3-a456-426614174000",
            "status": "COMPLETED",
            "addedByTheVendorLater": True,
        },
    }
    (tmp_path / "documented.json").write_text(json.dumps(documented))
    assert main(["validate", str(tmp_path / "documented.json")]) == 0
    no_id = json.loads(json.dumps(documented))
    del no_id["data"]["interviewId"]
    unknown = json.loads(json.dumps(documented))
    unknown["data"]["status"] = "PAUSED"
    (tmp_path / "no-id.json").write_text(json.dumps(no_id))
    (tmp_path / "unknown.json").write_text(json.dumps(unknown))
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "no-id.json"), str(tmp_path / "unknown.json")]) == 1
    out = capsys.readouterr().out
    assert "no-id.json: /data: 'interviewId' is a required property" in out
    assert "unknown.json: /data/status: 'PAUSED' is not one of" in out
    assert main(["validate", "--strict", str(tmp_path / "documented.json")]) == 1
    assert "[strict]" in capsys.readouterr().out  # not the harness's own shape


def test_wrappers_raw_payloads_and_arrays(tmp_path: Path) -> None:
    ping = read_json(WEBHOOK_FIXTURES / "ping.json")
    wrapped = read_json(VENDOR_INVALID[0])
    (tmp_path / "raw.json").write_text(json.dumps(ping))
    (tmp_path / "many.json").write_text(json.dumps([ping, wrapped, {"event": "ping"}]))
    payloads = load_payloads([tmp_path])
    assert [p.source for p in payloads] == [
        f"{tmp_path / 'many.json'}#0",
        f"{tmp_path / 'many.json'}#1",
        f"{tmp_path / 'many.json'}#2",
        str(tmp_path / "raw.json"),
    ]
    assert payloads[1].label == wrapped["violation"]
    assert payloads[1].body == wrapped["payload"]
    report = validate_paths([tmp_path])
    assert report.checked == 4
    assert report.invalid_sources == [f"{tmp_path / 'many.json'}#1", f"{tmp_path / 'many.json'}#2"]
    missing = [f.violation for f in report.findings if f.source.endswith("#2")]
    assert {(v.instance_path, v.keyword) for v in missing} == {("", "required")}
    assert len(missing) == 3  # timestamp, deliveryId, data


@pytest.mark.parametrize("content", [None, b"{not json", b"\xff\xfe"])
def test_unreadable_input_exits_2(
    tmp_path: Path, content: bytes | None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "payload.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    assert str(path) in capsys.readouterr().err


def test_directories_are_walked_and_missing_paths_refused(tmp_path: Path) -> None:
    directory = tmp_path / "dir.json"
    directory.mkdir()
    (directory / "x.json").write_text("[]")
    assert validate_paths([directory]).checked == 0
    with pytest.raises(UnreadableInput):
        load_payloads([tmp_path / "nope"])


def test_a_file_that_is_not_a_capture_database_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "captures.sqlite3"
    db.write_bytes(b"this is not an SQLite database, just some bytes" * 4)
    assert main(["validate", str(db)]) == 2
    assert "not a capture database" in capsys.readouterr().err


def _capture(body: bytes) -> Capture:
    return Capture("acme", "2026-01-15T09:30:00.000Z", {}, body, len(body), Verdict.UNCHECKED, "")


def test_a_capture_database_is_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "captures.sqlite3"
    good = (WEBHOOK_FIXTURES / "ping.json").read_bytes()
    bad = json.dumps(read_json(VENDOR_INVALID[0])["payload"]).encode()
    with open_captures(db, read_only=False) as store:
        store.add(_capture(good))
        store.add(_capture(bad))
    assert main(["validate", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"{db}#capture-2: " in out and f"{db}#capture-1" not in out
    payloads = load_payloads([db])
    assert [p.raw for p in payloads] == [good, bad]


def test_a_report_shows_its_count_and_findings() -> None:
    report = validate_paths([VENDOR_INVALID[0]])
    assert report.checked == 1 and not report.ok
    shown = repr(report)
    assert shown.startswith("ValidationReport(checked=1, findings=[Finding(")
    assert str(VENDOR_INVALID[0]) in shown
