"""schemas/: every document is a valid 2020-12 schema named by its $id, every $ref resolves,
openapi.yaml describes every route the mock serves, and the mock serves it as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from harness.api.app import create_api_app
from harness.domain import enums
from harness.openapi import load_openapi
from harness.schemas import BASE_URI, SCHEMAS_DIR, default_schemas
from tests.support import ACME_ID
from tests.wire import DOCUMENT_PATHS, ROUTES, WireViolation, check_wire, route_path, route_schema

SCHEMAS = default_schemas()
OWN = [n for n in SCHEMAS.names if not n.startswith("events/")]
EVENTS = [e.value for e in enums.EMITTED_EVENTS]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize("name", SCHEMAS.names)
def test_every_schema_is_a_valid_2020_12_schema_named_by_its_id(name: str) -> None:
    document = SCHEMAS.documents[name]
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == f"{BASE_URI}{name}.json"
    assert (SCHEMAS_DIR / f"{name}.json").is_file()


@pytest.mark.parametrize("name", OWN)
def test_every_ref_of_a_schema_resolves(name: str) -> None:
    document = SCHEMAS.documents[name]
    resolver = SCHEMAS.registry.resolver(base_uri=document["$id"])
    for ref in _refs(document):
        resolver.lookup(ref)  # raises when it does not resolve


def test_schema_enums_are_the_harness_enums() -> None:
    defs = SCHEMAS.documents["defs"]["$defs"]
    pairs = {
        "candidateStatus": enums.CandidateStatus,
        "jobStatus": enums.JobStatus,
        "proficiency": enums.Proficiency,
        "education": enums.Education,
        "experience": enums.Experience,
        "contractType": enums.ContractType,
        "workMode": enums.WorkMode,
        "salaryPeriod": enums.SalaryPeriod,
        "agentType": enums.AgentType,
        "agentFocus": enums.AgentFocus,
        "language": enums.Language,
        "voice": enums.Voice,
        "backgroundSound": enums.BackgroundSound,
        "interviewStatus": enums.InterviewStatus,
        "companyFit": enums.CompanyFit,
        "eventName": enums.EventType,
        "plan": enums.Plan,
    }
    for name, enum in pairs.items():
        assert defs[name]["enum"] == [m.value for m in enum], name


def test_documented_examples_follow_their_schemas() -> None:
    for name in OWN:
        for example in SCHEMAS.documents[name].get("examples", []):
            assert SCHEMAS.violations(example, name) == [], name


# --- openapi.yaml ---------------------------------------------------------------------------------


OPENAPI = load_openapi()


def _app_routes() -> set[tuple[str, str]]:
    app = create_api_app()
    routes = set()
    for resource in app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter")
        for route in resource:
            if route.method != "HEAD" and path is not None:
                routes.add((route.method, route_path(path)))
    return routes


def test_openapi_is_3_1_and_every_ref_resolves() -> None:
    assert OPENAPI["openapi"].startswith("3.1")
    for ref in _refs(OPENAPI):
        if ref.startswith("#/"):
            node: Any = OPENAPI
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        else:
            assert ref.startswith(BASE_URI), ref
            SCHEMAS.registry.resolver().lookup(ref)


def test_openapi_describes_every_route_the_mock_serves_and_no_other() -> None:
    documented = {
        (method.upper(), path)
        for path, item in OPENAPI["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
    }
    assert documented == _app_routes()


def test_every_route_has_a_wire_schema() -> None:
    for method, path in _app_routes():
        if not DOCUMENT_PATHS.fullmatch(path):
            assert route_schema(method, path)[0], (method, path)
    for _, _, schema in ROUTES:
        assert schema is None or schema in SCHEMAS.documents


def test_openapi_names_a_webhook_per_event_with_its_schema() -> None:
    hooks = OPENAPI["webhooks"]
    assert sorted(hooks) == sorted(EVENTS)
    for event, item in hooks.items():
        schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"{BASE_URI}events/{event}.json"}
        assert f"events/{event}" in SCHEMAS.documents


def test_openapi_declares_bearer_security_and_the_rate_limit_headers() -> None:
    components = OPENAPI["components"]
    assert components["securitySchemes"]["bearerAuth"] == {
        **components["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    assert {h for h in components["headers"] if h.startswith("X-RateLimit-")} == {
        f"X-RateLimit-{kind}-{window}"
        for kind in ("Limit", "Remaining", "Reset")
        for window in ("Minute", "Hour")
    }
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            public = not path.startswith("/_harness") and not DOCUMENT_PATHS.fullmatch(path)
            assert (operation.get("security") != []) is public, (method, path)


# --- tests/wire.py itself ---------------------------------------------------------------------


def _envelope(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data, "error": None, "timestamp": "2030-01-01T00:00:00.000Z"}


def test_check_wire_rejects_a_body_that_breaks_its_schema() -> None:
    body = _envelope({"companies": [{"id": ACME_ID, "name": "x"}]})
    with pytest.raises(WireViolation, match="world"):
        check_wire("GET", "/_harness/world", 200, body)


def test_check_wire_rejects_a_success_from_an_unmapped_route() -> None:
    with pytest.raises(WireViolation, match="no schema is mapped"):
        check_wire("GET", "/v1/somewhere-new", 200, _envelope({}))


def test_check_wire_checks_errors_everywhere_and_bare_bodies() -> None:
    error = {
        "success": False,
        "data": None,
        "error": {"code": "VALIDATION_ERROR", "message": "m", "details": {"errors": []}},
        "timestamp": "2030-01-01T00:00:00.000Z",
    }
    with pytest.raises(WireViolation, match=r"minItems|should be non-empty"):
        check_wire("GET", "/nowhere", 400, error)
    with pytest.raises(WireViolation):
        check_wire("DELETE", "/v1/jobs/x", 200, {"unexpected": "bare"})
    check_wire("DELETE", "/v1/jobs/x", 200, True)
