"""``/interviews``: create (contract section 3), get, list by candidate, soft delete."""

from __future__ import annotations

from aiohttp import web

from harness.domain.calls import cancel_scheduled
from harness.domain.enums import InterviewStatus
from harness.domain.interviews import create_interview
from harness.domain.requests import CreateInterview
from harness.errors import ValidationFailed

from .auth import authenticate
from .body import path_uuid, query_text, query_uuid, read_model
from .envelope import created, ok
from .pagination import page_of
from .routing import add_route
from .state import CLOCK, SINK, STORE
from .webhooks import DISPATCHER


async def create(request: web.Request) -> web.Response:
    company = authenticate(request, "write:interviews", "read:candidates", "read:agents")
    body = await read_model(request, CreateInterview)
    interview, events = create_interview(
        request.app[STORE], company, body, request.app[CLOCK].now()
    )
    request.app[SINK].publish(events)
    # retention: the oldest finished interviews past the cap go (never one still being delivered)
    request.app[STORE].evict_interviews(request.app[DISPATCHER].busy, keep=interview.id)
    return created(request, interview.wire())


async def get(request: web.Request) -> web.Response:
    company = authenticate(request, "read:interviews")
    interview = request.app[STORE].interviews.owned(path_uuid(request), company)
    return ok(request, interview.wire())


async def list_(request: web.Request) -> web.Response:
    company = authenticate(request, "read:interviews")
    store = request.app[STORE]
    candidate_id = query_uuid(request, "candidateId", required=True)
    assert candidate_id is not None
    store.candidates.owned(candidate_id, company)  # 404 when missing or deleted, 403 if foreign
    agent_id = query_uuid(request, "agentId")
    status = query_text(request, "status")
    if status is not None and status not in InterviewStatus.__members__:
        raise ValidationFailed.one("status", f"must be one of {', '.join(InterviewStatus)}")
    items = store.interviews.visible(
        company,
        lambda i: (
            i.candidate_id == candidate_id
            and (agent_id is None or i.agent_id == agent_id)
            and (status is None or i.status == status)
        ),
    )
    return ok(request, page_of(request, items, lambda i: i.wire()))


async def delete(request: web.Request) -> web.Response:
    company = authenticate(request, "delete:interviews")
    interview = request.app[STORE].interviews.owned(path_uuid(request), company)
    interview.deleted_at = request.app[CLOCK].now()
    cancel_scheduled(interview, "The interview was deleted")  # vendor: delete-interview
    if interview.status is InterviewStatus.IN_PROGRESS:
        interview.suppress_events = True
    return ok(request, True)


def register(app: web.Application) -> None:
    add_route(app, "POST", "/interviews", create)
    add_route(app, "GET", "/interviews", list_)
    add_route(app, "GET", "/interviews/{id}", get)
    add_route(app, "DELETE", "/interviews/{id}", delete)
