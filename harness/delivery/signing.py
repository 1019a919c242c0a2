"""Signing schemes (contract section 4): ``standard`` (Standard Webhooks 1.0), ``hex``, ``none``.

The key is the 32 bytes the 64-hex-character ``signingSecret`` encodes; the official Standard
Webhooks libraries verify with ``whsec_`` + base64(those bytes), see :func:`whsec`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from harness.delivery.schemes import SCHEMES as SCHEMES  # re-exported: the names live apart
from harness.delivery.schemes import Scheme as Scheme

#: Timestamps further than this from now (either way) are rejected, as the official libraries do.
TOLERANCE_SECONDS = 300


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    #: Genuinely signed, but with the secret of a webhook of a company that does not own the
    #: channel it arrived on (see :mod:`harness.receiver.secrets`).
    WRONG_CHANNEL = "wrong_channel"
    UNCHECKED = "unchecked"


class KnownSecret(NamedTuple):
    """A secret that may have signed what arrives on a receiver channel, and whose it is:
    ``webhook_id`` and ``company_id`` of the mock's webhook (None for a global webhook's company,
    and both None for ``listen --secret``); ``owns_channel`` is False when the webhook's company
    is not the one the channel belongs to. ``label`` names it to people (never the secret).

    A named tuple, not a dataclass: ``trigger`` signs with this module, and ``dataclasses``
    (which imports ``inspect``) is the largest import it would otherwise pay for."""

    secret: str
    label: str
    webhook_id: str | None = None
    company_id: str | None = None
    owns_channel: bool = True

    def wire(self) -> dict[str, str | None]:
        """What a capture records of the secret that verified it (``verifiedBy``)."""
        return {"webhookId": self.webhook_id, "companyId": self.company_id, "label": self.label}


#: channel → the secrets that may have signed what arrives on it.
SecretSource = Callable[[str], list[KnownSecret]]


def key_bytes(secret_hex: str) -> bytes:
    """The HMAC key a 64-hex ``signingSecret`` encodes (``whsec_…`` secrets are accepted too)."""
    if secret_hex.startswith("whsec_"):
        return base64.b64decode(secret_hex.removeprefix("whsec_"))
    return bytes.fromhex(secret_hex)


def whsec(secret_hex: str) -> str:
    """The secret in the form the official Standard Webhooks libraries take."""
    return "whsec_" + base64.b64encode(key_bytes(secret_hex)).decode()


def _standard_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    # surrogateescape: a header value aiohttp decoded that way is signed as the bytes it was
    signed = f"{msg_id}.{timestamp}.".encode("utf-8", "surrogateescape") + body
    digest = hmac.digest(key, signed, "sha256")  # one-shot, in C: cheaper than hmac.new
    return "v1," + base64.b64encode(digest).decode()


def _hex_signature(key: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def sign(
    scheme: Scheme, secret_hex: str, delivery_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The signature headers for one attempt."""
    if scheme == "none":
        return {}
    key = key_bytes(secret_hex)
    if scheme == "hex":
        return {
            "X-Instaview-Signature": _hex_signature(key, body),
            "X-Instaview-Timestamp": str(timestamp),
        }
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": _standard_signature(key, delivery_id, timestamp, body),
    }


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


def verify(
    scheme: Scheme,
    secrets: Iterable[str],
    headers: Mapping[str, str],
    body: bytes,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> tuple[Verdict, str]:
    """Checks a delivery against every known secret; returns the verdict and a reason."""
    verdict, reason, _ = matching(scheme, list(secrets), headers, body, now, tolerance)
    return verdict, reason


def matching(
    scheme: Scheme,
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> tuple[Verdict, str, int | None]:
    """:func:`verify`, with the index in ``secrets`` of the one that matched (when valid)."""
    keys = [key_bytes(s) for s in secrets]
    if scheme == "none":
        return Verdict.UNCHECKED, "scheme none: nothing to verify", None
    if not keys:
        return Verdict.UNCHECKED, "no secret known for this delivery", None
    stamp_name = "webhook-timestamp" if scheme == "standard" else "X-Instaview-Timestamp"
    sig_name = "webhook-signature" if scheme == "standard" else "X-Instaview-Signature"
    raw_stamp, raw_sig = _header(headers, stamp_name), _header(headers, sig_name)
    if raw_stamp is None or raw_sig is None:
        return Verdict.INVALID, f"missing {stamp_name} or {sig_name} header", None
    try:
        timestamp = int(raw_stamp)
    except ValueError:
        return Verdict.INVALID, f"{stamp_name} is not an integer", None
    if abs(now - timestamp) > tolerance:
        return Verdict.INVALID, f"timestamp is more than {tolerance}s away from now", None
    if scheme == "hex":
        expected = [_hex_signature(k, body) for k in keys]
        candidates = [raw_sig.strip()]
    else:
        msg_id = _header(headers, "webhook-id")
        if msg_id is None:
            return Verdict.INVALID, "missing webhook-id header", None
        expected = [_standard_signature(k, msg_id, timestamp, body) for k in keys]
        candidates = [s for s in raw_sig.split(" ") if s.startswith("v1,")]
        if not candidates:
            return Verdict.INVALID, "no v1 signature in webhook-signature", None
    for sent in candidates:
        sent_bytes = sent.encode("utf-8", "surrogateescape")
        for index, wanted in enumerate(expected):
            if hmac.compare_digest(sent_bytes, wanted.encode()):
                return Verdict.VALID, "signature matches", index
    return Verdict.INVALID, "no signature matches a known secret", None


def signer(scheme: Scheme, secret_hex: str) -> Callable[[str, int, bytes], dict[str, str]]:
    """:func:`sign` with the key decoded once, for senders that sign many deliveries with one
    secret (``instaview-harness load``); the same headers, byte for byte."""
    if scheme == "none":
        return lambda delivery_id, timestamp, body: {}
    key = key_bytes(secret_hex)
    if scheme == "hex":
        return lambda delivery_id, timestamp, body: {
            "X-Instaview-Signature": _hex_signature(key, body),
            "X-Instaview-Timestamp": str(timestamp),
        }
    return lambda delivery_id, timestamp, body: {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": _standard_signature(key, delivery_id, timestamp, body),
    }
