"""A ``listen`` process flooded with signed deliveries and killed with SIGKILL mid-flood.

:func:`flood_and_kill` records every webhook-id the receiver answered 2xx; :func:`captured_ids`
reads back (from a restarted receiver) every webhook-id it kept. Both are bounded in count
and in time. ``python -m tests.crash_support [RUNS [TOTAL]]`` prints acknowledged vs found per
run (killed once half of TOTAL, default 3,000, are acknowledged).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import aiohttp

from harness.delivery.signing import sign
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

SECRET = "ab" * 32
START_TIMEOUT_S = 20.0
#: Every page of ``GET /events`` read back after the restart (``after`` is the cursor).
PAGE = 500


@dataclass(frozen=True)
class Flood:
    sent: int
    acknowledged: frozenset[str]
    #: Requests that got no 2xx (the kill cut them off, or they never went out).
    unanswered: int


@contextlib.asynccontextmanager
async def listening(db: Path) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """``instaview-harness listen`` on a free port and ``db``; killed on exit if still running."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "harness",
        "listen",
        "--port",
        "0",
        "--db",
        str(db),
        "--secret",
        SECRET,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT_S)).decode()
        while line.startswith("secret="):  # listen prints each secret before its ready line
            line = (await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT_S)).decode()
        if not line.startswith("ready receiver="):
            raise AssertionError(f"listen did not start: {line!r}")
        yield proc, line.strip().removeprefix("ready receiver=")
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


def _deliveries(count: int) -> list[tuple[str, bytes, dict[str, str]]]:
    template = read_json(WEBHOOK_FIXTURES / "interview.completed.json")
    stamp = int(time.time())
    out = []
    for _ in range(count):
        webhook_id = str(uuid4())
        body = json.dumps({**template, "deliveryId": webhook_id}).encode()
        headers = {"Content-Type": "application/json"}
        headers.update(sign("standard", SECRET, webhook_id, stamp, body))
        out.append((webhook_id, body, headers))
    return out


async def flood_and_kill(
    proc: asyncio.subprocess.Process,
    url: str,
    *,
    total: int = 3000,
    clients: int = 64,
    kill_after: int = 1500,
    deadline_s: float = 60.0,
) -> Flood:
    """``total`` signed deliveries from ``clients`` concurrent connections; SIGKILL once
    ``kill_after`` have been answered 2xx (or at the deadline). Returns what was acknowledged."""
    work = iter(_deliveries(total))
    acknowledged: set[str] = set()
    unanswered = 0
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=10)

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal unanswered
        for webhook_id, body, headers in work:
            try:
                async with session.post(f"{url}/hooks/flood", data=body, headers=headers) as r:
                    ok = 200 <= r.status < 300
            except (aiohttp.ClientError, OSError, TimeoutError):
                ok = False
            if not ok:
                unanswered += 1
                continue
            acknowledged.add(webhook_id)
            if len(acknowledged) >= kill_after and proc.returncode is None:
                proc.kill()

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = [asyncio.ensure_future(client(session)) for _ in range(clients)]
        _, pending = await asyncio.wait(tasks, timeout=deadline_s)
        if proc.returncode is None:
            proc.kill()
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    await proc.wait()
    return Flood(total, frozenset(acknowledged), unanswered)


async def captured_ids(url: str, *, limit: int = 100_000) -> set[str]:
    """Every ``deliveryId`` the receiver at ``url`` lists, paged with ``after``/``limit``."""
    found: set[str] = set()
    after = 0
    async with aiohttp.ClientSession() as session:
        while len(found) < limit:
            params = {"after": str(after), "limit": str(PAGE)}
            async with session.get(f"{url}/events", params=params) as response:
                assert response.status == 200, await response.text()
                items = (await response.json())["items"]
            if not items:
                return found
            found.update(item["deliveryId"] for item in items)
            after = items[-1]["id"]
    return found


async def crash_run(db: Path, **flood: int) -> tuple[Flood, set[str]]:
    """One flood-and-kill on ``db``, then a restart on it: (the flood, what the restart lists)."""
    async with listening(db) as (proc, url):
        result = await flood_and_kill(proc, url, **flood)
    async with listening(db) as (_, url):
        return result, await captured_ids(url)


async def _main(runs: int, total: int) -> None:
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="harness-crash-") as folder:
            db = Path(folder) / "captures.sqlite3"
            flood, found = await crash_run(db, total=total, kill_after=total // 2)
        lost = flood.acknowledged - found
        print(
            f"run {run}: sent {flood.sent}, acknowledged {len(flood.acknowledged)}, "
            f"found after restart {len(flood.acknowledged & found)} of them "
            f"({len(found)} stored in all), lost {len(lost)}",
            flush=True,
        )


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:3]]
    asyncio.run(_main(*numbers, *(3, 3000)[len(numbers) :]))
