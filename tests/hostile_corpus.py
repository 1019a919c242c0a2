"""The hostile corpus: requests an attacker, a broken proxy or a buggy sender would send.

Three kinds, each a :class:`Case` with the exact bytes to put on the socket:

- :func:`deliveries`: ``POST /hooks/<name>`` to the receiver, each on its own channel; every
  one must be captured with its exact bytes (or the part that came, when it is cut short);
- :func:`wire_cases`: requests aiohttp's HTTP parser refuses, or that never finish their
  headers, sent to both servers;
- :func:`api_cases` and :func:`receiver_cases`: hostile bodies, queries and paths for the
  routes of each server.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass

from tests.raw_http import Header, request
from tests.support import ACME_JOB, ACME_KEY, MISSING_ID

AUTH: list[Header] = [("Authorization", f"Bearer {ACME_KEY}")]
JSON: list[Header] = [("Content-Type", "application/json")]
HUGE = "9" * 30  # past any 64-bit integer
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    #: The body a capture must hold (deliveries only): None when the parser refuses it.
    body: bytes | None = None
    #: Only the head of the answer is read (an endless event stream).
    head_only: bool = False


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _deep_objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


#: Bodies that are hostile as JSON (or as anything): sent to both servers' JSON routes.
HOSTILE_BODIES: dict[str, bytes] = {
    "lone-surrogate": b'{"event":"\\ud800"}',
    "lone-low-surrogate-key": b'{"\\udfff":"x","firstName":"\\udc00"}',
    "surrogate-string": b'"\\ud800"',
    "valid-pair": b'{"event":"\\ud83d\\ude00"}',
    "out-of-range": b'{"a":1e400,"b":-1e400,"c":1e-400,"firstName":1e999999999999}',
    "huge-integer": b'{"lastName":' + b"9" * 5000 + b"}",
    "nan": b'{"a":NaN,"b":Infinity,"c":-Infinity}',
    "nested-10k": _deep(10_000),
    "nested-990": _deep(990),
    "nested-300-objects": _deep_objects(300),
    "duplicate-keys": b'{"firstName":"a","firstName":"b","email":"x@y.z","email":1}',
    "bom": b'\xef\xbb\xbf{"firstName":"Ada"}',
    "utf-16": '{"firstName":"Ada"}'.encode("utf-16"),
    "utf-32": '{"firstName":"Ada"}'.encode("utf-32"),
    "empty": b"",
    "whitespace": b" \t\r\n ",
    "null": b"null",
    "array": b"[1,2,3]",
    "string": b'"hello"',
    "binary": bytes(range(256)) * 4,
    "nuls": b"\x00" * 1000,
    "nul-in-string": b'{"firstName":"a\\u0000b","lastName":"\x00"}',
    "bad-escape": b'{"firstName":"\\x41"}',
    "overlong-utf8": b'{"firstName":"\xc0\xaf"}',
    "cesu-surrogate": b'{"firstName":"\xed\xa0\x80"}',
    "noncharacters": '{"firstName":"\ufffe\uffff\U0010ffff"}'.encode(),
    "trailing-garbage": b'{"firstName":"Ada"} {"x":1}',
    "unterminated": b'{"firstName":"Ada',
    "big-array": json.dumps(list(range(150_000))).encode(),
    "html": b"<script>alert(1)</script>",
    "form": b"firstName=Ada&lastName=L",
}


def deliveries() -> list[Case]:
    """Every hostile delivery to ``POST /hooks/<name>``: the hostile bodies, then headers,
    framing and paths."""
    cases = [
        Case(name, request("POST", f"/hooks/{name}", body, JSON), body)
        for name, body in HOSTILE_BODIES.items()
    ]
    plain = b'{"event":"ping"}'

    def with_headers(name: str, headers: list[Header], body: bytes = plain) -> Case:
        return Case(name, request("POST", f"/hooks/{name}", body, headers), body)

    cases += [
        with_headers("id-not-utf8", [*JSON, ("webhook-id", b"\xff\xfe")]),
        with_headers("header-not-utf8", [*JSON, ("X-Custom", b"caf\xe9 \x80\xff")]),
        with_headers("cesu-header", [*JSON, ("X-Custom", b"\xed\xa0\x80")]),
        with_headers("type-not-utf8", [("Content-Type", b"text/\xff")]),
        with_headers("type-html", [("Content-Type", "text/html; charset=utf-8")]),
        with_headers("type-garbage", [("Content-Type", ";;;==")]),
        with_headers("no-type", []),
        with_headers("gzip-on-plain", [*JSON, ("Content-Encoding", "gzip")]),
        with_headers("real-gzip", [*JSON, ("Content-Encoding", "gzip")], gzip.compress(plain)),
        with_headers("br-declared", [*JSON, ("Content-Encoding", "br")]),
        with_headers("deflate-garbage", [*JSON, ("Content-Encoding", "deflate")], b"\x00\x01"),
        with_headers("unknown-coding", [*JSON, ("Content-Encoding", "rot13, gzip")]),
        with_headers("header-8000", [*JSON, ("X-Big", "b" * 8000)]),
        with_headers("headers-100", [*JSON, *[(f"X-H{i}", str(i)) for i in range(100)]]),
        with_headers(
            "signature-garbage",
            [
                *JSON,
                ("webhook-id", "x"),
                ("webhook-timestamp", HUGE),
                ("webhook-signature", "v1,!!! v1," + "A" * 5000),
            ],
        ),
        with_headers("timestamp-digits", [*JSON, ("webhook-timestamp", "١٢٣"), ("webhook-id", "")]),
        with_headers("hex-garbage", [*JSON, ("X-Instaview-Signature", "sha256=zz" * 100)]),
        with_headers("expect-continue", [*JSON, ("Expect", "100-continue")]),
        with_headers("big-body", JSON, b"{" + b" " * (2 * MIB) + b"}"),
    ]
    chunked = b'{"event":' + b'"ping"}'
    cases.append(
        Case(
            "chunked",
            request("POST", "/hooks/chunked", None, [*JSON, ("Transfer-Encoding", "chunked")])
            + b"9\r\n"
            + chunked[:9]
            + b"\r\n7;ext=1\r\n"
            + chunked[9:]
            + b"\r\n0\r\nX-T: 1\r\n\r\n",
            chunked,
        )
    )
    cases.append(
        Case(
            "short-body",
            request("POST", "/hooks/short-body", b'{"event":', [*JSON, ("Content-Length", "50")]),
            b'{"event":',
        )
    )
    for name, target in [
        ("nul-path", "/hooks/a%00b"),
        ("ff-path", "/hooks/%FF%FE"),
        ("bad-percent", "/hooks/%zz%"),
        ("encoded-slash", "/hooks/a%2Fb"),
        ("surrogate-path", "/hooks/%ED%A0%80"),
        ("long-channel", "/hooks/" + "c" * 8000),
        ("query-junk", "/hooks/query-junk?%ff=%00&a=" + "b" * 3000),
    ]:
        cases.append(Case(name, request("POST", target, plain, JSON), plain))
    return cases


def wire_cases(path: str, headers: list[Header]) -> list[Case]:
    """Requests the parser refuses (400) or that stall in their headers (408), aimed at
    ``path`` with ``headers``."""
    p = path.encode()
    return [
        Case("long-request-line", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("long-header", request("GET", path, None, [*headers, ("X-Big", "b" * 9000)])),
        Case("200-headers", request("GET", path, None, [(f"X-{i}", "1") for i in range(200)])),
        Case(
            "bad-chunk-size",
            request(
                "POST", path, b"zz\r\n", [*headers, ("Transfer-Encoding", "chunked")], length=False
            ),
        ),
        Case(
            "length-and-chunked",
            request("POST", path, b"0\r\n\r\n", [*headers, ("Transfer-Encoding", "chunked")]),
        ),
        Case("two-lengths", request("POST", path, b"{}", [("Content-Length", "2")] * 2)),
        Case("negative-length", request("POST", path, None, [("Content-Length", "-1")])),
        Case("huge-length", request("POST", path, None, [("Content-Length", HUGE)])),
        Case("nul-in-target", b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("raw-utf8-target", b"GET /caf\xc3\xa9\xff HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("space-in-header-name", b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n"),
        Case("header-without-colon", b"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
        Case("control-in-header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n"),
        Case("bare-lf", b"GET " + p + b" HTTP/1.1\nHost: x\n\n"),
        Case("tls-hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40),
        Case("http-9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
        Case("http-0.9", b"GET /\r\n\r\n"),
        Case("lowercase-method", b"get / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("long-method", b"A" * 9000 + b" / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("unknown-method", request("BREW", path, None, headers)),
        Case("absolute-form", b"GET http://evil.example" + p + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("asterisk-form", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case("connect", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
        Case(
            "upgrade-h2c",
            request("GET", path, None, [("Connection", "Upgrade"), ("Upgrade", "h2c")]),
        ),
        Case(
            "websocket",
            request("GET", path, None, [("Connection", "Upgrade"), ("Upgrade", "websocket")]),
        ),
        Case("stalled-headers", b"POST " + p + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"),
        Case("stalled-request-line", b"GET /events"),
    ]


def _bodies_to(method: str, path: str, headers: list[Header]) -> list[Case]:
    cases = [
        Case(f"{method} {path} {name}", request(method, path, body, [*headers, *JSON]))
        for name, body in HOSTILE_BODIES.items()
    ]
    stuffed: Callable[[str, list[Header], bytes], Case] = lambda name, extra, body: Case(  # noqa: E731
        f"{method} {path} {name}", request(method, path, body, [*headers, *extra])
    )
    body = b'{"status": 503}'
    return [
        *cases,
        stuffed("gzip-on-plain", [*JSON, ("Content-Encoding", "gzip")], body),
        stuffed("real-gzip", [*JSON, ("Content-Encoding", "gzip")], gzip.compress(body)),
        stuffed("x-gzip", [*JSON, ("Content-Encoding", "x-gzip")], gzip.compress(body)),
        stuffed(
            "gzip-bomb",
            [*JSON, ("Content-Encoding", "gzip")],
            gzip.compress(b"[" + b"0," * (8 * MIB) + b"0]"),
        ),
        stuffed("short-body", [*JSON, ("Content-Length", "99")], body),
        stuffed("big-body", JSON, b"[" + b"1," * MIB + b"1]"),
        stuffed("text-plain", [("Content-Type", "text/plain")], body),
        stuffed("latin1", [("Content-Type", "application/json; charset=latin-1")], body),
        stuffed("type-not-utf8", [("Content-Type", b"application/json\xff")], body),
    ]


def api_cases() -> list[Case]:
    """Hostile requests for the mock API (with a valid key, so they reach the handlers)."""
    cases = _bodies_to("POST", "/candidates", AUTH)
    cases += _bodies_to("POST", "/interviews", AUTH)
    cases += _bodies_to("PATCH", f"/jobs/{ACME_JOB}", AUTH)
    cases += _bodies_to("POST", "/_harness/faults", [])
    for target in [
        f"/candidates?page={HUGE}",
        f"/candidates?limit={HUGE}",
        "/candidates?page=-1",
        "/candidates?page=1e400",
        "/candidates?page=NaN",
        "/candidates?page=%FF",
        "/candidates?page=2.5",
        "/candidates?search=%00",
        "/candidates?search=%ED%A0%80",
        "/candidates?jobId=%zz",
        "/candidates?status=" + "x" * 5000,
        "/interviews?candidateId=%00",
        f"/candidates/{HUGE}",
        "/candidates/%00",
        "/candidates/%FF",
        "/candidates/%7B" + MISSING_ID + "%7D",
        "/interviews/..%2F..%2Fetc%2Fpasswd",
        "/billing/usage?start=%00&end=" + HUGE,
        "/_harness/deliveries?limit=" + HUGE,
        "/schemas/%00.json",
        "/schemas/..%2F..%2Fpyproject.json",
        "/v1/v1/candidates",
    ]:
        cases.append(Case(f"GET {target}", request("GET", target, None, AUTH)))
    return cases


def receiver_cases() -> list[Case]:
    """Hostile requests for the receiver's own routes (not deliveries; capture 1 should exist,
    so that replaying it reads the body)."""
    cases = _bodies_to("PUT", "/channels/c/script", [])
    cases += _bodies_to("POST", "/events/1/replay", [])
    for target in [
        f"/events?after={HUGE}",
        f"/events?limit={HUGE}",
        "/events?after=-1",
        "/events?after=1e3",
        "/events?after=%FF",
        "/events?limit=%D9%A3",
        "/events?event=%00&channel=%ED%A0%80&deliveryId=%zz",
        f"/events/wait?after={HUGE}",
        "/events/wait?timeout=nan",
        "/events/wait?timeout=1e400",
        "/events/wait?timeout=-1",
        "/events/wait?timeout=0&channel=%FF",
        f"/events/{HUGE}",
        f"/events/{HUGE}/raw",
        f"/events/{HUGE}/fixture",
        "/events/%D9%A3",
        "/events/1/raw",
        f"/events/stream?after={HUGE}",
        f"/events/stream?backlog={HUGE}",
        "/channels/%00/script",
        "/static/..%2F..%2Fapp.py",
        "/hooks/../events",
        "/static/%00",
        "/mock/webhooks?x=%FF",
    ]:
        cases.append(Case(f"GET {target}", request("GET", target, None)))
    resume = request("GET", "/events/stream", None, [("Last-Event-ID", HUGE)])
    cases.append(Case("stream resume past the range", resume, head_only=True))
    odd = request("GET", "/events/stream", None, [("Last-Event-ID", "²")])
    cases.append(Case("stream resume not ascii", odd, head_only=True))
    return cases
