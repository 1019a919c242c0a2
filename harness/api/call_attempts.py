"""``/interviews/{id}/call-attempts``: invoke, reschedule and delete a phone interview's call
attempts (docs/contract.md section 4), and ``/interviews/{id}/analysis-pdf``."""

from __future__ import annotations

from aiohttp import web

from harness.clock import iso
from harness.domain import phone
from harness.domain.lifecycle import analysis_pdf
from harness.domain.models import Agent, Interview
from harness.errors import NotFound

from .auth import authenticate
from .body import parse, path_uuid, read_body, read_model
from .envelope import created, ok
from .routing import add_route
from .state import CLOCK, STORE


def _owned(request: web.Request, *scopes: str) -> tuple[Interview, Agent]:
    company = authenticate(request, *scopes)
    store = request.app[STORE]
    interview = store.interviews.owned(path_uuid(request), company)
    return interview, store.agents[interview.agent_id]


def _phone(request: web.Request, *scopes: str) -> tuple[Interview, Agent]:
    """A phone interview of the key's company: 403 for an ONLINE one, before the body."""
    interview, agent = _owned(request, *scopes)
    phone.check_phone(interview, agent)
    return interview, agent


async def invoke(request: web.Request) -> web.Response:
    interview, agent = _phone(request, "write:interviews")
    raw = await read_body(request)  # no body at all: a call as soon as possible
    body = parse(raw, phone.CallAttemptCreate) if raw.strip() else phone.CallAttemptCreate()
    attempt = phone.invoke(interview, agent, body.scheduled_at, request.app[CLOCK].now())
    when = (
        "as soon as possible" if body.scheduled_at is None else f"for {iso(attempt.scheduled_at)}"
    )
    return created(request, {"success": True, "message": f"Call attempt scheduled {when}"})


async def reschedule(request: web.Request) -> web.Response:
    interview, agent = _phone(request, "write:interviews")
    attempt_id = path_uuid(request, "attemptId")
    body = await read_model(request, phone.CallAttemptReschedule)
    phone.reschedule(interview, agent, attempt_id, body.scheduled_at, request.app[CLOCK].now())
    return web.Response(status=204)


async def delete(request: web.Request) -> web.Response:
    interview, agent = _phone(request, "write:interviews", "delete:interviews")
    attempt_id = path_uuid(request, "attemptId")
    phone.remove(interview, agent, attempt_id, request.app[CLOCK].now())
    return web.Response(status=204)


async def pdf(request: web.Request) -> web.Response:
    """404 while there is no analysis (vendor: "in progress or has no analysis")."""
    interview, _ = _owned(request, "read:interviews")
    if interview.analysis is None:
        raise NotFound("Analysis", str(interview.id))
    return ok(request, {"analysisPdfBase64": analysis_pdf(interview, interview.analysis)})


def register(app: web.Application) -> None:
    add_route(app, "POST", "/interviews/{id}/call-attempts", invoke)
    add_route(app, "PATCH", "/interviews/{id}/call-attempts/{attemptId}", reschedule)
    add_route(app, "DELETE", "/interviews/{id}/call-attempts/{attemptId}", delete)
    add_route(app, "GET", "/interviews/{id}/analysis-pdf", pdf)
