"""API-side failure injection: latency and 5xx answers on chosen routes, seeded so runs repeat.

``POST /_harness/faults {route, latencyMs, errorRate, errorStatus, burst, seed}`` sets the fault
of one route (``"POST /interviews"``, ``"GET /interviews/{id}"``: a method and a route as the
OpenAPI document names it; the ``/v1`` alias is covered too), replacing an earlier one of that
route. Every request to the route then waits ``latencyMs`` (on the injectable clock), and fails
with ``errorStatus`` (enveloped, code ``INTERNAL_ERROR``, ``details.injected`` true):

- the first ``burst`` requests after the fault was set, always (a deterministic outage);
- after that, each with probability ``errorRate``, drawn from ``random.Random(seed)``, so the
  same requests in the same order fail the same way on every run.

With ``after`` the handler runs first and its work stands (the interview is created, the
webhook registered), then its answer is replaced: the "saved, but the answer was lost" case a
naive client's retry turns into a duplicate. With ``drop`` the connection is closed with no
answer at all instead of ``errorStatus`` (before or after the work).

``GET /_harness/faults`` lists the faults with their counters; ``DELETE /_harness/faults`` and
``POST /_harness/reset`` clear them. The control API itself is never faulted.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from harness.domain.numbers import JsonInt
from harness.errors import ApiError, ValidationFailed

from .journal import DROPPED
from .routing import PREFIXES
from .state import CLOCK

CONTROL_PREFIX = "/_harness/"
MAX_LATENCY_MS = 60_000


class FaultSpec(BaseModel):
    # Strict like every other request body (docs/decisions.md, "strict types").
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", strict=True
    )

    route: Annotated[str, StringConstraints(pattern=r"^[A-Z]+ /\S*$", max_length=300)]
    latency_ms: JsonInt = Field(default=0, ge=0, le=MAX_LATENCY_MS)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    error_status: JsonInt = Field(default=503, ge=500, le=599)
    burst: JsonInt = Field(default=0, ge=0, le=1_000_000)
    seed: JsonInt = 0
    #: False: the fault strikes before the handler (nothing happens). True: the handler runs
    #: and its work stands (an interview is created), then the answer is lost.
    after: bool = False
    #: True: the connection is closed with no answer at all instead of ``errorStatus``.
    drop: bool = False


class InjectedFault(ApiError):
    code = "INTERNAL_ERROR"

    def __init__(self, status: int, route: str, number: int, after: bool = False) -> None:
        details: dict[str, Any] = {"injected": True, "route": route, "request": number}
        if after:
            details["after"] = True
        done = " after the work was done" if after else ""
        super().__init__(f"injected fault on {route} (request {number}){done}", details)
        self.status = status


@dataclass
class Fault:
    spec: FaultSpec
    rng: random.Random
    seen: int = 0
    injected: int = 0

    def fails(self) -> bool:
        """Counts one request; True when it must fail."""
        self.seen += 1
        failed = self.seen <= self.spec.burst
        if not failed and self.spec.error_rate > 0:
            failed = self.rng.random() < self.spec.error_rate
        self.injected += failed
        return failed

    def wire(self) -> dict[str, Any]:
        return {**self.spec.model_dump(by_alias=True), "seen": self.seen, "injected": self.injected}


def _strip_alias(path: str) -> str:
    for prefix in PREFIXES:
        if prefix and path.startswith(prefix + "/"):
            return path.removeprefix(prefix)
    return path


@dataclass
class Faults:
    """The faults of one mock API, by ``"METHOD /route"``."""

    by_route: dict[str, Fault] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_route)

    def set(self, spec: FaultSpec, routes: set[str]) -> Fault:
        method, _, path = spec.route.partition(" ")
        route = f"{method} {_strip_alias(path.rstrip('/') or '/')}"
        if route.partition(" ")[2].startswith(CONTROL_PREFIX):
            raise ValidationFailed.one("route", "the control API cannot be faulted")
        if route not in routes:
            raise ValidationFailed.one(
                "route", f"no such route {route!r}; routes look like 'GET /interviews/{{id}}'"
            )
        fault = Fault(spec.model_copy(update={"route": route}), random.Random(spec.seed))
        self.by_route[route] = fault
        return fault

    def clear(self) -> None:
        self.by_route.clear()

    def match(self, request: web.Request) -> Fault | None:
        resource = request.match_info.route.resource
        if resource is None:
            return None
        return self.by_route.get(f"{request.method} {_strip_alias(resource.canonical)}")


FAULTS = web.AppKey("faults", Faults)


def api_routes(app: web.Application) -> set[str]:
    """``"METHOD /route"`` of every API route a fault may name."""
    return {
        f"{route.method} {_strip_alias(resource.canonical)}"
        for resource in app.router.resources()
        for route in resource
        if route.method != "HEAD" and not resource.canonical.startswith(CONTROL_PREFIX)
    }


def route_pattern(routes: Iterable[str]) -> str:
    """The JSON Schema ``pattern`` of ``route`` in ``schemas/fault-create.json`` (a test keeps
    them equal): exactly what :meth:`Faults.set` takes of ``routes`` (``api_routes``), i.e. one
    of them, its path optionally under ``/v1``, trailing slashes allowed."""
    alternatives = []
    for route in sorted(routes):
        method, _, path = route.partition(" ")
        escaped = re.sub(r"([.{}])", r"\\\1", path[1:])
        alternatives.append(f"{method} /(?:v1/)?{escaped}")
    return "^(?:" + "|".join(alternatives) + ")/*$(?!\\n)"


def _drop(request: web.Request) -> web.StreamResponse:
    """Closes the connection without an answer: the client sees it reset (no status line)."""
    request[DROPPED] = True
    transport = request.transport
    if transport is not None:
        transport.abort()
    return web.Response(status=204)  # never written: the transport is gone


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    faults = request.app[FAULTS]
    fault = faults.match(request) if faults else None
    if fault is None:
        return await handler(request)
    spec = fault.spec
    if spec.latency_ms:
        await request.app[CLOCK].sleep(spec.latency_ms / 1000)
    if not fault.fails():
        return await handler(request)
    if spec.after:
        # The work is done and kept whatever the handler answered; only its answer is lost.
        await handler(request)
    if spec.drop:
        return _drop(request)
    raise InjectedFault(spec.error_status, spec.route, fault.seen, spec.after)
