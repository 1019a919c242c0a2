"""``trigger``'s blocking POST (``harness/tools/blocking.py``) answers as ``http.client`` did:
each scripted answer of a raw loopback server gets the same status, error and truncation from
the socket exchange as from the standard library's client, which it replaced to start faster."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from harness.delivery.answer import ANSWER_CAP
from harness.tools.blocking import _host_header, post_blocking

BODY = b'{"event":"ping"}'
HEADERS = {"Content-Type": "application/json", "User-Agent": "instaview-harness-tools/1"}
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Scripted:
    """A loopback server that answers every connection with ``answer`` and then closes it (or,
    with ``hold``, keeps it open until the test ends); it records each request it read."""

    def __init__(self, answer: bytes, hold: bool = False, listen: bool = True) -> None:
        self.answer = answer
        self.hold = hold
        self.listen = listen  # False: answer at once, before any request arrives
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook?x=1"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:  # nobody came
                return
            if self.stop.is_set():  # close()'s wake-up call
                conn.close()
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            if self.listen:
                self.requests.append(_read_request(conn))
            conn.sendall(self.answer)
            if self.hold:
                self.stop.wait(10)

    def close(self) -> None:
        self.stop.set()
        with socket.create_connection(("127.0.0.1", self.port), 10):  # wakes accept()
            self.thread.join(10)
        self.listener.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(rest) < length:
        rest += conn.recv(65536)
    return head + b"\r\n\r\n" + rest


@contextmanager
def scripted(answer: bytes, hold: bool = False, listen: bool = True) -> Iterator[Scripted]:
    server = Scripted(answer, hold, listen)
    try:
        yield server
    finally:
        server.close()


def by_http_client(
    url: str, body: bytes, headers: dict[str, str], timeout_s: float
) -> tuple[int | None, str | None, bool]:
    """What ``post_blocking`` did before, with ``http.client``: the reference answer."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    status: int | None = None
    truncated = False
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout_s)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        status = answer.status
        truncated = len(answer.read(ANSWER_CAP + 1)) > ANSWER_CAP
    except TimeoutError:
        error: str | None = f"timed out after {timeout_s:g} s"
    except (http.client.HTTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    else:
        error = None if 200 <= status < 300 else f"HTTP {status}"
    finally:
        connection.close()
    return status, error, truncated


def _answer(status: str, *fields: str, body: bytes = b"") -> bytes:
    return ("\r\n".join([f"HTTP/1.1 {status}", *fields, "", ""])).encode() + body


def _chunked(*chunks: bytes, end: bytes = b"0\r\n\r\n") -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + end


BIG = b"x" * (ANSWER_CAP + 1)
CASES = {
    "ok": (OK, False),
    "server error": (
        _answer("500 Internal Server Error", "Content-Length: 4", body=b"oops"),
        False,
    ),
    "redirect not followed": (
        _answer("302 Found", "Location: /elsewhere", "Content-Length: 0"),
        False,
    ),
    "204 on a connection kept open": (_answer("204 No Content"), True),
    "304 on a connection kept open": (_answer("304 Not Modified"), True),
    "length over the cap": (_answer("200 OK", f"Content-Length: {len(BIG)}", body=BIG), False),
    "length at the cap": (_answer("200 OK", f"Content-Length: {ANSWER_CAP}", body=BIG[:-1]), False),
    "length longer than the body": (_answer("200 OK", "Content-Length: 10", body=b"ok"), False),
    "first of repeated lengths": (
        _answer("200 OK", "Content-Length: 2", f"Content-Length: {len(BIG)}", body=BIG),
        False,
    ),
    "close-delimited over the cap": (_answer("200 OK", body=BIG), False),
    "HTTP/1.0 close-delimited": (b"HTTP/1.0 200 OK\r\n\r\nok", False),
    "chunked over the cap": (
        _answer(
            "200 OK",
            "Transfer-Encoding: chunked",
            body=_chunked(BIG[:30000], BIG[:30000], BIG[:30000]),
        ),
        False,
    ),
    "chunked at the cap": (
        _answer("200 OK", "Transfer-Encoding: chunked", body=_chunked(BIG[:65000], BIG[:536])),
        False,
    ),
    "chunked with extensions and trailers": (
        _answer("200 OK", "Transfer-Encoding: chunked", body=b"2;a=b\r\nok\r\n0\r\nX-T: 1\r\n\r\n"),
        False,
    ),
    "chunked wins over a length": (
        _answer("200 OK", "Transfer-Encoding: chunked", "Content-Length: 1", body=_chunked(BIG)),
        False,
    ),
    "chunk cut short": (
        _answer("200 OK", "Transfer-Encoding: chunked", body=b"2\r\nok\r\na\r\nabc"),
        False,
    ),
    "bad chunk size": (
        _answer("200 OK", "Transfer-Encoding: chunked", body=b"2\r\nok\r\nzz\r\n"),
        False,
    ),
    "no chunk end": (_answer("200 OK", "Transfer-Encoding: chunked", body=b"2\r\nok"), False),
    "100 Continue skipped": (
        b"HTTP/1.1 100 Continue\r\nX: 1\r\n\r\n" + _answer("201 Created", "Content-Length: 0"),
        False,
    ),
    "103 is the answer": (_answer("103 Early Hints", "Link: </a>"), True),
    "headers cut short": (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", False),
    "closed without an answer": (b"", False),
    "not HTTP": (b"HELLO\r\n\r\n", False),
    "status below 100": (b"HTTP/1.1 099 Odd\r\n\r\n", False),
    "status not a number": (b"HTTP/1.1 2x0 OK\r\n\r\n", False),
    "status line alone": (b"HTTP/1.1\r\n\r\n", False),
    "status line too long": (b"HTTP/1.1 200 " + b"O" * 70000 + b"\r\n\r\n", False),
    "header line too long": (_answer("200 OK", "X: " + "y" * 70000), False),
    "too many header fields": (_answer("200 OK", *(f"X-{i}: {i}" for i in range(101))), False),
    "100 header fields are fine": (
        _answer("200 OK", *(f"X-{i}: {i}" for i in range(99)), "Content-Length: 0"),
        False,
    ),
}


@pytest.mark.parametrize(("answer", "hold"), CASES.values(), ids=CASES.keys())
def test_the_socket_exchange_answers_as_http_client_did(answer: bytes, hold: bool) -> None:
    with scripted(answer, hold) as server:
        expected = by_http_client(server.url, BODY, HEADERS, 5)
        got = post_blocking(server.url, BODY, HEADERS, 5)
    assert (got.status, got.error, got.truncated) == expected
    assert got.latency_ms >= 0


def test_a_silent_handler_times_out_as_before() -> None:
    with scripted(b"", hold=True) as server:
        expected = by_http_client(server.url, BODY, HEADERS, 0.2)
        got = post_blocking(server.url, BODY, HEADERS, 0.2)
    assert (
        (got.status, got.error, got.truncated) == expected == (None, "timed out after 0.2 s", False)
    )


def test_a_refused_connection_is_named_as_before() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    got = post_blocking(url, BODY, HEADERS, 5)
    assert (got.status, got.error, got.truncated) == by_http_client(url, BODY, HEADERS, 5)
    assert got.error is not None and got.error.startswith("ConnectionRefusedError")


def test_the_request_carries_the_body_the_headers_and_closes() -> None:
    with scripted(OK) as server:
        assert post_blocking(server.url, BODY, {**HEADERS, "webhook-id": "d-1"}, 5).ok
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /hook?x=1 HTTP/1.1"
    assert f"Host: 127.0.0.1:{server.port}" in lines
    assert {
        "Accept-Encoding: identity",
        f"Content-Length: {len(BODY)}",
        "Connection: close",
    } <= set(lines)
    assert {"Content-Type: application/json", "webhook-id: d-1"} <= set(lines)
    assert body == BODY


def test_a_path_with_a_control_character_is_not_sent() -> None:
    with scripted(OK) as server:
        url = f"http://127.0.0.1:{server.port}/a b"
        got = post_blocking(url, BODY, HEADERS, 5)
        assert (got.status, got.error, got.truncated) == by_http_client(url, BODY, HEADERS, 5)
    assert got.error is not None and got.error.startswith("InvalidURL: ")
    assert server.requests == []


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\r\n b"])
def test_a_header_value_that_would_split_the_head_is_refused_before_sending(value: str) -> None:
    with scripted(OK) as server:
        with pytest.raises(ValueError, match="Invalid header"):
            post_blocking(server.url, BODY, {**HEADERS, "webhook-id": value}, 5)
        if value != "a\r\n b":  # http.client refused them too (it let a folded line through)
            with pytest.raises(ValueError):
                by_http_client(server.url, BODY, {**HEADERS, "webhook-id": value}, 5)
    assert server.requests == []


def test_a_nul_in_a_header_is_refused_too() -> None:
    with scripted(OK) as server:
        with pytest.raises(ValueError, match="Invalid header"):
            post_blocking(server.url, BODY, {**HEADERS, "webhook-id": "a\0b"}, 5)
        with pytest.raises(ValueError, match="Invalid header"):
            post_blocking(server.url, BODY, {**HEADERS, "x-\r": "1"}, 5)
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/x", "127.0.0.1"),
        ("http://127.0.0.1:80/x", "127.0.0.1"),
        ("http://localhost:8081/x", "localhost:8081"),
        ("http://[::1]:9/x", "[::1]:9"),
        ("http://bücher.localhost:9/x", "xn--bcher-kva.localhost:9"),
    ],
)
def test_the_host_field_is_written_as_http_client_wrote_it(url: str, host: str) -> None:
    assert _host_header(urlsplit(url)) == host


def test_https_goes_through_http_client_and_its_tls_errors() -> None:
    with scripted(OK, listen=False) as server:  # it speaks plain HTTP: no TLS handshake
        got = post_blocking(f"https://127.0.0.1:{server.port}/hook", BODY, HEADERS, 5)
    assert got.status is None and got.error is not None
    assert got.error.startswith(("SSLError", "SSLEOFError", "ConnectionResetError"))
