"""``instaview-harness listen``: the receiver alone, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from harness.config import HarnessConfig
from harness.delivery.signing import key_bytes
from harness.errors import ConfigError
from harness.receiver import forward
from harness.receiver.app import create_receiver_app
from harness.receiver.secrets import no_secrets, static_secrets
from harness.serving import HarnessRunner


def check_secrets(secrets: Sequence[str]) -> list[str]:
    """The secrets, each checked to be 64 hex characters or a ``whsec_`` secret."""
    for secret in secrets:
        try:
            key_bytes(secret)
        except ValueError as exc:
            raise ConfigError(f"--secret must be hex (or whsec_…), got {secret!r}: {exc}") from exc
    return list(secrets)


def _url(runner: web.AppRunner, host: str) -> str:
    address = runner.addresses[0]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{address[1]}"


@contextlib.asynccontextmanager
async def listening(
    config: HarnessConfig, secrets: Sequence[str] = (), forward_to: str | None = None
) -> AsyncIterator[str]:
    """The receiver on ``config.host:config.receiver_port``; yields its URL. With
    ``forward_to`` every capture is also sent to that handler (:mod:`harness.receiver.forward`)."""
    app = create_receiver_app(
        db_path=config.db_path,
        scheme=config.signing_scheme,
        secrets=static_secrets(*check_secrets(secrets)) if secrets else no_secrets,
        max_body_bytes=config.max_body_bytes,
        host=config.host,
        allow_hosts=config.allow_hosts,
        strict_schemas=config.strict_schemas,
        read_timeout_s=config.read_timeout_s,
        max_waits=config.max_waits,
        max_captures=config.max_captures() or 0,
    )
    if forward_to is not None:
        forward.install(app, forward_to)
    runner = HarnessRunner(
        app, header_timeout_s=config.read_timeout_s, access_log=None, handle_signals=False
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.receiver_port).start()
        yield _url(runner, config.host)
    finally:
        await runner.cleanup()


async def listen_forever(
    config: HarnessConfig, secrets: Sequence[str] = (), forward_to: str | None = None
) -> None:
    """Print ``ready receiver=<url>``, run until SIGINT/SIGTERM, shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with listening(config, secrets, forward_to) as url:
        print(f"ready receiver={url}", flush=True)
        await stop.wait()
