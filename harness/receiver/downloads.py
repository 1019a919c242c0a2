"""A capture's bytes as files: ``GET /events/{id}/raw`` and ``GET /events/{id}/fixture``.

Whatever a sender POSTed is served back, so both answers are inert in a browser, whatever the
captured ``Content-Type`` (a ``text/html`` body with a script must never run in the receiver's
origin): ``Content-Disposition: attachment`` (a download, never rendered), ``X-Content-Type-Options:
nosniff``, ``Content-Security-Policy: sandbox`` (opened anyway, it is a unique origin with no
scripts) and ``Cross-Origin-Resource-Policy: same-origin`` (no other page embeds it).

Routes::

    GET /events/{id}/raw       the exact bytes captured, with their Content-Type when it is a
                               well-formed media type (else application/octet-stream)
    GET /events/{id}/fixture   the body pretty-printed as <event>-<id>.json (not JSON or too
                               large: the bytes as they came, <event>-<id>.bin)
"""

from __future__ import annotations

import json
import re

from aiohttp import web

from harness.receiver.app import found_capture
from harness.store.captures import Capture

INERT = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
#: ``type/subtype`` and parameters, printable ASCII only (a header value we can send back).
_MEDIA_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}(\s*;[\x20-\x7e]*)?")


#: Flags of JSON a fixture keeps byte for byte: re-encoding would change what a handler reads.
AS_SENT = frozenset({"lone_surrogate", "duplicate_key", "number_out_of_range", "byte_order_mark"})


def file_name(capture: Capture, suffix: str) -> str:
    """``<event>-<id><suffix>``, the event reduced to safe characters."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", capture.event or "capture").strip("._") or "capture"
    return f"{stem}-{capture.id}{suffix}"


def captured_type(capture: Capture) -> str:
    """The capture's ``Content-Type`` if it is a well-formed media type we can send back."""
    value = next((v for k, v in capture.headers.items() if k.lower() == "content-type"), "")
    value = value.strip()
    return value if _MEDIA_TYPE.fullmatch(value) else "application/octet-stream"


def attachment(data: bytes, content_type: str, name: str) -> web.Response:
    """``data`` as an inert download called ``name``."""
    headers = {
        **INERT,
        "Content-Type": content_type,
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    return web.Response(body=data, headers=headers)


async def raw(request: web.Request) -> web.Response:
    found = found_capture(request)
    if isinstance(found, web.Response):
        return found
    return attachment(found.body, captured_type(found), file_name(found, ".raw"))


async def fixture(request: web.Request) -> web.Response:
    found = found_capture(request)
    if isinstance(found, web.Response):
        return found
    if {"not_json", "too_large"} & set(found.flags):  # the bytes as they came
        data, suffix, content_type = found.body, ".bin", "application/octet-stream"
    elif AS_SENT & set(found.flags):  # pretty-printing would change what they say
        data, suffix, content_type = found.body, ".json", "application/json"
    else:
        text = json.dumps(found.parsed_body(), indent=2, ensure_ascii=False) + "\n"
        data, suffix, content_type = text.encode(), ".json", "application/json"
    return attachment(data, content_type, file_name(found, suffix))


def register(app: web.Application) -> None:
    app.router.add_get(r"/events/{id:\d+}/raw", raw)
    app.router.add_get(r"/events/{id:\d+}/fixture", fixture)
