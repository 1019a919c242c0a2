"""Reading what a target answered without reading it whole: at most :data:`ANSWER_CAP` bytes.

The dispatcher (a webhook target's answer), the receiver's ``--forward-to`` (the user's
handler's answer) and replay read answer bodies only to log them or to reuse the connection; an
answer of hundreds of megabytes must not be held in memory. What is past the cap stays unread,
so aiohttp closes that connection instead of reusing it, and the caller records ``truncated``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI's tools import this without starting aiohttp
    import aiohttp

#: How much of a target's answer body is read.
ANSWER_CAP = 64 * 1024


def describe(exc: BaseException) -> str:
    """A send that raised, as attempts and ``trigger`` record it: ``Name: text`` (the name
    alone when the exception says nothing)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def read_capped(
    response: aiohttp.ClientResponse, cap: int = ANSWER_CAP
) -> tuple[bytes, bool]:
    """The first ``cap`` bytes of the answer body, and whether there was more."""
    kept = bytearray()
    while len(kept) <= cap:  # each turn adds at least one byte, or ends
        chunk = await response.content.read(cap + 1 - len(kept))
        if not chunk:
            return bytes(kept), False
        kept += chunk
    return bytes(kept[:cap]), True
