"""Builders shared by the API tests: resources created through HTTP, store counts, a clocked API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from harness.api.app import create_api_app
from harness.api.state import CLOCK, STORE
from harness.clock import VirtualClock
from harness.config import HarnessConfig
from tests.support import Api

#: Where the virtual clock of :func:`clocked_api` starts.
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def candidate_body(**extra: Any) -> dict[str, Any]:
    return {"firstName": "Alan", "lastName": "Turing", "email": "alan@example.com", **extra}


def job_body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Data Engineer",
        "description": "Builds and runs data pipelines.",
        "status": "OPEN",
        **extra,
    }


def agent_body(**extra: Any) -> dict[str, Any]:
    return {"name": "Screening agent", "focus": "SCREENING", **extra}


async def _create(api: Api, path: str, body: dict[str, Any]) -> str:
    reply = await api.post(path, body)
    assert reply.status == 201, reply.body
    return str(reply.data["id"])


async def new_candidate(api: Api, **extra: Any) -> str:
    return await _create(api, "/candidates", candidate_body(**extra))


async def new_job(api: Api, **extra: Any) -> str:
    return await _create(api, "/jobs", job_body(**extra))


async def new_agent(api: Api, **extra: Any) -> str:
    return await _create(api, "/agents", agent_body(**extra))


def counts(api: Api) -> dict[str, int]:
    """How many candidates, jobs, agents and interviews the mock holds (deleted ones included)."""
    store = api.client.app[STORE]
    return {
        "candidates": len(store.candidates),
        "jobs": len(store.jobs),
        "agents": len(store.agents),
        "interviews": len(store.interviews),
    }


def now_of(api: Api) -> datetime:
    return api.client.app[CLOCK].now()


def iso_in(api: Api, delta: timedelta) -> str:
    """The mock's now plus ``delta``, as an ISO string with an offset."""
    return (now_of(api) + delta).isoformat()


async def clocked_api(aiohttp_client: Any, clock: VirtualClock, **options: Any) -> Api:
    """A mock API whose time moves only when the test advances ``clock``."""
    client: TestClient = await aiohttp_client(create_api_app(HarnessConfig(**options), clock=clock))
    return Api(client)


async def complete(api: Api, interview_id: str, minutes: int) -> dict[str, Any]:
    reply = await api.post(
        f"/_harness/interviews/{interview_id}/complete", {"durationMinutes": minutes}
    )
    assert reply.status == 200, reply.body
    return reply.data  # type: ignore[no-any-return]
