"""What both facades share: addresses, keys, ids, the schema assertions, the apps a test
serves, and the request bodies the calls build (:mod:`harness.testing.facades` has the async
one, :mod:`harness.testing.facade_sync` the blocking one)."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

from harness.testing.apps import AppKind, AppServers
from harness.testing.assertions import assert_valid, assert_valid_event
from harness.testing.client import HarnessClient
from harness.testing.server import BackgroundHarness
from harness.testing.types import Webhook

T = TypeVar("T")

#: Seconds a blocking call (other than a wait) may take.
CALL_TIMEOUT_S = 60.0


def _modes(duplicate: bool, out_of_order: bool, delay_ms: int) -> dict[str, Any]:
    return {"duplicate": duplicate, "outOfOrder": out_of_order, "delayMs": delay_ms}


def _fault(
    route: str,
    latency_ms: int,
    error_rate: float,
    error_status: int,
    burst: int,
    seed: int,
    after: bool = False,
    drop: bool = False,
) -> dict[str, Any]:
    return {
        "route": route,
        "latencyMs": latency_ms,
        "errorRate": error_rate,
        "errorStatus": error_status,
        "burst": burst,
        "seed": seed,
        "after": after,
        "drop": drop,
    }


#: The most entries one ``requests(...)`` call returns (the journal's page limit).
MAX_JOURNAL_LIMIT = 1000


def _journal_filters(
    method: str | None,
    path: str | None,
    route: str | None,
    status: int | None,
    after: int,
    limit: int,
) -> dict[str, str]:
    values = {"method": method, "path": path, "route": route, "status": status}
    found = {k: str(v) for k, v in values.items() if v is not None}
    if after:
        found["after"] = str(after)
    found["limit"] = str(limit)
    return found


def _filters(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Facade:
    """What both facades share: addresses, keys, ids and the schema assertions."""

    assert_valid = staticmethod(assert_valid)
    assert_valid_event = staticmethod(assert_valid_event)

    def __init__(self, harness: BackgroundHarness) -> None:
        self._harness = harness
        self._client: HarnessClient = harness.client
        self._apps = AppServers()

    def _serve_app(self, app: object, kind: AppKind | None) -> str:
        return self._apps.serve(app, kind)

    def close(self) -> None:
        """Stops every app :meth:`serve_app` started (the fixture does it after each test)."""
        self._apps.close()

    @property
    def base_url(self) -> str:
        """The mock API's base URL (point your Instaview client here)."""
        return self._client.base_url

    @property
    def receiver_url(self) -> str:
        return self._client.receiver_url

    @property
    def keys(self) -> dict[str, str]:
        """``keys["acme"]``, ``keys["globex"]``: full-scope keys; ``keys["readonly"]``."""
        return dict(self._client.keys)

    @property
    def company_ids(self) -> dict[str, str]:
        return dict(self._client.company_ids)

    @property
    def webhooks(self) -> dict[str, Webhook]:
        """The world's webhooks by receiver channel (``webhooks["acme"].secret``)."""
        return dict(self._client.webhooks)
