"""Raw HTTP/1.1 over a socket: requests no well-behaved client library would send."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Header = tuple[str | bytes, str | bytes]
#: How long a test waits for a server's whole answer before calling it hung.
ANSWER_TIMEOUT_S = 20.0


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def request(
    method: str,
    target: str | bytes,
    body: bytes | None = b"",
    headers: Iterable[Header] = (),
    *,
    length: bool = True,
) -> bytes:
    """One request closing its connection; ``Content-Length`` is the body's unless ``length``
    is False or ``headers`` sets one."""
    head = _bytes(method) + b" " + _bytes(target) + b" HTTP/1.1\r\n"
    head += b"Host: 127.0.0.1\r\nConnection: close\r\n"
    named = set()
    for name, value in headers:
        named.add(_bytes(name).lower())
        head += _bytes(name) + b": " + _bytes(value) + b"\r\n"
    if length and body is not None and b"content-length" not in named:
        head += f"Content-Length: {len(body)}\r\n".encode()
    return head + b"\r\n" + (body or b"")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def parse_answer(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    return Answer(status, headers, body)


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:  # each turn consumes one chunk
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return out


async def _read_answer(reader: asyncio.StreamReader, head_only: bool) -> bytes:
    """One final answer (1xx interim answers skipped): to the end of its Content-Length, else
    until the server closes; only its head with ``head_only``."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        while head[9:10] == b"1":  # "HTTP/1.1 100 Continue": the answer follows
            head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        return exc.partial
    if head_only:
        return head
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return head + await reader.readexactly(int(value))
    return head + await reader.read()


async def exchange(host: str, port: int, data: bytes, *, head_only: bool = False) -> Answer:
    """Sends ``data`` and reads the first answer (a request that does not finish itself, such
    as a short body, stays unfinished: the connection stays open until the answer)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(data)
        await writer.drain()
        async with asyncio.timeout(ANSWER_TIMEOUT_S):
            raw = await _read_answer(reader, head_only)
        return parse_answer(raw)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
