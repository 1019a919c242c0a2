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
"""

from __future__ import annotations

import functools

from aiohttp import web

from harness import paging
from harness.delivery.webhooks import parse_event
from harness.errors import NotFound, ValidationFailed

from .body import path_uuid, query_text, query_uuid, read_model
from .control import _loopback_only
from .envelope import created, ok
from .pagination import cursor_query
from .state import STORE
from .webhooks import DISPATCHER, WEBHOOKS, WebhookCreate, new_webhook, send_ping

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


async def ping(request: web.Request) -> web.Response:
    _loopback_only(request)
    hook_id = path_uuid(request)
    hook = request.app[WEBHOOKS].get(hook_id)
    if hook is None:
        raise NotFound("Webhook", str(hook_id))
    return ok(request, send_ping(request, hook))


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/_harness/deliveries", list_deliveries)
    r.add_post("/_harness/webhooks", create_webhook)
    r.add_get("/_harness/webhooks", list_webhooks)
    r.add_post("/_harness/webhooks/{id}/test", ping)
