"""Turning requests into models: body size, JSON, pydantic errors → the error envelope."""

from __future__ import annotations

import asyncio
import re
from typing import TypeVar
from uuid import UUID

from aiohttp import hdrs, web
from pydantic import BaseModel, ValidationError

from harness.domain.requests import UUID_PATTERN
from harness.errors import (
    BadRequest,
    FieldError,
    InvalidJson,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedEncoding,
    UnsupportedMediaType,
    ValidationFailed,
)
from harness.strict_json import header_text

from .state import CONFIG, READ_BODY

M = TypeVar("M", bound=BaseModel)

_JSON_ERRORS = {"json_invalid", "json_type"}
_UUID = re.compile(UUID_PATTERN)


def field_errors(exc: ValidationError, model: type[BaseModel]) -> list[FieldError]:
    """pydantic's errors as ``{field, message}`` with camelCase dotted paths."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        parts = [str(p) for p in err["loc"]]
        field = ".".join(camel(p) for p in parts)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        out.append(FieldError(field, message))
    return out


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def is_json_media_type(request: web.Request) -> bool:
    """``application/json`` or ``application/<anything>+json``, parameters (``charset``)
    ignored as RFC 8259 says; no ``Content-Type`` at all counts as JSON (docs/decisions.md)."""
    if hdrs.CONTENT_TYPE not in request.headers:
        return True
    kind = request.content_type  # lower case; an unparsable header reads application/octet-stream
    if kind == "application/json":
        return True
    subtype = kind.removeprefix("application/")
    return subtype != kind and subtype.endswith("+json") and len(subtype) > len("+json")


#: What aiohttp decodes before the handler reads (``br``/``zstd`` need libraries the harness
#: does not install: aiohttp's parser answers those 400 itself).
DECODED = frozenset({"", "identity", "gzip", "deflate"})


async def read_body(request: web.Request) -> bytes:
    """The body, decoded as its ``Content-Encoding`` says (413 above the limit, decoded; 415
    for a coding the API does not decode; 400 for bytes that do not decode; 408 if the body
    does not arrive within the configured read timeout); a body not declared JSON is a 415."""
    config = request.app[CONFIG]
    limit = config.max_body_bytes
    coding = request.headers.get(hdrs.CONTENT_ENCODING, "")
    if coding.strip().lower() not in DECODED:
        raise UnsupportedEncoding(header_text(coding))
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes", {"limit": limit})
    content = request.content
    if content.is_eof() and content.exception() is None:
        # It all came with the headers (the common case): taken without a wait, so without a
        # timer, which cost about a tenth of a create's CPU (docs/decisions.md, speed).
        raw = content.read_nowait()
        if len(raw) > limit:  # decoded (gzip, deflate) past the limit
            raise PayloadTooLarge(f"request body is larger than {limit} bytes", {"limit": limit})
    else:
        raw = await _read_timed(request, config.read_timeout_s, limit)
    request[READ_BODY] = raw
    if raw.strip() and not is_json_media_type(request):
        raise UnsupportedMediaType(header_text(request.headers[hdrs.CONTENT_TYPE]))
    return raw


async def _read_timed(request: web.Request, timeout_s: float, limit: int) -> bytes:
    """The body that is still arriving, within ``timeout_s`` (aiohttp enforces the size)."""
    try:
        async with asyncio.timeout(timeout_s):
            raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise PayloadTooLarge(
            f"request body is larger than {limit} bytes", {"limit": limit}
        ) from exc
    except web.RequestPayloadError as exc:  # e.g. Content-Encoding gzip on bytes that are not
        raise BadRequest(f"request body could not be read: {_reason(exc)}") from exc
    except ConnectionError as exc:  # the client hung up mid-body: no one hears the answer
        raise BadRequest("the connection closed before the request body arrived") from exc
    except TimeoutError as exc:
        raise RequestTimeout(
            f"the request body did not arrive within {timeout_s:g} s"
            " (Content-Length larger than what was sent?)",
            {"timeoutSeconds": timeout_s},
        ) from exc
    return raw


def _reason(exc: web.RequestPayloadError) -> str:
    """What aiohttp's payload error says, on one line."""
    cause = exc.__cause__
    text = getattr(cause, "message", "") or str(exc)
    return " ".join(str(text).split()) or type(exc).__name__


def parse(raw: bytes, model: type[M]) -> M:
    """Validate JSON bytes against a model: INVALID_JSON or VALIDATION_ERROR naming each field."""
    if not raw.strip():
        raise InvalidJson("request body is empty; send a JSON object")
    try:
        # camelCase only: a snake_case name is an unknown field on the wire.
        return model.model_validate_json(raw, by_alias=True, by_name=False)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if errors and errors[0]["type"] in _JSON_ERRORS:
            raise InvalidJson(f"request body is not valid JSON: {errors[0]['msg']}") from exc
        if errors and errors[0]["type"] == "model_type" and not errors[0]["loc"]:
            raise InvalidJson("request body must be a JSON object") from exc
        raise ValidationFailed(field_errors(exc, model)) from exc


async def read_model(request: web.Request, model: type[M]) -> M:
    return parse(await read_body(request), model)


def _uuid(raw: str, name: str) -> UUID:
    """A canonical UUID (8-4-4-4-12 hex digits), as ``defs.json#/$defs/uuid`` says: ``UUID()``
    alone also takes braces, ``urn:uuid:`` and 32 bare digits."""
    if _UUID.fullmatch(raw) is None:
        raise ValidationFailed.one(name, f"{raw!r} is not a UUID (8-4-4-4-12 hexadecimal digits)")
    return UUID(raw)


def path_uuid(request: web.Request, name: str = "id") -> UUID:
    return _uuid(request.match_info[name], name)


def query_text(request: web.Request, name: str) -> str | None:
    """A query parameter's value, None when it is absent. An empty value (``?status=``) is a
    400 naming the parameter, not "absent": it matches no value the parameter takes."""
    raw = request.query.get(name)
    if raw == "":
        raise ValidationFailed.one(name, "must not be empty; leave the parameter out instead")
    return raw


def query_uuid(request: web.Request, name: str, required: bool = False) -> UUID | None:
    raw = query_text(request, name)
    if raw is None:
        if required:
            raise ValidationFailed.one(name, "this query parameter is required")
        return None
    return _uuid(raw, name)
