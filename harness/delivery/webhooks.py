"""Webhook configurations: who gets which events, their secrets, and each one's circuit state.

A webhook with ``company_id`` set receives that company's events; one with ``company_id`` None is
*global* and receives every company's events (created through the control API only: a key can
only ever create webhooks for its own company). The ``signing_secret`` is 64 hex characters
(32 random bytes); the API shows it only in the create answer. Custom header values are kept for
sending and never rendered: responses carry ``{name, isMasked: true}``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from harness.clock import iso
from harness.delivery.event_names import ALL_EVENTS as ALL_EVENTS  # re-exported, as are:
from harness.delivery.event_names import parse_event as parse_event
from harness.delivery.event_names import parse_events as parse_events
from harness.delivery.loopback import is_loopback_host as is_loopback_host
from harness.domain.enums import EventType

DEFAULT_MAX_RETRIES = 3
DEFAULT_TIMEOUT_MS = 30_000


def new_secret() -> str:
    """A fresh ``signingSecret``: 32 random bytes as 64 hex characters."""
    return secrets.token_bytes(32).hex()


# A webhook URL, as ``schemas/webhook-create.json#/$defs/webhookUrl`` states it (a test keeps the
# two equal): http or https (any case), an optional userinfo, a host (an ASCII RFC 3986 reg-name
# or IPv4, or a bracketed RFC 3986 IPv6 address in hexadecimal groups: no embedded IPv4, no
# zone), an optional port 0-65535, then anything without whitespace or control characters.
# Everything it matches, urlsplit takes (a test checks).
_H16 = "[0-9A-Fa-f]{1,4}"
_LS32 = f"{_H16}:{_H16}"
_IPV6 = "|".join(
    [
        f"(?:{_H16}:){{6}}{_LS32}",
        f"::(?:{_H16}:){{5}}{_LS32}",
        f"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
        *(
            f"(?:(?:{_H16}:){{0,{n}}}{_H16})?::{tail}"
            for n, tail in (
                (1, f"(?:{_H16}:){{3}}{_LS32}"),
                (2, f"(?:{_H16}:){{2}}{_LS32}"),
                (3, f"{_H16}:{_LS32}"),
                (4, _LS32),
                (5, _H16),
                (6, ""),
            )
        ),
    ]
)
_PORT = "0*(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_NOT_SPACE_OR_CONTROL = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
WEBHOOK_URL_PATTERN = (
    "[Hh][Tt][Tt][Pp][Ss]?://"
    "(?:[A-Za-z0-9._~!$&'()*+,;=:%-]*@)?"
    rf"(?:\[(?:{_IPV6})\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)"
    f"(?::(?:{_PORT})?)?"
    f"(?:[/?#]{_NOT_SPACE_OR_CONTROL}*)?"
)
_WEBHOOK_URL = re.compile(WEBHOOK_URL_PATTERN)
URL_SYNTAX = (
    "must be an absolute http:// or https:// URL: a host (name, IPv4 or [IPv6]), an optional "
    "port 0-65535, no whitespace or control characters"
)


def url_syntax_problem(url: str) -> str | None:
    """Why ``url`` is not a webhook URL at all (whatever the host), or None."""
    return None if _WEBHOOK_URL.fullmatch(url) else URL_SYNTAX


def url_problem(url: str, allow_remote: bool) -> str | None:
    """Why ``url`` cannot be a webhook target, or None when it can."""
    problem = url_syntax_problem(url)
    if problem is not None:
        return problem
    parts = urlsplit(url)
    if not allow_remote and not is_loopback_host(parts.hostname):
        return (
            f"host {parts.hostname!r} is not loopback; the harness delivers to localhost only "
            "unless started with --allow-remote-webhooks"
        )
    return None


#: How many webhook URLs one :class:`UrlVerdicts` remembers the verdict of.
URL_VERDICTS = 256


class UrlVerdicts:
    """:func:`url_problem`, remembered per URL (the dispatcher asks before every attempt, and
    parsing the host each time was ~3% of a delivery's CPU); at most ``URL_VERDICTS`` URLs, past
    that each is judged anew."""

    def __init__(self, allow_remote: bool) -> None:
        self._allow_remote = allow_remote
        self._known: dict[str, str | None] = {}

    def problem(self, url: str) -> str | None:
        if url in self._known:
            return self._known[url]
        found = url_problem(url, self._allow_remote)
        if len(self._known) < URL_VERDICTS:
            self._known[url] = found
        return found


@dataclass
class Webhook:
    id: UUID
    company_id: UUID | None
    url: str
    events: list[EventType]
    signing_secret: str
    created_at: datetime
    updated_at: datetime
    name: str | None = None
    description: str | None = None
    #: ``(name, value)`` pairs sent with every delivery; values never cross the API.
    headers: list[tuple[str, str]] = field(default_factory=list)
    is_active: bool = True
    max_retries: int = DEFAULT_MAX_RETRIES
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    consecutive_failures: int = 0
    circuit_opened_at: datetime | None = None
    #: The key that created it (the vendor's ``apiKeyId``); None for the world's webhooks and
    #: the control API's.
    api_key_id: UUID | None = None

    def subscribes(self, event: EventType) -> bool:
        return event in self.events

    @property
    def blocked(self) -> str | None:
        """Why nothing may be sent now (circuit open or switched off), or None."""
        if self.circuit_opened_at is not None:
            return f"circuit open since {iso(self.circuit_opened_at)}; POST reset-circuit"
        if not self.is_active:
            return "webhook is inactive"
        return None

    def record_success(self) -> None:
        self.consecutive_failures = 0

    def record_failure(self, threshold: int, now: datetime) -> bool:
        """Count a failed attempt; True when this one opened the circuit."""
        self.consecutive_failures += 1
        if self.consecutive_failures >= threshold and self.circuit_opened_at is None:
            self.circuit_opened_at = now
            self.is_active = False
            self.updated_at = now
            return True
        return False

    def close_circuit(self, now: datetime) -> None:
        self.circuit_opened_at = None
        self.consecutive_failures = 0
        self.is_active = True
        self.updated_at = now

    def wire(self, *, with_secret: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": str(self.id),
            "apiKeyId": str(self.api_key_id) if self.api_key_id else None,
            "companyId": str(self.company_id) if self.company_id else None,
            "url": self.url,
            "name": self.name,
            "description": self.description,
            "events": [e.value for e in self.events],
            "headers": [{"name": name, "isMasked": True} for name, _ in self.headers],
            "isActive": self.is_active,
            "maxRetries": self.max_retries,
            "timeoutMs": self.timeout_ms,
            "consecutiveFailures": self.consecutive_failures,
            "circuitOpenedAt": iso(self.circuit_opened_at) if self.circuit_opened_at else None,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        }
        if with_secret:
            body["signingSecret"] = self.signing_secret
        return body


class WebhookRegistry:
    """Every webhook of one mock API, oldest first; ``seeded`` ones come back on reset."""

    def __init__(self) -> None:
        self._hooks: dict[UUID, Webhook] = {}
        self._seeded: list[Webhook] = []
        #: Each webhook's place in the registry (1, 2, ...; never reused): the paging key.
        self._seq: dict[UUID, int] = {}
        self.last_seq = 0

    def add(self, hook: Webhook) -> Webhook:
        self.last_seq += 1
        self._hooks[hook.id] = hook
        self._seq[hook.id] = self.last_seq
        return hook

    def seq(self, hook: Webhook) -> int:
        return self._seq[hook.id]

    def after(self, seq: int) -> list[Webhook]:
        """The webhooks added after place ``seq``, oldest first."""
        return [h for h in self._hooks.values() if self._seq[h.id] > seq]

    def create(
        self,
        company_id: UUID | None,
        url: str,
        events: Sequence[EventType],
        now: datetime,
        *,
        seeded: bool = False,
        **fields: Any,
    ) -> Webhook:
        """A new webhook with a fresh id and secret; ``seeded`` ones come back on reset."""
        hook = Webhook(
            id=uuid4(),
            company_id=company_id,
            url=url,
            events=list(events),
            signing_secret=new_secret(),
            created_at=now,
            updated_at=now,
            **fields,
        )
        if seeded:
            self._seeded.append(_copy(hook))
        return self.add(hook)

    def reset(self) -> None:
        """Back to the world's webhooks, with fresh circuits."""
        self._hooks.clear()
        self._seq.clear()
        for hook in self._seeded:
            self.add(_copy(hook))

    def get(self, hook_id: UUID) -> Webhook | None:
        return self._hooks.get(hook_id)

    def remove(self, hook_id: UUID) -> None:
        self._hooks.pop(hook_id, None)
        self._seq.pop(hook_id, None)

    def all(self) -> list[Webhook]:
        return list(self._hooks.values())

    def of_company(self, company_id: UUID | None) -> list[Webhook]:
        return [h for h in self._hooks.values() if h.company_id == company_id]

    def subscribed(self, company_id: UUID, event: EventType) -> list[Webhook]:
        """The company's webhooks and the global ones that take ``event`` (active or not)."""
        return [
            h
            for h in self._hooks.values()
            if h.company_id in (company_id, None) and h.subscribes(event)
        ]

    def pointing_at(self, channel: str) -> list[Webhook]:
        """Every webhook whose URL is ``…/hooks/<channel>`` (a receiver channel), oldest first."""
        return [h for h in self._hooks.values() if _names_channel(h, channel)]

    def channel_owner(self, channel: str) -> UUID | None:
        """The company a receiver channel belongs to: that of the world's webhook naming it
        (``acme`` → Acme, even while that webhook is deleted), else of the oldest company webhook
        naming it now; None when no company's does (global webhooks claim nothing)."""
        for hook in (*self._seeded, *self._hooks.values()):
            if hook.company_id is not None and _names_channel(hook, channel):
                return hook.company_id
        return None


def _names_channel(hook: Webhook, channel: str) -> bool:
    return urlsplit(hook.url).path == f"/hooks/{channel}"


def _copy(hook: Webhook) -> Webhook:
    return replace(hook, events=list(hook.events), headers=list(hook.headers))
