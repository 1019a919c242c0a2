"""Request bodies are JSON: a body declared as anything else is a 415, on every route taking one.

``application/json`` (parameters such as ``charset`` ignored) and ``application/<x>+json`` are
JSON; a request without ``Content-Type`` is read as JSON (docs/decisions.md, "Content-Type").
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.api.faults import FAULTS
from harness.api.state import STORE
from harness.api.webhooks import DISPATCHER, WEBHOOKS
from tests.api_helpers import candidate_body, counts
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_KEY,
    Api,
    full_inline_body,
)
from tests.wire import check_wire

HOOK = {"url": "http://127.0.0.1:9/hooks/x", "events": ["ping"]}

#: (method, path, a body the route accepts); ``{hook}`` and ``{interview}`` are filled in.
BODY_ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/candidates", candidate_body()),
    ("PATCH", f"/candidates/{ACME_CANDIDATE}", {"firstName": "Grace"}),
    ("POST", "/jobs", {"title": "Data Engineer", "description": "Pipelines.", "status": "OPEN"}),
    ("PATCH", f"/jobs/{ACME_JOB}", {"title": "Data Engineer"}),
    ("POST", "/agents", {"name": "Screening agent"}),
    ("PATCH", f"/v1/agents/{ACME_AGENT_GENERIC}", {"name": "Renamed agent"}),
    ("POST", "/interviews", full_inline_body(isTest=True)),
    ("POST", "/webhooks", HOOK),
    ("PATCH", "/webhooks/{hook}", {"name": "renamed"}),
    ("POST", "/_harness/webhooks", HOOK),
    ("POST", "/_harness/modes", {"duplicate": True}),
    ("POST", "/_harness/webhooks/{hook}/modes", {"duplicate": True}),
    ("POST", "/_harness/faults", {"route": "GET /billing/usage", "burst": 1}),
    ("POST", "/_harness/interviews/{interview}/complete", {"durationMinutes": 3}),
    ("POST", "/_harness/interviews/{interview}/fail", {"code": "X", "message": "y"}),
]
ROUTE_IDS = [f"{m} {p}" for m, p, _ in BODY_ROUTES]
NOT_JSON = [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",  # what curl -d sends without -H
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "text/json",
    "application/jsonx",
    "application/+json",
    "application/json+xml",
    "",
    "json",
]
JSON_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    "application/merge-patch+json",
    "application/vnd.instaview.v1+json; charset=utf-8",
]


async def _fill(api: Api, path: str) -> str:
    if "{hook}" in path:
        hook = (await api.post("/webhooks", HOOK)).data["id"]
        path = path.replace("{hook}", hook)
    if "{interview}" in path:
        made = await api.post(
            "/interviews", {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}
        )
        path = path.replace("{interview}", made.data["id"])
    return path


def _state(api: Api) -> Any:
    """Everything a body route could change."""
    app = api.client.app
    modes = app[DISPATCHER].modes
    return (
        counts(api),
        [i.status for i in app[STORE].interviews.values()],
        json.dumps([h.wire() for h in app[WEBHOOKS].all()], sort_keys=True),
        [modes.default, *(modes.of(h.id) for h in app[WEBHOOKS].all())],
        sorted(app[FAULTS].by_route),
    )


async def _send(
    api: Api, method: str, path: str, body: Any, content_type: str | None
) -> tuple[int, Any]:
    """``body`` as JSON bytes, declared as ``content_type`` (None: no Content-Type at all)."""
    headers = {"Authorization": f"Bearer {ACME_KEY}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = await api.client.request(
        method, path, data=raw, headers=headers, skip_auto_headers=["Content-Type"]
    )
    async with response:
        got = (response.status, await response.json())
    check_wire(method, path, *got)
    return got


@pytest.mark.parametrize(("method", "path", "body"), BODY_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("content_type", NOT_JSON)
async def test_a_body_declared_as_anything_but_json_is_415_and_changes_nothing(
    api: Api, method: str, path: str, body: dict[str, Any], content_type: str
) -> None:
    path = await _fill(api, path)
    before = _state(api)
    status, answer = await _send(api, method, path, body, content_type)
    assert status == 415, answer
    assert answer["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert answer["error"]["details"] == {"contentType": content_type}
    assert "application/json" in answer["error"]["message"]
    assert _state(api) == before


@pytest.mark.parametrize(("method", "path", "body"), BODY_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("content_type", [*JSON_TYPES, None])
async def test_json_with_parameters_a_json_suffix_or_no_content_type_is_read(
    api: Api, method: str, path: str, body: dict[str, Any], content_type: str | None
) -> None:
    path = await _fill(api, path)
    status, answer = await _send(api, method, path, body, content_type)
    assert status in (200, 201), answer


@pytest.mark.parametrize("path", ["/_harness/modes", "/_harness/interviews/{interview}/complete"])
async def test_an_optional_body_left_empty_needs_no_json_content_type(api: Api, path: str) -> None:
    path = await _fill(api, path)
    status, answer = await _send(api, "POST", path, b"", "text/plain")
    assert status == 200, answer


async def test_an_empty_required_body_is_invalid_json_whatever_its_type(api: Api) -> None:
    status, answer = await _send(api, "POST", "/candidates", b"", "text/plain")
    assert (status, answer["error"]["code"]) == (400, "INVALID_JSON")


async def test_a_missing_key_is_401_before_the_media_type_is_judged(api: Api) -> None:
    response = await api.client.post(
        "/candidates", data=b"{}", headers={"Content-Type": "text/plain"}
    )
    async with response:
        assert response.status == 401


async def test_malformed_json_declared_as_json_is_still_invalid_json(api: Api) -> None:
    status, answer = await _send(api, "POST", "/candidates", b"{not json", None)
    assert (status, answer["error"]["code"]) == (400, "INVALID_JSON")
