"""The servers measured, each started in a child process pinned to the server CPU.

``python -m benchmarks.targets bare|sink`` runs one of the bare baselines (prints
``port=<n>`` once listening, then serves until killed); the harness itself runs exactly as
users run it: ``instaview-harness serve`` or ``listen`` (:func:`harness_command`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from aiohttp import web

from benchmarks.wrk import SERVER_CPU, pinned
from harness.config import DEFAULT_WORLD

#: The secret the receiver-alone benchmark signs with (``listen --secret``).
BENCH_SECRET = "5e" * 32


async def _created(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=201, text='{"ok":true}', content_type="application/json")


async def _no_content(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=204)


def bare_app() -> web.Application:
    """A fixed 201 for ``POST /interviews``: the ceiling for the API."""
    app = web.Application()
    app.router.add_post("/interviews", _created)
    return app


def sink_app() -> web.Application:
    """A bare 204 for ``POST /hooks/{channel}``: the ceiling for the receiver, and the external
    webhook target the dispatcher delivers to."""
    app = web.Application()
    app.router.add_post("/hooks/{channel}", _no_content)
    return app


async def _serve(name: str) -> None:
    app = {"bare": bare_app, "sink": sink_app}[name]()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    print(f"port={port}", flush=True)
    await asyncio.Event().wait()


@dataclass(frozen=True)
class Running:
    """A started target: its URLs by name (``url``; ``api``/``receiver`` for the harness)."""

    urls: dict[str, str]
    pid: int

    @property
    def url(self) -> str:
        return self.urls.get("url") or self.urls.get("api") or self.urls["receiver"]


def ready_fields(line: str) -> dict[str, str]:
    """The URLs in a target's first line: ``port=N`` or the harness's ``ready a=URL b=URL``."""
    words = line.split()
    if words and words[0].startswith("port="):
        return {"url": f"http://127.0.0.1:{words[0].removeprefix('port=')}"}
    if not words or words[0] != "ready":
        raise RuntimeError(f"the target did not start: {line!r}")
    return dict(word.split("=", 1) for word in words[1:])


#: How long a target may take to print its ready line (WireMock's JVM is the slowest).
START_LIMIT_S = 90.0


@contextlib.contextmanager
def started(
    command: Sequence[str], cpu: int = SERVER_CPU, ready: re.Pattern[str] | None = None
) -> Iterator[Running]:
    """Runs ``command`` pinned to ``cpu`` until the block ends; yields its URLs and pid.

    Without ``ready``, its first line starting ``ready `` or ``port=`` is the ready line
    (:func:`ready_fields`); with it, the first line it matches gives the URL (group 1: a URL,
    or a port on loopback). The rest of its output is read and dropped by a thread, so a
    chatty target never blocks on a full pipe.
    """
    proc = subprocess.Popen(
        [*pinned(cpu), *command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    found: queue.Queue[dict[str, str] | BaseException] = queue.Queue()
    assert proc.stdout is not None
    thread = threading.Thread(target=_read, args=(proc.stdout, ready, found), daemon=True)
    thread.start()
    try:
        try:
            fields = found.get(timeout=START_LIMIT_S)
        except queue.Empty:
            raise RuntimeError(
                f"{command[0]} printed no ready line in {START_LIMIT_S:g} s"
            ) from None
        if isinstance(fields, BaseException):
            raise RuntimeError(f"{' '.join(command)} did not start") from fields
        yield Running(fields, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        thread.join(timeout=15)
        proc.stdout.close()


def _read(
    stream: IO[str],
    ready: re.Pattern[str] | None,
    found: queue.Queue[dict[str, str] | BaseException],
) -> None:
    seen: list[str] = []
    told = False
    for line in stream:
        if told:
            continue
        seen.append(line)
        if ready is None:
            if not line.startswith(("ready ", "port=")):
                continue
            found.put(ready_fields(line))
        elif (match := ready.search(line)) is not None:
            value = match.group(1)
            found.put({"url": value if "://" in value else f"http://127.0.0.1:{value}"})
        else:
            continue
        told = True
    if not told:
        found.put(RuntimeError("it exited before its ready line: " + "".join(seen[-20:])))


def bare_command(name: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.targets", name]


def world_without_webhooks(folder: Path) -> Path:
    """The default world with every company's webhooks deleted: creates publish no delivery."""
    world = json.loads(DEFAULT_WORLD.read_text())
    for company in world["companies"]:
        company["webhooks"] = []
    path = folder / "world-no-webhooks.json"
    path.write_text(json.dumps(world))
    return path


def harness_command(kind: str, folder: Path) -> list[str]:
    """``serve`` (``serve``), ``serve`` on a world without webhooks (``api``) or ``listen``
    (``receiver``), each with its capture database on disk in ``folder``."""
    db = ["--db", str(folder / f"{kind}.sqlite3")]
    base = [sys.executable, "-m", "harness"]
    if kind == "receiver":
        return [*base, "listen", "--port", "0", "--secret", BENCH_SECRET, *db]
    command = [*base, "serve", "--port", "0", "--receiver-port", "0", *db]
    if kind == "api":
        command += ["--world", str(world_without_webhooks(folder))]
    return command


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="harness-bench-"))


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1]))
