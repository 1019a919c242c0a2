"""Fresh, signed webhook deliveries built from the fixture corpus (``fixtures/webhooks/``).

Each fixture is encoded to JSON once, with the fields a new delivery must not share cut out;
a delivery is then the pieces joined around fresh values plus the scheme's signature headers:
a new ``deliveryId`` (also the ``webhook-id``), ``interviewId``, ``candidateId``, on phone
interviews ``callAttemptId``, on ``analysis.completed`` ``analysis.id``, and ``timestamp`` now.
The job, agent, metadata, the analysis itself and its PDF stay the fixture's. No JSON encoding
per delivery and one HMAC-SHA256: a few microseconds. Pure Python, no event loop: the Locust
user class (gevent) builds its deliveries with the same code as ``instaview-harness load``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.delivery.signing import Scheme, signer
from harness.delivery.webhooks import parse_event
from harness.tools.corpus import WEBHOOK_FIXTURES, read_json

USER_AGENT = "instaview-harness-load/1"
#: The fields every delivery gets afresh: where they sit in ``data`` (top level for the others).
FRESH_TOP = ("deliveryId", "timestamp")
FRESH_DATA = ("interviewId", "candidateId", "callAttemptId")
_MARK = "\x00fresh:{}\x00"
_MARKS = re.compile(r'"\\u0000fresh:(\w+)\\u0000"')


@dataclass(frozen=True)
class Template:
    """One fixture, encoded, split around its fresh fields: ``pieces[0] + value(fields[0]) +
    pieces[1] + …``; each value is already a JSON literal (a quoted string)."""

    event: str
    source: str
    pieces: tuple[bytes, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    """One delivery ready to POST: the event type, the body, and every header to send."""

    event: str
    delivery_id: str
    body: bytes
    headers: dict[str, str]


def template(doc: dict[str, Any], source: str) -> Template:
    """``doc`` (a webhook payload) as pieces around its fresh fields (those it has: a ``null``
    ``callAttemptId`` of an online interview stays null)."""
    marked = dict(doc)
    for name in FRESH_TOP:
        marked[name] = _MARK.format(name)
    data = dict(marked.get("data") or {})
    for name in FRESH_DATA:
        if isinstance(data.get(name), str):
            data[name] = _MARK.format(name)
    analysis = data.get("analysis")
    if isinstance(analysis, dict) and isinstance(analysis.get("id"), str):
        data["analysis"] = {**analysis, "id": _MARK.format("analysisId")}
    marked["data"] = data
    encoded = json.dumps(marked, separators=(",", ":"), ensure_ascii=False)
    parts = _MARKS.split(encoded)
    pieces = tuple(p.encode() for p in parts[0::2])
    return Template(str(doc["event"]), source, pieces, tuple(parts[1::2]))


def load_templates(
    events: Sequence[str] = (), directory: Path = WEBHOOK_FIXTURES
) -> list[Template]:
    """A template of every fixture (each variant, ``<event>--<variant>.json`` too) of the given
    events, every event when none is given; ``ValueError`` names an unknown event or one
    the corpus has no fixture of."""
    wanted = [parse_event(e).value for e in events]
    found: list[Template] = []
    for path in sorted(directory.glob("*.json")):
        doc = read_json(path)
        if isinstance(doc, dict) and (not wanted or doc.get("event") in wanted):
            found.append(template(doc, path.name))
    missing = [e for e in wanted if not any(t.event == e for t in found)]
    if missing:
        raise ValueError(f"no fixture of event {', '.join(missing)} in {directory}")
    if not found:
        raise ValueError(f"no webhook fixture in {directory}")
    return found


def fresh_ids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs from one read of the OS's random source."""
    raw = bytearray(os.urandom(16 * count))
    out = []
    for at in range(0, 16 * count, 16):
        raw[at + 6] = raw[at + 6] & 0x0F | 0x40
        raw[at + 8] = raw[at + 8] & 0x3F | 0x80
        h = raw[at : at + 16].hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


class _Clock:
    """Now as the payloads' ISO 8601 UTC instant (milliseconds, ``Z``) and as Unix seconds;
    the formatted date and time of day are reused within one second."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def now(self) -> tuple[str, int]:
        moment = time.time()
        second = int(moment)
        if second != self._second:
            self._second = second
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        millis = min(999, int((moment - second) * 1000))
        return f"{self._prefix}.{millis:03d}Z", second


class DeliveryFactory:
    """Deliveries built from ``templates`` in turn, each with fresh ids, signed with
    ``secret`` under ``scheme`` at the moment it is built."""

    def __init__(self, templates: Sequence[Template], scheme: Scheme, secret: str) -> None:
        if not templates:
            raise ValueError("no template to build deliveries from")
        self.scheme: Scheme = scheme
        self._sign = signer(scheme, secret)
        self._turn: Iterator[Template] = itertools.cycle(templates)
        self._clock = _Clock()

    def build(self) -> Delivery:
        tpl = next(self._turn)
        ids = fresh_ids(len(tpl.fields) + 1)
        stamp, second = self._clock.now()
        delivery_id = ids.pop()
        out = bytearray(tpl.pieces[0])
        for name, value, piece in zip(tpl.fields, ids, tpl.pieces[1:], strict=True):
            if name == "timestamp":
                value = stamp
            elif name == "deliveryId":
                value = delivery_id
            out += b'"' + value.encode() + b'"' + piece
        body = bytes(out)
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        headers.update(self._sign(delivery_id, second, body))
        return Delivery(tpl.event, delivery_id, body, headers)
