"""The table ``make bench`` prints: req/s, server CPU per request, ratios and verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.measure import Figure

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
    if base.rps <= 0:  # the baseline answered nothing in its run: any rate is above it
        ok = row.rps > 0 and row.errors == 0
        return "inf", wanted, ("PASS" if ok else "FAIL") + f" ({target.baseline}: 0 req/s)"
    ratio = row.rps / base.rps
    if target.least is None:
        return f"{ratio:.2f}x", wanted, "-"
    ok = ratio >= target.least and row.errors == 0
    return f"{ratio:.2f}x", wanted, "PASS" if ok else "FAIL"


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
        ratio = f"{f.rps / bare.rps:.2f}" if bare and bare.rps else "-"
        before = f"{BEFORE[f.name]:,}" if f.name in BEFORE else "-"
        body.append([f.label, f"{f.rps:,.0f}", f"{f.cpu_us:,.0f}", ratio, str(f.errors), before])
    head = ["target", "req/s", "CPU-us/req", "x bare", "errors", "issue's before"]
    lines = ["", *markdown(head, body)]
    judged = [[f"{t.row} / {t.baseline}", *verdict(figures, t)] for t in targets]
    lines += ["", *markdown(["issue 12 target", "ratio", "wanted", "verdict"], judged)]
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
        "Ratios are of req/s measured in this run; the wanted ratios are issue 12's.",
    ]
    return "\n".join(lines)
