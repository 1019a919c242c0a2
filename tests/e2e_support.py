"""End-to-end helpers: the whole harness (mock + receiver) on loopback, driven over real HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from harness.api.webhooks import DISPATCHER
from harness.config import HarnessConfig
from harness.runtime import Running, running
from tests.support import ACME_KEY


@dataclass
class Harness:
    run: Running
    http: aiohttp.ClientSession

    async def api(self, method: str, path: str, body: Any = None, key: str = ACME_KEY) -> Any:
        headers = {"Authorization": f"Bearer {key}"}
        async with self.http.request(
            method, self.run.api_url + path, json=body, headers=headers
        ) as r:
            payload = await r.json()
            assert r.status < 300, payload
            return payload["data"]

    async def control(self, path: str, body: Any = None) -> Any:
        async with self.http.post(self.run.api_url + "/_harness" + path, json=body) as r:
            payload = await r.json()
            assert r.status == 200, payload
            return payload["data"]

    async def receiver(self, method: str, path: str, body: Any = None) -> Any:
        async with self.http.request(method, self.run.receiver_url + path, json=body) as r:
            return await r.json() if r.content_type == "application/json" else None

    async def wait(self, seconds: float = 10, **query: str) -> dict[str, Any]:
        params = {**query, "timeout": str(seconds)}
        async with self.http.get(self.run.receiver_url + "/events/wait", params=params) as r:
            body = await r.json()
            assert r.status == 200, body
            return body  # type: ignore[no-any-return]

    async def events(self, **query: str) -> list[dict[str, Any]]:
        """Every matching capture, following the pages' ``next`` cursors."""
        params = {**query, "limit": "1000"}
        items: list[dict[str, Any]] = []
        while True:
            async with self.http.get(self.run.receiver_url + "/events", params=params) as r:
                body = await r.json()
                assert r.status == 200, body
            items.extend(body["items"])
            if body["next"] is None:
                return items
            params["cursor"] = body["next"]

    async def drain(self) -> None:
        """Every queued delivery finished (delivered, failed or skipped)."""
        await self.run.api[DISPATCHER].drain()


@contextlib.asynccontextmanager
async def harness(db: Path | str = ":memory:", **options: Any) -> AsyncIterator[Harness]:
    config = HarnessConfig(port=0, receiver_port=0, db_path=str(db), **options)
    limits = aiohttp.TCPConnector(limit=64)
    async with running(config) as run, aiohttp.ClientSession(connector=limits) as http:
        yield Harness(run, http)
