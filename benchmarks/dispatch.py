"""The dispatcher alone, delivering to an external sink: ``python -m benchmarks.dispatch URL N``.

Builds the harness's :class:`~harness.delivery.dispatcher.Dispatcher` as ``serve`` does, with
one webhook (every event) to ``URL``, publishes ``N`` ``analysis.completed`` events of ``N``
different interviews at once (one lane each, as ``N`` interviews completing together) and
prints one JSON line: how many were delivered (2xx), how many failed, the seconds from the
first publish until the last delivery finished, and the CPU seconds this process used.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from uuid import UUID, uuid4

from harness.clock import RealClock
from harness.config import FIXTURES_DIR, HarnessConfig
from harness.delivery.dispatcher import Dispatcher
from harness.delivery.webhooks import WebhookRegistry
from harness.domain.enums import EventType
from harness.domain.events import DomainEvent
from harness.tuning import tune_gc

#: The longest a run may take before it is abandoned (the count bounds it too).
TIME_LIMIT_S = 120.0


def fixture_data() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (FIXTURES_DIR / "webhooks" / "analysis.completed.json").read_text()
    )["data"]
    return data


async def deliver(url: str, count: int) -> dict[str, float | int]:
    clock = RealClock()
    registry = WebhookRegistry()
    company = UUID(int=1)
    registry.create(company, url, [EventType("analysis.completed")], clock.now())
    dispatcher = Dispatcher(HarnessConfig(), clock, registry)
    await dispatcher.start()
    data = fixture_data()
    events = [
        DomainEvent(EventType("analysis.completed"), company, data, uuid4()) for _ in range(count)
    ]
    tune_gc()
    cpu = time.process_time()
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIME_LIMIT_S):
            dispatcher.publish(events)
            await dispatcher.drain()
    finally:
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        await dispatcher.close(grace_s=0)
    outcomes = Counter(a.outcome for a in dispatcher.log.find())
    return {
        "delivered": outcomes.get("delivered", 0),
        "failed": sum(n for outcome, n in outcomes.items() if outcome != "delivered"),
        "seconds": seconds,
        "cpu_s": cpu,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(deliver(sys.argv[1], int(sys.argv[2])))), flush=True)
