"""``instaview-harness trigger EVENT``: one realistic signed event, built from the event's fixture
(``fixtures/webhooks/<event>.json``) with a fresh ``deliveryId`` and timestamp, and
``--set data.metadata.x=1`` overrides (values parsed as JSON when they parse, else strings)."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from uuid import uuid4

from harness.clock import iso
from harness.delivery.event_names import parse_event
from harness.domain.enums import EMITTED_EVENTS
from harness.errors import ConfigError
from harness.tools.blocking import post_blocking
from harness.tools.fixture_files import WEBHOOK_FIXTURES, webhook_fixture
from harness.tools.send import (
    SendResult,
    Target,
    check_target,
    delivery_id_of,
    encode,
    signed_headers,
)


def parse_override(text: str) -> tuple[list[str], Any]:
    """``data.metadata.x=1`` → (["data", "metadata", "x"], 1)."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise ConfigError(f"--set {text!r}: use PATH=VALUE, e.g. data.metadata.atsId=A-7")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return path.strip().split("."), value


def set_path(doc: dict[str, Any], parts: list[str], value: Any) -> None:
    """Sets ``value`` at the dotted path, creating objects on the way; list items by index."""
    target: Any = doc
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(target, list):
            if not part.isdigit() or int(part) >= len(target):
                raise ConfigError(f"--set {where}: no such list item")
            if last:
                target[int(part)] = value
            else:
                target = target[int(part)]
        elif isinstance(target, dict):
            if last:
                target[part] = value
            else:
                if not isinstance(target.get(part), dict | list):
                    target[part] = {}
                target = target[part]
        else:
            raise ConfigError(f"--set {where}: the parent is not an object or a list")


def build_event(
    event: str,
    overrides: Sequence[str] = (),
    is_test: bool | None = None,
    now: datetime | None = None,
    directory: Path = WEBHOOK_FIXTURES,
) -> dict[str, Any]:
    """The fixture of ``event`` with a fresh ``deliveryId`` and ``timestamp``, the test/live
    switch applied to ``data.isTest`` and ``data.metadata.isTest``, then the overrides."""
    try:
        parsed = parse_event(event)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if parsed not in EMITTED_EVENTS:
        raise ConfigError(
            f"{parsed.value} can be subscribed to, but the harness never sends it and has no "
            "payload for it (the vendor documents none)"
        )
    name = parsed.value
    doc = copy.deepcopy(webhook_fixture(name, directory))
    doc["deliveryId"] = str(uuid4())
    doc["timestamp"] = iso(now or datetime.now(UTC))
    data = doc.get("data")
    if is_test is not None and isinstance(data, dict) and "isTest" in data:
        data["isTest"] = is_test
        metadata = data.get("metadata")
        if isinstance(metadata, dict):
            if is_test:
                metadata["isTest"] = True
            else:
                metadata.pop("isTest", None)
    for text in overrides:
        set_path(doc, *parse_override(text))
    return doc


def send_event(
    event: str,
    target: Target,
    overrides: Sequence[str] = (),
    is_test: bool | None = None,
) -> tuple[dict[str, Any], SendResult]:
    """Builds and sends one event, blocking; returns it and the handler's answer. One request:
    the standard library's client and no event loop, so the command starts in milliseconds."""
    doc = build_event(event, overrides, is_test)
    body = encode(doc)
    delivery_id = delivery_id_of(doc)
    headers = signed_headers(target, delivery_id, body)
    answer = post_blocking(target.url, body, headers, target.timeout_s)
    source = f"trigger {doc.get('event')}"
    name = doc.get("event")
    result = SendResult(
        source,
        name if isinstance(name, str) else None,
        delivery_id,
        answer.status,
        answer.latency_ms,
        answer.error,
        answer.truncated,
    )
    return doc, result


async def trigger(
    event: str,
    target: Target,
    overrides: Sequence[str] = (),
    is_test: bool | None = None,
) -> tuple[dict[str, Any], SendResult]:
    """:func:`send_event` from async code (in a worker thread: the loop stays free, e.g. to
    serve the handler it sends to)."""
    import asyncio

    return await asyncio.to_thread(send_event, event, target, overrides, is_test)


def run(
    event: str,
    target: Target,
    overrides: Sequence[str] = (),
    is_test: bool | None = None,
    *,
    allow_remote: bool = False,
    out: TextIO | None = None,
) -> int:
    """The command: prints the delivery and the answer; 0 on a 2xx, 1 otherwise."""
    out = out or sys.stdout
    check_target(target, allow_remote)
    doc, result = send_event(event, target, overrides, is_test)
    print(f"sent {doc.get('event')} deliveryId={result.delivery_id} to {target.url}", file=out)
    print(result.line(), file=out)
    return 0 if result.ok else 1
