"""The OpenAPI document as served: self-contained, generated from schemas/, truthful to the
running server's config, and loadable by openapi-spec-validator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from harness.config import HarnessConfig
from harness.errors import ConfigError
from harness.openapi import bundle, component_name, describe, load_openapi
from harness.openapi.bundle import SHARED_DEFS
from harness.schemas import SCHEMAS_DIR, STRICT, SchemaSet, default_schemas
from harness.tools.corpus import WEBHOOK_FIXTURES, load_vendor_examples
from tests.support import Api

SCHEMAS = default_schemas()
BUNDLED = bundle(load_openapi(), SCHEMAS)
METHODS = ("get", "post", "patch", "put", "delete")


def _described(**options: Any) -> dict[str, Any]:
    return describe(BUNDLED, HarnessConfig(**options), SCHEMAS.names)


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _component_validator(doc: dict[str, Any], name: str) -> Draft202012Validator:
    uri = "urn:instaview-harness:openapi"
    registry: Registry[Any] = Registry().with_resource(uri, Resource(doc, DRAFT202012))
    return Draft202012Validator({"$ref": f"{uri}#/components/schemas/{name}"}, registry=registry)


def _variant_id(options: dict[str, Any]) -> str:
    return ",".join(map(str, options.values())) or "default"


VARIANTS = [
    {},
    {"envelope": "bare"},
    {"create_status": 200},
    {"signing_scheme": "hex"},
    {"signing_scheme": "none"},
]


@pytest.mark.parametrize("options", VARIANTS, ids=_variant_id)
def test_every_variant_is_a_valid_openapi_3_1_document(options: dict[str, Any]) -> None:
    validate_spec(_described(**options))


@pytest.mark.parametrize("options", VARIANTS, ids=_variant_id)
def test_every_ref_is_local_and_resolves(options: dict[str, Any]) -> None:
    doc = _described(**options)
    for node in _nodes(doc):
        ref = node.get("$ref")
        if isinstance(ref, str):
            assert ref.startswith("#/"), ref
            _resolve(doc, ref)
    assert "instaview-harness.local" not in json.dumps(doc)


def test_no_ref_has_sibling_keywords() -> None:
    for node in _nodes(_described()):
        if "$ref" in node:
            assert list(node) == ["$ref"], node


def test_every_vendor_level_schema_and_definition_is_a_component_and_no_strict_one() -> None:
    components = BUNDLED["components"]["schemas"]
    assert not [c for c in components if c.startswith("Strict")]
    for name, document in SCHEMAS.documents.items():
        if name.startswith(STRICT):
            assert component_name(name.removeprefix(STRICT)) in components, name
            continue
        if name != SHARED_DEFS:
            assert component_name(name) in components, name
        for key in document.get("$defs", {}):
            assert component_name(name, key) in components, (name, key)
    assert component_name("candidate-create") == "CandidateCreate"
    assert component_name("events/interview.started") == "InterviewStartedEvent"
    assert component_name("defs", "utcDateTime") == "UtcDateTime"


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def test_no_component_is_named_like_one_of_its_properties() -> None:
    # openapi-python-client names a local variable after the model: Error.error shadowed it
    for name, schema in BUNDLED["components"]["schemas"].items():
        properties = {_snake(p) for p in schema.get("properties", {})}
        assert _snake(name) not in properties, name


def test_schema_titles_are_unique() -> None:
    titles = [d.get("title") for d in SCHEMAS.documents.values()]
    assert len(titles) == len(set(titles))


def test_every_array_says_what_its_items_are() -> None:
    for node in _nodes(_described()["components"]["schemas"]):
        if node.get("type") == "array":
            assert "items" in node or "prefixItems" in node, node


def _corpus() -> Iterator[tuple[str, Any]]:
    for path in sorted(WEBHOOK_FIXTURES.rglob("*.json")):
        document = json.loads(path.read_text())
        yield "events/event", document.get("payload", document)
    for name, document in SCHEMAS.documents.items():
        for example in document.get("examples", []):
            yield name, example
            yield name, {**example, "unexpected": True} if isinstance(example, dict) else example
    for vendor in load_vendor_examples():  # what the vendor documents, as the document says
        if vendor.schema is not None and "#" not in vendor.schema:
            yield vendor.schema, vendor.checked


def test_components_give_the_same_verdicts_as_the_schema_files() -> None:
    doc = _described()
    checked = 0
    for name, instance in _corpus():
        component = component_name(name)
        expected = SCHEMAS.is_valid(instance, name)
        assert _component_validator(doc, component).is_valid(instance) is expected, (name, instance)
        checked += 1
    assert checked > 40


def test_a_ref_to_an_unknown_schema_is_a_config_error() -> None:
    broken = {"openapi": "3.1.0", "paths": {"/x": {"$ref": "https://elsewhere.example/x.json"}}}
    with pytest.raises(ConfigError, match="names no schema"):
        bundle(broken, SCHEMAS)


def test_a_component_name_clash_is_a_config_error(tmp_path: Any) -> None:
    for name, document in (("uuid", {}), ("defs", {"$defs": {"uuid": {"type": "string"}}})):
        uri = f"https://instaview-harness.local/schemas/{name}.json"
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": uri, **document}
        (tmp_path / f"{name}.json").write_text(json.dumps(schema))
    with pytest.raises(ConfigError, match="Uuid"):
        bundle({"openapi": "3.1.0", "paths": {}}, SchemaSet(tmp_path))


# --- what the document says about the server it describes ---------------------------------


def _success_schema(doc: dict[str, Any], operation: str, status: str) -> Any:
    for _, _, op in _operations(doc):
        if op["operationId"] == operation:
            return op["responses"][status]["content"]["application/json"]["schema"]
    raise AssertionError(operation)


def test_wrapped_answers_name_one_model_per_resource() -> None:
    doc = _described()
    assert _success_schema(doc, "createCandidate", "201") == {
        "$ref": "#/components/schemas/CandidateResponse"
    }
    wrapped = doc["components"]["schemas"]["CandidateResponse"]
    assert wrapped["properties"]["data"] == {"$ref": "#/components/schemas/Candidate"}
    # the vendor level: its examples sometimes leave out error and timestamp
    assert set(wrapped["required"]) == {"success", "data"}


def test_bare_answers_are_the_resource_itself() -> None:
    doc = _described(envelope="bare")
    candidate = {"$ref": "#/components/schemas/Candidate"}
    assert _success_schema(doc, "createCandidate", "201") == candidate
    assert _success_schema(doc, "listJobs", "200") == {"$ref": "#/components/schemas/JobList"}
    links = doc["paths"]["/jobs"]["post"]["responses"]["201"]["links"]
    assert links["getJob"]["parameters"] == {"id": "$response.body#/id"}


def test_the_legacy_create_status_documents_200_for_every_create() -> None:
    default, legacy = _described(), _described(create_status=200)
    creates = [op["operationId"] for _, _, op in _operations(default) if "201" in op["responses"]]
    assert "createInterview" in creates and "harnessCreateWebhook" in creates
    for _, _, op in _operations(legacy):
        assert "201" not in op["responses"]
        if op["operationId"] in creates:
            assert "links" in op["responses"]["200"]


@pytest.mark.parametrize(
    ("scheme", "headers"),
    [
        ("standard", ["webhook-id", "webhook-timestamp", "webhook-signature"]),
        ("hex", ["X-Instaview-Signature", "X-Instaview-Timestamp"]),
        ("none", []),
    ],
)
def test_webhook_operations_declare_the_signature_headers(scheme: str, headers: list[str]) -> None:
    doc = _described(signing_scheme=scheme)
    assert sorted(doc["webhooks"]) == sorted(BUNDLED["webhooks"])
    for item in doc["webhooks"].values():
        parameters = item["post"]["parameters"]
        assert [p["name"] for p in parameters] == headers
        assert all(p["in"] == "header" and p["required"] for p in parameters)


def test_every_operation_documents_its_error_statuses() -> None:
    for path, _, op in _operations(_described()):
        statuses = set(op["responses"])
        assert "403" in statuses, path  # a foreign Host is refused on every route
        if path.startswith("/_harness"):
            assert {"403", "500"} <= statuses, path
        else:  # an injected fault answers any 5xx here
            assert "5XX" in statuses and "500" not in statuses, path
        if op.get("security") != [] and not path.startswith("/_harness"):
            assert {"400", "401", "403", "429"} <= statuses, path
        if "requestBody" in op:
            assert {"400", "408", "413", "415"} <= statuses, path
        if "{id}" in path:
            assert "404" in statuses, path
    doc = _described()
    for path in ("/candidates", "/agents"):
        assert "404" in doc["paths"][path]["post"]["responses"]  # bodies name other resources


def test_each_create_links_to_its_list_and_to_every_operation_on_its_id() -> None:
    doc = _described()
    links = doc["paths"]["/interviews"]["post"]["responses"]["201"]["links"]
    assert set(links) == {
        "listInterviews",
        "getInterview",
        "deleteInterview",
        "harnessStartInterview",
        "harnessCompleteInterview",
        "harnessFailInterview",
        "harnessCallUnanswered",
        "harnessCallFailed",
        "getInterviewAnalysisPdf",
        "invokeCallAttempt",
    }
    assert links["getInterview"]["parameters"] == {"id": "$response.body#/data/id"}
    invoked = doc["paths"]["/interviews/{id}/call-attempts"]["post"]["responses"]["201"]["links"]
    assert invoked == {
        "getInterview": {"operationId": "getInterview", "parameters": {"id": "$request.path.id"}}
    }
    hooks = doc["paths"]["/webhooks"]["post"]["responses"]["201"]["links"]
    assert {"getWebhook", "updateWebhook", "deleteWebhook", "testWebhook"} <= set(hooks)
    for _, _, op in _operations(doc):
        for response in op["responses"].values():
            for link in response.get("links", {}).values():
                assert any(o["operationId"] == link["operationId"] for _, _, o in _operations(doc))


def test_every_request_body_carries_examples_that_follow_its_schema() -> None:
    doc = _described()
    for path, method, op in _operations(doc):
        media = op.get("requestBody", {}).get("content", {}).get("application/json")
        if media is None:
            continue
        assert media.get("examples"), (method, path)
        ref = media["schema"]["$ref"].removeprefix("#/components/schemas/")
        for example in media["examples"].values():
            _component_validator(doc, ref).validate(example["value"])


# --- as served --------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/v1"])
async def test_the_mock_serves_the_described_document_without_a_key(api: Api, prefix: str) -> None:
    reply = await api.get(f"{prefix}/openapi.json", key="", headers={"Authorization": ""})
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    served = reply.body
    base = str(api.client.make_url("")).rstrip("/")
    assert [s["url"] for s in served.pop("servers")] == [base, base + "/v1"]
    expected = _described()
    expected.pop("servers", None)
    assert served == json.loads(json.dumps(expected))
    validate_spec(reply.body | {"servers": [{"url": base}]})


async def test_the_yaml_document_is_the_json_document(api: Api) -> None:
    as_json = (await api.get("/openapi.json", key="")).body
    response = await api.client.get("/openapi.yaml")
    assert response.status == 200
    assert response.content_type == "application/yaml"
    assert yaml.safe_load(await response.text()) == as_json


async def test_the_served_document_follows_the_server_config(make_api: Any) -> None:
    api = await make_api(envelope="bare", create_status=200, signing_scheme="hex")
    served = (await api.get("/openapi.json", key="")).body
    assert served["paths"]["/jobs"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/Job"}
    names = [p["name"] for p in served["webhooks"]["ping"]["post"]["parameters"]]
    assert names == ["X-Instaview-Signature", "X-Instaview-Timestamp"]


@pytest.mark.parametrize("name", ["candidate", "events/interview.started", "defs"])
async def test_each_schema_is_served_with_its_id_at_its_url(api: Api, name: str) -> None:
    response = await api.client.get(f"/v1/schemas/{name}.json")
    assert response.status == 200
    assert response.content_type == "application/schema+json"
    served = await response.json()
    assert served["$id"] == str(api.client.make_url(f"/v1/schemas/{name}.json"))
    on_disk = json.loads((SCHEMAS_DIR / f"{name}.json").read_text())
    assert {**served, "$id": on_disk["$id"]} == on_disk


async def test_an_unknown_schema_is_a_404_in_the_error_envelope(api: Api) -> None:
    reply = await api.get("/schemas/nothing-here.json", key="")
    assert reply.status == 404
    assert reply.error["code"] == "RESOURCE_NOT_FOUND"
    assert reply.error["details"] == {"resourceType": "Schema", "resourceId": "nothing-here"}
