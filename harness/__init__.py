"""instaview-harness: a local, offline stand-in for the Instaview API and its webhooks.

The public names below are imported on first use (PEP 562), so that ``import harness`` and the
command line (``instaview-harness --help``, ``validate``, ``trigger``) start without loading
aiohttp, pydantic or the schema engines until a command needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.api.app import create_api_app
    from harness.clock import Clock, RealClock, VirtualClock
    from harness.config import HarnessConfig
    from harness.errors import ApiError, HarnessError
    from harness.testing.assertions import SchemaViolationError, assert_valid, assert_valid_event
    from harness.testing.facades import Instaview, InstaviewSync
    from harness.testing.types import (
        ApiResponse,
        CapturedEvent,
        DeliveryTimeout,
        EventTimeout,
        RecordedRequest,
        UnexpectedResponse,
        Webhook,
    )
    from harness.tools.matrix import MatrixReport

#: Public name → the module that defines it.
_HOMES = {
    "ApiError": "harness.errors",
    "ApiResponse": "harness.testing.types",
    "CapturedEvent": "harness.testing.types",
    "Clock": "harness.clock",
    "DeliveryTimeout": "harness.testing.types",
    "EventTimeout": "harness.testing.types",
    "HarnessConfig": "harness.config",
    "HarnessError": "harness.errors",
    "Instaview": "harness.testing.facades",
    "InstaviewSync": "harness.testing.facades",
    "MatrixReport": "harness.tools.matrix",
    "RealClock": "harness.clock",
    "RecordedRequest": "harness.testing.types",
    "SchemaViolationError": "harness.testing.assertions",
    "UnexpectedResponse": "harness.testing.types",
    "VirtualClock": "harness.clock",
    "Webhook": "harness.testing.types",
    "assert_valid": "harness.testing.assertions",
    "assert_valid_event": "harness.testing.assertions",
    "create_api_app": "harness.api.app",
}

__all__ = [
    "ApiError",
    "ApiResponse",
    "CapturedEvent",
    "Clock",
    "DeliveryTimeout",
    "EventTimeout",
    "HarnessConfig",
    "HarnessError",
    "Instaview",
    "InstaviewSync",
    "MatrixReport",
    "RealClock",
    "RecordedRequest",
    "SchemaViolationError",
    "UnexpectedResponse",
    "VirtualClock",
    "Webhook",
    "assert_valid",
    "assert_valid_event",
    "create_api_app",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
