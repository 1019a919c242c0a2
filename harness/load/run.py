"""``instaview-harness load``: deliveries at a fixed arrival rate (an open model).

Arrival ``i`` is due at ``start + i / rate`` on the event loop's clock, whatever the handler
does: the scheduler never waits for answers. When ``concurrency`` deliveries are already in
flight at an arrival's time, that arrival is dropped and counted as a ``backlog`` error, so an
overloaded handler shows as errors and never as a quietly slower rate. Latency runs from each
delivery's *scheduled* time to the end of its answer, so time lost in the generator counts
against it too (no coordinated omission). A progress line goes to stderr once a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

import aiohttp

from harness.delivery.answer import read_capped
from harness.errors import ConfigError
from harness.load.payloads import Delivery
from harness.load.report import LoadReport, LoadStats, freeze

MAX_RATE = 100_000.0
MAX_DURATION_S = 3600.0
#: The most deliveries one run schedules (``rate * duration``): every run is bounded.
MAX_DELIVERIES = 2_000_000
MAX_CONCURRENCY = 10_000
PROGRESS_EVERY_S = 1.0


@dataclass(frozen=True)
class LoadPlan:
    url: str
    rate: float
    duration_s: float
    concurrency: int = 256
    timeout_s: float = 10.0

    @property
    def total(self) -> int:
        return math.ceil(self.rate * self.duration_s - 1e-9)

    def check(self) -> None:
        """Raises :class:`ConfigError` naming the option out of range."""
        if not (0 < self.rate <= MAX_RATE):
            raise ConfigError(f"--rate must be more than 0 and at most {MAX_RATE:g} per second")
        if not (0 < self.duration_s <= MAX_DURATION_S):
            raise ConfigError(f"--duration must be more than 0 and at most {MAX_DURATION_S:g} s")
        if self.total > MAX_DELIVERIES:
            raise ConfigError(
                f"--rate x --duration is {self.total} deliveries; at most {MAX_DELIVERIES}"
            )
        if not (1 <= self.concurrency <= MAX_CONCURRENCY):
            raise ConfigError(f"--concurrency must be 1 to {MAX_CONCURRENCY}")
        if not (0 < self.timeout_s <= 300):
            raise ConfigError("--timeout must be more than 0 and at most 300 s")


def error_kind(exc: BaseException) -> str:
    """The report's name for why a delivery got no answer."""
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "connect"
    if isinstance(
        exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError | aiohttp.ClientPayloadError
    ):
        return "disconnected"
    return "other"


def progress_line(stats: LoadStats, elapsed_s: float, in_flight: int) -> str:
    rate = stats.sent / elapsed_s if elapsed_s > 0 else 0.0
    return (
        f"load {elapsed_s:6.1f} s  sent {stats.sent}  ok {stats.ok}  failed {stats.failed}  "
        f"in flight {in_flight}  {rate:.0f}/s"
    )


class _Run:
    def __init__(self, plan: LoadPlan, build: Callable[[], Delivery], stream: TextIO | None):
        self.plan = plan
        self.build = build
        self.stream = stream
        self.stats = LoadStats()
        self.in_flight = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.loop = asyncio.get_running_loop()

    async def send(self, session: aiohttp.ClientSession, delivery: Delivery, due: float) -> None:
        status: int | None = None
        try:
            async with session.post(
                self.plan.url, data=delivery.body, headers=delivery.headers, allow_redirects=False
            ) as response:
                await read_capped(response)
                status = response.status
        except (aiohttp.ClientError, OSError) as exc:  # TimeoutError is an OSError
            self.stats.errors[error_kind(exc)] += 1
        finally:
            self.in_flight -= 1
        if status is not None:
            self.stats.answered(status, (self.loop.time() - due) * 1000)

    def launch(self, session: aiohttp.ClientSession, due: float) -> None:
        self.stats.scheduled += 1
        if self.in_flight >= self.plan.concurrency:
            self.stats.errors["backlog"] += 1
            return
        delivery = self.build()
        self.stats.sent += 1
        self.stats.by_event[delivery.event] += 1
        self.in_flight += 1
        task = self.loop.create_task(self.send(session, delivery, due))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def report_progress(self, start: float, done: asyncio.Event) -> None:
        assert self.stream is not None
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), PROGRESS_EVERY_S)
            line = progress_line(self.stats, self.loop.time() - start, self.in_flight)
            self.stream.write(line + "\n")
            self.stream.flush()

    async def schedule(self, session: aiohttp.ClientSession, start: float) -> float:
        """Launches every arrival on time; returns the arrival window's length."""
        rate, total = self.plan.rate, self.plan.total
        issued = 0
        while issued < total:
            now = self.loop.time()
            due_now = min(total, math.floor((now - start) * rate) + 1)
            while issued < due_now:
                due = start + issued / rate
                self.stats.lag_ms_max = max(self.stats.lag_ms_max, (now - due) * 1000)
                self.launch(session, due)
                issued += 1
            if issued < total:
                await asyncio.sleep(max(0.0, start + issued / rate - self.loop.time()))
        return self.loop.time() - start + 1 / rate

    async def __call__(self) -> LoadReport:
        plan = self.plan
        connector = aiohttp.TCPConnector(limit=plan.concurrency, limit_per_host=plan.concurrency)
        timeout = aiohttp.ClientTimeout(total=plan.timeout_s)
        done = asyncio.Event()
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            start = self.loop.time()
            ticker = None
            if self.stream is not None:
                ticker = self.loop.create_task(self.report_progress(start, done))
            window = await self.schedule(session, start)
            if self.tasks:  # each ends within its timeout
                await asyncio.wait(set(self.tasks))
            elapsed = self.loop.time() - start
            done.set()
            if ticker is not None:
                await ticker
        return freeze(
            self.stats,
            url=plan.url,
            rate=plan.rate,
            duration_s=plan.duration_s,
            concurrency=plan.concurrency,
            window_s=window,
            elapsed_s=elapsed,
        )


async def run_load(
    plan: LoadPlan, build: Callable[[], Delivery], progress: TextIO | None = None
) -> LoadReport:
    """Runs ``plan``, each delivery from ``build()``; progress lines to ``progress`` if given."""
    plan.check()
    return await _Run(plan, build, progress)()
