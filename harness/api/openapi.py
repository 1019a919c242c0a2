"""``GET /openapi.json``: ``schemas/openapi.yaml`` as JSON (no auth, not enveloped).

The document is read once per app, on the first request for it (apps that never serve it,
such as most test apps, never pay for parsing the YAML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from pydantic_core import to_json

from harness.errors import ConfigError
from harness.schemas import SCHEMAS_DIR

from .routing import add_route

OPENAPI_PATH = SCHEMAS_DIR / "openapi.yaml"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_openapi(path: Path = OPENAPI_PATH) -> dict[str, Any]:
    """The OpenAPI document as a dict."""
    try:
        document = yaml.load(path.read_text(), Loader=_Loader)  # a safe loader (C if available)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the OpenAPI document {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"the OpenAPI document {path} is not a mapping")
    return document


@dataclass
class _Served:
    """The document's JSON bytes, filled on first use."""

    path: Path
    body: bytes | None = None

    def json(self) -> bytes:
        if self.body is None:
            self.body = to_json(load_openapi(self.path))
        return self.body


OPENAPI = web.AppKey("openapi", _Served)


async def openapi(request: web.Request) -> web.Response:
    return web.Response(body=request.app[OPENAPI].json(), content_type="application/json")


def register(app: web.Application, path: Path = OPENAPI_PATH) -> None:
    app[OPENAPI] = _Served(path)
    add_route(app, "GET", "/openapi.json", openapi)
