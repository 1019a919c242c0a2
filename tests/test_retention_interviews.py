"""Retention of the mock's interviews: the oldest finished, idle ones go past ``max_interviews``,
with what their create wrote, counted in ``/_harness/world``; work in progress always stays."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from harness.api.app import create_api_app
from harness.api.state import STORE
from harness.api.webhooks import enable_delivery
from harness.config import HarnessConfig
from harness.store.memory import DEFAULT_MAX_INTERVIEWS, Store
from tests.delivery_support import SteppingClock, Target, dispatcher_of
from tests.support import ACME_CANDIDATE, Api, full_inline_body

Make = Callable[..., Awaitable[Api]]


def store_of(api: Api) -> Store:
    app = api.client.app
    assert app is not None
    return app[STORE]


async def create(api: Api, **extra: Any) -> dict[str, Any]:
    reply = await api.post("/interviews", full_inline_body(**extra))
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


async def retention(api: Api) -> dict[str, Any]:
    world = (await api.get("/_harness/world")).data
    return world["retention"]["interviews"]  # type: ignore[no-any-return]


async def test_the_oldest_finished_interviews_go_first_and_are_counted(make_api: Make) -> None:
    api = await make_api(max_interviews=2)
    first, second, third = [await create(api, isTest=True) for _ in range(3)]
    assert await retention(api) == {"limit": 2, "kept": 2, "evicted": 1}
    gone = await api.get(f"/interviews/{first['id']}")
    missing = await api.get("/interviews/00000000-0000-4000-8000-000000000000")
    assert gone.status == missing.status == 404
    assert gone.error["code"] == missing.error["code"]
    for kept in (second, third):
        assert (await api.get(f"/interviews/{kept['id']}")).status == 200
    await create(api, isTest=True)
    assert await retention(api) == {"limit": 2, "kept": 2, "evicted": 2}
    assert (await api.get(f"/interviews/{second['id']}")).status == 404


async def test_what_an_interviews_create_wrote_goes_with_it(make_api: Make) -> None:
    api = await make_api(max_interviews=1)
    store = store_of(api)
    seeded = (len(store.jobs), len(store.candidates), len(store.agents))
    first = await create(api, isTest=True)
    assert (len(store.jobs), len(store.candidates), len(store.agents)) == tuple(
        n + 1 for n in seeded
    )
    await create(api, isTest=True)
    assert (len(store.jobs), len(store.candidates), len(store.agents)) == tuple(
        n + 1 for n in seeded
    )
    assert (await api.get(f"/candidates/{first['candidateId']}")).status == 404
    assert (await api.get(f"/agents/{first['agentId']}")).status == 404
    assert (await api.get(f"/jobs/{first['jobId']}")).status == 404


async def test_a_candidate_another_kept_interview_uses_stays(make_api: Make) -> None:
    api = await make_api(max_interviews=1)
    first = await create(api, isTest=True)
    body = full_inline_body(isTest=True)
    del body["candidate"]
    body["candidateId"] = first["candidateId"]
    reply = await api.post("/interviews", body)
    assert reply.status == 201, reply.body
    assert (await api.get(f"/interviews/{first['id']}")).status == 404
    assert (await api.get(f"/candidates/{first['candidateId']}")).status == 200
    assert (await api.get(f"/jobs/{first['jobId']}")).status == 200, "its candidate lists it"
    assert (await api.get(f"/agents/{first['agentId']}")).status == 404


async def test_seeded_resources_are_never_evicted(make_api: Make) -> None:
    api = await make_api(max_interviews=1)
    body = full_inline_body(isTest=True)
    del body["candidate"]
    body["candidateId"] = ACME_CANDIDATE
    for _ in range(3):
        assert (await api.post("/interviews", body)).status == 201
    assert (await api.get(f"/candidates/{ACME_CANDIDATE}")).status == 200
    assert (await retention(api))["evicted"] == 2


async def test_interviews_not_finished_are_work_and_stay(make_api: Make) -> None:
    api = await make_api(max_interviews=1)
    live = await create(api)  # not a test: it starts and stays IN_PROGRESS
    await create(api, isTest=True)
    await create(api, isTest=True)
    assert (await api.get(f"/interviews/{live['id']}")).status == 200
    assert await retention(api) == {"limit": 1, "kept": 2, "evicted": 1}, "never the newest"
    done = await api.post(f"/_harness/interviews/{live['id']}/complete", {"durationMinutes": 4})
    assert done.status == 200
    await create(api, isTest=True)
    assert (await api.get(f"/interviews/{live['id']}")).status == 404
    assert await retention(api) == {"limit": 1, "kept": 1, "evicted": 3}


async def test_evicted_billed_minutes_still_count(make_api: Make) -> None:
    api = await make_api(max_interviews=1)
    billed = await create(api)
    complete = f"/_harness/interviews/{billed['id']}/complete"
    assert (await api.post(complete, {"durationMinutes": 7})).status == 200
    before = (await api.get("/billing/usage")).data
    await create(api, isTest=True)
    await create(api, isTest=True)
    assert (await api.get(f"/interviews/{billed['id']}")).status == 404
    after = (await api.get("/billing/usage")).data
    assert (after["totalMinutesUsed"], after["totalInterviews"]) == (7, 1)
    assert after == before


async def test_an_interview_whose_delivery_is_pending_is_not_evicted(
    aiohttp_client: Callable[..., Awaitable[TestClient]], target: Target
) -> None:
    app = create_api_app(HarnessConfig(max_interviews=1), clock=SteppingClock())
    enable_delivery(app, None)
    api = Api(await aiohttp_client(app))
    hook = {"url": target.url(), "events": ["interview.completed"]}
    assert (await api.post("/webhooks", hook)).status == 201
    target.script.append("hang")
    held = await create(api, isTest=True)
    await target.wait_for(1)
    await create(api, isTest=True)
    assert (await api.get(f"/interviews/{held['id']}")).status == 200, "its delivery hangs"
    target.release()
    await dispatcher_of(api).drain()
    await create(api, isTest=True)
    assert (await api.get(f"/interviews/{held['id']}")).status == 404
    assert (await retention(api))["kept"] == 1


async def test_no_limit_keeps_every_interview(make_api: Make) -> None:
    api = await make_api(max_interviews=None)
    for _ in range(3):
        await create(api, isTest=True)
    assert await retention(api) == {"limit": None, "kept": 3, "evicted": 0}


def test_the_default_limit_is_documented_and_configured() -> None:
    assert HarnessConfig().max_interviews == DEFAULT_MAX_INTERVIEWS == 5_000
    with pytest.raises(ValueError, match="max_interviews"):
        HarnessConfig(max_interviews=0)
