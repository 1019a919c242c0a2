"""Rounds (``benchmarks.rounds``): a row is the median of its runs, and a ratio pairs the runs
of one round, so a machine that slows down between rounds does not move the ratio."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from benchmarks.measure import JIT_WARM_S, ROUND_WARM_S, WARM_S, Figure, quiet, warm_up
from benchmarks.report import Target, table, verdict
from benchmarks.rounds import combined, ratio, ratios, spread


def _run(name: str, rps: float, errors: int = 0, cpu: float = 100.0) -> Figure:
    return Figure(name, f"{name} label", rps, int(rps * 5), errors, cpu, [f"{name} note"])


def _rows(name: str, *rates: float) -> Figure:
    return combined([_run(name, rps) for rps in rates])


def test_a_row_is_the_median_of_its_runs_with_requests_and_errors_summed() -> None:
    row = combined([_run("api", 300, cpu=500), _run("api", 100, 2, 900), _run("api", 200, 1, 700)])
    assert (row.name, row.label) == ("api", "api label")
    assert row.rps == 200
    assert row.cpu_us == 700
    assert row.requests == 3000
    assert row.errors == 3
    assert row.rounds == [300, 100, 200]
    assert row.notes == ["api note", "req/s by round: 300, 100, 200"]


def test_runs_of_different_targets_or_none_do_not_make_a_row() -> None:
    with pytest.raises(ValueError, match="different targets"):
        combined([_run("api", 1), _run("bare", 1)])
    with pytest.raises(ValueError, match="at least one"):
        combined([])


def test_a_ratio_pairs_the_runs_of_each_round() -> None:
    # The machine halves its speed in round 2: both targets slow down, the ratio does not.
    api, bare = _rows("api", 250, 125, 250), _rows("bare", 1000, 500, 1000)
    assert ratios(api, bare) == [0.25, 0.25, 0.25]
    assert ratio(api, bare) == 0.25
    assert spread(api, bare) == "0.25-0.25"
    # The ratio of the medians would be 0.25 here too; not when the phases fall unevenly.
    api, bare = _rows("api", 300, 100, 110), _rows("bare", 1000, 400, 1000)
    assert ratios(api, bare) == [0.3, 0.25, 0.11]
    assert ratio(api, bare) == 0.25
    assert spread(api, bare) == "0.11-0.30"


def test_a_row_measured_once_is_compared_by_its_figure() -> None:
    serve = Figure("serve", "serve", 40, 200, 0, 1000)
    prism = _rows("prism", 4, 5, 6)
    assert ratios(serve, prism) == [8.0]
    assert spread(serve, prism) == "-"


def test_a_baseline_that_answered_nothing_in_a_round_gives_no_ratio() -> None:
    assert ratio(_rows("serve", 50, 50), _rows("prism", 5, 0)) is None
    rows = {"serve": _rows("serve", 50, 50), "prism": _rows("prism", 5, 0)}
    assert verdict(rows, Target("serve", "prism", 1.0))[0] == "inf"


def test_the_verdict_and_the_table_use_the_paired_ratio_and_show_its_range() -> None:
    rows = [_rows("bare", 1000, 400, 1000), _rows("api", 300, 100, 110)]
    target = Target("api", "bare", 0.25)
    assert verdict({r.name: r for r in rows}, target) == ("0.25x", ">= 0.25x", "PASS")
    text = table(rows, [target])
    assert "| api / bare      | 0.25x | 0.11-0.30 | >= 0.25x |    PASS |" in text
    api_line = next(line for line in text.splitlines() if line.startswith("| api label"))
    assert "|   0.25 |" in api_line  # x bare: paired too, not 110 / 1000


def test_a_row_of_several_rounds_notes_each_round_s_rate() -> None:
    assert "req/s by round: 1,200, 900, 1,000" in _rows("api", 1200, 900, 1000).notes
    assert not any("by round" in note for note in _rows("api", 1200).notes)


def test_quiet_waits_out_a_busy_neighbour_only_as_long_as_its_limit() -> None:
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = time.monotonic()
        assert quiet([busy.pid], limit_s=1.0) > 0.2
        assert time.monotonic() - started >= 1.0
        assert quiet([idle.pid], limit_s=5.0) < 0.02
        assert quiet([], limit_s=5.0) == 0
    finally:
        for proc in (busy, idle):
            proc.kill()
            proc.wait()


def test_only_a_target_s_first_round_warms_it_up_fully_and_a_jit_longer() -> None:
    assert (warm_up(0), warm_up(0, jit=True)) == (WARM_S, JIT_WARM_S)
    assert (warm_up(1), warm_up(2, jit=True)) == (ROUND_WARM_S, ROUND_WARM_S)
    assert ROUND_WARM_S < WARM_S < JIT_WARM_S
