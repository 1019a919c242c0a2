"""``listen --forward-to URL``: every captured delivery also goes to the user's own handler.

The receiver captures as always, then POSTs the same body bytes with the same headers (minus
hop-by-hop ones and ``Host``) to ``URL`` (``{channel}`` in it is replaced by the channel), and
answers the sender with the handler's status, so the mock's retries follow the handler's
answers. A connection error answers 502, a timeout 504. The handler's answer (status, latency,
error, the first 2 KiB of its body and ``truncated`` if there was more, never read whole) is
recorded on the capture as ``forwarded``. A channel with a receiver script is answered by the
script and not forwarded.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from harness.delivery.answer import read_capped
from harness.errors import ConfigError

#: Never forwarded: they describe one hop, not the delivery.
HOP_BY_HOP = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)
#: How much of the handler's answer body is kept with the capture.
BODY_KEPT = 2048
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ForwardAnswer:
    url: str
    status: int | None
    latency_ms: float
    error: str | None
    body: str
    #: The handler's answer was longer than the :data:`BODY_KEPT` bytes read of it.
    truncated: bool = False

    @property
    def answer_status(self) -> int:
        """What the receiver answers the sender: the handler's status, else 502 or 504."""
        if self.status is not None:
            return self.status
        return 504 if self.error and self.error.startswith("timed out") else 502

    def wire(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "latencyMs": self.latency_ms,
            "error": self.error,
            "body": self.body,
            "truncated": self.truncated,
        }


def check_forward_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--forward-to {url!r} must be an absolute http:// or https:// URL")
    return url


class Forwarder:
    """Owns the HTTP session (opened and closed with the receiver app)."""

    def __init__(self, url: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.url = check_forward_url(url)
        self.timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        self._session = aiohttp.ClientSession(auto_decompress=False)
        try:
            yield
        finally:
            await self._session.close()
            self._session = None

    async def forward(self, channel: str, headers: Mapping[str, str], body: bytes) -> ForwardAnswer:
        if self._session is None:
            raise RuntimeError("the forwarder's app is not running")
        url = self.url.replace("{channel}", channel)
        sent = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
        started = time.perf_counter()
        status: int | None = None
        text = ""
        truncated = False
        error: str | None = None
        try:
            async with self._session.post(
                url,
                data=body,
                headers=sent,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
                skip_auto_headers=("User-Agent", "Content-Type"),
            ) as response:
                status = response.status
                kept, truncated = await read_capped(response, BODY_KEPT)
                text = kept.decode("utf-8", "replace")
        except TimeoutError:
            error = f"timed out after {self.timeout_s:g} s"
        except (aiohttp.ClientError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        latency = round((time.perf_counter() - started) * 1000, 3)
        return ForwardAnswer(url, status, latency, error, text, truncated)


FORWARDER = web.AppKey("receiver_forwarder", Forwarder)


def install(app: web.Application, url: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
    """Forward every capture of ``app`` (a receiver app, before it starts) to ``url``."""
    forwarder = Forwarder(url, timeout_s)
    app[FORWARDER] = forwarder
    app.cleanup_ctx.append(forwarder.lifecycle)
