"""Signing and POSTing one payload to a handler: what replay, trigger and the matrix share.

Its records are named tuples, not dataclasses: ``trigger`` imports this module, and
``dataclasses`` (which imports ``inspect``) would be the largest part of its start."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit
from uuid import uuid4

if TYPE_CHECKING:
    import aiohttp

from harness.delivery.answer import read_capped
from harness.delivery.loopback import is_loopback_host
from harness.delivery.signing import SCHEMES, Scheme, key_bytes, sign
from harness.errors import ConfigError
from harness.tools.expect import meets

USER_AGENT = "instaview-harness-tools/1"
DEFAULT_TIMEOUT_S = 30.0


class Target(NamedTuple):
    """Where to send and how to sign: ``secret`` is the 64-hex ``signingSecret`` (or whsec_)."""

    url: str
    secret: str | None = None
    scheme: Scheme = "standard"
    timeout_s: float = DEFAULT_TIMEOUT_S


def check_target(target: Target, allow_remote: bool = False) -> None:
    """Raises :class:`ConfigError` for a URL, scheme or secret the tools cannot use."""
    parts = urlsplit(target.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--to {target.url!r} must be an absolute http:// or https:// URL")
    if not allow_remote and not is_loopback_host(parts.hostname):
        raise ConfigError(
            f"--to host {parts.hostname!r} is not loopback; pass --allow-remote to send there"
        )
    if target.scheme not in SCHEMES:
        raise ConfigError(f"unknown scheme {target.scheme!r}; use one of {', '.join(SCHEMES)}")
    if target.scheme != "none":
        if not target.secret:
            raise ConfigError(f"--secret is required with --scheme {target.scheme}")
        try:
            key_bytes(target.secret)
        except ValueError as exc:
            raise ConfigError(f"--secret must be 64 hex characters or whsec_…: {exc}") from exc


def encode(body: Any) -> bytes:
    """A payload as compact UTF-8 JSON, as the dispatcher puts it on the wire."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def delivery_id_of(body: Any) -> str:
    """The payload's ``deliveryId`` when it has a string one, else a fresh UUID."""
    if isinstance(body, dict) and isinstance(body.get("deliveryId"), str) and body["deliveryId"]:
        return str(body["deliveryId"])
    return str(uuid4())


def signed_headers(target: Target, delivery_id: str, body: bytes) -> dict[str, str]:
    """Content type plus the scheme's signature headers, timestamped now."""
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if target.scheme != "none":
        assert target.secret is not None
        headers.update(sign(target.scheme, target.secret, delivery_id, int(time.time()), body))
    return headers


class Response(NamedTuple):
    """What the handler answered: ``status`` None when no answer came (``error`` says why)."""

    status: int | None
    latency_ms: float
    error: str | None
    #: The answer body was longer than :data:`~harness.delivery.answer.ANSWER_CAP` (unread).
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


async def post(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Response:
    """One POST, redirects not followed; any 2xx is success. At most 64 KiB of the answer
    body is read (:mod:`harness.delivery.answer`)."""
    import aiohttp

    started = time.perf_counter()
    status: int | None = None
    error: str | None = None
    truncated = False
    try:
        async with session.post(
            url,
            data=body,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
        ) as response:
            status = response.status
            _, truncated = await read_capped(response)
    except TimeoutError:
        error = f"timed out after {timeout_s:g} s"
    except (aiohttp.ClientError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    else:
        error = None if 200 <= status < 300 else f"HTTP {status}"
    latency = round((time.perf_counter() - started) * 1000, 3)
    return Response(status, latency, error, truncated)


class SendResult(NamedTuple):
    """One payload sent and the handler's answer."""

    source: str
    event: str | None
    delivery_id: str
    status: int | None
    latency_ms: float
    error: str | None
    #: The handler's answer was longer than the 64 KiB read of it.
    truncated: bool = False
    #: What the answer had to be (:mod:`harness.tools.expect`): ``2xx``, ``4xx`` or a status.
    expected: str = "2xx"

    @property
    def ok(self) -> bool:
        return meets(self.expected, self.status)

    @property
    def problem(self) -> str | None:
        """Why the answer is not what was expected (None when it is)."""
        if self.ok:
            return None
        if self.status is None or self.expected == "2xx":
            return self.error or f"HTTP {self.status}"
        return f"HTTP {self.status}, expected {self.expected}"

    def line(self) -> str:
        answer = str(self.status) if self.status is not None else "no answer"
        tail = f"  {self.problem}" if self.problem else ""
        return f"{answer:>9}  {self.latency_ms:9.1f} ms  {self.source}{tail}"
