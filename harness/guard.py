"""Who may drive the harness: the ``Host`` and ``Origin`` checks both servers make first.

Both servers listen on loopback, where any web page the user opens can reach them:

- **Cross-site requests.** A page on another origin can send "simple" requests (a ``no-cors``
  ``POST`` with ``text/plain``, no preflight) and change state without ever reading the answer.
  So every state-changing request (any method but ``GET``, ``HEAD``, ``OPTIONS``) is refused when
  it carries an ``Origin`` that is not the server's own, ``Origin: null``, or ``Sec-Fetch-Site:
  cross-site`` / ``same-site`` (both mean "another origin"). The server's own origin is
  ``http(s)://`` + the ``Host`` the request was sent to (what a browser sends for a same-origin
  fetch), or any origin on a name allowed with ``--allow-host`` that is not a loopback name (a
  proxy in front may rewrite ``Host``). Each server is its own origin only: the inspector page
  reaches the mock through the receiver's same-origin ``/mock`` routes (server-side ``GET``s,
  without ``Origin``), so the mock never trusts the receiver's origin. Requests without these
  headers (curl, SDKs, the test client, the dispatcher) are the user's own tools and pass.
- **DNS rebinding.** A page whose own name is made to resolve to 127.0.0.1 is same-origin with
  the harness and could read ``/_harness/world``; but its requests carry that name in ``Host``.
  So every request (reads too) is refused unless ``Host`` names ``localhost``, ``127.0.0.1``,
  ``[::1]``, the address the server is bound to, or an ``--allow-host`` name (any port). A
  request without ``Host`` (HTTP/1.0) names no foreign host and passes.

Each app turns a :class:`Refusal` into its own error shape (:func:`guard_middleware`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})

_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_IPV6 = re.compile(r"[0-9a-f:.]*:[0-9a-f:.]*")
_PORT = re.compile(r"[0-9]{1,5}")
#: How many distinct ``Host`` values one guard remembers its verdict for.
HOSTS_REMEMBERED = 64
_ORIGIN = re.compile(r"(https?)://([^/?#@\s]+)")


def host_name(name: str) -> str | None:
    """A host name or address as compared here: lower case, no brackets, no final dot; None when
    ``name`` is not a DNS name, IPv4 or IPv6 address."""
    name = name.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        inner = name[1:-1]
        return inner if _IPV6.fullmatch(inner) else None
    if _IPV6.fullmatch(name):
        return name
    name = name.removesuffix(".")
    return name if _NAME.fullmatch(name) else None


def split_host(header: str) -> str | None:
    """The name of a ``Host`` header value (``[::1]:8080`` → ``::1``), or None if malformed."""
    value = header.strip()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or not _IPV6.fullmatch(name.lower()):
            return None
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not (rest[0] == ":" and _PORT.fullmatch(rest[1:])):
        return None
    return host_name(name)


def allowed_host_names(names: Iterable[str]) -> tuple[str, ...]:
    """``--allow-host`` values checked and normalized; ``ValueError`` names a bad one."""
    out: list[str] = []
    for raw in names:
        name = host_name(raw)
        if name is None:
            raise ValueError(
                f"--allow-host {raw!r} is not a host name or address (no scheme, port or path)"
            )
        if name not in out:
            out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: ``code`` ``foreign_host`` or ``foreign_origin``."""

    code: Literal["foreign_host", "foreign_origin"]
    message: str
    details: dict[str, str | None]


class RequestGuard:
    """The checks for one server bound to ``bound_host``, trusting ``allowed`` names too."""

    def __init__(self, bound_host: str = "127.0.0.1", allowed: Iterable[str] = ()) -> None:
        allowed_names = frozenset(allowed_host_names(allowed))
        bound = host_name(bound_host)
        #: What ``Host`` may name.
        self.names = LOOPBACK_NAMES | allowed_names | ({bound} if bound else set())
        #: Names whose every origin is this server's own (a proxy may have rewritten ``Host``):
        #: the ``--allow-host`` names, but never a loopback one (other local servers live there).
        self.proxy_names = allowed_names - LOOPBACK_NAMES - {bound}
        #: ``Host`` values already judged (clients send the same one on every request):
        #: parsing one was ~5% of a create's CPU. Bounded: past the bound, values are parsed.
        self._hosts: dict[str, bool] = {}

    def check(self, request: web.BaseRequest) -> Refusal | None:
        return self.host_refusal(request) or self.origin_refusal(request)

    def host_refusal(self, request: web.BaseRequest) -> Refusal | None:
        hosts = request.headers.getall("Host", [])
        if not hosts:
            return None
        if len(hosts) == 1 and self._host_ok(hosts[0]):
            return None
        return Refusal(
            "foreign_host",
            f"Host {', '.join(hosts)!r} is not this server's (localhost, 127.0.0.1, [::1] or "
            "the address it listens on); behind a proxy, start it with --allow-host NAME",
            {"host": ", ".join(hosts)},
        )

    def _host_ok(self, value: str) -> bool:
        ok = self._hosts.get(value)
        if ok is None:
            name = split_host(value)
            ok = name is not None and name in self.names
            if len(self._hosts) < HOSTS_REMEMBERED:
                self._hosts[value] = ok
        return ok

    def origin_refusal(self, request: web.BaseRequest) -> Refusal | None:
        if request.method in SAFE_METHODS:
            return None
        site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
        origins = request.headers.getall("Origin", [])
        if site not in FOREIGN_FETCH_SITES and (not origins or self._own(request, origins)):
            return None
        origin = ", ".join(origins) or None
        return Refusal(
            "foreign_origin",
            f"{request.method} from {origin or 'a ' + site + ' page'} refused: only the "
            "harness's own page and tools without an Origin (curl, SDKs, tests) change its state",
            {"origin": origin, "secFetchSite": site or None},
        )

    def _own(self, request: web.BaseRequest, origins: list[str]) -> bool:
        match = _ORIGIN.fullmatch(origins[0].strip().lower()) if len(origins) == 1 else None
        if match is None:  # "null", junk, several
            return False
        authority = match.group(2)
        if authority == request.headers.get("Host", "").strip().lower():
            return True
        return split_host(authority) in self.proxy_names


def guard_middleware(
    guard: RequestGuard, refuse: Callable[[web.Request, Refusal], web.StreamResponse]
) -> Middleware:
    """A middleware that answers ``refuse(request, refusal)`` before any handler runs."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        refusal = guard.check(request)
        if refusal is not None:
            return refuse(request, refusal)
        return await handler(request)

    return middleware
