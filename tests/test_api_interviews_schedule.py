"""``POST /interviews`` rules 9 (scheduleTime) and 11 (billing), on a virtual clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from harness.api.state import CLOCK, SINK
from harness.clock import VirtualClock, iso
from harness.domain.events import RecordingSink
from tests.api_helpers import T0, clocked_api, complete
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_CANDIDATE,
    GLOBEX_ID,
    GLOBEX_KEY,
    Api,
    full_inline_body,
)

BASE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}
GLOBEX = {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC}


@pytest.fixture
async def api(aiohttp_client: Any) -> Api:
    """The mock at T0 on a clock that never moves by itself: boundaries can be exact."""
    return await clocked_api(aiohttp_client, VirtualClock(T0))


def _sink(api: Api) -> RecordingSink:
    sink = api.client.app[SINK]
    assert isinstance(sink, RecordingSink)
    return sink


def _at(delta: timedelta, offset: str = "+00:00") -> str:
    return (T0 + delta).isoformat().replace("+00:00", offset)


# --- rule 9 -----------------------------------------------------------------------------------


async def test_rule9_omitted_starts_now(api: Api) -> None:
    made = await api.post("/interviews", BASE)
    assert made.status == 201
    assert made.data["status"] == "IN_PROGRESS"
    assert made.data["scheduledAt"] == iso(T0)
    assert [e.type.value for e in _sink(api).events] == ["interview.started"]
    assert _sink(api).events[0].data["interviewId"] == made.data["id"]


@pytest.mark.parametrize(
    ("delta", "ok"),
    [
        (timedelta(days=30), True),
        (timedelta(days=30, seconds=1), False),
        (timedelta(minutes=5), True),
        (timedelta(seconds=-60), True),
        (timedelta(seconds=-61), False),
        (timedelta(days=-1), False),
    ],
)
async def test_rule9_window(api: Api, delta: timedelta, ok: bool) -> None:
    reply = await api.post("/interviews", {**BASE, "scheduleTime": _at(delta)})
    if ok:
        assert reply.status == 201, reply.body
        assert reply.data["status"] == "SCHEDULED"
        assert reply.data["scheduledAt"] == iso(T0 + delta)
        assert _sink(api).events == []  # nothing starts until the control API says so
    else:
        assert reply.status == 400
        assert reply.fields == ["scheduleTime"]
        assert ("30 days" if delta > timedelta(0) else "past") in reply.error["message"]


async def test_rule9_offsets_are_normalised_to_utc(api: Api) -> None:
    local = (T0 + timedelta(hours=3)).astimezone().isoformat()
    plus_two = _at(timedelta(hours=5), "+02:00")  # that wall time at +02:00 is 3 hours from T0
    first = await api.post("/interviews", {**BASE, "scheduleTime": local})
    second = await api.post("/interviews", {**BASE, "scheduleTime": plus_two})
    assert first.data["scheduledAt"] == iso(T0 + timedelta(hours=3))
    assert second.data["scheduledAt"] == iso(T0 + timedelta(hours=3))
    assert second.data["scheduledAt"].endswith("Z")


async def test_rule9_scheduled_at_is_an_alias(api: Api) -> None:
    when = _at(timedelta(days=2))
    alias = await api.post("/interviews", {**BASE, "scheduledAt": when})
    assert alias.status == 201
    assert (alias.data["status"], alias.data["scheduledAt"]) == (
        "SCHEDULED",
        iso(T0 + timedelta(days=2)),
    )
    both = await api.post("/interviews", {**BASE, "scheduledAt": when, "scheduleTime": when})
    assert both.status == 201
    same_instant = _at(timedelta(days=2, hours=1), "+01:00")
    assert (
        await api.post("/interviews", {**BASE, "scheduledAt": when, "scheduleTime": same_instant})
    ).status == 201
    far = await api.post("/interviews", {**BASE, "scheduledAt": _at(timedelta(days=31))})
    assert far.fields == ["scheduledAt"]


async def test_rule9_conflicting_alias_is_400(api: Api) -> None:
    body = {**BASE, "scheduleTime": _at(timedelta(days=1)), "scheduledAt": _at(timedelta(days=2))}
    reply = await api.post("/interviews", body)
    assert reply.status == 400
    assert reply.fields == ["scheduledAt"]


@pytest.mark.parametrize("value", ["next tuesday", "2026-03-01T12:00:00", "2026-02-30T10:00:00Z"])
async def test_rule9_unparsable_names_the_reason(api: Api, value: str) -> None:
    reply = await api.post("/interviews", {**BASE, "scheduleTime": value})
    assert reply.fields == ["scheduleTime"]
    message = reply.error["details"]["errors"][0]["message"]
    assert len(message) > len("invalid")


async def test_rule9_time_moves_the_window(api: Api) -> None:
    far = _at(timedelta(days=31))
    assert (await api.post("/interviews", {**BASE, "scheduleTime": far})).status == 400
    _clock(api).advance(timedelta(days=1).total_seconds())
    assert (await api.post("/interviews", {**BASE, "scheduleTime": far})).status == 201


def _clock(api: Api) -> VirtualClock:
    clock = api.client.app[CLOCK]
    assert isinstance(clock, VirtualClock)
    return clock


# --- rule 11: billing -------------------------------------------------------------------------


async def _world_minutes(api: Api, company_id: str) -> dict[str, Any]:
    companies = (await api.get("/_harness/world")).data["companies"]
    return next(c["billing"] for c in companies if c["id"] == company_id)  # type: ignore[no-any-return]


async def test_rule11_spent_trial_is_402_but_tests_pass(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    assert await _world_minutes(api, GLOBEX_ID) == {"minutesLimit": 30, "minutesUsed": 0}
    first = await globex.post("/interviews", GLOBEX)
    await complete(api, first.data["id"], 29)
    assert await _world_minutes(api, GLOBEX_ID) == {"minutesLimit": 30, "minutesUsed": 29}
    second = await globex.post("/interviews", GLOBEX)  # one minute left: still allowed
    assert second.status == 201
    await complete(api, second.data["id"], 5)  # a call may run over the plan
    assert await _world_minutes(api, GLOBEX_ID) == {"minutesLimit": 30, "minutesUsed": 34}
    for body in (GLOBEX, {**GLOBEX, "scheduleTime": _at(timedelta(days=1))}, full_inline_body()):
        refused = await globex.post("/interviews", body)
        assert refused.status == 402, refused.body
        assert refused.error["code"] == "BILLING_LIMIT_REACHED"
    test = await globex.post("/interviews", {**GLOBEX, "isTest": True})
    assert test.status == 201
    assert await _world_minutes(api, GLOBEX_ID) == {"minutesLimit": 30, "minutesUsed": 34}
    # Another company's plan is untouched.
    assert (await api.post("/interviews", BASE)).status == 201


async def test_rule11_exactly_spent_is_402(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    first = await globex.post("/interviews", GLOBEX)
    await complete(api, first.data["id"], 30)
    assert (await globex.post("/interviews", GLOBEX)).status == 402


async def test_rule11_validation_comes_before_billing(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    first = await globex.post("/interviews", GLOBEX)
    await complete(api, first.data["id"], 30)
    assert (await globex.post("/interviews", {"agentId": GLOBEX_AGENT_GENERIC})).status == 400


async def test_billing_usage_reports_real_minutes_without_tests(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    await globex.post("/interviews", {**GLOBEX, "isTest": True})
    one = await globex.post("/interviews", GLOBEX)
    two = await globex.post("/interviews", GLOBEX)
    await complete(api, one.data["id"], 7)
    _clock(api).advance(3600)
    await complete(api, two.data["id"], 4)
    await globex.post("/interviews", GLOBEX)  # in progress: not billed yet
    usage = (await globex.get("/billing/usage")).data
    breakdown = [{"costKey": "interview_minutes", "events": 2, "minutesUsed": 11}]
    assert usage == {
        "companies": [
            {
                "companyId": GLOBEX_ID,
                "companyName": "Globex Trial",
                "billingSystem": "minutes",
                "totalMinutesUsed": 11,
                "totalInterviews": 2,
                "breakdownByCostKey": breakdown,
            }
        ],
        "totalMinutesUsed": 11,
        "totalInterviews": 2,
        "breakdownByCostKey": breakdown,
    }
    window = f"start={_at(timedelta(minutes=30)).replace('+', '%2B')}"
    later = (await globex.get(f"/billing/usage?{window}")).data
    assert (later["totalMinutesUsed"], later["totalInterviews"]) == (4, 1)
    acme = (await api.get("/billing/usage")).data
    assert (acme["totalMinutesUsed"], acme["totalInterviews"]) == (0, 0)
    assert acme["companies"][0]["companyName"] == "Acme Recruiting"


@pytest.mark.parametrize("query", ["start=", "end=", "start=&end=2030-01-01T00:00:00Z"])
async def test_billing_usage_refuses_an_empty_window_bound(api: Api, query: str) -> None:
    reply = await api.get(f"/billing/usage?{query}")
    assert (reply.status, reply.error["code"]) == (400, "VALIDATION_ERROR")
    assert reply.fields == [query.partition("=")[0]]


@pytest.mark.parametrize(
    "value",
    ["2026-01-01", "2026-01-01T00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00+0100"],
)
async def test_billing_usage_window_bounds_are_rfc_3339_date_times(api: Api, value: str) -> None:
    # defs.json#/$defs/dateTime: seconds and an offset; fromisoformat alone took these
    reply = await api.get(f"/billing/usage?start={value}")
    assert (reply.status, reply.error["code"], reply.fields) == (400, "VALIDATION_ERROR", ["start"])
    fine = await api.get("/billing/usage?start=2020-01-01t00:00:00.123456789z")
    assert fine.status == 200
