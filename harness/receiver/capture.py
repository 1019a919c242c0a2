"""Turning one ``POST /hooks/{channel}`` into a :class:`~harness.store.captures.Capture`.

Nothing here rejects: whatever arrives is read (bounded), verified, validated and flagged, and
the caller stores it. Flags, in this order when several apply:

- ``too_large``: more than ``max_body_bytes`` arrived; the first ``max_body_bytes`` are kept,
  ``size`` says how many came, the signature is ``unchecked`` and the body is not validated.
- ``not_json``: the body is not a JSON document (binary junk, empty, ``NaN``...).
- ``unknown_event``: JSON whose ``event`` is missing or not one of the known events.
- ``schema_invalid``: ``schemaErrors`` is not empty (a body that is not JSON, or too large to
  check, has one entry saying so, keyword ``json`` or ``size``). Each schema violation says at
  which ``level`` it was found: ``vendor`` (the body breaks what the vendor documents) or, when
  the receiver checks strictly, ``strict`` (vendor-valid, but not what the harness sends).
- ``bad_signature``: the verdict is ``invalid`` (wrong, missing, stale or garbage headers) or
  ``wrong_channel`` (signed by another company's webhook: :mod:`harness.receiver.secrets`).
- ``internal_error``: a check itself failed (the reason says which); the capture is kept.
- ``incomplete_body``: the body ended short of its ``Content-Length`` (the sender hung up) or
  did not arrive within the read timeout (answered 408); what came is kept.

and what is odd about the bytes (see :mod:`harness.strict_json` for how they are shown):

- ``content_encoded``: ``Content-Encoding`` names a coding (not ``identity``): the body is kept,
  checked and shown as it came, never decoded.
- ``byte_order_mark``: the body starts with a UTF-8 byte order mark; read as JSON after it.
- ``non_utf8_body``: the body is not UTF-8 (so not JSON); ``bodyBase64`` has its bytes.
- ``non_utf8_header``: a header value is not UTF-8: shown with U+FFFD, exact in
  ``headersBase64``.
- ``lone_surrogate``: a JSON string escapes half a surrogate pair (``"\\ud800"``); U+FFFD is
  shown (and checked) in its place.
- ``duplicate_key``: a JSON object names a key twice; the last one counts (found by the schema
  check, off the capture path: a Python call per object).
- ``number_out_of_range``: a JSON number no double holds (``1e400``) or an integer of more
  than 4,300 digits; shown and checked as a string of the number as written.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from aiohttp import web

from harness import strict_json
from harness.clock import Clock, iso
from harness.delivery.signing import KnownSecret, Scheme, SecretSource, Verdict
from harness.receiver.secrets import verify_on_channel
from harness.schemas import SchemaSet
from harness.store.captures import Capture

log = logging.getLogger("harness.receiver")

#: Past the kept bytes, a body is still drained (to count it) up to this many bytes.
DRAIN_LIMIT = 64 * 1024 * 1024
EVENT_SCHEMA = "events/event"
#: Why a body ended short when the sender closed the connection (any other reason: a timeout).
HUNG_UP = "the sender hung up"
FLAGS = (
    "too_large",
    "not_json",
    "unknown_event",
    "schema_invalid",
    "bad_signature",
    "internal_error",
    "incomplete_body",
    "content_encoded",
    "byte_order_mark",
    "non_utf8_body",
    "non_utf8_header",
    "lone_surrogate",
    "duplicate_key",
    "number_out_of_range",
)


async def read_body(
    request: web.Request, limit: int, timeout_s: float | None = None
) -> tuple[bytes, int, str | None]:
    """The first ``limit`` bytes of the body, how many bytes arrived in all, and, when the body
    ended short of its ``Content-Length`` or did not end within ``timeout_s``, why."""
    length = request.content_length
    content = request.content
    if content.is_eof() and content.exception() is None:  # it all came with the headers:
        whole = content.read_nowait()  # no wait, so no timer (the common case, made cheap)
        short = HUNG_UP if length is not None and len(whole) < length else None
        return whole[:limit], len(whole), short
    kept = bytearray()
    size = 0
    short = None
    try:
        async with asyncio.timeout(timeout_s):
            while size < DRAIN_LIMIT and (length is None or size < length):
                chunk = await request.content.read(256 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if len(kept) < limit:
                    kept += chunk[: limit - len(kept)]
    except TimeoutError:
        short = f"the body did not arrive within {timeout_s:g} s"
    except (ConnectionError, web.RequestPayloadError):
        short = HUNG_UP
    if short is None and length is not None and size < min(length, DRAIN_LIMIT):
        short = HUNG_UP
    return bytes(kept), size, short


def flat_headers(raw: Mapping[str, str] | Any) -> dict[str, str]:
    """Headers as a dict, original spelling; repeated headers joined with ``", "``."""
    out: dict[str, str] = {}
    for name, value in raw.items():
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _odd_headers(headers: Mapping[str, str]) -> list[str]:
    """The flags the headers alone earn."""
    flags: list[str] = []
    coding = next((v for k, v in headers.items() if k.lower() == "content-encoding"), None)
    if coding is not None and coding.strip().lower() not in ("", "identity"):
        flags.append("content_encoded")
    if not strict_json.is_utf8_header("".join(headers) + "".join(headers.values())):
        flags.append("non_utf8_header")
    return flags


def ordered(flags: list[str]) -> list[str]:
    """Flags without repeats, in the order this module's docstring lists them."""
    return sorted(set(flags), key=FLAGS.index)


def _violation(keyword: str, message: str) -> dict[str, str]:
    return {"message": message, "instancePath": "", "schemaPath": "", "keyword": keyword}


@dataclass(frozen=True)
class Inspector:
    """Verifies, validates and flags what arrives; one per receiver."""

    scheme: Scheme
    secrets: SecretSource
    schemas: SchemaSet
    clock: Clock
    max_body_bytes: int
    #: Check the strict profile too (``HarnessConfig.strict_schemas``).
    strict: bool = False

    @functools.cached_property
    def known_events(self) -> frozenset[str]:
        enum = self.schemas.documents[EVENT_SCHEMA]["properties"]["event"]["enum"]
        return frozenset(enum)

    def inspect(
        self,
        channel: str,
        headers: dict[str, str],
        body: bytes,
        size: int,
        answer_status: int,
        answer_delay_ms: int,
    ) -> Capture:
        """Everything but the schema check of a JSON body: that capture comes back with
        ``schema_errors`` None, for :meth:`schema_check` (see :mod:`harness.receiver.checks`)."""
        now = self.clock.now()
        flags = _odd_headers(headers)
        errors: list[dict[str, str]] | None = None
        fields: dict[str, str | None] = {"event": None, "interview_id": None, "delivery_id": None}
        truncated = size > len(body)
        if truncated:
            flags.append("too_large")
            message = (
                f"body is {size} bytes, more than the {self.max_body_bytes} the receiver "
                "keeps; not validated"
            )
            errors = [_violation("size", message)]
        else:
            if not strict_json.is_utf8(body):
                flags.append("non_utf8_body")
            errors = self._read_fields(body, flags, fields)
        if errors:
            flags.append("schema_invalid")
        verdict, reason, by = self._verify(channel, headers, body, int(now.timestamp()), truncated)
        if verdict in (Verdict.INVALID, Verdict.WRONG_CHANNEL):
            flags.append("bad_signature")
        if reason.startswith("check failed"):
            flags.append("internal_error")
        if fields["delivery_id"] is None:
            sent = next((v for k, v in headers.items() if k.lower() == "webhook-id"), None)
            fields["delivery_id"] = None if sent is None else strict_json.header_text(sent)
        return Capture(
            channel=strict_json.clean_text(channel),
            received_at=iso(now),
            headers=headers,
            body=body,
            size=size,
            signature=verdict,
            signature_reason=reason,
            schema_errors=errors,
            flags=ordered(flags),
            answer_status=answer_status,
            answer_delay_ms=answer_delay_ms,
            event=fields["event"],
            interview_id=fields["interview_id"],
            delivery_id=fields["delivery_id"],
            verified_by=None if by is None else by.wire(),
        )

    def _read_fields(
        self, body: bytes, flags: list[str], fields: dict[str, str | None]
    ) -> list[dict[str, str]] | None:
        """Parses the body for event, interviewId and deliveryId; the schema errors if they
        are known already (not JSON), None if the schema check is still to come."""
        try:
            # duplicate keys cost a Python call per object: the deferred check looks for them
            document, odd = strict_json.examine(body, track_duplicates=False)
        except (ValueError, RecursionError) as exc:
            flags.append("not_json")
            return [_violation("json", f"body is not JSON: {exc}")]
        flags.extend(odd)
        if isinstance(document, dict):
            event = document.get("event")
            fields["event"] = event if isinstance(event, str) else None
            data = document.get("data")
            interview = data.get("interviewId") if isinstance(data, dict) else None
            fields["interview_id"] = interview if isinstance(interview, str) else None
            delivery = document.get("deliveryId")
            fields["delivery_id"] = delivery if isinstance(delivery, str) else None
        if fields["event"] not in self.known_events:
            flags.append("unknown_event")
        return None

    def schema_check(self, capture: Capture) -> Capture:
        """``capture`` with its schema errors (and the ``schema_invalid`` flag if any)."""
        if capture.schema_errors is not None:
            return capture
        flags = list(capture.flags)
        # A known event is checked against its own schema: the same violations as
        # events/event reports (a test keeps it so), in about half the time.
        known = capture.event in self.known_events
        schema = f"events/{capture.event}" if known else EVENT_SCHEMA
        try:
            document, odd = strict_json.examine(capture.body)
            flags.extend(odd)  # duplicate_key, found here off the capture path
            found = self.schemas.verdict(document, schema, strict=self.strict)
            errors = [v.as_dict() for v in found]
        except Exception as exc:  # a hostile document must never lose its capture
            log.exception("schema check failed")
            flags.append("internal_error")
            errors = [_violation("error", f"schema check failed: {exc!r}")]
        if errors:
            flags.append("schema_invalid")
        return replace(capture, schema_errors=errors, flags=ordered(flags))

    def _verify(
        self, channel: str, headers: dict[str, str], body: bytes, now: int, truncated: bool
    ) -> tuple[Verdict, str, KnownSecret | None]:
        if self.scheme == "none":
            return Verdict.UNCHECKED, "scheme none: nothing to verify", None
        if truncated:
            return Verdict.UNCHECKED, "body too large: kept truncated, not verified", None
        try:
            known = self.secrets(channel)
            return verify_on_channel(self.scheme, channel, known, headers, body, now)
        except Exception as exc:
            log.exception("signature check failed")
            return Verdict.UNCHECKED, f"check failed: {exc!r}", None
