"""The fixtures' daily-driver calls: ``serve_app``, chosen secrets, faults after the work, the
request journal and the test defaults of ``HarnessConfig.for_tests``."""

from __future__ import annotations

import http.client
import json
import secrets
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import flask
import pytest
from aiohttp import web
from fastapi import FastAPI, Request, Response
from standardwebhooks import Webhook as StandardWebhook

from harness import HarnessConfig, Instaview, InstaviewSync, RecordedRequest, UnexpectedResponse
from harness.config import DEFAULT_RETRY_SCHEDULE, TEST_DEFAULTS, TEST_RETRY_SCHEDULE
from harness.delivery.signing import whsec

SECRET = secrets.token_hex(32)


def flask_app(secret: str, seen: list[dict[str, Any]]) -> flask.Flask:
    """A handler configured with its secret before any webhook exists."""
    app = flask.Flask("user-handler")
    verifier = StandardWebhook(whsec(secret))

    @app.post("/webhooks/instaview")
    def receive() -> tuple[str, int]:
        verifier.verify(flask.request.get_data(), dict(flask.request.headers))
        seen.append(flask.request.get_json())
        return "", 204

    return app


def test_a_flask_handler_served_in_the_test_gets_deliveries_signed_with_its_chosen_secret(
    instaview_sync: InstaviewSync,
) -> None:
    seen: list[dict[str, Any]] = []
    url = instaview_sync.serve_app(flask_app(SECRET, seen))
    assert url.startswith("http://127.0.0.1:")
    hook = instaview_sync.register_webhook(f"{url}/webhooks/instaview", secret=SECRET)
    assert hook.secret == SECRET
    instaview_sync.create_interview()
    instaview_sync.drain()
    assert [e["event"] for e in seen] == ["interview.completed", "analysis.completed"]
    outcomes = {d["outcome"] for d in instaview_sync.deliveries(webhook_id=hook.id)}
    assert outcomes == {"delivered"}


async def test_a_fastapi_handler_served_from_an_async_test(instaview: Instaview) -> None:
    app = FastAPI()
    seen: list[str] = []

    @app.post("/hooks")
    async def hooks(request: Request) -> Response:
        body = await request.body()
        StandardWebhook(whsec(SECRET)).verify(body, dict(request.headers))
        seen.append(json.loads(body)["event"])
        return Response(status_code=204)

    url = await instaview.serve_app(app)
    hook = await instaview.register_webhook(f"{url}/hooks", ["ping"], secret=SECRET)
    await instaview.request("POST", f"/webhooks/{hook.id}/test")
    await instaview.drain()
    assert seen == ["ping"]


def test_an_aiohttp_app_is_served_too(instaview_sync: InstaviewSync) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/h", hello)
    url = instaview_sync.serve_app(app)
    hook = instaview_sync.register_webhook(f"{url}/h", ["ping"])
    instaview_sync.request("POST", f"/webhooks/{hook.id}/test")
    instaview_sync.drain()
    assert [d["outcome"] for d in instaview_sync.deliveries(webhook_id=hook.id)] == ["delivered"]


def test_the_served_apps_stop_when_the_facade_closes(instaview_sync: InstaviewSync) -> None:
    facade = InstaviewSync(instaview_sync._harness)
    url = facade.serve_app(flask_app(SECRET, []))
    facade.close()
    parts = urlsplit(url)
    with pytest.raises(OSError):
        http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5).connect()


def test_a_chosen_secret_verifies_on_the_receiver(instaview_sync: InstaviewSync) -> None:
    hook = instaview_sync.register_webhook(events=["ping"], secret=SECRET)
    instaview_sync.request("POST", f"/webhooks/{hook.id}/test")
    captured = instaview_sync.wait_for("ping", channel=hook.channel)
    assert captured.signature == "valid"
    assert captured.verified_by is not None and captured.verified_by["webhookId"] == hook.id


def test_a_chosen_secret_on_a_global_webhook(instaview_sync: InstaviewSync) -> None:
    hook = instaview_sync.register_webhook(company=None, secret=SECRET)
    listed = instaview_sync.request("GET", "/_harness/webhooks").data["items"]
    assert [h["signingSecret"] for h in listed if h["id"] == hook.id] == [SECRET]


@pytest.mark.parametrize(
    "bad", ["", "ab" * 31, "AB" * 32, "zz" * 32, "whsec_" + "a" * 58, "ab" * 33]
)
def test_a_malformed_secret_is_refused_before_anything_is_created(
    instaview_sync: InstaviewSync, bad: str
) -> None:
    before = len(instaview_sync.request("GET", "/_harness/webhooks").data["items"])
    with pytest.raises(ValueError, match="64 lower-case hexadecimal digits"):
        instaview_sync.register_webhook(secret=bad)
    assert len(instaview_sync.request("GET", "/_harness/webhooks").data["items"]) == before


def test_the_secret_route_names_the_field_it_refuses(instaview_sync: InstaviewSync) -> None:
    hook = instaview_sync.register_webhook()
    path = f"/_harness/webhooks/{hook.id}/secret"
    for body in ({"signingSecret": "AB" * 32}, {"signingSecret": 5}, {}):
        refused = instaview_sync.request("POST", path, body)
        assert refused.status == 400
        assert refused.body["error"]["details"]["errors"][0]["field"] == "signingSecret"
    missing = "/_harness/webhooks/99999999-9999-4999-8999-999999999999/secret"
    assert instaview_sync.request("POST", missing, {"signingSecret": SECRET}).status == 404


def test_a_naive_retry_after_a_lost_answer_makes_a_duplicate(instaview_sync: InstaviewSync) -> None:
    instaview_sync.inject_fault("POST /interviews", burst=1, after=True)
    created = []
    for _attempt in range(2):  # a client that retries every 5xx without an idempotency check
        try:
            created.append(instaview_sync.create_interview())
            break
        except UnexpectedResponse as error:
            assert error.response.status == 503
    sent = instaview_sync.requests("POST", "/interviews")
    assert [r.status for r in sent] == [503, 201]
    assert sent[0].json == sent[1].json  # the same body twice
    instaview_sync.drain()
    completed = instaview_sync.events("interview.completed")
    assert len(completed) == 2  # two interviews exist: the lost one and the retry's


async def test_a_dropped_answer_after_the_work_leaves_the_interview(instaview: Instaview) -> None:
    await instaview.inject_fault("POST /interviews", burst=1, after=True, drop=True)
    with pytest.raises(aiohttp.ClientError):
        await instaview.create_interview()
    (sent,) = await instaview.requests("POST", "/interviews")
    assert sent.status is None  # no answer at all
    await instaview.wait_for("analysis.completed")  # yet the interview exists and ran


def test_the_journal_on_the_fixture_records_headers_bodies_and_statuses(
    instaview_sync: InstaviewSync,
) -> None:
    instaview_sync.request("GET", "/jobs", headers={"Idempotency-Key": "k-1"})
    instaview_sync.request("POST", "/jobs", {"title": ""})
    got = instaview_sync.requests()
    assert [(r.method, r.path, r.status) for r in got] == [
        ("GET", "/jobs", 200),
        ("POST", "/jobs", 400),
    ]
    first: RecordedRequest = got[0]
    assert first.header("idempotency-key") == "k-1"
    assert first.header("Authorization") == "Bearer ****" + instaview_sync.keys["acme"][-4:]
    assert first.body is None and first.json is None
    assert got[1].json == {"title": ""}
    assert [r.path for r in instaview_sync.requests(status=400)] == ["/jobs"]
    assert [r.id for r in instaview_sync.requests(after=first.id)] == [got[1].id]
    assert len(instaview_sync.requests(limit=1)) == 1
    assert instaview_sync.requests(route="GET /jobs")[0].route == "GET /jobs"


async def test_the_journal_from_an_async_test_is_empty_after_the_reset(
    instaview: Instaview,
) -> None:
    assert await instaview.requests() == []
    await instaview.request("GET", "/agents")
    assert [r.path for r in await instaview.requests(method="GET")] == ["/agents"]


# -- the test defaults --------------------------------------------------------------------------


def test_for_tests_overriding_one_field_keeps_the_other_test_defaults() -> None:
    config = HarnessConfig.for_tests(signing_scheme="hex")
    assert config.signing_scheme == "hex"
    assert config.retry_schedule == TEST_RETRY_SCHEDULE
    assert (config.db_path, config.port, config.receiver_port) == (":memory:", 0, 0)
    assert config.shutdown_grace_s == TEST_DEFAULTS["shutdown_grace_s"]
    assert HarnessConfig().retry_schedule == DEFAULT_RETRY_SCHEDULE  # serve's defaults unchanged
    assert HarnessConfig.for_tests(retry_schedule=(1.0,)).retry_schedule == (1.0,)
    with pytest.raises(ValueError, match="retry delays"):
        HarnessConfig.for_tests(retry_schedule=(-1.0,))


def test_the_plugin_config_is_the_test_defaults(instaview_config: HarnessConfig) -> None:
    assert instaview_config == HarnessConfig.for_tests()
