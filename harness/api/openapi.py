"""``GET /openapi.json``, ``GET /openapi.yaml`` and ``GET /schemas/{name}.json`` (no auth).

The document is ``schemas/openapi.yaml`` bundled with the JSON Schemas (every ``$ref`` local)
and tailored to this server's config (:mod:`harness.openapi`); it is built once per app, on the
first request for it (apps that never serve it, such as most test apps, never pay for it).
``servers`` names the address the request came to, so tools can use the document as served.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import yaml
from aiohttp import web
from pydantic_core import to_json

from harness.config import HarnessConfig
from harness.errors import NotFound
from harness.openapi import bundle, describe, load_openapi
from harness.schemas import SchemaSet, default_schemas

from .envelope import error_response
from .routing import PREFIXES, add_route
from .state import CONFIG

#: Distinct request hosts whose rendering is kept (the rest are rendered on each request).
_KEEP_HOSTS = 8


@dataclass
class _Served:
    """The described document, and its JSON/YAML bytes per request host, filled on first use."""

    config: HarnessConfig
    schemas: SchemaSet
    document: dict[str, Any] | None = None
    rendered: dict[tuple[str, str], bytes] = field(default_factory=dict)

    def described(self) -> dict[str, Any]:
        if self.document is None:
            bundled = bundle(load_openapi(), self.schemas)
            self.document = describe(bundled, self.config, self.schemas.names)
        return self.document

    def render(self, base_url: str, form: str) -> bytes:
        found = self.rendered.get((base_url, form))
        if found is not None:
            return found
        document = dict(self.described())
        document["servers"] = [
            {
                "url": base_url + prefix,
                "description": "this server" + (f", under {prefix}" if prefix else ""),
            }
            for prefix in PREFIXES
        ]
        body = (
            to_json(document)
            if form == "json"
            else yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode()
        )
        if len(self.rendered) < _KEEP_HOSTS:
            self.rendered[(base_url, form)] = body
        return body


OPENAPI = web.AppKey("openapi", _Served)


def _base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


async def openapi_json(request: web.Request) -> web.Response:
    body = request.app[OPENAPI].render(_base_url(request), "json")
    return web.Response(body=body, content_type="application/json")


async def openapi_yaml(request: web.Request) -> web.Response:
    body = request.app[OPENAPI].render(_base_url(request), "yaml")
    return web.Response(body=body, content_type="application/yaml", charset="utf-8")


async def json_schema(request: web.Request) -> web.Response:
    served = request.app[OPENAPI]
    name = request.match_info["name"]
    document = served.schemas.documents.get(name)
    if document is None:
        return error_response(request, NotFound("Schema", name))
    document = copy.copy(document)
    document["$id"] = f"{_base_url(request)}{request.path}"
    return web.Response(body=to_json(document), content_type="application/schema+json")


def register(app: web.Application, schemas: SchemaSet | None = None) -> None:
    app[OPENAPI] = _Served(app[CONFIG], schemas or default_schemas())
    add_route(app, "GET", "/openapi.json", openapi_json)
    add_route(app, "GET", "/openapi.yaml", openapi_yaml)
    add_route(app, "GET", "/schemas/{name:.+}.json", json_schema)
