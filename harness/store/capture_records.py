"""A captured delivery (:class:`Capture`) and a filter over captures (:class:`CaptureQuery`):
the records :mod:`harness.store.captures` keeps in SQLite, and how they go on the wire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness import strict_json
from harness.delivery.signing import Verdict


@dataclass(frozen=True)
class Capture:
    """One captured request and everything the receiver found out about it.

    ``body`` is the raw bytes as received (the first ``max_body_bytes`` of a too-large body);
    ``size`` is how many bytes actually arrived. ``id`` is 0 until stored."""

    channel: str
    received_at: str
    headers: dict[str, str]
    body: bytes
    size: int
    signature: Verdict
    signature_reason: str
    event: str | None = None
    interview_id: str | None = None
    delivery_id: str | None = None
    #: None while the schema check is pending (see :mod:`harness.receiver.checks`).
    schema_errors: list[dict[str, str]] | None = None
    flags: list[str] = field(default_factory=list)
    answer_status: int = 204
    answer_delay_ms: int = 0
    #: What the ``--forward-to`` handler answered: ``{url, status, latencyMs, error, body}``.
    forwarded: dict[str, Any] | None = None
    #: The secret whose signature matched (verdict ``valid`` or ``wrong_channel``):
    #: ``{webhookId, companyId, label}`` (:meth:`harness.delivery.signing.KnownSecret.wire`).
    verified_by: dict[str, Any] | None = None
    id: int = 0

    def parsed_body(self) -> Any:
        """The body as JSON if it is JSON, else its text (undecodable bytes replaced); made
        strict JSON either way (see :mod:`harness.strict_json`)."""
        return strict_json.view(self.body, not {"not_json", "too_large"} & set(self.flags))

    @property
    def schema_level(self) -> str | None:
        """Which level of verdict the capture failed: ``vendor`` when any violation breaks what
        the vendor documents (a body that is not JSON or too large counts so), ``strict`` when
        only the harness's own profile finds something, None when clean or pending."""
        if not self.schema_errors:
            return None
        levels = {e.get("level", "vendor") for e in self.schema_errors}
        return "vendor" if "vendor" in levels else "strict"

    def summary(self) -> dict[str, Any]:
        """The capture without headers and body: what a timed-out wait lists."""
        return {
            "id": self.id,
            "channel": self.channel,
            "receivedAt": self.received_at,
            "event": self.event,
            "interviewId": self.interview_id,
            "deliveryId": self.delivery_id,
            "signature": self.signature.value,
            "schemaErrors": None if self.schema_errors is None else len(self.schema_errors),
            "schemaLevel": self.schema_level,
            "flags": self.flags,
        }

    def wire(self) -> dict[str, Any]:
        """The capture as ``GET /events`` shows it: the summary with the full record. Bytes
        that are not UTF-8 are shown as U+FFFD in ``headers``/``body`` and exactly, as base64,
        in ``headersBase64`` (those headers only) and ``bodyBase64`` (else null)."""
        headers, headers_base64 = strict_json.headers_view(self.headers)
        return {
            **self.summary(),
            "headers": headers,
            "headersBase64": headers_base64,
            "body": self.parsed_body(),
            "bodyBase64": strict_json.base64_unless_utf8(self.body),
            "size": self.size,
            "signatureReason": self.signature_reason,
            "schemaErrors": self.schema_errors,
            "answer": {"status": self.answer_status, "delayMs": self.answer_delay_ms},
            "forwarded": self.forwarded,
            "verifiedBy": self.verified_by,
        }


@dataclass(frozen=True)
class CaptureQuery:
    """A filter over captures; every given field must match. ``after`` is an exclusive id."""

    event: str | None = None
    interview_id: str | None = None
    channel: str | None = None
    delivery_id: str | None = None
    after: int = 0
    limit: int | None = None

    def matches(self, capture: Capture) -> bool:
        return (
            capture.id > self.after
            and (self.event is None or capture.event == self.event)
            and (self.interview_id is None or capture.interview_id == self.interview_id)
            and (self.channel is None or capture.channel == self.channel)
            and (self.delivery_id is None or capture.delivery_id == self.delivery_id)
        )

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = ["id > ?"]
        params: list[Any] = [self.after]
        for column, value in (
            ("event", self.event),
            ("interview_id", self.interview_id),
            ("channel", self.channel),
            ("delivery_id", self.delivery_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), params

    def wire(self) -> dict[str, Any]:
        shown = {
            "event": self.event,
            "interviewId": self.interview_id,
            "channel": self.channel,
            "deliveryId": self.delivery_id,
            "after": self.after or None,
        }
        return {k: v for k, v in shown.items() if v is not None}
