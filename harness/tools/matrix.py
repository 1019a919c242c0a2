"""The signature matrix: the same valid event sent genuine and forged in every way a handler must
refuse, then a report of what it wrongly accepted (a 2xx to a forgery) or wrongly rejected.

Every case gets its own ``deliveryId``, so a handler that deduplicates does not confuse them.
``standard`` cases: genuine, expired (-10 min), future (+10 min), tampered body, wrong secret,
missing signature header, unknown version (``v2,``), and rotation (one wrong and one right
``v1,`` signature: genuine, must be accepted). ``hex`` has the same except version and rotation
(its header carries one ``sha256=`` value; an unknown ``sha512=`` prefix stands for the version).
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import aiohttp

from harness.delivery.signing import Scheme, sign
from harness.errors import ConfigError
from harness.tools.send import USER_AGENT, Target, check_target, encode, post
from harness.tools.trigger import build_event

SKEW_SECONDS = 600
#: (body sent, headers) for one case, from the genuine body, the target and a fresh delivery id.
Forge = Callable[[dict[str, Any], Target, str], tuple[bytes, dict[str, str]]]


def _signed(target: Target, delivery_id: str, body: bytes, *, secret: str | None = None,
            skew: int = 0) -> dict[str, str]:  # fmt: skip
    assert target.scheme != "none"
    key = secret or target.secret
    assert key is not None
    stamp = int(time.time()) + skew
    headers = {"Content-Type": "application/json"}
    headers.update(sign(target.scheme, key, delivery_id, stamp, body))
    return headers


def _sig_header(target: Target) -> str:
    return "webhook-signature" if target.scheme == "standard" else "X-Instaview-Signature"


def _genuine(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    body = encode(doc)
    return body, _signed(t, did, body)


def _skewed(seconds: int) -> Forge:
    def forge(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
        body = encode(doc)
        return body, _signed(t, did, body, skew=seconds)

    return forge


def _tampered(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    headers = _signed(t, did, encode(doc))
    changed = {**doc, "data": {**doc.get("data", {}), "status": "FAILED"}}
    return encode(changed), headers


def _wrong_secret(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    body = encode(doc)
    return body, _signed(t, did, body, secret=secrets.token_bytes(32).hex())


def _missing(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    body = encode(doc)
    headers = _signed(t, did, body)
    del headers[_sig_header(t)]
    return body, headers


def _unknown_version(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    body = encode(doc)
    headers = _signed(t, did, body)
    name = _sig_header(t)
    _, _, value = headers[name].partition("," if t.scheme == "standard" else "=")
    headers[name] = ("v2," if t.scheme == "standard" else "sha512=") + value
    return body, headers


def _rotation(doc: dict[str, Any], t: Target, did: str) -> tuple[bytes, dict[str, str]]:
    body = encode(doc)
    headers = _signed(t, did, body)
    wrong = _signed(t, did, body, secret=secrets.token_bytes(32).hex())
    name = _sig_header(t)
    headers[name] = f"{wrong[name]} {headers[name]}"
    return body, headers


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    genuine: bool
    forge: Forge
    schemes: tuple[Scheme, ...] = ("standard", "hex")


CASES = (
    Case("genuine", "correctly signed, timestamp now", True, _genuine),
    Case("expired-timestamp", f"signed, timestamp {SKEW_SECONDS // 60} min ago", False,
         _skewed(-SKEW_SECONDS)),
    Case("future-timestamp", f"signed, timestamp {SKEW_SECONDS // 60} min ahead", False,
         _skewed(SKEW_SECONDS)),
    Case("tampered-body", "signature of the original body, body changed after signing", False,
         _tampered),
    Case("wrong-secret", "signed with a different secret", False, _wrong_secret),
    Case("missing-signature", "no signature header", False, _missing),
    Case("unknown-version", "the right digest under an unknown version prefix", False,
         _unknown_version),
    Case("rotation", "two signatures: one wrong, one right (secret rotation)", True, _rotation,
         ("standard",)),
)  # fmt: skip


@dataclass(frozen=True)
class CaseResult:
    name: str
    description: str
    scheme: Scheme
    genuine: bool
    delivery_id: str
    status: int | None
    latency_ms: float
    error: str | None

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def correct(self) -> bool:
        return self.accepted is self.genuine

    def line(self) -> str:
        verdict = "ok" if self.correct else "WRONG"
        answer = str(self.status) if self.status is not None else (self.error or "no answer")
        expected = "accept" if self.genuine else "reject"
        return f"{verdict:>5}  {self.name:<18} expected {expected}, got {answer}"


@dataclass
class MatrixReport:
    url: str
    scheme: Scheme
    results: list[CaseResult] = field(default_factory=list)

    @property
    def wrongly_accepted(self) -> list[CaseResult]:
        """Forged deliveries the handler answered with a 2xx."""
        return [r for r in self.results if not r.genuine and r.accepted]

    @property
    def wrongly_rejected(self) -> list[CaseResult]:
        """Genuine deliveries the handler did not answer with a 2xx."""
        return [r for r in self.results if r.genuine and not r.accepted]

    @property
    def ok(self) -> bool:
        return not self.wrongly_accepted and not self.wrongly_rejected

    def render(self) -> str:
        lines = [f"signature matrix ({self.scheme}) against {self.url}"]
        lines += [r.line() for r in self.results]
        if self.wrongly_accepted:
            names = ", ".join(r.name for r in self.wrongly_accepted)
            lines.append(f"wrongly accepted (forged, got 2xx): {names}")
        if self.wrongly_rejected:
            names = ", ".join(r.name for r in self.wrongly_rejected)
            lines.append(f"wrongly rejected (genuine, not 2xx): {names}")
        if self.ok:
            lines.append(f"all {len(self.results)} cases answered as expected")
        return "\n".join(lines)


async def run_matrix_async(
    url: str,
    secret: str,
    scheme: Scheme = "standard",
    *,
    event: str = "interview.completed",
    allow_remote: bool = False,
    timeout_s: float = 10.0,
) -> MatrixReport:
    """Sends every case of ``scheme`` to ``url`` one after another and reports the answers."""
    if scheme == "none":
        raise ConfigError("the signature matrix needs --scheme standard or hex")
    target = Target(url, secret, scheme, timeout_s)
    check_target(target, allow_remote)
    report = MatrixReport(url, scheme)
    async with aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}) as session:
        for case in CASES:
            if scheme not in case.schemes:
                continue
            doc = build_event(event)
            delivery_id = str(doc["deliveryId"])
            body, headers = case.forge(doc, target, delivery_id)
            answer = await post(session, url, body, headers, timeout_s)
            report.results.append(
                CaseResult(case.name, case.description, scheme, case.genuine, delivery_id,
                           answer.status, answer.latency_ms, answer.error)
            )  # fmt: skip
    return report


def run_matrix(url: str, secret: str, scheme: Scheme = "standard", **options: Any) -> MatrixReport:
    """The blocking twin of :func:`run_matrix_async`, for code without a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_matrix_async(url, secret, scheme, **options))
    raise RuntimeError("run_matrix() blocks; inside an event loop await run_matrix_async()")


async def run(
    url: str,
    secret: str,
    schemes: tuple[Scheme, ...],
    *,
    allow_remote: bool = False,
    out: TextIO | None = None,
) -> int:
    """The command: one matrix per scheme; 0 when every case was answered as expected."""
    out = out or sys.stdout
    ok = True
    for scheme in schemes:
        report = await run_matrix_async(url, secret, scheme, allow_remote=allow_remote)
        print(report.render(), file=out)
        ok = ok and report.ok
    return 0 if ok else 1
