"""The table ``make bench`` prints: req/s, server CPU per request, ratios and verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.measure import Figure
from benchmarks.rounds import ratio, spread

#: The figures issue 12 measured before the work it asks for (req/s), shown beside ours.
BEFORE = {
    "bare": 23_100,
    "wiremock": 5_800,
    "prism": 1_830,
    "api": 3_200,
    "serve": 1_160,
}


@dataclass(frozen=True)
class Target:
    """``row`` must reach ``least`` times ``baseline``'s req/s (None: shown, not judged)."""

    row: str
    baseline: str
    least: float | None


def verdict(figures: dict[str, Figure], target: Target) -> tuple[str, str, str]:
    """(ratio, wanted, PASS/FAIL/-) for one target; ``-`` when either figure is missing."""
    row, base = figures.get(target.row), figures.get(target.baseline)
    wanted = "-" if target.least is None else f">= {target.least:g}x"
    if row is None or base is None:
        hint = "make bench-peers" if target.baseline in ("prism", "wiremock") else "not run"
        return "-", wanted, f"- ({hint})"
    found = ratio(row, base)
    if found is None:  # the baseline answered nothing in a run: any rate is above it
        ok = row.rps > 0 and row.errors == 0
        return "inf", wanted, ("PASS" if ok else "FAIL") + f" ({target.baseline}: 0 req/s)"
    if target.least is None:
        return f"{found:.2f}x", wanted, "-"
    ok = found >= target.least and row.errors == 0
    return f"{found:.2f}x", wanted, "PASS" if ok else "FAIL"


def markdown(head: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1) -> list[str]:
    """A Markdown table, columns padded; every column from ``right`` on is right-aligned."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.ljust(w) if i < right else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * w if i < right else "-" * (w - 1) + ":" for i, w in enumerate(widths)]
    return [line(head), "| " + " | ".join(rule) + " |", *(line(r) for r in rows)]


def table(rows: Sequence[Figure], targets: Sequence[Target]) -> str:
    figures = {f.name: f for f in rows}
    bare = figures.get("bare")
    body = []
    for f in rows:
        to_bare = ratio(f, bare) if bare else None
        shown = "-" if to_bare is None else f"{to_bare:.2f}"
        before = f"{BEFORE[f.name]:,}" if f.name in BEFORE else "-"
        body.append([f.label, f"{f.rps:,.0f}", f"{f.cpu_us:,.0f}", shown, str(f.errors), before])
    head = ["target", "req/s", "CPU-us/req", "x bare", "errors", "issue's before"]
    lines = ["", *markdown(head, body)]
    judged = []
    for t in targets:
        row, base = figures.get(t.row), figures.get(t.baseline)
        rounds = spread(row, base) if row and base else "-"
        ratio_, wanted, outcome = verdict(figures, t)
        judged.append([f"{t.row} / {t.baseline}", ratio_, rounds, wanted, outcome])
    head = ["issue 12 target", "ratio", "rounds", "wanted", "verdict"]
    lines += ["", *markdown(head, judged)]
    notes = [f"  {f.name}: {note}" for f in rows for note in f.notes]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += [
        "",
        "req/s: wrk's count over its measured run (serve: creates whose two deliveries the",
        "receiver captured, over the run plus the drain after it; dispatcher: deliveries over",
        "the time from the first publish to the last answer). CPU-us/req: CPU time the server",
        "process used during the run per request (dispatcher: its own process). errors: non-2xx",
        "and socket errors, plus captures not valid and schema-clean; any error fails a target.",
        "Rows measured in rounds show their median req/s and CPU; a ratio is the median of",
        "the rounds' own ratios (each round runs every target once, back to back), and",
        "'rounds' is their range. The wanted ratios are issue 12's.",
    ]
    return "\n".join(lines)
