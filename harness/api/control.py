"""``/_harness/*``: the harness's own control API (contract section 5). No auth; loopback only."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from aiohttp import web

from harness.domain import lifecycle, phone
from harness.domain.models import Interview
from harness.domain.requests import CompleteInterview, FailInterview
from harness.errors import ApiError, NotFound

from .body import parse, path_uuid, read_body
from .envelope import ok
from .state import CLOCK, DISPATCHER, SINK, STORE, WORLD

#: Callables run on ``POST /_harness/reset`` after the world is reseeded (webhooks, deliveries).
RESET_HOOKS = web.AppKey("reset_hooks", list[Callable[[], None]])


class NotLoopback(ApiError):
    status = 403
    code = "RESOURCE_ACCESS_DENIED"


def _loopback_only(request: web.Request) -> None:
    remote = request.remote or ""
    try:
        if ipaddress.ip_address(remote).is_loopback:
            return
    except ValueError:
        pass
    raise NotLoopback("the control API answers loopback clients only", {"remote": remote})


def reset_world(app: web.Application) -> None:
    """Empty the store and seed the world again; then every reset hook."""
    store = app[STORE]
    store.clear()
    app[WORLD].seed(store, app[CLOCK].now())
    for hook in app[RESET_HOOKS]:
        hook()


async def health(request: web.Request) -> web.Response:
    _loopback_only(request)
    return ok(request, {"status": "ok"})


async def world(request: web.Request) -> web.Response:
    _loopback_only(request)
    companies: list[dict[str, Any]] = []
    now = request.app[CLOCK].now()
    for c in request.app[STORE].companies.values():
        companies.append(
            {
                "id": str(c.id),
                "name": c.name,
                "plan": c.plan.value if c.plan is not None else None,
                "billing": {"minutesLimit": c.minutes_limit, "minutesUsed": c.minutes_used},
                "apiKeys": [
                    {
                        "id": str(k.id),
                        "key": k.key,
                        "scopes": sorted(k.scopes),
                        "status": k.status(now),
                    }
                    for k in c.api_keys
                ],
                "phoneNumbers": [str(p) for p in c.phone_numbers],
            }
        )
    store = request.app[STORE]
    log = request.app[DISPATCHER].log
    retention = {
        "interviews": store.interview_retention.wire(len(store.interviews)),
        "deliveryAttempts": log.retention.wire(len(log)),
    }
    return ok(request, {"companies": companies, "retention": retention})


async def reset(request: web.Request) -> web.Response:
    _loopback_only(request)
    reset_world(request.app)
    return ok(request, {"reset": True})


def _interview(request: web.Request) -> Interview:
    interview_id = path_uuid(request)
    interview = request.app[STORE].interviews.get(interview_id)
    if interview is None:
        raise NotFound("Interview", str(interview_id))
    return interview


async def _body_or_default(request: web.Request, model: type[Any]) -> Any:
    raw = await read_body(request)
    return parse(raw, model) if raw.strip() else model()


async def start(request: web.Request) -> web.Response:
    _loopback_only(request)
    interview = _interview(request)
    agent = request.app[STORE].agents[interview.agent_id]
    events = lifecycle.start(interview, agent, request.app[CLOCK].now())
    request.app[SINK].publish([] if interview.suppress_events else events)
    return ok(request, interview.wire())


async def complete(request: web.Request) -> web.Response:
    _loopback_only(request)
    interview = _interview(request)
    body: CompleteInterview = await _body_or_default(request, CompleteInterview)
    store = request.app[STORE]
    events = lifecycle.complete(
        interview,
        store.agents[interview.agent_id],
        store.companies[interview.company_id],
        body.duration_minutes,
        body.analysis_fails,
        request.app[CLOCK].now(),
    )
    request.app[SINK].publish(events)
    return ok(request, interview.wire())


async def fail(request: web.Request) -> web.Response:
    _loopback_only(request)
    interview = _interview(request)
    body: FailInterview = await _body_or_default(request, FailInterview)
    events = lifecycle.fail(interview, body.code, body.message, request.app[CLOCK].now())
    request.app[SINK].publish([] if interview.suppress_events else events)
    return ok(request, interview.wire())


async def unanswered(request: web.Request) -> web.Response:
    _loopback_only(request)
    interview = _interview(request)
    body: phone.UnansweredCall = await _body_or_default(request, phone.UnansweredCall)
    agent = request.app[STORE].agents[interview.agent_id]
    events = phone.unanswered(interview, agent, body, request.app[CLOCK].now())
    request.app[SINK].publish(events)
    return ok(request, interview.wire())


async def call_failed(request: web.Request) -> web.Response:
    _loopback_only(request)
    interview = _interview(request)
    body: phone.FailedCall = await _body_or_default(request, phone.FailedCall)
    agent = request.app[STORE].agents[interview.agent_id]
    events = phone.call_failed(interview, agent, body, request.app[CLOCK].now())
    request.app[SINK].publish(events)
    return ok(request, interview.wire())


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/_harness/health", health)
    r.add_get("/_harness/world", world)
    r.add_post("/_harness/reset", reset)
    r.add_post("/_harness/interviews/{id}/start", start)
    r.add_post("/_harness/interviews/{id}/complete", complete)
    r.add_post("/_harness/interviews/{id}/fail", fail)
    r.add_post("/_harness/interviews/{id}/unanswered", unanswered)
    r.add_post("/_harness/interviews/{id}/call-failed", call_failed)
