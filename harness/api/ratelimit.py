"""Per-key rate limits by plan: headers always, 429 only when enforcement is switched on."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness.clock import Clock
from harness.domain.enums import DEFAULT_RATE_LIMITS, PLAN_RATE_LIMITS, Plan
from harness.errors import RateLimited


@dataclass
class _Window:
    size: int
    limit: int
    start: int = 0
    used: int = 0

    def roll(self, now: float) -> None:
        start = int(now // self.size) * self.size
        if start != self.start:
            self.start, self.used = start, 0

    @property
    def reset(self) -> int:
        return self.start + self.size


@dataclass
class _Counter:
    minute: _Window
    hour: _Window


@dataclass
class RateLimiter:
    clock: Clock
    enforce: bool = False
    counters: dict[str, _Counter] = field(default_factory=dict)

    def hit(self, key: str, plan: Plan | None) -> dict[str, str]:
        """Counts one request; returns the headers. Raises 429 when enforcing and over a limit.
        A company without a plan has the vendor's default limits (60/min, 2,000/h)."""
        per_minute, per_hour = DEFAULT_RATE_LIMITS if plan is None else PLAN_RATE_LIMITS[plan]
        counter = self.counters.get(key)
        if counter is None:
            counter = _Counter(_Window(60, per_minute), _Window(3600, per_hour))
            self.counters[key] = counter
        now = self.clock.now().timestamp()
        counter.minute.roll(now)
        counter.hour.roll(now)
        over = next(
            (w for w in (counter.minute, counter.hour) if w.used >= w.limit),
            None,
        )
        if over is None or not self.enforce:
            counter.minute.used += 1
            counter.hour.used += 1
        headers = {
            "X-RateLimit-Limit-Minute": str(per_minute),
            "X-RateLimit-Limit-Hour": str(per_hour),
            "X-RateLimit-Remaining-Minute": str(max(0, per_minute - counter.minute.used)),
            "X-RateLimit-Remaining-Hour": str(max(0, per_hour - counter.hour.used)),
            "X-RateLimit-Reset-Minute": str(counter.minute.reset),
            "X-RateLimit-Reset-Hour": str(counter.hour.reset),
        }
        if over is not None and self.enforce:
            retry_after = max(1, math.ceil(over.reset - now))
            exc = RateLimited(
                f"rate limit of {over.limit} requests per {over.size}s exceeded",
                {
                    "retryAfter": retry_after,
                    "limit": over.limit,
                    "remaining": 0,
                    "reset": over.reset,
                },
            )
            exc.headers = {**headers, "Retry-After": str(retry_after)}
            raise exc
        return headers

    def reset(self) -> None:
        self.counters.clear()
