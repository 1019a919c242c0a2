from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from harness.api.app import create_api_app
from harness.api.state import SINK
from harness.config import HarnessConfig
from harness.domain.events import RecordingSink
from tests.delivery_support import Target
from tests.receiver_support import MakeReceiver, receiver_factory
from tests.support import Api

ClientFactory = Callable[[web.Application], Awaitable[TestClient]]

#: tests/installed is the smoke suite for the built wheel: scripts/smoke-installed runs it in a
#: fresh venv outside the checkout (``make smoke``); against the checkout it would prove nothing.
collect_ignore = ["installed"]


@pytest.fixture
def make_api(aiohttp_client: Any) -> Callable[..., Awaitable[Api]]:
    """Builds a mock API with the given config options and returns a checking client for it."""

    async def make(**options: Any) -> Api:
        app = create_api_app(HarnessConfig(**options))
        return Api(await aiohttp_client(app))

    return make


@pytest.fixture
async def api(make_api: Callable[..., Awaitable[Api]]) -> Api:
    return await make_api()


@pytest.fixture
def events(api: Api) -> RecordingSink:
    """The events the mock published, in order."""
    sink = api.client.app[SINK]
    assert isinstance(sink, RecordingSink)
    return sink


@pytest.fixture
def make_receiver(aiohttp_client: Any, tmp_path: Path) -> MakeReceiver:
    """Builds receiver apps on a capture database in ``tmp_path``."""
    return receiver_factory(aiohttp_client, tmp_path)


@pytest.fixture
async def target(aiohttp_server: Any) -> Target:
    """A local webhook endpoint that records every request it gets."""
    t = Target()
    server = await aiohttp_server(t.app())
    t.base_url = str(server.make_url("")).rstrip("/")
    return t
