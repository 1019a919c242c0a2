"""instaview-harness: a local, offline stand-in for the Instaview API and its webhooks."""

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
    UnexpectedResponse,
    Webhook,
)
from harness.tools.matrix import MatrixReport

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
    "SchemaViolationError",
    "UnexpectedResponse",
    "VirtualClock",
    "Webhook",
    "assert_valid",
    "assert_valid_event",
    "create_api_app",
]
