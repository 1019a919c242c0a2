"""Servers to measure, each run alone in a child process: ``python -m benchmarks.targets NAME``.

Prints ``port=<n>`` once listening, then serves until killed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from harness.api.app import create_api_app
from harness.config import HarnessConfig
from harness.domain.events import DomainEvent
from harness.receiver.app import create_receiver_app
from harness.receiver.secrets import static_secrets
from harness.serving import HarnessRunner
from harness.tuning import tune_gc


class DiscardSink:
    """Events are built (that cost is measured) and dropped."""

    def publish(self, events: Sequence[DomainEvent]) -> None:
        del events


async def _bare(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=201, text='{"ok":true}', content_type="application/json")


def bare_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/interviews", _bare)
    return app


def mock_app() -> web.Application:
    return create_api_app(HarnessConfig(), sink=DiscardSink())


#: The secret the receiver benchmark signs with.
BENCH_SECRET = "5e" * 32


async def _no_content(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=204)


def bare_hooks_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/hooks/{channel}", _no_content)
    return app


def receiver_app() -> web.Application:
    """The receiver as ``listen`` runs it, with its SQLite file on disk."""
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-"))
    return create_receiver_app(
        db_path=folder / "captures.sqlite3", secrets=static_secrets(BENCH_SECRET)
    )


async def _serve(name: str) -> None:
    factories = {
        "bare": bare_app,
        "mock": mock_app,
        "bare-hooks": bare_hooks_app,
        "receiver": receiver_app,
    }
    app = factories[name]()
    tune_gc()  # both targets run as `serve` runs
    if name in ("mock", "receiver"):  # as serve and listen run them
        runner: web.AppRunner = HarnessRunner(app, header_timeout_s=10.0, access_log=None)
    else:
        runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    print(f"port={port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1]))
