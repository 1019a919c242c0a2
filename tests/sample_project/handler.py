"""The user's webhook handler: verifies Standard Webhooks signatures with the official library,
processes each ``webhook-id`` once, and keeps each interview's outcome whatever the order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Results:
    """What the handler stored: the app's "database"."""

    #: The webhook's secret as the official library takes it (``whsec_…``).
    secret: str = ""
    interviews: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Every ``webhook-id`` processed, in order: a duplicate processed twice shows twice.
    processed: list[str] = field(default_factory=list)


RESULTS = web.AppKey("results", Results)


def record(results: Results, payload: dict[str, Any]) -> None:
    """Order-independent: the analysis may arrive before the interview's completion."""
    data = payload["data"]
    interview = results.interviews.setdefault(data["interviewId"], {})
    event = payload["event"]
    if event.startswith("interview."):
        interview["status"] = data["status"]
    elif event == "analysis.completed":
        interview["rating"] = data["analysis"]["general"]["overallRating"]
    elif event == "analysis.failed":
        interview["analysisError"] = data["error"]["code"]


async def receive(request: web.Request) -> web.Response:
    results = request.app[RESULTS]
    body = await request.read()
    try:
        payload = Webhook(results.secret).verify(body, dict(request.headers))
    except WebhookVerificationError:
        return web.json_response({"error": "bad signature"}, status=401)
    webhook_id = request.headers["webhook-id"]
    if webhook_id in results.processed:
        return web.Response(status=200, text="already processed")
    if payload.get("event") != "ping":
        record(results, payload)
    results.processed.append(webhook_id)
    return web.Response(status=204)


def create_app(results: Results) -> web.Application:
    app = web.Application()
    app[RESULTS] = results
    app.router.add_post("/webhooks/instaview", receive)
    return app
