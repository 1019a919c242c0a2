"""The sample project's own tests: only the plugin's public API (the ``instaview`` fixture and
``harness``'s exports) plus pytest-aiohttp to serve the handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from harness import Instaview, Webhook
from tests.sample_project import broken, handler
from tests.sample_project.handler import Results

Serve = Callable[[Callable[[Results], web.Application]], Awaitable[tuple[Results, Webhook]]]


@pytest.fixture
def serve(instaview: Instaview, aiohttp_server: Any) -> Serve:
    """Serves a handler app and registers a webhook of every event pointing at it."""

    async def start(factory: Callable[[Results], web.Application]) -> tuple[Results, Webhook]:
        results = Results()
        server = await aiohttp_server(factory(results))
        hook = await instaview.register_webhook(str(server.make_url("/webhooks/instaview")))
        results.secret = hook.whsec
        return results, hook

    return start


async def test_stores_the_outcome_of_a_test_interview(instaview: Instaview, serve: Serve) -> None:
    results, _ = await serve(handler.create_app)
    interview = await instaview.create_interview()
    analysis = await instaview.wait_for("analysis.completed", interview_id=interview["id"])
    await instaview.drain()
    assert results.interviews[interview["id"]] == {
        "status": "COMPLETED",
        "rating": analysis.data["analysis"]["general"]["overallRating"],
    }


async def test_refuses_every_forgery_and_accepts_every_genuine_delivery(
    instaview: Instaview, serve: Serve
) -> None:
    _, hook = await serve(handler.create_app)
    report = await instaview.signature_matrix(hook.url, hook.secret)
    assert report.ok, report.render()


async def test_processes_a_duplicated_delivery_once(instaview: Instaview, serve: Serve) -> None:
    results, hook = await serve(handler.create_app)
    await instaview.delivery_modes(hook.id, duplicate=True)
    interview = await instaview.create_interview()
    await instaview.drain()
    attempts = await instaview.deliveries(webhook_id=hook.id)
    assert [a["statusCode"] for a in attempts] == [204, 200, 204, 200]
    assert len(results.processed) == len(set(results.processed)) == 2
    assert results.interviews[interview["id"]]["status"] == "COMPLETED"


async def test_copes_with_the_analysis_arriving_first(instaview: Instaview, serve: Serve) -> None:
    results, hook = await serve(handler.create_app)
    await instaview.delivery_modes(hook.id, out_of_order=True)
    interview = await instaview.create_interview()
    await instaview.drain()
    events = [a["event"] for a in await instaview.deliveries(webhook_id=hook.id)]
    assert events == ["analysis.completed", "interview.completed"]
    assert set(results.interviews[interview["id"]]) == {"status", "rating"}


async def test_the_broken_twin_is_caught_by_the_matrix_and_the_duplicate_mode(
    instaview: Instaview, serve: Serve
) -> None:
    results, hook = await serve(broken.create_app)
    report = await instaview.signature_matrix(hook.url, hook.secret)
    assert not report.ok
    assert {r.name for r in report.wrongly_accepted} == {
        "expired-timestamp",
        "future-timestamp",
        "tampered-body",
        "wrong-secret",
        "missing-signature",
        "unknown-version",
    }
    assert report.wrongly_rejected == []

    results.processed.clear()
    await instaview.delivery_modes(hook.id, duplicate=True)
    await instaview.create_interview()
    await instaview.drain()
    assert len(results.processed) == 4
    assert len(set(results.processed)) == 2  # each delivery processed twice: caught
