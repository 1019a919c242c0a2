"""Delivery failure injection, for handlers that must be robust: duplicate, out-of-order, delayed.

- ``duplicate``: every delivery is sent twice, back to back, with the same ``deliveryId`` and the
  same body bytes (each copy is a full delivery with its own retries);
- ``outOfOrder``: ``analysis.completed`` (and ``analysis.failed``) is sent before the
  ``interview.completed`` it follows, for the same interview, when both are published together;
- ``delayMs``: each delivery waits that long (on the injectable clock) before its first attempt.

The per-run default comes from :attr:`HarnessConfig.delivery_modes` and may be switched at run
time (``POST /_harness/modes``); a webhook may have its own (``POST /_harness/webhooks/{id}/
modes``). ``POST /_harness/reset`` goes back to the configured default. Every attempt of an
affected delivery names its modes in the delivery log's ``injected``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from harness.domain.enums import EventType
from harness.domain.numbers import JsonInt

#: A minute is far longer than any test waits; more is a mistake.
MAX_DELAY_MS = 60_000

DUPLICATE = "duplicate"
OUT_OF_ORDER = "out-of-order"
DELAYED = "delayed"

#: Moved ahead of ``interview.completed`` in out-of-order mode.
ANALYSIS_EVENTS = frozenset({EventType.ANALYSIS_COMPLETED, EventType.ANALYSIS_FAILED})


class DeliveryModes(BaseModel):
    """Which failures to inject into deliveries (all off by default)."""

    # Strict like every other request body (docs/decisions.md, "strict types").
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, strict=True
    )

    duplicate: bool = False
    out_of_order: bool = False
    delay_ms: JsonInt = Field(default=0, ge=0, le=MAX_DELAY_MS)

    def wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


def parse_delivery_modes(names: str, delay_ms: int = 0) -> DeliveryModes:
    """``"duplicate,out-of-order"`` and a delay → :class:`DeliveryModes` (``serve`` flags)."""
    chosen = {n.strip() for n in names.split(",") if n.strip()}
    unknown = sorted(chosen - {DUPLICATE, OUT_OF_ORDER})
    if unknown:
        raise ValueError(
            f"unknown delivery mode {unknown[0]!r}; use {DUPLICATE} and/or {OUT_OF_ORDER}"
        )
    return DeliveryModes(
        duplicate=DUPLICATE in chosen, out_of_order=OUT_OF_ORDER in chosen, delay_ms=delay_ms
    )


class ModeTable:
    """The run's default modes and each webhook's own."""

    def __init__(self, default: DeliveryModes) -> None:
        self.configured = default
        self.default = default
        self._by_webhook: dict[UUID, DeliveryModes] = {}

    def of(self, webhook_id: UUID) -> DeliveryModes:
        return self._by_webhook.get(webhook_id, self.default)

    def set(self, webhook_id: UUID | None, modes: DeliveryModes) -> None:
        """Modes for one webhook, or (``None``) the default for every webhook without its own."""
        if webhook_id is None:
            self.default = modes
        else:
            self._by_webhook[webhook_id] = modes

    def reset(self) -> None:
        self.default = self.configured
        self._by_webhook.clear()


Item = TypeVar("Item")


def reorder(
    items: Sequence[Item],
    key: Callable[[Item], tuple[UUID, EventType, UUID | None]],
    out_of_order: Callable[[UUID], bool],
) -> list[tuple[Item, bool]]:
    """``items`` (one batch of (webhook, event) sends, in publish order) with each analysis
    event moved just before the ``interview.completed`` of the same webhook and interview when
    that webhook is out of order; the flag says the item was moved."""
    out: list[tuple[Item, bool]] = [(item, False) for item in items]
    for index in range(len(out)):
        webhook, event, interview = key(out[index][0])
        if event not in ANALYSIS_EVENTS or interview is None or not out_of_order(webhook):
            continue
        target = next(
            (
                i
                for i in range(index)
                if key(out[i][0]) == (webhook, EventType.INTERVIEW_COMPLETED, interview)
            ),
            None,
        )
        if target is not None:
            moved = out.pop(index)
            out.insert(target, (moved[0], True))
    return out
