"""One delivery attempt: a signed POST of a delivery's body to a webhook's URL.

The dispatcher decides when to attempt and what an outcome means (retry, circuit, log); this
module only sends: sign with a fresh timestamp, POST without following redirects, read the
answer up to :data:`~harness.delivery.answer.ANSWER_CAP`, and say how it went.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple
from uuid import UUID

import aiohttp
from pydantic_core import to_json

from harness.delivery.answer import describe, read_capped
from harness.delivery.signing import Scheme, sign
from harness.delivery.webhooks import Webhook
from harness.domain.enums import EventType


class Attempt(NamedTuple):
    """How one POST went: ``error`` is None on a 2xx; ``truncated`` when the answer was longer
    than the cap, so not read whole."""

    status: int | None
    latency_ms: float
    error: str | None
    truncated: bool


async def post(
    session: aiohttp.ClientSession,
    hook: Webhook,
    delivery_id: UUID,
    body: bytes,
    scheme: Scheme,
    stamp: int,
) -> Attempt:
    """POSTs ``body`` to ``hook``, signed at ``stamp`` (unix seconds) with its secret."""
    headers = {**dict(hook.headers), "Content-Type": "application/json"}
    headers.update(sign(scheme, hook.signing_secret, str(delivery_id), stamp, body))
    timeout = aiohttp.ClientTimeout(total=hook.timeout_ms / 1000)
    started = time.perf_counter()
    status: int | None = None
    truncated = False
    try:
        async with session.post(
            hook.url, data=body, headers=headers, allow_redirects=False, timeout=timeout
        ) as response:
            status = response.status
            _, truncated = await read_capped(response)
    except TimeoutError:
        error: str | None = f"timed out after {hook.timeout_ms} ms"
    except (aiohttp.ClientError, OSError) as exc:
        error = describe(exc)
    else:
        error = None if 200 <= status < 300 else status_error(status)
    latency = round((time.perf_counter() - started) * 1000, 3)
    return Attempt(status, latency, error, truncated)


def status_error(status: int) -> str:
    if 300 <= status < 400:
        return f"HTTP {status} (redirects are not followed)"
    return f"HTTP {status}"


def envelope(event: EventType, delivery_id: UUID, timestamp: str, data: dict[str, Any]) -> bytes:
    """The webhook body, as it goes on the wire (contract section 4)."""
    return to_json(
        {"event": event.value, "timestamp": timestamp, "deliveryId": str(delivery_id), "data": data}
    )
