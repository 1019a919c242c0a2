"""Faults after the work: the mock does what was asked, then the answer is lost (a 5xx, or the
connection closed with no answer), so a naive client's retry creates a duplicate."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from harness.api.app import create_api_app
from harness.config import HarnessConfig
from tests.support import ACME_AGENT_SCREENING, ACME_CANDIDATE, ACME_JOB, Api


@pytest.fixture
async def api(aiohttp_client: Any) -> Api:
    return Api(await aiohttp_client(create_api_app(HarnessConfig())))


def body() -> dict[str, Any]:
    """The seeded candidate's interview for the seeded job (same body each time)."""
    return {"candidateId": ACME_CANDIDATE, "jobId": ACME_JOB, "agentId": ACME_AGENT_SCREENING}


async def interviews(api: Api) -> list[dict[str, Any]]:
    listed = await api.get(f"/interviews?candidateId={ACME_CANDIDATE}&limit=100")
    items: list[dict[str, Any]] = listed.data["items"]
    return items


async def test_an_after_fault_creates_the_interview_then_answers_its_5xx(api: Api) -> None:
    before = len(await interviews(api))
    fault = {"route": "POST /interviews", "burst": 1, "after": True, "errorStatus": 502}
    assert (await api.post("/_harness/faults", fault)).data["after"] is True
    lost = await api.post("/interviews", body())
    assert lost.status == 502
    assert lost.error["details"] == {
        "injected": True,
        "route": "POST /interviews",
        "request": 1,
        "after": True,
    }
    assert "after the work was done" in lost.error["message"]
    # The interview exists although the client was told it failed.
    assert len(await interviews(api)) == before + 1


async def test_a_naive_retry_after_a_lost_answer_creates_a_duplicate(api: Api) -> None:
    before = len(await interviews(api))
    await api.post("/_harness/faults", {"route": "POST /interviews", "burst": 1, "after": True})
    first = await api.post("/interviews", body())
    retry = await api.post("/interviews", body())
    assert (first.status, retry.status) == (503, 201)
    after = await interviews(api)
    assert len(after) == before + 2
    created = [i for i in after if i["id"] != retry.data["id"]]
    assert len(created) == before + 1  # the first, unseen interview is there beside the retry's


async def test_a_fault_before_the_work_creates_nothing(api: Api) -> None:
    before = len(await interviews(api))
    await api.post("/_harness/faults", {"route": "POST /interviews", "burst": 1})
    assert (await api.post("/interviews", body())).status == 503
    assert len(await interviews(api)) == before


async def test_a_dropping_after_fault_closes_the_connection_and_keeps_the_work(
    api: Api,
) -> None:
    before = len(await interviews(api))
    fault = {"route": "POST /interviews", "burst": 1, "after": True, "drop": True}
    await api.post("/_harness/faults", fault)
    with pytest.raises(aiohttp.ClientError):
        await api.post("/interviews", body())
    assert len(await interviews(api)) == before + 1
    listed = (await api.get("/_harness/faults")).data["items"]
    assert listed[0]["injected"] == 1 and listed[0]["drop"] is True


async def test_a_dropping_fault_before_the_work_closes_the_connection_and_creates_nothing(
    api: Api,
) -> None:
    before = len(await interviews(api))
    await api.post("/_harness/faults", {"route": "POST /interviews", "burst": 1, "drop": True})
    with pytest.raises(aiohttp.ClientError):
        await api.post("/interviews", body())
    assert len(await interviews(api)) == before


async def test_an_after_fault_leaves_a_refused_request_its_own_error(api: Api) -> None:
    await api.post("/_harness/faults", {"route": "POST /interviews", "burst": 1, "after": True})
    refused = await api.post("/interviews", {"candidate": {}})
    assert refused.status == 400  # nothing was done, so there is no answer to lose


@pytest.mark.parametrize("field", ["after", "drop"])
async def test_after_and_drop_must_be_booleans(api: Api, field: str) -> None:
    bad = await api.post("/_harness/faults", {"route": "POST /interviews", field: "yes"})
    assert bad.status == 400
    assert bad.fields == [field]
