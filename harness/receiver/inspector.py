"""The event inspector: a web page at ``/`` on the receiver, and the routes only it needs.

Routes::

    GET  /                        the page (harness/receiver/static/index.html)
    GET  /static/{file}           its CSS and JS (plain files, no build step, nothing remote)
    GET  /inspector/info          {"apiUrl": url|null, "scheme", "knownEvents": [...]}
    POST /events/{id}/replay      {url, secret?, scheme?} → the capture's exact bytes POSTed to
                                  a loopback url, re-signed now → {status, latencyMs, error, ...}
    GET  /events/{id}/fixture     the body as a fixture file (JSON attachment)

plus ``GET /events/stream`` (:mod:`harness.receiver.stream`) and ``GET /mock/webhooks``,
``GET /mock/deliveries`` (:mod:`harness.receiver.mock`). The page renders every payload value
with ``textContent`` and is served with a Content-Security-Policy allowing only its own files.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from harness._data import static_dir
from harness.delivery.signing import SCHEMES, Scheme
from harness.delivery.webhooks import is_loopback_host
from harness.errors import ConfigError
from harness.receiver import mock, stream
from harness.receiver.app import (
    CHECKS,
    INSPECTOR,
    STORE,
    _error,
    body_timeout,
    capture_id,
    read_json,
)
from harness.store.captures import Capture
from harness.tools.corpus import Payload
from harness.tools.replay import send_one
from harness.tools.send import Target, check_target

STATIC = static_dir()
#: Flags of JSON a fixture keeps byte for byte: re-encoding would change what a handler reads.
AS_SENT = frozenset({"lone_surrogate", "duplicate_key", "number_out_of_range", "byte_order_mark"})
REPLAY_TIMEOUT_S = 10.0
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _found(request: web.Request) -> Capture | web.Response:
    wanted = capture_id(request)
    request.app[CHECKS].settle([wanted])
    found = request.app[STORE].get(wanted)
    if found is None:
        return _error(404, "not_found", f"no capture {request.match_info['id']}")
    return found


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        STATIC / "index.html",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


async def info(request: web.Request) -> web.Response:
    inspector = request.app[INSPECTOR]
    return web.json_response(
        {
            "apiUrl": request.app[mock.LINK].url,
            "scheme": inspector.scheme,
            "knownEvents": sorted(inspector.known_events),
        }
    )


def _replay_target(request: web.Request, body: Any, channel: str) -> Target:
    """The target a replay body names; raises :class:`ConfigError` for what cannot be used."""
    if not isinstance(body, dict):
        raise ConfigError("body must be a JSON object {url, secret?, scheme?}")
    unknown = sorted(set(body) - {"url", "secret", "scheme"})
    if unknown:
        raise ConfigError(f"unknown field {unknown[0]!r}; expected url, secret, scheme")
    url, secret = body.get("url"), body.get("secret") or None
    scheme = body.get("scheme") or request.app[INSPECTOR].scheme
    if not isinstance(url, str) or not url:
        raise ConfigError("url is required: where to send the capture")
    if scheme not in SCHEMES:
        raise ConfigError(f"scheme must be one of {', '.join(SCHEMES)}")
    if secret is not None and not isinstance(secret, str):
        raise ConfigError("secret must be a string (64 hex characters or whsec_…)")
    if secret is None and scheme != "none":
        known = request.app[INSPECTOR].secrets(channel)
        if not known:
            raise ConfigError(f"no secret known for channel {channel!r}: give one, or scheme none")
        secret = known[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"url {url!r} must be an absolute http:// or https:// URL")
    if not is_loopback_host(parts.hostname):
        raise ConfigError(f"url host {parts.hostname!r} is not loopback (replay stays local)")
    chosen: Scheme = scheme
    target = Target(url=url, secret=secret, scheme=chosen, timeout_s=REPLAY_TIMEOUT_S)
    try:
        check_target(target, allow_remote=False)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("--secret", "secret")) from exc
    return target


async def replay(request: web.Request) -> web.Response:
    found = _found(request)
    if isinstance(found, web.Response):
        return found
    try:
        body = await read_json(request)
    except TimeoutError:
        return body_timeout(request)
    except (ValueError, RecursionError):
        body = None
    try:
        target = _replay_target(request, body, found.channel)
    except ConfigError as exc:
        return _error(400, "bad_replay", str(exc))
    payload = Payload(source=f"capture {found.id}", body=found.parsed_body(), raw=found.body)
    result = await send_one(request.app[mock.HTTP], target, payload)
    return web.json_response(
        {
            "captureId": found.id,
            "url": target.url,
            "scheme": target.scheme,
            "deliveryId": result.delivery_id,
            "status": result.status,
            "latencyMs": result.latency_ms,
            "error": result.error,
            "ok": result.ok,
            "truncated": result.truncated,
        }
    )


def _file_name(capture: Capture, suffix: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", capture.event or "capture").strip("._") or "capture"
    return f"{stem}-{capture.id}{suffix}"


async def fixture(request: web.Request) -> web.Response:
    found = _found(request)
    if isinstance(found, web.Response):
        return found
    if {"not_json", "too_large"} & set(found.flags):  # the bytes as they came
        data, suffix, content_type = found.body, ".bin", "application/octet-stream"
    elif AS_SENT & set(found.flags):  # pretty-printing would change what they say
        data, suffix, content_type = found.body, ".json", "application/json"
    else:
        text = json.dumps(found.parsed_body(), indent=2, ensure_ascii=False) + "\n"
        data, suffix, content_type = text.encode(), ".json", "application/json"
    disposition = f'attachment; filename="{_file_name(found, suffix)}"'
    return web.Response(
        body=data, headers={"Content-Type": content_type, "Content-Disposition": disposition}
    )


def register(app: web.Application, api_url: str | mock.MockLink | None = None) -> None:
    """Every inspector route on a receiver app (see the module docstring)."""
    mock.register(app, api_url)
    stream.register(app)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/inspector/info", info)
    app.router.add_post(r"/events/{id:\d+}/replay", replay)
    app.router.add_get(r"/events/{id:\d+}/fixture", fixture)
