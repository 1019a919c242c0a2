"""What a load run measured, as counts, latency percentiles and rates: the stdout summary and
the ``--report`` JSON file of ``instaview-harness load``."""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

#: Error kinds: ``backlog`` is an arrival dropped (never sent) because ``--concurrency``
#: deliveries were already in flight; ``status`` an answer that was not 2xx.
ERROR_KINDS = ("backlog", "connect", "timeout", "disconnected", "status", "other")
PERCENTILES = (50, 90, 99)


def percentile(ordered: Any, q: float) -> float | None:
    """Nearest-rank percentile ``q`` (0-100] of an ascending sequence; None when empty."""
    if not len(ordered):
        return None
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


@dataclass
class LoadStats:
    """Counters the run fills in as answers come; :meth:`report` freezes them."""

    scheduled: int = 0
    sent: int = 0
    ok: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    by_event: Counter[str] = field(default_factory=Counter)
    #: Milliseconds from each answered delivery's scheduled arrival to the end of its answer.
    latencies_ms: array[float] = field(default_factory=lambda: array("d"))
    lag_ms_max: float = 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def answered(self, status: int, latency_ms: float) -> None:
        self.by_status[status] += 1
        self.latencies_ms.append(latency_ms)
        if 200 <= status < 300:
            self.ok += 1
        else:
            self.errors["status"] += 1


@dataclass(frozen=True)
class LoadReport:
    url: str
    rate: float
    duration_s: float
    concurrency: int
    scheduled: int
    sent: int
    ok: int
    by_status: dict[str, int]
    errors: dict[str, int]
    by_event: dict[str, int]
    latency_ms: dict[str, float | None]
    #: Deliveries sent per second of the arrival window (first arrival to one interval past
    #: the last); ``elapsed_s`` also counts waiting for the last answers.
    achieved_rate: float
    elapsed_s: float
    #: How far behind its scheduled time the most late arrival was sent (the generator's
    #: own slowness; an open model never waits for answers, so this stays small unless the
    #: generator itself is the bottleneck).
    lag_ms_max: float

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def summary(self) -> str:
        lat = self.latency_ms
        fmt = {k: "-" if v is None else f"{v:.2f}" for k, v in lat.items()}
        statuses = ", ".join(f"{k}: {v}" for k, v in self.by_status.items()) or "none"
        errors = ", ".join(f"{k}: {v}" for k, v in self.errors.items()) or "none"
        return "\n".join(
            [
                f"load {self.url}: {self.rate:g}/s for {self.duration_s:g} s, "
                f"concurrency {self.concurrency}",
                f"  scheduled {self.scheduled}  sent {self.sent}  ok {self.ok}  "
                f"failed {self.failed}",
                f"  achieved {self.achieved_rate:.1f}/s  (elapsed {self.elapsed_s:.2f} s, "
                f"max lag {self.lag_ms_max:.1f} ms)",
                f"  latency ms  p50 {fmt['p50']}  p90 {fmt['p90']}  p99 {fmt['p99']}  "
                f"max {fmt['max']}",
                f"  status  {statuses}",
                f"  errors  {errors}",
            ]
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "rate": self.rate,
            "durationS": self.duration_s,
            "concurrency": self.concurrency,
            "scheduled": self.scheduled,
            "sent": self.sent,
            "ok": self.ok,
            "failed": self.failed,
            "byStatus": self.by_status,
            "errors": self.errors,
            "byEvent": self.by_event,
            "latencyMs": self.latency_ms,
            "achievedRate": self.achieved_rate,
            "elapsedS": self.elapsed_s,
            "lagMsMax": self.lag_ms_max,
        }


def freeze(
    stats: LoadStats,
    *,
    url: str,
    rate: float,
    duration_s: float,
    concurrency: int,
    window_s: float,
    elapsed_s: float,
) -> LoadReport:
    ordered = sorted(stats.latencies_ms)
    latency: dict[str, float | None] = {f"p{q}": percentile(ordered, q) for q in PERCENTILES}
    latency["max"] = ordered[-1] if ordered else None
    return LoadReport(
        url=url,
        rate=rate,
        duration_s=duration_s,
        concurrency=concurrency,
        scheduled=stats.scheduled,
        sent=stats.sent,
        ok=stats.ok,
        by_status={str(k): v for k, v in sorted(stats.by_status.items())},
        errors={k: stats.errors[k] for k in ERROR_KINDS if stats.errors[k]},
        by_event=dict(sorted(stats.by_event.items())),
        latency_ms=latency,
        achieved_rate=round(stats.sent / window_s, 1) if window_s > 0 else 0.0,
        elapsed_s=round(elapsed_s, 3),
        lag_ms_max=round(stats.lag_ms_max, 3),
    )


def check_report_path(path: Path | None) -> None:
    """``--report`` must name a ``.json`` file in a directory that exists."""
    if path is None:
        return
    if path.suffix != ".json":
        raise ConfigError(f"--report {path}: use a .json file name")
    if not path.parent.is_dir():
        raise ConfigError(f"--report {path}: no such directory {path.parent}")


def write_report(report: LoadReport, path: Path) -> None:
    path.write_text(json.dumps(report.as_json(), indent=2) + "\n")
