"""``/_harness/deliveries`` and ``/_harness/webhooks``: the delivery side of the control API.

- ``GET /_harness/deliveries?webhookId=&event=&interviewId=&deliveryId=&outcome=&order=&limit=
  &cursor=`` lists the attempts the log keeps, oldest first (``order=newest``: newest first), a
  page at a time (:mod:`harness.paging`), as ``{items: [attempt...], total, pending, next,
  retention}``: ``total`` counts every matching attempt kept, ``retention`` is the log's cap
  and how many it evicted (:mod:`harness.delivery.log`).
- ``POST /_harness/webhooks`` creates a webhook with the same body as ``POST /webhooks``; without
  ``companyId`` it is *global* (every company's events). ``GET /_harness/webhooks?limit=&cursor=``
  lists every webhook *with* its ``signingSecret`` (loopback only: the harness's own view), oldest
  first, a page at a time (``{items, next}``).
- ``POST /_harness/webhooks/{id}/test`` pings any webhook, global ones included.
- ``POST /_harness/webhooks/{id}/secret {signingSecret}`` gives a webhook the secret the caller
  chose (64 lower-case hex, as the vendor issues), so a handler can be started with its secret
  before the webhook exists; reset gives a world webhook its seeded secret back.
- ``POST /_harness/webhooks/{id}/reset-circuit`` closes any webhook's circuit (as
  ``POST /webhooks/{id}/reset-circuit`` does for a key's own), global ones included; the
  inspector's "Reset circuit" button goes through the receiver's ``/mock/*`` proxy to it.
"""

from __future__ import annotations

import functools
from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

from harness import paging
from harness.delivery.webhooks import Webhook, parse_event
from harness.errors import NotFound, ValidationFailed

from .body import path_uuid, query_text, query_uuid, read_model
from .control import _loopback_only
from .envelope import created, ok
from .pagination import cursor_query
from .state import CLOCK, STORE
from .webhook_ping import queue_ping
from .webhooks import DISPATCHER, WEBHOOKS, WebhookCreate, new_webhook


class WebhookSecret(BaseModel):
    """schemas/webhook-secret.json."""

    model_config = ConfigDict(alias_generator=to_camel, extra="forbid", strict=True)

    signing_secret: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


OUTCOMES = ("delivered", "retrying", "failed", "skipped", "error")
ORDERS = ("oldest", "newest")


async def list_deliveries(request: web.Request) -> web.Response:
    _loopback_only(request)
    raw_event = query_text(request, "event")
    event = None
    if raw_event is not None:
        try:
            event = parse_event(raw_event)
        except ValueError as exc:
            raise ValidationFailed.one("event", str(exc)) from exc
    outcome = query_text(request, "outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise ValidationFailed.one("outcome", f"must be one of {', '.join(OUTCOMES)}")
    order = query_text(request, "order") or "oldest"
    if order not in ORDERS:
        raise ValidationFailed.one("order", f"must be one of {', '.join(ORDERS)}")
    dispatcher = request.app[DISPATCHER]
    attempts = dispatcher.log
    kind = "attempts" if order == "oldest" else "attempts-newest"
    newest_first = order == "newest"
    limit, after = cursor_query(request, kind, attempts.last_seq + newest_first)
    matching = functools.partial(
        attempts.find,
        webhook_id=query_uuid(request, "webhookId"),
        event=event,
        interview_id=query_uuid(request, "interviewId"),
        delivery_id=query_uuid(request, "deliveryId"),
        outcome=outcome,
    )
    found = matching(after=after, newest_first=newest_first)
    page = paging.take(kind, found, lambda a: a.seq, limit)
    total = sum(1 for _ in matching())
    return ok(
        request,
        {
            "items": [a.wire() for a in page.items],
            "total": total,
            "pending": dispatcher.pending,
            "next": page.next,
            "retention": attempts.retention.wire(len(attempts)),
        },
    )


async def create_webhook(request: web.Request) -> web.Response:
    _loopback_only(request)
    body = await read_model(request, WebhookCreate)
    if body.company_id is not None and body.company_id not in request.app[STORE].companies:
        raise NotFound("Company", str(body.company_id))
    hook = new_webhook(request, body, body.company_id)
    return created(request, hook.wire(with_secret=True))


async def list_webhooks(request: web.Request) -> web.Response:
    _loopback_only(request)
    registry = request.app[WEBHOOKS]
    limit, after = cursor_query(request, "webhooks", registry.last_seq)
    page = paging.take("webhooks", registry.after(after), registry.seq, limit)
    items = [h.wire(with_secret=True) for h in page.items]
    return ok(request, {"items": items, "next": page.next})


def _hook(request: web.Request) -> Webhook:
    """The webhook of the path's ``{id}``, for the control API (loopback only; 404 if none)."""
    _loopback_only(request)
    hook_id = path_uuid(request)
    hook = request.app[WEBHOOKS].get(hook_id)
    if hook is None:
        raise NotFound("Webhook", str(hook_id))
    return hook


async def ping(request: web.Request) -> web.Response:
    hook = _hook(request)
    return ok(request, queue_ping(request, hook))


async def set_secret(request: web.Request) -> web.Response:
    hook = _hook(request)
    body = await read_model(request, WebhookSecret)
    hook.signing_secret = body.signing_secret
    hook.updated_at = request.app[CLOCK].now()
    return ok(request, hook.wire(with_secret=True))


async def reset_circuit(request: web.Request) -> web.Response:
    hook = _hook(request)
    hook.close_circuit(request.app[CLOCK].now())
    return ok(request, hook.wire())


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/_harness/deliveries", list_deliveries)
    r.add_post("/_harness/webhooks", create_webhook)
    r.add_get("/_harness/webhooks", list_webhooks)
    r.add_post("/_harness/webhooks/{id}/test", ping)
    r.add_post("/_harness/webhooks/{id}/secret", set_secret)
    r.add_post("/_harness/webhooks/{id}/reset-circuit", reset_circuit)
