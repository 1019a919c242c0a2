"""Tailor the bundled document to one running server, so it describes what that server does.

- **Envelope**: an answer authored as ``allOf: [Envelope, {properties: {data: X}}]`` becomes
  ``XResponse`` (the envelope with ``data: X``, one model per resource for code generators) or,
  with ``--envelope bare``, ``X`` itself.
- **Create status**: the authored ``201`` of every create becomes ``200`` with
  ``--create-status 200``.
- **Signatures**: every webhook operation declares the headers of the server's signing scheme.
- **Statuses**: every status an operation can return is documented: 400 for parameters and
  bodies, 401/429 for keys, 403 for keys and for a foreign Host or Origin (every route), 404 for
  ids (and bodies that name them), 408/413/415 for bodies, 500.
- **Examples**: a request schema's ``examples`` become the operation's request examples.
- **Links**: each create links to the list of its collection and to every operation on the
  id it answers (``/jobs`` → ``/jobs/{id}``, ``/interviews`` → ``/_harness/interviews/{id}/...``;
  not to those that need a second id, such as ``.../call-attempts/{attemptId}``); an action on a
  resource (``POST /webhooks/{id}/test``, ``POST /interviews/{id}/call-attempts``) links to the
  resource's GET with the id of its own path; a create below its collection says which
  (``x-collection: /jobs``) and where its answer holds the id (``x-id-at: /data/id``),
  extensions the served document drops.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.config import HarnessConfig
from harness.errors import ConfigError

_SCHEMAS = "#/components/schemas/"
_ENVELOPE = _SCHEMAS + "Envelope"
_METHODS = ("get", "put", "post", "patch", "delete")
_CONTROL = "/_harness"

_SIGNATURE_HEADERS: dict[str, list[tuple[str, dict[str, Any], str]]] = {
    "standard": [
        (
            "webhook-id",
            {"type": "string", "format": "uuid"},
            "The deliveryId (same on every retry).",
        ),
        (
            "webhook-timestamp",
            {"type": "string", "pattern": "^[0-9]{1,12}$"},
            "Unix seconds at signing.",
        ),
        (
            "webhook-signature",
            {"type": "string", "pattern": "^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$"},
            "Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body>, space-separated.",
        ),
    ],
    "hex": [
        (
            "X-Instaview-Signature",
            {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
            "sha256=<hex HMAC-SHA256 of the body>.",
        ),
        ("X-Instaview-Timestamp", {"type": "string", "pattern": "^[0-9]{1,12}$"}, "Unix seconds."),
    ],
    "none": [],
}


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in _METHODS
    ]


def _schemas_of(op: dict[str, Any]) -> list[dict[str, Any]]:
    """The media-type objects of every inline response of ``op``."""
    return [
        media
        for response in op.get("responses", {}).values()
        for media in response.get("content", {}).values()
        if "schema" in media
    ]


def _data_ref(schema: Any) -> str | None:
    """``X``'s ref when ``schema`` is ``allOf: [Envelope, {properties: {data: X}}]``."""
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    if not (isinstance(parts, list) and len(parts) == 2 and parts[0] == {"$ref": _ENVELOPE}):
        return None
    data = parts[1].get("properties", {}).get("data", {})
    ref = data.get("$ref") if isinstance(data, dict) else None
    if not (isinstance(ref, str) and ref.startswith(_SCHEMAS) and len(data) == 1):
        raise ConfigError(f"an enveloped answer must name its data by $ref: {schema}")
    return ref


def _envelopes(doc: dict[str, Any], style: str) -> None:
    components = doc["components"]["schemas"]
    for _, _, op in _operations(doc):
        for media in _schemas_of(op):
            ref = _data_ref(media["schema"])
            if ref is None:
                continue
            if style == "bare":
                media["schema"] = {"$ref": ref}
                continue
            data = ref.removeprefix(_SCHEMAS)
            name = data + "Response"
            if name not in components:
                wrapped = copy.deepcopy(components["Envelope"])
                wrapped["title"] = name
                wrapped["description"] = f"{data} in the success envelope."
                wrapped["properties"]["data"] = {"$ref": ref}
                components[name] = wrapped
            media["schema"] = {"$ref": _SCHEMAS + name}


def _create_status(doc: dict[str, Any], status: int) -> None:
    if status == 201:
        return
    for _, _, op in _operations(doc):
        responses = op.get("responses", {})
        if "201" in responses:
            op["responses"] = {("200" if k == "201" else k): v for k, v in responses.items()}


def _signatures(doc: dict[str, Any], scheme: str) -> None:
    headers = _SIGNATURE_HEADERS[scheme]
    names = ", ".join(name for name, _, _ in headers) or "no signature headers"
    for item in doc.get("webhooks", {}).values():
        for op in item.values():
            op["parameters"] = [
                {"name": n, "in": "header", "required": True, "schema": s, "description": d}
                for n, s, d in headers
            ]
            op["description"] = f"POSTed to every subscribed webhook, signed `{scheme}` ({names})."


def _needs(path: str, op: dict[str, Any]) -> list[str]:
    control = path.startswith(_CONTROL)
    body = "requestBody" in op
    # an injected fault (POST /_harness/faults) answers any 5xx on every route but the control
    # API's: those document the range, the control API its own 500
    # and every route refuses a foreign Host or Origin (403, harness.guard)
    needed = ["403", "500"] if control else ["403", "5XX"]
    if op.get("security") == [] and not control:
        return needed  # the document and the schemas: no key, no input but the schema's name
    if op.get("parameters") or body or "{" in path:
        needed.append("400")
    if "{" in path or (body and not control):
        needed.append("404")
    if body:
        needed += ["408", "413", "415"]
    if not control:
        needed += ["401", "429"]
    return needed


def _statuses(doc: dict[str, Any]) -> None:
    available = doc["components"]["responses"]
    for path, _, op in _operations(doc):
        responses = op.setdefault("responses", {})
        for status in _needs(path, op):
            if status == "5XX" and "500" in responses:
                responses["5XX"] = responses.pop("500")
            if status not in responses:
                reference = "E500" if status == "5XX" else f"E{status}"
                if reference not in available:
                    raise ConfigError(f"components/responses has no {reference}")
                responses[status] = {"$ref": f"#/components/responses/{reference}"}
        op["responses"] = dict(sorted(responses.items()))


def _examples(doc: dict[str, Any]) -> None:
    components = doc["components"]["schemas"]
    for _, _, op in _operations(doc):
        for media in op.get("requestBody", {}).get("content", {}).values():
            ref = media.get("schema", {}).get("$ref", "")
            examples = components.get(ref.removeprefix(_SCHEMAS), {}).get("examples")
            if ref.startswith(_SCHEMAS) and examples and "examples" not in media:
                media["examples"] = {
                    f"example{i + 1}": {"value": v} for i, v in enumerate(examples)
                }


def _success(op: dict[str, Any]) -> dict[str, Any] | None:
    for status in ("201", "200"):
        if status in op.get("responses", {}):
            found: dict[str, Any] = op["responses"][status]
            return found
    return None


def _links(doc: dict[str, Any], style: str) -> None:
    base = "$response.body#" if style == "bare" else "$response.body#/data"
    operations = _operations(doc)
    for path, method, op in operations:
        answer = _success(op)
        # A create below its collection (POST /jobs/url) names it, and where its answer holds
        # the new id: authored as x-collection and x-id-at, never served.
        collection = op.pop("x-collection", path)
        pointer = base + op.pop("x-id-at", "/id")
        if method != "post" or answer is None:
            continue
        links: dict[str, Any] = {}
        if "{" in path:  # an action on a resource (/interviews/{id}/call-attempts): its GET
            parent = path.rsplit("/", 1)[0]
            for other_path, other_method, other in operations:
                if parent.endswith("/{id}") and (other_path, other_method) == (parent, "get"):
                    target = other["operationId"]
                    links[target] = {
                        "operationId": target,
                        "parameters": {"id": "$request.path.id"},
                    }
        if "{" not in path:
            path = collection
        prefixes = () if "{" in path else (path + "/{id}", _CONTROL + path + "/{id}")
        for other_path, other_method, other in operations:
            target = other["operationId"]
            if not prefixes:
                break
            if other_path == path and other_method == "get":
                links[target] = {"operationId": target}
            elif other_path.count("{") == 1 and any(
                other_path == p or other_path.startswith(p + "/") for p in prefixes
            ):
                links[target] = {"operationId": target, "parameters": {"id": pointer}}
        if links:
            answer["links"] = links


def _schema_names(doc: dict[str, Any], names: list[str]) -> None:
    for path, _, op in _operations(doc):
        for parameter in op.get("parameters", []):
            if path == "/schemas/{name}.json" and parameter.get("name") == "name":
                parameter["schema"] = {"type": "string", "enum": list(names)}


def describe(
    bundled: dict[str, Any], config: HarnessConfig, schema_names: list[str]
) -> dict[str, Any]:
    """A copy of the bundled document describing a server that runs with ``config``."""
    doc = copy.deepcopy(bundled)
    _schema_names(doc, schema_names)
    _envelopes(doc, config.envelope)
    _create_status(doc, config.create_status)
    _signatures(doc, config.signing_scheme)
    _statuses(doc)
    _examples(doc)
    _links(doc, config.envelope)
    envelope = "bare success bodies" if config.envelope == "bare" else "success bodies enveloped"
    doc["info"]["description"] = (
        f"{doc['info'].get('description', '')}\n\nThis server: {envelope}, creates answer "
        f"{config.create_status}, webhooks signed `{config.signing_scheme}`."
    ).strip()
    return doc
