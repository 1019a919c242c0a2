"""``instaview-harness listen``: the receiver alone, until SIGINT or SIGTERM.

Before its ready line it prints each signing secret it verifies with, as ``secret=<hex>
whsec=<whsec_…>``, so a handler can be configured before the first delivery (``stripe
listen`` prints its secret the same way). ``--secret auto`` is this capture database's stable
secret: made once (64 hex, as the vendor issues) and kept beside the database in
``<db>.secret`` (``.harness/listen.secret`` for ``:memory:``), the same on every later run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from aiohttp import web

from harness.config import HarnessConfig
from harness.delivery.signing import key_bytes, whsec
from harness.delivery.webhooks import new_secret
from harness.errors import ConfigError
from harness.receiver import forward
from harness.receiver.app import create_receiver_app
from harness.receiver.secrets import no_secrets, static_secrets
from harness.serving import HarnessRunner

#: The ``--secret`` value that stands for the capture database's stable secret.
AUTO = "auto"
MEMORY_SECRET_FILE = Path(".harness/listen.secret")


def secret_file(db_path: str) -> Path:
    """Where ``--secret auto`` keeps the stable secret of the database ``db_path``."""
    if db_path == ":memory:" or db_path.startswith("file:"):
        return MEMORY_SECRET_FILE
    return Path(db_path + ".secret")


def stable_secret(db_path: str) -> str:
    """The stable secret of ``db_path``: read from :func:`secret_file`, or made and written
    there (owner-only) the first time. A file that holds no valid secret is a ConfigError."""
    path = secret_file(db_path)
    if path.exists():
        text = path.read_text().strip()
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
            raise ConfigError(f"{path} does not hold a 64-hex secret; delete it to make a new one")
        return text
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = new_secret()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    return secret


def resolve_secrets(secrets: Sequence[str], db_path: str) -> list[str]:
    """``--secret`` values with ``auto`` replaced by the database's stable secret."""
    return [stable_secret(db_path) if s == AUTO else s for s in secrets]


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
    """Print each secret (``secret=… whsec=…``), then ``ready receiver=<url>``; run until
    SIGINT/SIGTERM, shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with listening(config, secrets, forward_to) as url:
        for secret in secrets:
            print(f"secret={secret} whsec={whsec(secret)}", flush=True)
        print(f"ready receiver={url}", flush=True)
        await stop.wait()
