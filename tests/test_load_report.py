"""The load report's numbers: nearest-rank percentiles, counts, rates, its text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.errors import ConfigError
from harness.load.report import LoadStats, check_report_path, freeze, percentile, write_report


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, q) for q in (50, 90, 99, 100)] == [50.0, 90.0, 99.0, 100.0]
    assert percentile([7.0], 50) == 7.0
    assert percentile([1.0, 2.0, 3.0], 50) == 2.0
    assert percentile([], 99) is None


def stats() -> LoadStats:
    s = LoadStats(scheduled=10, sent=9)
    s.by_event.update({"ping": 4, "analysis.completed": 5})
    for ms in (5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0):
        s.answered(204, ms)
    s.answered(500, 9.0)
    s.errors["timeout"] += 1
    s.errors["backlog"] += 1
    s.lag_ms_max = 1.23456
    return s


def report():  # type: ignore[no-untyped-def]
    return freeze(
        stats(),
        url="http://127.0.0.1:1/hook",
        rate=10,
        duration_s=1,
        concurrency=8,
        window_s=1.0,
        elapsed_s=1.5,
    )


def test_a_frozen_report_counts_answers_statuses_and_errors() -> None:
    r = report()
    assert (r.scheduled, r.sent, r.ok, r.failed) == (10, 9, 7, 3)
    assert r.by_status == {"204": 7, "500": 1}
    assert r.errors == {"backlog": 1, "timeout": 1, "status": 1}
    assert list(r.by_event) == ["analysis.completed", "ping"]
    assert r.latency_ms == {"p50": 4.0, "p90": 9.0, "p99": 9.0, "max": 9.0}
    assert r.achieved_rate == 9.0 and r.elapsed_s == 1.5 and r.lag_ms_max == 1.235


def test_the_summary_names_every_number() -> None:
    text = report().summary()
    assert "scheduled 10  sent 9  ok 7  failed 3" in text
    assert "achieved 9.0/s" in text
    assert "p50 4.00  p90 9.00  p99 9.00  max 9.00" in text
    assert "status  204: 7, 500: 1" in text
    assert "errors  backlog: 1, timeout: 1, status: 1" in text


def test_an_empty_run_summarises_without_numbers() -> None:
    empty = freeze(
        LoadStats(), url="u", rate=1, duration_s=1, concurrency=1, window_s=0, elapsed_s=0
    )
    assert empty.latency_ms == {"p50": None, "p90": None, "p99": None, "max": None}
    assert "p50 -" in empty.summary() and "errors  none" in empty.summary()
    assert empty.achieved_rate == 0.0


def test_the_json_report_has_every_number(tmp_path: Path) -> None:
    path = tmp_path / "load.json"
    write_report(report(), path)
    doc = json.loads(path.read_text())
    assert doc["sent"] == 9 and doc["ok"] == 7 and doc["failed"] == 3
    assert doc["byStatus"] == {"204": 7, "500": 1}
    assert doc["errors"]["timeout"] == 1
    assert doc["latencyMs"]["p99"] == 9.0 and doc["achievedRate"] == 9.0
    assert set(doc) >= {"url", "rate", "durationS", "concurrency", "byEvent", "lagMsMax"}


def test_the_report_path_must_be_json_in_a_directory_that_exists(tmp_path: Path) -> None:
    check_report_path(None)
    check_report_path(tmp_path / "r.json")
    with pytest.raises(ConfigError, match=r"use a \.json file name"):
        check_report_path(tmp_path / "r.xml")
    with pytest.raises(ConfigError, match="no such directory"):
        check_report_path(tmp_path / "missing" / "r.json")
