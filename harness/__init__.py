"""instaview-harness: a local, offline stand-in for the Instaview API and its webhooks."""

from harness.api.app import create_api_app
from harness.clock import Clock, RealClock, VirtualClock
from harness.config import HarnessConfig
from harness.errors import ApiError, HarnessError

__all__ = [
    "ApiError",
    "Clock",
    "HarnessConfig",
    "HarnessError",
    "RealClock",
    "VirtualClock",
    "create_api_app",
]
