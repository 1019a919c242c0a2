"""What the test helpers hand back, and the errors a failing test sees (all ``AssertionError``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.errors import HarnessError

#: Hex digits of a signing secret.
SECRET_HEX = 64


def check_chosen_secret(secret: str) -> str:
    """``secret`` if it is a signing secret as the vendor issues them (64 lower-case hex
    digits), else a ValueError saying what is wrong."""
    if len(secret) != SECRET_HEX or any(c not in "0123456789abcdef" for c in secret):
        raise ValueError(
            f"secret must be {SECRET_HEX} lower-case hexadecimal digits (32 bytes, as the "
            f"vendor issues signing secrets), got {len(secret)} characters: {secret[:12]!r}…"
        )
    return secret


@dataclass(frozen=True)
class Webhook:
    """A webhook registered through the mock; ``secret`` is its 64-hex ``signingSecret``."""

    id: str
    secret: str
    url: str
    events: tuple[str, ...] = ()
    #: The receiver channel when the webhook points at the harness's receiver, else None.
    channel: str | None = None

    @property
    def whsec(self) -> str:
        """The secret as the official Standard Webhooks libraries take it (``whsec_…``)."""
        import base64

        return "whsec_" + base64.b64encode(bytes.fromhex(self.secret)).decode()


@dataclass(frozen=True)
class CapturedEvent:
    """One delivery the harness's receiver captured (``GET /events`` item)."""

    id: int
    channel: str
    event: str | None
    interview_id: str | None
    delivery_id: str | None
    headers: dict[str, str]
    body: Any
    signature: str
    schema_errors: list[dict[str, str]] | None
    flags: list[str]
    answer: dict[str, Any]
    received_at: str
    #: What the ``--forward-to`` handler answered (``listen --forward-to``), else None.
    forwarded: dict[str, Any] | None = None
    #: The webhook whose secret the signature matched: ``{webhookId, companyId, label}``
    #: (``signature`` ``valid`` or ``wrong_channel``), else None.
    verified_by: dict[str, Any] | None = None

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> CapturedEvent:
        return cls(
            id=item["id"],
            channel=item["channel"],
            event=item.get("event"),
            interview_id=item.get("interviewId"),
            delivery_id=item.get("deliveryId"),
            headers=dict(item.get("headers") or {}),
            body=item.get("body"),
            signature=item["signature"],
            schema_errors=item.get("schemaErrors"),
            flags=list(item.get("flags") or []),
            answer=dict(item.get("answer") or {}),
            received_at=item["receivedAt"],
            forwarded=item.get("forwarded"),
            verified_by=item.get("verifiedBy"),
        )

    @property
    def data(self) -> Any:
        """The body's ``data`` object."""
        return self.body["data"] if isinstance(self.body, dict) else None

    def line(self) -> str:
        return (
            f"#{self.id} {self.event or '?'} interviewId={self.interview_id} "
            f"channel={self.channel} signature={self.signature}"
        )


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock API's journal recorded (``GET /_harness/requests`` item)."""

    id: int
    method: str
    path: str
    query: str
    #: The route as a fault names it (``"POST /interviews"``), None when no route matched.
    route: str | None
    #: ``(name, value)`` as sent, in order; API keys keep their last four characters only.
    headers: tuple[tuple[str, str], ...]
    #: The body the API read, as text (None: it read none, or see ``body_base64``).
    body: str | None
    body_base64: str | None
    #: The answer's status; None when an injected fault dropped the connection.
    status: int | None
    received_at: str
    duration_ms: float

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> RecordedRequest:
        return cls(
            id=item["id"],
            method=item["method"],
            path=item["path"],
            query=item["query"],
            route=item.get("route"),
            headers=tuple((h["name"], h["value"]) for h in item["headers"]),
            body=item.get("body"),
            body_base64=item.get("bodyBase64"),
            status=item.get("status"),
            received_at=item["receivedAt"],
            duration_ms=item["durationMs"],
        )

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), None when it was not sent."""
        wanted = name.lower()
        return next((v for n, v in self.headers if n.lower() == wanted), None)

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when there was none)."""
        import json

        return None if self.body is None or not self.body.strip() else json.loads(self.body)


@dataclass(frozen=True)
class ApiResponse:
    """One answer of the mock API."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def data(self) -> Any:
        """The envelope's ``data`` (the body itself when the server runs with bare bodies)."""
        if isinstance(self.body, dict) and "success" in self.body and "data" in self.body:
            return self.body["data"]
        return self.body


class EventTimeout(HarnessError, AssertionError):
    """No matching event arrived in time; the message lists every event that did."""

    def __init__(self, wanted: str, timeout: float, arrived: Sequence[CapturedEvent]) -> None:
        self.wanted = wanted
        self.timeout = timeout
        self.arrived = list(arrived)
        lines = [f"no event matching {wanted} arrived within {timeout:g}s"]
        if self.arrived:
            lines.append(f"{len(self.arrived)} event(s) did arrive:")
            lines += [f"  {c.line()}" for c in self.arrived]
        else:
            lines.append("no events arrived at all")
        super().__init__("\n".join(lines))


class UnexpectedResponse(HarnessError, AssertionError):
    """The mock answered a helper's call with something other than a 2xx."""

    def __init__(self, what: str, response: ApiResponse) -> None:
        self.response = response
        super().__init__(f"{what}: HTTP {response.status}: {response.body!r}")


class DeliveryTimeout(HarnessError, AssertionError):
    """Deliveries were still queued or in flight when ``drain`` gave up."""
