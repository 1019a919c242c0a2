"""Capture throughput of the receiver while clients have abandoned long-polls and streams.

``python -m benchmarks.abandoned [COUNT]`` (default 3,000): starts the receiver (as ``listen``
runs it) in a child process on loopback, measures signed captures per second, then opens COUNT
``GET /events/wait`` long-polls that nothing will match, waits until the receiver has started
handling each (``Expect: 100-continue``: aiohttp answers ``100 Continue`` as it calls the
handler), closes every one of those connections, and measures again. A receiver that keeps
abandoned waits pending pays for each of them on every capture.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time

from benchmarks.load import LoadResult, run_load
from benchmarks.targets import BENCH_SECRET, harness_command, scratch, started
from harness.config import FIXTURES_DIR
from harness.delivery.signing import sign

WAIT = (
    b"GET /events/wait?channel=nobody-sends-here&timeout=600 HTTP/1.1\r\n"
    b"Host: 127.0.0.1\r\nExpect: 100-continue\r\n\r\n"
)
#: Connections opened at once (the listen backlog is 128 by default).
BATCH = 100


async def _started_wait(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(WAIT)
    await writer.drain()
    line = await reader.readuntil(b"\r\n\r\n")
    if not line.startswith(b"HTTP/1.1 100"):
        raise RuntimeError(f"the wait was answered at once: {line!r}")
    return reader, writer


async def abandon(url: str, count: int) -> int:
    """Opens ``count`` long-polls, each seen by the handler (those past a cap on open waits
    are answered 503 right after), then drops them all; returns how many could not be opened."""
    host, port = url.removeprefix("http://").split(":")
    opened: list[asyncio.StreamWriter] = []
    failed = 0
    for start in range(0, count, BATCH):
        batch = range(start, min(start + BATCH, count))
        results = await asyncio.gather(
            *(_started_wait(host, int(port)) for _ in batch), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                failed += 1
            else:
                opened.append(result[1])
    for writer in opened:
        writer.close()
    for writer in opened:
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return failed


def _capture() -> tuple[bytes, dict[str, str]]:
    fixture = json.loads((FIXTURES_DIR / "webhooks" / "analysis.completed.json").read_text())
    body = json.dumps(fixture, separators=(",", ":")).encode()
    headers = sign("standard", BENCH_SECRET, fixture["deliveryId"], int(time.time()), body)
    headers["Content-Type"] = "application/json"
    return body, headers


def _line(label: str, result: LoadResult) -> str:
    return f"  {label:40} {result.rps:8.0f} captures/s  ({result.errors} errors)"


#: Measurements after abandoning: the first also pays for tearing the connections down.
ROUNDS = 3


async def main(count: int) -> None:
    body, headers = _capture()
    with started(harness_command("receiver", scratch())) as server:
        hook = server.url + "/hooks/bench"
        idle = await run_load(hook, body, headers, expect=204, server_pid=server.pid)
        failed = await abandon(server.url, count)
        after = [
            await run_load(hook, body, headers, expect=204, server_pid=server.pid)
            for _ in range(ROUNDS)
        ]
    print(f"Receiver captures, 16 clients for 3 s, before and after {count} abandoned long-polls")
    print(_line("no long-polls", idle))
    for number, result in enumerate(after, 1):
        print(_line(f"{count} abandoned, round {number}", result))
    best = max(r.rps for r in after)
    print(f"  ratio (best round after / before): {best / idle.rps:.2f}")
    if failed:
        print(f"  ({failed} long-polls could not be opened)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000))
