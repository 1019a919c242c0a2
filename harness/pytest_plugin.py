"""pytest fixtures for test suites that integrate with Instaview (entry point ``pytest11``).

- ``instaview``: an :class:`~harness.testing.facades.Instaview` (awaitable calls) for async tests;
- ``instaview_sync``: an :class:`~harness.testing.facades.InstaviewSync` (blocking calls) for sync
  tests;
- ``instaview_config``: the :class:`~harness.config.HarnessConfig` of the session's harness;
  override it (session scope) in a ``conftest.py`` to change signing scheme, retry schedule,
  delivery modes and so on. Rate limits are counted and shown in the headers but never answered
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

#: Fast retries: a failing handler is retried within a fraction of a second.
TEST_RETRY_SCHEDULE = (0.05, 0.1, 0.2)


@pytest.fixture(scope="session")
def instaview_config() -> HarnessConfig:
    """The session harness's settings: free ports, captures in memory, fast retries."""
    return HarnessConfig(
        port=0, receiver_port=0, db_path=":memory:", retry_schedule=TEST_RETRY_SCHEDULE
    )


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
def instaview(_instaview_fresh: BackgroundHarness) -> Instaview:
    """The harness, reset for this test, with awaitable calls."""
    return Instaview(_instaview_fresh)


@pytest.fixture
def instaview_sync(_instaview_fresh: BackgroundHarness) -> InstaviewSync:
    """The harness, reset for this test, with blocking calls."""
    return InstaviewSync(_instaview_fresh)
