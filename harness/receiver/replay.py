"""``POST /events/{id}/replay {url, secret?, scheme?, body?}``: a capture re-sent.

The bytes go unchanged to ``url`` through :func:`harness.tools.replay.send_one`, re-signed now
(``scheme`` defaults to the receiver's); with ``body`` (a string: the payload as the inspector's
editor left it) those UTF-8 bytes go instead. The receiver is never a signing oracle:

- without ``secret`` it signs only a capture whose own signature was ``valid``, and only with
  the secret that verified it (``verifiedBy``: the channel owner's webhook, or that
  ``--secret``), while that secret is still known; anything else (``invalid``, ``unchecked``,
  ``wrong_channel``, a deleted webhook) is a 409 ``not_verified``: pass your own ``secret``, or
  ``scheme: "none"`` to send it unsigned;
- an edited ``body`` without ``secret`` is signed only with a *mock webhook's* secret that
  verified the capture (the harness's own test secret, which ``GET /_harness/webhooks`` shows
  anyway), never with a ``listen --secret``, which may be a real vendor secret: a 409
  ``not_verified`` asks for that secret to be typed;
- ``url`` is loopback, and never the harness itself: the receiver's port and the mock's, in
  any loopback spelling (``localhost``, ``127.0.0.1``, ``127.x``, ``[::1]``), are a 400.

Answer (``schemas/receiver-replay.json``): ``{captureId, url, scheme, signedWith, edited,
deliveryId, status, latencyMs, error, ok, truncated}``;
``signedWith`` is the ``verifiedBy`` of the secret used, ``"caller"`` or None (unsigned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from harness import strict_json
from harness.delivery.loopback import is_loopback_host
from harness.delivery.signing import SCHEMES, KnownSecret, Scheme, Verdict
from harness.errors import ConfigError
from harness.receiver import mock
from harness.receiver.app import INSPECTOR, _error, body_timeout, found_capture, read_json
from harness.store.captures import Capture
from harness.tools.corpus import Payload
from harness.tools.replay import send_one
from harness.tools.send import Target, check_target

REPLAY_TIMEOUT_S = 10.0
DEFAULT_PORTS = {"http": 80, "https": 443}


class NotVerified(Exception):
    """The capture may not be signed by the receiver; the message says why and what to do."""


@dataclass(frozen=True)
class Ask:
    """What a replay body asks for."""

    url: str
    secret: str | None
    scheme: Scheme
    body: str | None = None


def parse_ask(body: Any, default_scheme: Scheme) -> Ask:
    """The replay body checked; raises :class:`ConfigError` naming the field."""
    if not isinstance(body, dict):
        raise ConfigError("body must be a JSON object {url, secret?, scheme?, body?}")
    unknown = sorted(set(body) - {"url", "secret", "scheme", "body"})
    if unknown:
        raise ConfigError(f"unknown field {unknown[0]!r}; expected url, secret, scheme, body")
    edited = body.get("body")
    if edited is not None and not isinstance(edited, str):
        raise ConfigError("body must be a string: the payload to send, as text")
    url, secret = body.get("url"), body.get("secret") or None
    scheme = body.get("scheme") or default_scheme
    if not isinstance(url, str) or not url:
        raise ConfigError("url is required: where to send the capture")
    if scheme not in SCHEMES:
        raise ConfigError(f"scheme must be one of {', '.join(SCHEMES)}")
    if secret is not None and not isinstance(secret, str):
        raise ConfigError("secret must be a string (64 hex characters or whsec_…)")
    chosen: Scheme = scheme
    return Ask(url, secret, chosen, edited)


def own_ports(request: web.Request) -> set[int]:
    """The ports the harness itself listens on: this receiver's and the mock's."""
    ports: set[int] = set()
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2:
        ports.add(int(sockname[1]))
    link = request.app[mock.LINK].url
    if link is not None:
        parts = urlsplit(link)
        ports.add(parts.port or DEFAULT_PORTS.get(parts.scheme, 80))
    return ports


def check_url(url: str, own: set[int]) -> None:
    """Loopback, and not one of the harness's own ports; raises :class:`ConfigError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"url {url!r} must be an absolute http:// or https:// URL")
    if not is_loopback_host(parts.hostname):
        raise ConfigError(f"url host {parts.hostname!r} is not loopback (replay stays local)")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise ConfigError(f"url {url!r} has no valid port: {exc}") from exc
    if port in own:
        raise ConfigError(
            f"url {url!r} is the harness itself (port {port}: the receiver or the mock API); "
            "replay sends to your handler, never back into the harness"
        )


def verified_secret(capture: Capture, known: list[KnownSecret]) -> KnownSecret:
    """The secret that verified ``capture``, if it was ``valid`` and that secret is still known;
    raises :class:`NotVerified` otherwise."""
    advice = "pass your own secret, or scheme none to send it unsigned"
    if capture.signature is not Verdict.VALID or capture.verified_by is None:
        raise NotVerified(
            f"capture {capture.id}'s signature is {capture.signature.value} "
            f"({capture.signature_reason}): the receiver re-signs only what a known secret "
            f"verified; {advice}"
        )
    by = capture.verified_by
    for secret in known:
        if secret.owns_channel and secret.wire() == by:
            return secret
    raise NotVerified(
        f"the secret that verified capture {capture.id} ({by['label']}) is gone; {advice}"
    )


def edit_secret(capture: Capture, known: KnownSecret) -> KnownSecret:
    """``known`` (the secret that verified ``capture``) when it may sign an edited body: only a
    mock webhook's; raises :class:`NotVerified` for a ``listen --secret``."""
    if known.webhook_id is None:
        raise NotVerified(
            f"capture {capture.id} was verified by {known.label}, which may be a real vendor "
            "secret: an edited body is signed with it only when you type it as secret "
            "(or send it unsigned with scheme none)"
        )
    return known


def edited_payload(capture: Capture, text: str) -> Payload:
    """The edited text as the payload to send (its exact UTF-8 bytes; parsed when it is JSON,
    for its ``deliveryId``)."""
    raw = text.encode("utf-8", "replace")
    try:
        parsed = strict_json.loads(raw)
    except (ValueError, RecursionError):
        parsed = None
    return Payload(source=f"capture {capture.id} (edited)", body=parsed, raw=raw)


async def replay(request: web.Request) -> web.Response:
    found = found_capture(request)
    if isinstance(found, web.Response):
        return found
    try:
        body = await read_json(request)
    except TimeoutError:
        return body_timeout(request)
    except (ValueError, RecursionError):
        body = None
    inspector = request.app[INSPECTOR]
    try:
        ask = parse_ask(body, inspector.scheme)
        check_url(ask.url, own_ports(request))
        secret = ask.secret
        signed_with: str | dict[str, str | None] | None = None if ask.scheme == "none" else "caller"
        if secret is None and ask.scheme != "none":
            known = verified_secret(found, inspector.secrets(found.channel))
            if ask.body is not None:
                known = edit_secret(found, known)
            secret, signed_with = known.secret, known.wire()
        target = Target(url=ask.url, secret=secret, scheme=ask.scheme, timeout_s=REPLAY_TIMEOUT_S)
        check_target(target, allow_remote=False)
    except ConfigError as exc:
        return _error(400, "bad_replay", str(exc).replace("--secret", "secret"))
    except NotVerified as exc:
        return _error(409, "not_verified", str(exc), signature=found.signature.value)
    if ask.body is None:
        payload = Payload(source=f"capture {found.id}", body=found.parsed_body(), raw=found.body)
    else:
        payload = edited_payload(found, ask.body)
    result = await send_one(request.app[mock.HTTP], target, payload)
    return web.json_response(
        {
            "captureId": found.id,
            "url": target.url,
            "scheme": target.scheme,
            "signedWith": signed_with,
            "edited": ask.body is not None,
            "deliveryId": result.delivery_id,
            "status": result.status,
            "latencyMs": result.latency_ms,
            "error": result.error,
            "ok": result.ok,
            "truncated": result.truncated,
        }
    )


def register(app: web.Application) -> None:
    app.router.add_post(r"/events/{id:\d+}/replay", replay)
