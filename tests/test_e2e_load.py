"""Issue 3's load proof: 2,000 isTest interviews from 50 concurrent clients → exactly 4,000
captures, none lost, none duplicated, every signature valid and every body schema-clean."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.e2e_support import harness
from tests.support import full_inline_body

INTERVIEWS = 2000
CLIENTS = 50


# About 35 s alone; a shared machine (CI beside other jobs) has taken it past the suite's 60 s.
@pytest.mark.timeout(240)
async def test_two_thousand_interviews_from_fifty_clients_give_four_thousand_captures() -> None:
    async with harness(retry_schedule=(0.05, 0.1, 0.2)) as h:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(INTERVIEWS):
            queue.put_nowait(n)
        created: list[str] = []

        async def client() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                body = full_inline_body(isTest=True, metadata={"n": n})
                created.append((await h.api("POST", "/interviews", body))["id"])

        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        await h.drain()
        captures = await h.events()

    assert len(created) == len(set(created)) == INTERVIEWS
    assert len(captures) == 2 * INTERVIEWS
    assert len({c["deliveryId"] for c in captures}) == 2 * INTERVIEWS, "a delivery came twice"
    per_interview = Counter((c["interviewId"], c["event"]) for c in captures)
    expected = {(i, e) for i in created for e in ("interview.completed", "analysis.completed")}
    assert set(per_interview) == expected
    assert set(per_interview.values()) == {1}
    assert Counter(c["signature"] for c in captures) == {"valid": 2 * INTERVIEWS}
    assert [c for c in captures if c["schemaErrors"] or c["flags"]] == []
    order: dict[str, list[str]] = {}
    for capture in captures:  # oldest first
        order.setdefault(capture["interviewId"], []).append(capture["event"])
    assert {tuple(v) for v in order.values()} == {("interview.completed", "analysis.completed")}
