"""``harness.__all__`` is the curated public API: exactly these names, each importable."""

from __future__ import annotations

import re
from pathlib import Path

import harness

README = Path(__file__).resolve().parents[1] / "README.md"

PUBLIC = [
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


def test_all_is_exactly_the_public_api() -> None:
    assert harness.__all__ == PUBLIC
    assert sorted(harness.__all__) == harness.__all__, "keep __all__ sorted"


def test_every_public_name_is_importable_and_public_names_are_nothing_else() -> None:
    for name in PUBLIC:
        assert getattr(harness, name) is not None
    exported: dict[str, object] = {}
    exec("from harness import *", exported)
    assert sorted(k for k in exported if not k.startswith("__")) == PUBLIC


def test_assertion_errors_are_assertion_errors_and_harness_errors() -> None:
    for error in (
        harness.EventTimeout,
        harness.SchemaViolationError,
        harness.UnexpectedResponse,
        harness.DeliveryTimeout,
    ):
        assert issubclass(error, AssertionError)
        assert issubclass(error, harness.HarnessError)


def test_the_readme_documents_every_public_name() -> None:
    text = README.read_text()
    missing = [n for n in harness.__all__ if not re.search(rf"`(?:harness\.)?{n}\b[^`]*`", text)]
    assert missing == [], "README.md never names these in code spans"
