"""Starting and stopping the harness: the mock API and the receiver on their ports."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from harness.api.app import create_api_app
from harness.api.webhooks import enable_delivery, webhook_secrets
from harness.config import HarnessConfig
from harness.delivery.signing import SecretSource
from harness.receiver.app import create_receiver_app
from harness.receiver.mock import MockLink
from harness.serving import HarnessRunner
from harness.tuning import tune_gc


@dataclass(frozen=True)
class Running:
    api_url: str
    receiver_url: str
    api: web.Application
    receiver: web.Application


async def _start(
    app: web.Application, host: str, port: int, read_timeout_s: float
) -> tuple[web.AppRunner, str]:
    runner = HarnessRunner(
        app, header_timeout_s=read_timeout_s, access_log=None, handle_signals=False
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:  # e.g. the port is taken: close what setup opened (sessions, DB)
        await runner.cleanup()
        raise
    server = site._server
    assert server is not None
    sockets = getattr(server, "sockets", None) or []
    real_port = sockets[0].getsockname()[1] if sockets else port
    shown = f"[{host}]" if ":" in host else host
    return runner, f"http://{shown}:{real_port}"


@contextlib.asynccontextmanager
async def running(
    config: HarnessConfig, secrets: SecretSource | None = None
) -> AsyncIterator[Running]:
    """Both servers listening; cleaned up on exit.

    The receiver verifies captures with the secrets of the mock's webhooks that point at it
    (looked up per capture, so webhooks created later count), unless ``secrets`` is given."""
    api = create_api_app(config)
    link = MockLink()  # the mock starts second (it needs the receiver's URL): filled in below
    receiver = create_receiver_app(
        db_path=config.db_path,
        scheme=config.signing_scheme,
        secrets=secrets if secrets is not None else webhook_secrets(api),
        max_body_bytes=config.max_body_bytes,
        api_url=link,
        host=config.host,
        allow_hosts=config.allow_hosts,
        strict_schemas=config.strict_schemas,
        read_timeout_s=config.read_timeout_s,
        max_waits=config.max_waits,
        max_captures=config.max_captures() or 0,
    )
    receiver_runner, receiver_url = await _start(
        receiver, config.host, config.receiver_port, config.read_timeout_s
    )
    try:
        enable_delivery(api, receiver_url)
        api_runner, api_url = await _start(api, config.host, config.port, config.read_timeout_s)
        link.url = api_url
        try:
            yield Running(api_url, receiver_url, api, receiver)
        finally:
            await api_runner.cleanup()
    finally:
        await receiver_runner.cleanup()


async def serve_forever(config: HarnessConfig, banner: bool = False) -> None:
    """Print the ready line, run until SIGINT/SIGTERM, shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(config) as run:
        tune_gc()
        print(f"ready api={run.api_url} receiver={run.receiver_url}", flush=True)
        if banner:
            from harness.banner import demo_banner

            print(demo_banner(run), flush=True)
        await stop.wait()
