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


def test_the_valid_fixtures_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    valid = sorted(str(p) for p in WEBHOOK_FIXTURES.glob("*.json"))
    assert main(["validate", *valid]) == 0
    assert capsys.readouterr().out == f"{len(valid)} payload(s) checked: all valid\n"


def test_every_invalid_fixture_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(WEBHOOK_FIXTURES / "invalid")]) == 1
    lines = capsys.readouterr().out.splitlines()
    n = len(INVALID)
    assert lines[-1] == f"{n} payload(s) checked: {n} invalid, {n} violation(s)"
    for path in INVALID:
        label = read_json(path)["violation"]
        line = next(x for x in lines if x.startswith(f"{path}: "))
        assert f": {label['instancePath'] or '/'}: " in line
        assert f"/{label['keyword']})" in line  # the schema path ends with the keyword


def test_wrappers_raw_payloads_and_arrays(tmp_path: Path) -> None:
    ping = read_json(WEBHOOK_FIXTURES / "ping.json")
    wrapped = read_json(INVALID[0])
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
    bad = json.dumps(read_json(INVALID[0])["payload"]).encode()
    with open_captures(db, read_only=False) as store:
        store.add(_capture(good))
        store.add(_capture(bad))
    assert main(["validate", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"{db}#capture-2: " in out and f"{db}#capture-1" not in out
    payloads = load_payloads([db])
    assert [p.raw for p in payloads] == [good, bad]
