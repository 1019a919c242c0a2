"""One blocking POST, for ``trigger``: the handler's status and whether its answer passed the
64 KiB read (:data:`~harness.delivery.answer.ANSWER_CAP`), without an event loop or aiohttp.

``http://`` targets get a plain HTTP/1.1 exchange on a socket: the standard library's
``http.client`` imports the ``email`` package and ``ssl`` (about 30 ms of the command's start,
docs/decisions.md "CLI start time"). It sends what ``http.client`` sent (``Host``,
``Accept-Encoding: identity``, ``Content-Length``, the given headers) plus ``Connection: close``,
and reads the answer as it did: ``100 Continue`` skipped, the body read up to the cap through
``chunked``, ``Content-Length`` or the end of the connection, the same limits (lines of 64 KiB,
100 header lines) and the same error names (``tests/test_tools_blocking.py`` holds the two to
the same answers). ``https://`` targets still go through ``http.client`` (TLS needs ``ssl``).
"""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from harness.delivery.answer import ANSWER_CAP, describe
from harness.tools.send import DEFAULT_TIMEOUT_S, Response

if TYPE_CHECKING:
    import http.client
    from io import BufferedReader

#: As ``http.client``: the longest status or header line, and the most header fields.
MAX_LINE = 65536
MAX_HEADERS = 100
#: Statuses whose answers have no body (RFC 9110 section 6.4.1).
NO_BODY = frozenset({204, 304})


class AnswerProblem(Exception):
    """The answer broke HTTP/1.1; ``str()`` is ``Name: detail``, named as ``http.client`` names
    the same problem (``RemoteDisconnected``, ``BadStatusLine``, ``IncompleteRead``, ...)."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")


class _Answer:
    """What has arrived so far: the status stays known when the body then fails."""

    status: int | None = None
    truncated = False


def post_blocking(
    url: str, body: bytes, headers: dict[str, str], timeout_s: float = DEFAULT_TIMEOUT_S
) -> Response:
    """One POST, redirects not followed, any 2xx a success; ``timeout_s`` bounds the connect
    and each read. Header names and values with CR, LF or NUL are a ``ValueError`` (nothing
    is sent): ``http.client`` refused CR and LF too, but let NUL and folded lines through."""
    for name, value in headers.items():
        if any(c in f"{name}{value}" for c in "\r\n\0"):
            raise ValueError(f"Invalid header {name!r}: {value!r}")
    parts = urlsplit(url)
    answer = _Answer()
    started = time.perf_counter()
    try:
        if parts.scheme == "https":
            _https(parts, body, headers, timeout_s, answer)
        else:
            _http(parts, body, headers, timeout_s, answer)
    except TimeoutError:
        error: str | None = f"timed out after {timeout_s:g} s"
    except AnswerProblem as exc:
        error = str(exc)
    except OSError as exc:
        error = describe(exc)
    else:
        assert answer.status is not None
        error = None if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    latency = round((time.perf_counter() - started) * 1000, 3)
    return Response(answer.status, latency, error, answer.truncated)


def _target(parts: SplitResult) -> str:
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    bad = next((c for c in target if c <= " " or c == "\x7f"), None)
    if bad is not None:  # http.client's check: no request smuggling through the path
        raise AnswerProblem(
            "InvalidURL",
            f"URL can't contain control characters. {target!r} (found at least {bad!r})",
        )
    return target


def _https(
    parts: SplitResult, body: bytes, headers: dict[str, str], timeout_s: float, answer: _Answer
) -> None:
    import http.client

    connection = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=timeout_s)
    try:
        connection.request("POST", _target(parts), body=body, headers=headers)
        response: http.client.HTTPResponse = connection.getresponse()
        answer.status = response.status
        answer.truncated = len(response.read(ANSWER_CAP + 1)) > ANSWER_CAP
    except http.client.HTTPException as exc:
        raise AnswerProblem(type(exc).__name__, str(exc)) from exc
    finally:
        connection.close()


def _host_header(parts: SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    elif not host.isascii():
        host = host.encode("idna").decode("ascii")
    return host if parts.port in (None, 80) else f"{host}:{parts.port}"


def _http(
    parts: SplitResult, body: bytes, headers: dict[str, str], timeout_s: float, answer: _Answer
) -> None:
    lines = [
        f"POST {_target(parts)} HTTP/1.1",
        f"Host: {_host_header(parts)}",
        "Accept-Encoding: identity",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
        "Connection: close",
    ]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout_s) as sock:
        sock.sendall(head + body)
        with sock.makefile("rb") as stream:
            status, fields = _read_head(stream)
            answer.status = status
            answer.truncated = len(_read_body(stream, status, fields, ANSWER_CAP + 1)) > ANSWER_CAP


def _line(stream: BufferedReader, what: str) -> bytes:
    line = stream.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise AnswerProblem("LineTooLong", f"got more than {MAX_LINE} bytes when reading {what}")
    return line


def _read_head(stream: BufferedReader) -> tuple[int, dict[str, str]]:
    """The answer's status and header fields (lower-case names, the first of repeated ones),
    ``100 Continue`` answers skipped: ``http.client``'s reading of them."""
    while True:
        line = _line(stream, "status line")
        if not line:
            raise AnswerProblem(
                "RemoteDisconnected", "Remote end closed connection without response"
            )
        text = line.decode("iso-8859-1")
        words = text.split(None, 2)
        try:
            status = int(words[1]) if words[0].startswith("HTTP/") else 0
        except (IndexError, ValueError):
            status = 0
        if not 100 <= status <= 999:
            raise AnswerProblem("BadStatusLine", text)
        fields = _read_fields(stream)
        if status != 100:
            return status, fields


def _read_fields(stream: BufferedReader) -> dict[str, str]:
    fields: dict[str, str] = {}
    count = 0
    while True:
        line = _line(stream, "header line")
        count += 1  # the blank line that ends them counts too, as http.client counts it
        if count > MAX_HEADERS:
            raise AnswerProblem("HTTPException", f"got more than {MAX_HEADERS} headers")
        if line in (b"\r\n", b"\n", b""):
            return fields
        name, _, value = line.decode("iso-8859-1").partition(":")
        fields.setdefault(name.strip().lower(), value.strip())


def _read_body(stream: BufferedReader, status: int, fields: dict[str, str], most: int) -> bytes:
    """Up to ``most`` bytes of the body (decoded from ``chunked``); a short body is what came,
    as ``http.client``'s ``read(n)`` gives it, except a chunk cut short (``IncompleteRead``)."""
    if status in NO_BODY or 100 <= status < 200:
        return b""
    if fields.get("transfer-encoding", "").lower() == "chunked":
        return _read_chunked(stream, most)
    try:
        length = int(fields.get("content-length", ""))
    except ValueError:
        length = -1
    return stream.read(min(most, length) if length >= 0 else most)


def _read_chunked(stream: BufferedReader, most: int) -> bytes:
    """As ``http.client`` reads it; ``IncompleteRead`` counts the chunks read whole."""
    kept = bytearray()
    while len(kept) < most:
        whole = len(kept)
        try:
            size = int(_line(stream, "chunk size").split(b";", 1)[0], 16)
        except ValueError:
            raise AnswerProblem("IncompleteRead", f"IncompleteRead({whole} bytes read)") from None
        if size == 0:
            break
        want = min(size, most - len(kept))
        chunk = stream.read(want)
        if len(chunk) < want:
            raise AnswerProblem("IncompleteRead", f"IncompleteRead({whole} bytes read)")
        kept += chunk
        if len(kept) < most and len(stream.read(2)) < 2:  # the CRLF after a whole chunk
            raise AnswerProblem("IncompleteRead", f"IncompleteRead({len(kept)} bytes read)")
    return bytes(kept)
