"""Checks every body the suite receives against the wire schemas in ``schemas/``, strictly.

:func:`check_wire` is called by :class:`tests.support.Api` on every answer. An error body is
checked against ``error.json``; a success body against ``envelope.json`` and its ``data`` (or the
bare body, when the server runs with bare bodies) against the schema of the route, chosen by
method and path (``/v1`` aliases included). A success from a route missing in :data:`ROUTES`
fails the test: a new endpoint must say which schema its answers follow. Every check is at the
strict level (``schemas/strict/``, where a schema has one): the harness's own answers exactly.
"""

from __future__ import annotations

import re
from typing import Any

from harness.schemas import default_schemas

_ID = r"[^/]+"

#: (method, path pattern, schema of the success data). ``None``: a 204 without a body.
ROUTES: tuple[tuple[str, str, str | None], ...] = (
    *(
        route
        for res in ("candidate", "job", "agent")
        for route in (
            ("POST", f"/{res}s", res),
            ("GET", f"/{res}s", f"{res}-list"),
            ("GET", f"/{res}s/{_ID}", res),
            ("PATCH", f"/{res}s/{_ID}", res),
            ("DELETE", f"/{res}s/{_ID}", "deleted"),
        )
    ),
    ("POST", "/jobs/url", "job-from-url-answer"),
    ("POST", "/interviews", "interview"),
    ("GET", "/interviews", "interview-list"),
    ("GET", f"/interviews/{_ID}", "interview"),
    ("DELETE", f"/interviews/{_ID}", "deleted"),
    ("GET", f"/interviews/{_ID}/analysis-pdf", "analysis-pdf"),
    ("POST", f"/interviews/{_ID}/call-attempts", "call-attempt-invoked"),
    ("PATCH", f"/interviews/{_ID}/call-attempts/{_ID}", None),
    ("DELETE", f"/interviews/{_ID}/call-attempts/{_ID}", None),
    ("GET", "/billing/usage", "billing-usage"),
    ("POST", "/webhooks", "webhook-created"),
    ("GET", "/webhooks", "webhook-list"),
    ("GET", f"/webhooks/{_ID}", "webhook"),
    ("PATCH", f"/webhooks/{_ID}", "webhook"),
    ("DELETE", f"/webhooks/{_ID}", None),
    ("POST", f"/webhooks/{_ID}/test", "webhook-test"),
    ("POST", f"/webhooks/{_ID}/reset-circuit", "webhook"),
    ("GET", "/_harness/health", "health"),
    ("GET", "/_harness/world", "world"),
    ("POST", "/_harness/reset", "reset"),
    (
        "POST",
        f"/_harness/interviews/{_ID}/(?:start|complete|fail|unanswered|call-failed)",
        "interview",
    ),
    ("GET", "/_harness/deliveries", "deliveries"),
    ("POST", "/_harness/webhooks", "webhook-created"),
    ("GET", "/_harness/webhooks", "harness-webhooks"),
    ("POST", f"/_harness/webhooks/{_ID}/test", "ping-queued"),
    ("POST", f"/_harness/webhooks/{_ID}/reset-circuit", "webhook"),
    ("POST", f"/_harness/webhooks/{_ID}/modes", "delivery-modes"),
    ("POST", "/_harness/modes", "delivery-modes"),
    ("POST", "/_harness/faults", "fault"),
    ("GET", "/_harness/faults", "faults"),
    ("DELETE", "/_harness/faults", None),
    ("GET", "/_harness/requests", "requests"),
    ("POST", f"/_harness/webhooks/{_ID}/secret", "webhook-created"),
)

#: Not enveloped: checked on their own terms (tests/test_openapi_document.py checks them).
OPENAPI_PATH = "/openapi.json"
DOCUMENT_PATHS = re.compile(r"/openapi\.(?:json|yaml)|/schemas/.+\.json")


class WireViolation(AssertionError):
    """A body the mock sent does not follow its schema."""


def route_path(path: str) -> str:
    """``path`` without its query and ``/v1`` prefix."""
    bare = path.split("?", 1)[0].rstrip("/") or "/"
    if bare == "/v1" or bare.startswith("/v1/"):
        bare = bare[3:] or "/"
    return bare


def route_schema(method: str, path: str) -> tuple[bool, str | None]:
    """``(found, schema)`` for a request; ``path`` may carry a query and a ``/v1`` prefix."""
    bare = route_path(path)
    for route_method, pattern, schema in ROUTES:
        if route_method == method.upper() and re.fullmatch(pattern, bare):
            return True, schema
    return False, None


def _check(instance: Any, schema: str, what: str) -> None:
    found = default_schemas().verdict(instance, schema, strict=True)
    if found:
        lines = "\n  ".join(str(v) for v in found)
        raise WireViolation(f"{what} does not follow {schema}.json:\n  {lines}\nbody: {instance!r}")


def _is_envelope(body: Any) -> bool:
    return isinstance(body, dict) and "success" in body and "timestamp" in body


def check_wire(method: str, path: str, status: int, body: Any) -> None:
    """Raise :class:`WireViolation` unless ``body`` follows the schema of its route and status."""
    what = f"{method} {path} → {status}"
    if DOCUMENT_PATHS.fullmatch(route_path(path)) and status == 200:
        if route_path(path) == OPENAPI_PATH and not (
            isinstance(body, dict) and str(body.get("openapi", "")).startswith("3.1")
        ):
            raise WireViolation(f"{what}: not an OpenAPI 3.1 document")
        return
    if _is_envelope(body) and body.get("success") is False:
        _check(body, "error", what)
        if status < 400:
            raise WireViolation(f"{what}: an error body with a success status")
        return
    if status >= 400:
        raise WireViolation(f"{what}: an error status without the error envelope: {body!r}")
    found, schema = route_schema(method, path)
    if not found:
        raise WireViolation(
            f"{what}: no schema is mapped for this route; add it to tests/wire.py ROUTES"
        )
    if schema is None:
        if status != 204 or body is not None:
            raise WireViolation(f"{what}: expected 204 without a body, got {body!r}")
        return
    if body is None:
        raise WireViolation(f"{what}: expected a JSON body following {schema}.json")
    if _is_envelope(body):
        _check(body, "envelope", what)
        body = body["data"]
    _check(body, schema, what)
