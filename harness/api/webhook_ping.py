"""Pings: ``POST /webhooks/{id}/test`` (the vendor's synchronous test) and the control API's
queued ping (``POST /_harness/webhooks/{id}/test``).

The vendor's test (docs.instaview.sk, api-reference/webhooks/test-webhook) answers after the
ping was attempted: ``{success, deliveryId, httpStatus, durationMs, message}`` when the target
answered 2xx, ``{success: false, message}`` otherwise (a failing or unreachable target, a webhook
not subscribed to ``ping``, a webhook switched off or with its circuit open), always 200. It is
one attempt (no retry, no injected mode, the circuit's counters untouched), logged in
``GET /_harness/deliveries`` like any other. The control API's ping is queued like any event
(retries, modes, circuit) and answers ``{webhookId, event, deliveryId}`` at once.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from harness.delivery.webhooks import Webhook, url_problem
from harness.domain.enums import EventType
from harness.errors import ValidationFailed

from .auth import authenticate
from .envelope import ok
from .routing import add_route
from .state import CONFIG
from .webhooks import DISPATCHER, owned

#: The ``data`` of every ping the harness sends.
PING_MESSAGE = "Test event from the Instaview harness"
NOT_SUBSCRIBED = (
    "Webhook is not subscribed to ping events. Add the ping event to the webhook configuration."
)
NO_DELIVERY = (
    "No delivery was created. This may indicate the webhook is disabled or circuit breaker is open."
)
SUCCESS = "Webhook test successful!"


def ping_data(hook: Webhook) -> dict[str, Any]:
    return {"webhookId": str(hook.id), "message": PING_MESSAGE}


async def test_webhook(request: web.Request) -> web.Response:
    company = authenticate(request, "write:webhooks")
    hook = owned(request, company)
    return ok(request, await attempt_ping(request, hook))


async def attempt_ping(request: web.Request, hook: Webhook) -> dict[str, Any]:
    """The vendor's test result for one synchronous ping of ``hook``."""
    if not hook.subscribes(EventType.PING):
        return {"success": False, "message": NOT_SUBSCRIBED}
    blocked = hook.blocked or url_problem(hook.url, request.app[CONFIG].allow_remote_webhooks)
    if blocked is not None:
        return {"success": False, "message": f"{NO_DELIVERY} ({blocked})"}
    dispatcher = request.app[DISPATCHER]
    delivery_id, sent = await dispatcher.send_now(hook, EventType.PING, ping_data(hook))
    if sent.error is not None:
        return {"success": False, "message": f"Webhook test failed: {sent.error}"}
    assert sent.status is not None  # a 2xx was answered
    return {
        "success": True,
        "deliveryId": str(delivery_id),
        "httpStatus": sent.status,
        "durationMs": round(sent.latency_ms),
        "message": SUCCESS,
    }


def queue_ping(request: web.Request, hook: Webhook) -> dict[str, Any]:
    """Queues a ping like any event (the control API's test); 400 unless ``hook`` takes pings."""
    if not hook.subscribes(EventType.PING):
        raise ValidationFailed.one(
            "events", "the webhook does not subscribe to ping; add it to events first"
        )
    delivery_id = request.app[DISPATCHER].send(hook, EventType.PING, ping_data(hook))
    return {"webhookId": str(hook.id), "event": "ping", "deliveryId": str(delivery_id)}


def register(app: web.Application) -> None:
    add_route(app, "POST", "/webhooks/{id}/test", test_webhook)
