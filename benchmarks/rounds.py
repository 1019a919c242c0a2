"""Rounds: each target measured several times, the targets taking turns, so that a ratio compares
figures taken moments apart.

A VM's speed drifts by up to 2x over minutes. Measured once each, one after the other, a target
and its baseline can land in different phases, and one run's ratio then says more about the
machine than about the code (docs/decisions.md, benchmarks). Within a round every target runs
once, back to back; a ratio is the median of the rounds' own ratios, and the spread of those
ratios is printed beside it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from benchmarks.measure import Figure


def combined(runs: Sequence[Figure]) -> Figure:
    """One row from a target's runs, one per round: median req/s and CPU per request, requests
    and errors summed, every run's rate kept in ``rounds`` (the ratios pair them)."""
    if not runs:
        raise ValueError("a row needs at least one run")
    first = runs[0]
    if any(run.name != first.name for run in runs):
        raise ValueError(f"runs of different targets: {sorted({run.name for run in runs})}")
    notes = [note for run in runs for note in run.notes]
    if len(runs) > 1:
        notes.append("req/s by round: " + ", ".join(f"{run.rps:,.0f}" for run in runs))
    return Figure(
        first.name,
        first.label,
        statistics.median(run.rps for run in runs),
        sum(run.requests for run in runs),
        sum(run.errors for run in runs),
        statistics.median(run.cpu_us for run in runs),
        list(dict.fromkeys(notes)),
        [run.rps for run in runs],
    )


def ratios(row: Figure, baseline: Figure) -> list[float]:
    """``row``'s rate over ``baseline``'s, round by round when both ran the same rounds;
    otherwise (a row measured once) the one ratio of their medians. Empty when the baseline
    answered nothing."""
    if row.rounds and len(row.rounds) == len(baseline.rounds):
        pairs = list(zip(row.rounds, baseline.rounds, strict=True))
    else:
        pairs = [(row.rps, baseline.rps)]
    if any(base <= 0 for _, base in pairs):
        return []
    return [mine / base for mine, base in pairs]


def ratio(row: Figure, baseline: Figure) -> float | None:
    """The median of :func:`ratios` (None when the baseline answered nothing)."""
    found = ratios(row, baseline)
    return statistics.median(found) if found else None


def spread(row: Figure, baseline: Figure) -> str:
    """``low-high`` of the rounds' ratios, ``-`` for a single one."""
    found = ratios(row, baseline)
    if len(found) < 2:
        return "-"
    return f"{min(found):.2f}-{max(found):.2f}"
