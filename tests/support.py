"""Test helpers: the seeded world's keys and ids, and an API client that checks every answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient
from multidict import CIMultiDictProxy

from tests.wire import check_wire

ACME_KEY = "sk_test_acme_full_0000000000000000"
ACME_READONLY_KEY = "sk_test_acme_readonly_000000000000"
GLOBEX_KEY = "sk_test_globex_full_00000000000000"
ACME_ID = "11111111-1111-4111-8111-111111111111"
GLOBEX_ID = "22222222-2222-4222-8222-222222222222"
ACME_PHONE = "1a1a1a1a-0000-4000-8000-000000000001"
GLOBEX_PHONE = "2a2a2a2a-0000-4000-8000-000000000001"
ACME_JOB = "1b1b1b1b-0000-4000-8000-000000000001"
ACME_AGENT_GENERIC = "1c1c1c1c-0000-4000-8000-000000000001"
ACME_AGENT_SCREENING = "1c1c1c1c-0000-4000-8000-000000000002"
ACME_AGENT_LANGUAGE = "1c1c1c1c-0000-4000-8000-000000000003"
ACME_AGENT_PHONE = "1c1c1c1c-0000-4000-8000-000000000004"
ACME_CANDIDATE = "1d1d1d1d-0000-4000-8000-000000000001"
GLOBEX_JOB = "2b2b2b2b-0000-4000-8000-000000000001"
GLOBEX_AGENT_GENERIC = "2c2c2c2c-0000-4000-8000-000000000001"
GLOBEX_AGENT_SCREENING = "2c2c2c2c-0000-4000-8000-000000000002"
GLOBEX_CANDIDATE = "2d2d2d2d-0000-4000-8000-000000000001"
MISSING_ID = "99999999-9999-4999-8999-999999999999"


def inline_candidate(**extra: Any) -> dict[str, Any]:
    return {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada@example.com",
        "gdprExpiryDate": "2030-01-01",
        **extra,
    }


def inline_job(**extra: Any) -> dict[str, Any]:
    return {"title": "Backend Engineer", "description": "Builds the services.", **extra}


def inline_agent(**extra: Any) -> dict[str, Any]:
    return {"name": "Screening call", "focus": "SCREENING", **extra}


def full_inline_body(**extra: Any) -> dict[str, Any]:
    """The documented fully inline create-interview body."""
    return {
        "candidate": inline_candidate(),
        "agent": inline_agent(),
        "job": inline_job(),
        **extra,
    }


@dataclass
class Reply:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]

    @property
    def data(self) -> Any:
        assert self.body["success"] is True, self.body
        return self.body["data"]

    @property
    def error(self) -> dict[str, Any]:
        assert self.body["success"] is False, self.body
        return self.body["error"]  # type: ignore[no-any-return]

    @property
    def fields(self) -> list[str]:
        """The ``field`` of every validation error."""
        return [e["field"] for e in self.error["details"]["errors"]]


class Api:
    """Calls the mock with a key; every JSON answer is checked against the wire schemas."""

    def __init__(self, client: TestClient, key: str = ACME_KEY) -> None:
        self.client = client
        self.key = key

    def as_key(self, key: str) -> Api:
        return Api(self.client, key)

    async def call(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        data: bytes | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {"Authorization": f"Bearer {key or self.key}"} if (key or self.key) else {}
        if data is not None:  # raw bytes are JSON (or meant to fail as JSON) unless told
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        if json is not None:
            response = await self.client.request(method, path, json=json, headers=sent)
        else:
            response = await self.client.request(method, path, data=data, headers=sent)
        async with response:
            body = await response.json() if response.content_type == "application/json" else None
            reply = Reply(response.status, body, response.headers)
        check_wire(method, path, reply.status, body)
        return reply

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, json: Any = None, **kw: Any) -> Reply:
        return await self.call("POST", path, json, **kw)

    async def patch(self, path: str, json: Any = None, **kw: Any) -> Reply:
        return await self.call("PATCH", path, json, **kw)

    async def delete(self, path: str, **kw: Any) -> Reply:
        return await self.call("DELETE", path, **kw)
