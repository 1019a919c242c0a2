"""Webhook and control-API requests: what the API accepts and what their schemas accept agree.

As tests/test_schema_agreement.py does for the interview resources, for webhook-create,
webhook-patch, delivery-modes, fault-create, control-complete and control-fail; and for the
rules the handlers enforce beside the models: the webhook ``url`` syntax, the header names the
harness sets itself, header values without control characters, the fault ``route`` (one of
the API's routes) and the ``?event=`` spellings of ``GET /_harness/deliveries``
(``defs.json#/$defs/eventSpelling``).

Outside the agreement, as the schemas say in a description: a webhook host that is not loopback
(it depends on ``--allow-remote-webhooks``; the URL cases here are judged with remote hosts
allowed) and a ``companyId`` that is not the key's company (a store lookup).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from yarl import URL

from harness.api.app import create_api_app
from harness.api.body import parse
from harness.api.faults import Faults, FaultSpec, api_routes, route_pattern
from harness.api.webhooks import (
    HEADER_VALUE_PATTERN,
    WebhookCreate,
    WebhookPatch,
    reserved_header_pattern,
)
from harness.delivery.modes import DeliveryModes
from harness.delivery.webhooks import WEBHOOK_URL_PATTERN, parse_event, url_problem
from harness.domain.phone import (
    CallAttemptCreate,
    CallAttemptReschedule,
    FailedCall,
    UnansweredCall,
)
from harness.domain.requests import CompleteInterview, FailInterview
from harness.errors import ApiError
from harness.schemas import default_schemas
from tests.support import ACME_ID, Api

SCHEMAS = default_schemas()
ROUTES = api_routes(create_api_app())


def _fault(document: Any) -> None:
    Faults().set(parse(json.dumps(document).encode(), FaultSpec), ROUTES)


def _model(model: type[BaseModel]) -> Callable[[Any], None]:
    return lambda document: parse(json.dumps(document).encode(), model) and None


ACCEPTS: dict[str, Callable[[Any], None]] = {
    "webhook-create": _model(WebhookCreate),
    "webhook-patch": _model(WebhookPatch),
    "delivery-modes": _model(DeliveryModes),
    "fault-create": _fault,
    "control-complete": _model(CompleteInterview),
    "control-fail": _model(FailInterview),
    "control-unanswered": _model(UnansweredCall),
    "control-call-failed": _model(FailedCall),
    "call-attempt-create": _model(CallAttemptCreate),
    "call-attempt-reschedule": _model(CallAttemptReschedule),
}


def verdicts(name: str, document: Any) -> tuple[bool, bool]:
    try:
        ACCEPTS[name](document)
        api = True
    except ApiError:
        api = False
    return api, not SCHEMAS.violations(document, name)


LOCAL = "http://127.0.0.1:9/hooks/x"


def hook(**extra: Any) -> dict[str, Any]:
    return {"url": LOCAL, "events": ["ping"], **extra}


CASES: list[tuple[str, Any, bool]] = [
    ("webhook-create", hook(), True),
    ("webhook-create", hook(events=["*"]), True),
    ("webhook-create", hook(events=["ping", "*", 3, 3.0, "3", "INTERVIEW_FAILED"]), True),
    ("webhook-create", hook(maxRetries=3.0, timeoutMs=1e3, isActive=False), True),
    ("webhook-create", hook(companyId=ACME_ID, name=None, description=None, headers=None), True),
    ("webhook-create", hook(headers=[{"name": "Authorization", "value": "Bearer x"}]), True),
    ("webhook-create", hook(headers=[{"name": "X-Webhook-Id", "value": ""}]), True),
    ("webhook-create", hook(events=[]), False),
    ("webhook-create", hook(events=["**"]), False),
    ("webhook-create", hook(events=[" ping"]), False),
    ("webhook-create", hook(events=["ping\n"]), False),
    ("webhook-create", hook(events=["05"]), False),
    ("webhook-create", hook(events=["\u0663"]), False),  # an Arabic-Indic 3
    ("webhook-create", hook(events=[6]), False),
    ("webhook-create", hook(events=[2.5]), False),
    ("webhook-create", hook(events=[True]), False),
    ("webhook-create", hook(events="ping"), False),
    ("webhook-create", hook(maxRetries=11), False),
    ("webhook-create", hook(maxRetries=2.5), False),
    ("webhook-create", hook(maxRetries="3"), False),
    ("webhook-create", hook(isActive=1), False),
    ("webhook-create", hook(timeoutMs=99), False),
    ("webhook-create", hook(secret="x"), False),
    ("webhook-create", {"events": ["ping"]}, False),
    ("webhook-create", hook(headers=[{"name": "content-TYPE", "value": "x"}]), False),
    ("webhook-create", hook(headers=[{"name": "Webhook-Signature", "value": "x"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A\n", "value": "x"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "x\n"}]), False),
    ("webhook-create", hook(headers=[{"name": "X A", "value": "x"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "é \u2028 \x80 ~"}]), True),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "x\x00"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "\x01"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "a\tb"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "\x1f"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "\x7f"}]), False),
    ("webhook-create", hook(headers=[{"name": "X-A", "value": "v" * 4097}]), False),
    ("webhook-patch", {"headers": [{"name": "X-A", "value": "x\x7f"}]}, False),
    ("webhook-patch", {}, True),
    ("webhook-patch", {"events": ["*"], "maxRetries": 0.0}, True),
    ("webhook-patch", {"url": None}, False),
    ("webhook-patch", {"companyId": ACME_ID}, False),
    ("delivery-modes", {}, True),
    ("delivery-modes", {"duplicate": True, "outOfOrder": False, "delayMs": 60000.0}, True),
    ("delivery-modes", {"duplicate": 0}, False),
    ("delivery-modes", {"outOfOrder": "true"}, False),
    ("delivery-modes", {"delayMs": "5"}, False),
    ("delivery-modes", {"delayMs": False}, False),
    ("delivery-modes", {"delayMs": 60001}, False),
    ("fault-create", {"route": "GET /billing/usage", "errorRate": 1, "seed": 2**70}, True),
    ("fault-create", {"route": "POST /interviews", "latencyMs": 5.0, "burst": 1e3}, True),
    ("fault-create", {"route": "GET /billing/usage", "seed": True}, False),
    ("fault-create", {"route": "GET /billing/usage", "latencyMs": "5"}, False),
    ("fault-create", {"route": "GET /billing/usage", "errorStatus": 404}, False),
    ("fault-create", {"route": "GET /billing/usage", "errorRate": 1.01}, False),
    ("fault-create", {}, False),
    ("control-complete", {}, True),
    ("control-complete", {"durationMinutes": 15.0, "analysisFails": True}, True),
    ("control-complete", {"durationMinutes": "15"}, False),
    ("control-complete", {"analysisFails": 0}, False),
    ("control-fail", {"code": "NO_ANSWER", "message": "busy"}, True),
    ("control-fail", {"code": ""}, False),
    ("control-fail", {"code": 5}, False),
    ("control-unanswered", {}, True),
    ("control-unanswered", {"reasonCode": "BUSY", "notes": "n", "retry": False}, True),
    ("control-unanswered", {"retryAt": "2030-01-01T00:00:00+02:00"}, True),
    ("control-unanswered", {"reasonCode": "CALL_DROPPED"}, False),
    ("control-unanswered", {"notes": ""}, False),
    ("control-unanswered", {"retry": 1}, False),
    ("control-unanswered", {"retryAt": "2030-01-01T00:00:00"}, False),
    ("control-unanswered", {"retryAt": None, "notes": None}, True),
    ("control-unanswered", {"retryAt": "soon"}, False),
    ("control-call-failed", {"reasonCode": "INVALID_NUMBER"}, True),
    ("control-call-failed", {"reasonCode": "NO_ANSWER"}, False),
    ("control-call-failed", {"reason": "x"}, False),
    ("call-attempt-create", {}, True),
    ("call-attempt-create", {"scheduledAt": None}, True),
    ("call-attempt-create", {"scheduledAt": "2030-05-01T10:00:00Z"}, True),
    ("call-attempt-create", {"scheduledAt": "2030-05-01T10:00:00.123456-05:30"}, True),
    ("call-attempt-create", {"scheduledAt": "2030-05-01"}, False),
    ("call-attempt-create", {"scheduledAt": "2030-05-01T10:00Z"}, False),
    ("call-attempt-create", {"scheduledAt": 1}, False),
    ("call-attempt-create", {"scheduledAt": None, "x": 1}, False),
    ("call-attempt-reschedule", {"scheduledAt": "2030-05-01T10:00:00Z"}, True),
    ("call-attempt-reschedule", {"scheduledAt": None}, False),
    ("call-attempt-reschedule", {}, False),
]


@pytest.mark.parametrize(("name", "document", "valid"), CASES)
def test_webhook_and_control_bodies_get_the_same_verdict(
    name: str, document: Any, valid: bool
) -> None:
    assert verdicts(name, document) == (valid, valid), SCHEMAS.violations(document, name)


# --- webhook url --------------------------------------------------------------------------------

URLS: dict[str, bool] = {
    "http://localhost:8081/hooks/a": True,
    "HTTPS://LOCALHOST/x": True,
    "http://127.0.0.1": True,
    "http://u:p@localhost/x?y=1#z": True,
    "http://h:65535/": True,
    "http://h:/": True,
    "http://h:000080/": True,
    "https://[::1]:9/x": True,
    "http://[1:2:3:4:5:6:7:8]/": True,
    "http://[1:2:3:4:5:6:7::]/": True,
    "http://[::]/": True,
    "https://example.com/a%20b/ä": True,
    "ftp://127.0.0.1/x": False,
    "not a url": False,
    "http://": False,
    "http:///x": False,
    "http://:80/": False,
    "http://u@/x": False,
    "http://h:65536/": False,
    "http://h:8o/": False,
    "http://[::1": False,
    "http://::1]/": False,
    "http://[::ffff:127.0.0.1]/": False,
    "http://[127.0.0.1]/": False,
    "http://[fe80::1%25eth0]/": False,
    "http://[v1.x]/": False,
    "http://[:::]/": False,
    "http://local\nhost/": False,
    "http://localhost/\t": False,
    " http://localhost/": False,
    "http://localhost/x\n": False,
    "http://localhost/a b": False,
    "http://localhost/\x00": False,
    "http://localhost/\x7f": False,
    "http://localhost/\u3000": False,
    "http://ex\u00e4mple.com/": False,
    "http://a\uff03b/": False,
    "http://a@b@c/": False,
    "http://" + "a" * 2041: True,
    "http://" + "a" * 2042: False,
}


@pytest.mark.parametrize(("url", "valid"), URLS.items(), ids=[repr(u)[:40] for u in URLS])
def test_webhook_urls_get_the_same_verdict(url: str, valid: bool) -> None:
    for name, document in (("webhook-create", hook(url=url)), ("webhook-patch", {"url": url})):
        assert verdicts(name, document) == (valid, valid), (name, url)


def test_the_url_pattern_of_the_schema_is_the_handlers() -> None:
    defs = SCHEMAS.documents["webhook-create"]["$defs"]
    assert defs["webhookUrl"]["pattern"] == f"^(?:{WEBHOOK_URL_PATTERN})$(?!\\n)"
    header = defs["header"]["properties"]
    assert header["name"]["not"]["pattern"] == reserved_header_pattern()
    assert header["value"]["pattern"] == f"^{HEADER_VALUE_PATTERN}$(?!\\n)"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8"), max_size=8))
def test_header_values_get_the_same_verdict(value: str) -> None:
    headers = [{"name": "X-Custom", "value": value}]
    for name, document in (
        ("webhook-create", hook(headers=headers)),
        ("webhook-patch", {"headers": headers}),
    ):
        api, schema = verdicts(name, document)
        assert api == schema, (name, value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(WEBHOOK_URL_PATTERN, fullmatch=True))
def test_every_url_the_pattern_takes_is_one_the_harness_can_send_to(url: str) -> None:
    assert url_problem(url, allow_remote=True) is None
    assert urlsplit(url).hostname
    URL(url)  # aiohttp's parser takes it too


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(["http://", "https://", "HTTP://", "http://[", "http://h:", "http://u@"]),
        st.text(st.characters(codec="utf-8"), max_size=12),
    )
)
def test_near_miss_urls_get_the_same_verdict(url: str) -> None:
    api, schema = verdicts("webhook-patch", {"url": url})
    assert api == schema, url


# --- fault route --------------------------------------------------------------------------------


def test_the_route_pattern_of_the_schema_is_every_api_route() -> None:
    pattern = SCHEMAS.documents["fault-create"]["properties"]["route"]["pattern"]
    assert pattern == route_pattern(ROUTES), (
        "schemas/fault-create.json route pattern is stale; set it to:\n" + route_pattern(ROUTES)
    )


def _route_cases() -> list[tuple[str, bool]]:
    cases = []
    for route in sorted(ROUTES):
        method, _, path = route.partition(" ")
        cases += [(f"{method} {p}", True) for p in (path, f"/v1{path}", f"{path}/", f"{path}//")]
    return [
        *cases,
        ("GET /nowhere", False),
        ("get /interviews", False),
        ("GET interviews", False),
        ("GET  /interviews", False),
        ("GET /interviews\n", False),
        ("PUT /interviews", False),
        ("POST /interviews/{id}", False),
        ("GET /interviews/123", False),
        ("GET /v1/v1/interviews", False),
        ("GET /v1", False),
        ("GET /", False),
        ("GET //interviews", False),
        ("POST /_harness/reset", False),
        ("POST /v1/_harness/faults", False),
        ("HEAD /interviews", False),
        ("GET /openapiXjson", False),
    ]


@pytest.mark.parametrize(("route", "valid"), _route_cases())
def test_fault_routes_get_the_same_verdict(route: str, valid: bool) -> None:
    assert verdicts("fault-create", {"route": route}) == (valid, valid)


# --- ?event= of GET /_harness/deliveries ---------------------------------------------------------

EVENT_TEXTS = [
    "interview.completed",
    "INTERVIEW_COMPLETED",
    "ping",
    "PING",
    "0",
    "5",
    "6",
    "05",
    " 3",
    "3 ",
    "3\n",
    "\u0663",
    "Ping",
    "interview_completed",
    "*",
    "",
    "interview.completed\n",
]


def _api_takes_event(text: str) -> bool:
    try:
        parse_event(text)
    except ValueError:
        return False
    return True


EVENT_SPELLING = SCHEMAS.validator("defs").evolve(
    schema={"$ref": "https://instaview-harness.local/schemas/defs.json#/$defs/eventSpelling"}
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(EVENT_TEXTS), st.text(max_size=4)))
def test_event_filter_spellings_get_the_same_verdict(text: str) -> None:
    assert _api_takes_event(text) == EVENT_SPELLING.is_valid(text), repr(text)


async def test_the_event_filter_takes_exactly_the_schemas_spellings(api: Api) -> None:
    for text in EVENT_TEXTS:
        reply = await api.get(f"/_harness/deliveries?event={quote(text, safe='')}")
        assert (reply.status == 200) == EVENT_SPELLING.is_valid(text), repr(text)
        if reply.status != 200:
            assert reply.fields == ["event"]
