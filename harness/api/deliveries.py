"""``/_harness/deliveries`` and ``/_harness/webhooks``: the delivery side of the control API.

- ``GET /_harness/deliveries?webhookId=&event=&interviewId=&deliveryId=&outcome=`` lists every
  attempt (oldest first) as ``{items: [attempt...], total, pending}``.
- ``POST /_harness/webhooks`` creates a webhook with the same body as ``POST /webhooks``; without
  ``companyId`` it is *global* (every company's events). ``GET /_harness/webhooks`` lists every
  webhook *with* its ``signingSecret`` (loopback only: the harness's own view).
- ``POST /_harness/webhooks/{id}/test`` pings any webhook, global ones included.
"""

from __future__ import annotations

from aiohttp import web

from harness.delivery.webhooks import parse_event
from harness.errors import NotFound, ValidationFailed

from .body import path_uuid, query_text, query_uuid, read_model
from .control import _loopback_only
from .envelope import created, ok
from .state import STORE
from .webhook_ping import queue_ping
from .webhooks import DISPATCHER, WEBHOOKS, WebhookCreate, new_webhook

OUTCOMES = ("delivered", "retrying", "failed", "skipped", "error")


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
    dispatcher = request.app[DISPATCHER]
    found = dispatcher.log.find(
        webhook_id=query_uuid(request, "webhookId"),
        event=event,
        interview_id=query_uuid(request, "interviewId"),
        delivery_id=query_uuid(request, "deliveryId"),
        outcome=outcome,
    )
    return ok(
        request,
        {"items": [a.wire() for a in found], "total": len(found), "pending": dispatcher.pending},
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
    hooks = request.app[WEBHOOKS].all()
    return ok(request, {"items": [h.wire(with_secret=True) for h in hooks]})


async def ping(request: web.Request) -> web.Response:
    _loopback_only(request)
    hook_id = path_uuid(request)
    hook = request.app[WEBHOOKS].get(hook_id)
    if hook is None:
        raise NotFound("Webhook", str(hook_id))
    return ok(request, queue_ping(request, hook))


def register(app: web.Application) -> None:
    r = app.router
    r.add_get("/_harness/deliveries", list_deliveries)
    r.add_post("/_harness/webhooks", create_webhook)
    r.add_get("/_harness/webhooks", list_webhooks)
    r.add_post("/_harness/webhooks/{id}/test", ping)
