"""Bundle ``schemas/openapi.yaml`` and the JSON Schemas into one document with local refs only.

The authored document references schemas by ``$id`` (``https://instaview-harness.local/
schemas/candidate.json``), a host that does not exist; standard tools cannot load that. Here
every schema file becomes ``#/components/schemas/<Name>`` (``candidate-create`` →
``CandidateCreate``, ``events/interview.started`` → ``InterviewStartedEvent``) and every
``$defs`` entry its own component (``defs.json#/$defs/uuid`` → ``Uuid``,
``analysis.json#/$defs/general`` → ``AnalysisGeneral``). A ``$ref`` with sibling keywords,
valid in 2020-12 but misread by Prism and code generators, becomes ``allOf: [{$ref}]`` beside
the siblings (the same meaning: ``unevaluatedProperties`` sees through both).

The document describes the vendor level: the schemas a client meets in production. The strict
profile (``schemas/strict/``, the harness's own emissions exactly) is no component: nothing in
the document refers to it, and client generators would turn it into a second model of every
resource (openapi-python-client cannot: each strict schema re-declares its vendor schema's
inline objects). It is served as JSON Schema at ``/schemas/strict/...``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import yaml

from harness.errors import ConfigError
from harness.schemas import BASE_URI, SCHEMAS_DIR, STRICT, SchemaSet

#: The schema whose ``$defs`` are shared by every other; it has no root schema of its own.
SHARED_DEFS = "defs"
OPENAPI_URI = BASE_URI + "openapi.yaml"
_LOCAL = "#/components/schemas/"
#: Names that would equal one of their own properties (``Error.error``, ``Reset.reset``): code
#: generators name a local variable after the model and shadow the property.
_RENAMED = {"error": "ErrorEnvelope", "reset": "ResetAnswer"}


OPENAPI_PATH = SCHEMAS_DIR / "openapi.yaml"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_openapi(path: Path = OPENAPI_PATH) -> dict[str, Any]:
    """The authored OpenAPI document (schemas referenced by ``$id``) as a dict."""
    try:
        document = yaml.load(path.read_text(), Loader=_Loader)  # a safe loader (C if available)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the OpenAPI document {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"the OpenAPI document {path} is not a mapping")
    return document


def _pascal(text: str) -> str:
    words = [w for w in text.replace(".", "-").replace("_", "-").split("-") if w]
    return "".join(w[0].upper() + w[1:] for w in words)


def component_name(schema: str, definition: str | None = None) -> str:
    """The component a schema (or one of its ``$defs``) becomes."""
    if schema.startswith("events/"):
        event = schema.removeprefix("events/")
        base = {"envelope": "EventEnvelope", "event": "AnyEvent"}.get(
            event, _pascal(event) + "Event"
        )
    else:
        base = "" if schema == SHARED_DEFS else _RENAMED.get(schema, _pascal(schema))
    return base + (_pascal(definition) if definition else "")


def _titled(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` titled by its component name (code generators name their models by title);
    the authored title leads the description."""
    authored = schema.get("title")
    described = " ".join(p for p in (authored and f"{authored}.", schema.get("description")) if p)
    return {
        "title": name,
        **({"description": described} if described else {}),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


class _Bundler:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.names = {doc["$id"]: name for name, doc in schemas.documents.items()}
        self.components: dict[str, Any] = {}
        self.sources: dict[str, str] = {}

    def target(self, ref: str, base: str) -> str:
        uri, fragment = urldefrag(urljoin(base, ref))
        if uri == OPENAPI_URI:
            return "#" + fragment
        name = self.names.get(uri)
        if name is None:
            raise ConfigError(f"$ref {ref!r} (from {base}) names no schema in schemas/")
        parts = fragment.split("/") if fragment else [""]
        if len(parts) >= 3 and parts[1] == "$defs":
            rest = "/".join(parts[3:])
            return _LOCAL + component_name(name, parts[2]) + ("/" + rest if rest else "")
        if name == SHARED_DEFS:
            raise ConfigError(f"$ref {ref!r} must name one of {SHARED_DEFS}.json's $defs")
        return _LOCAL + component_name(name) + fragment

    def rewrite(self, node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [self.rewrite(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        out = {k: self.rewrite(v, base) for k, v in node.items() if k not in ("$schema", "$id")}
        ref = out.pop("$ref", None)
        if isinstance(ref, str):
            local = {"$ref": self.target(ref, base)}
            if not out:
                return local
            out["allOf"] = [local, *out.get("allOf", [])]
        return out

    def add(self, name: str, schema: Any, source: str) -> None:
        if name in self.components:
            raise ConfigError(
                f"components/schemas/{name} comes from {self.sources[name]} and {source}"
            )
        self.components[name] = _titled(name, schema) if isinstance(schema, dict) else schema
        self.sources[name] = source

    def run(self, openapi: dict[str, Any]) -> dict[str, Any]:
        for name, document in sorted(self.schemas.documents.items()):
            if name.startswith(STRICT):
                continue
            document = copy.deepcopy(document)
            base = document["$id"]
            for key, definition in sorted(document.pop("$defs", {}).items()):
                self.add(component_name(name, key), self.rewrite(definition, base), f"{name}#{key}")
            if name != SHARED_DEFS:
                self.add(component_name(name), self.rewrite(document, base), name)
        out: dict[str, Any] = self.rewrite(copy.deepcopy(openapi), OPENAPI_URI)
        components = out.setdefault("components", {})
        components["schemas"] = {**components.get("schemas", {}), **self.components}
        return out


def bundle(openapi: dict[str, Any], schemas: SchemaSet) -> dict[str, Any]:
    """A self-contained copy of ``openapi``: every schema local, under ``components/schemas``."""
    return _Bundler(schemas).run(openapi)
