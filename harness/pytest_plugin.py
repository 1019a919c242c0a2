"""pytest fixtures for test suites that integrate with Instaview (entry point ``pytest11``).

- ``instaview``: an :class:`~harness.testing.facades.Instaview` (awaitable calls) for async tests;
- ``instaview_sync``: an :class:`~harness.testing.facades.InstaviewSync` (blocking calls) for sync
  tests;
- ``instaview_config``: the :class:`~harness.config.HarnessConfig` of the session's harness;
  override it (session scope) in a ``conftest.py`` with ``HarnessConfig.for_tests(...)`` to
  change signing scheme, retry schedule, delivery modes and so on while every other field keeps
  its fast test default. Rate limits are counted and shown in the headers but never answered
  429 unless it sets ``enforce_rate_limits=True`` (each test's reset clears the counters).

One mock API and receiver run per session, on free loopback ports, in a background thread with
their own event loop; each test gets a fresh world (``POST /_harness/reset``), no captures, no
receiver scripts, no injected faults and the configured delivery modes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.config import HarnessConfig
from harness.testing.facades import CALL_TIMEOUT_S, Instaview, InstaviewSync
from harness.testing.server import BackgroundHarness


@pytest.fixture(scope="session")
def instaview_config() -> HarnessConfig:
    """The session harness's settings: ``HarnessConfig.for_tests()`` (free ports, captures in
    memory, fast retries). Override it with ``HarnessConfig.for_tests(field=...)`` to keep the
    other test defaults."""
    return HarnessConfig.for_tests()


@pytest.fixture(scope="session")
def instaview_server(instaview_config: HarnessConfig) -> Iterator[BackgroundHarness]:
    """The session's running harness (started on first use, stopped at the end)."""
    with BackgroundHarness(instaview_config) as harness:
        yield harness


@pytest.fixture
def _instaview_fresh(instaview_server: BackgroundHarness) -> BackgroundHarness:
    instaview_server.call(instaview_server.client.reset(), CALL_TIMEOUT_S)
    return instaview_server


@pytest.fixture
def instaview(_instaview_fresh: BackgroundHarness) -> Iterator[Instaview]:
    """The harness, reset for this test, with awaitable calls; the apps the test served with
    ``serve_app`` are stopped after it."""
    facade = Instaview(_instaview_fresh)
    yield facade
    facade.close()


@pytest.fixture
def instaview_sync(_instaview_fresh: BackgroundHarness) -> Iterator[InstaviewSync]:
    """The harness, reset for this test, with blocking calls; the apps the test served with
    ``serve_app`` are stopped after it."""
    facade = InstaviewSync(_instaview_fresh)
    yield facade
    facade.close()
