"""isTest semantics, the control-API lifecycle, and GET/list/DELETE of interviews."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import pytest

from harness.domain.events import RecordingSink
from tests.api_helpers import complete, iso_in, new_candidate, now_of
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_AGENT_LANGUAGE,
    ACME_AGENT_PHONE,
    ACME_AGENT_SCREENING,
    ACME_CANDIDATE,
    ACME_JOB,
    ACME_READONLY_KEY,
    GLOBEX_AGENT_GENERIC,
    GLOBEX_CANDIDATE,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
    full_inline_body,
)

BASE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}


def _kinds(events: RecordingSink) -> list[str]:
    return [e.type.value for e in events.events]


async def _scheduled(api: Api, **extra: Any) -> dict[str, Any]:
    body = {**BASE, "scheduleTime": iso_in(api, timedelta(hours=1)), **extra}
    reply = await api.post("/interviews", body)
    assert reply.status == 201, reply.body
    return reply.data  # type: ignore[no-any-return]


# --- isTest -----------------------------------------------------------------------------------


async def test_is_test_is_completed_at_once(api: Api, events: RecordingSink) -> None:
    meta = {"externalInterviewId": "INT-789"}
    made = await api.post("/interviews", {**BASE, "isTest": True, "metadata": meta})
    assert made.status == 201
    data = made.data
    assert data["status"] == "COMPLETED"
    assert data["isTest"] is True
    assert data["durationMinutes"] == 0
    assert data["finishedDate"] is not None
    finished = datetime.fromisoformat(data["finishedDate"].replace("Z", "+00:00"))
    assert abs(finished - now_of(api)) < timedelta(seconds=5)
    assert data["metadata"] == {"externalInterviewId": "INT-789", "isTest": True}
    general = data["analysis"]["general"]
    assert 0 <= general["overallRating"] <= 100
    assert general["companyFitRating"] in {"LOW", "MEDIUM", "HIGH"}
    assert general["strongPoints"]
    assert data["callAttempts"] == []
    assert (await api.get(f"/interviews/{data['id']}")).data == data


async def test_is_test_fires_completed_then_analysis(api: Api, events: RecordingSink) -> None:
    made = (await api.post("/interviews", full_inline_body(isTest=True))).data
    assert _kinds(events) == ["interview.completed", "analysis.completed"]
    completed, analysis = (e.data for e in events.events)
    for data in (completed, analysis):
        assert data["interviewId"] == made["id"]
        assert data["candidateId"] == made["candidateId"]
        assert data["jobId"] == made["jobId"]
        assert data["agentId"] == made["agentId"]
        assert data["isTest"] is True
        assert data["metadata"]["isTest"] is True
    assert completed["status"] == "COMPLETED"
    assert completed["callAttemptId"] is None
    assert analysis["analysis"] == made["analysis"]
    assert base64.b64decode(analysis["analysisPdfBase64"]).startswith(b"%PDF-")


async def test_the_analysis_has_the_vendors_shape(api: Api, events: RecordingSink) -> None:
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    general = made["analysis"]["general"]
    # docs.instaview.sk/api-reference/interviews/get-interview: status a number, evaluation
    # a list of sentences, education and experience free text
    assert general["status"] == 3
    assert general["evaluation"] and all(isinstance(e, str) for e in general["evaluation"])
    assert all(isinstance(general[k], str) for k in ("education", "experience"))
    assert list(general)[:2] == ["createdAt", "updatedAt"]
    assert events.events[-1].data["analysis"] == made["analysis"]


async def test_is_test_merges_into_the_callers_metadata(api: Api) -> None:
    clash = await api.post("/interviews", {**BASE, "isTest": True, "metadata": {"isTest": False}})
    assert clash.data["metadata"] == {"isTest": True}
    plain = await api.post("/interviews", {**BASE, "isTest": False, "metadata": {"a": 1}})
    assert (plain.data["isTest"], plain.data["metadata"]) == (False, {"a": 1})
    assert plain.data["status"] == "IN_PROGRESS"
    assert plain.data["analysis"] is None


async def test_is_test_language_analysis_is_specific(api: Api) -> None:
    body = {**BASE, "agentId": ACME_AGENT_LANGUAGE, "isTest": True}
    analysis = (await api.post("/interviews", body)).data["analysis"]
    assert set(analysis["specific"]["pronunciationScores"]) >= {"accuracy", "fluency"}
    generic = (await api.post("/interviews", {**BASE, "isTest": True})).data["analysis"]
    assert generic["specific"] is None


async def test_is_test_is_never_billed_and_is_listed(api: Api) -> None:
    globex = api.as_key(GLOBEX_KEY)
    body = {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC, "isTest": True}
    ids = [(await globex.post("/interviews", body)).data["id"] for _ in range(3)]
    usage = (await globex.get("/billing/usage")).data
    assert (usage["totalMinutesUsed"], usage["totalInterviews"]) == (0, 0)
    world = (await api.get("/_harness/world")).data["companies"]
    assert [c["billing"]["minutesUsed"] for c in world] == [0, 0]
    listed = await globex.get(f"/interviews?candidateId={GLOBEX_CANDIDATE}")
    assert [i["id"] for i in listed.data["items"]] == ids
    assert all(i["isTest"] for i in listed.data["items"])
    # The control API cannot re-complete a test interview.
    assert (await api.post(f"/_harness/interviews/{ids[0]}/complete", {})).status == 409


# --- the non-test lifecycle via the control API -----------------------------------------------


async def test_scheduled_start_complete(api: Api, events: RecordingSink) -> None:
    made = await _scheduled(api)
    assert made["status"] == "SCHEDULED"
    base = f"/_harness/interviews/{made['id']}"
    assert (await api.post(f"{base}/complete", {})).status == 409  # not started
    started = await api.post(f"{base}/start")
    assert started.data["status"] == "IN_PROGRESS"
    assert _kinds(events) == ["interview.started"]
    again = await api.post(f"{base}/start")
    assert again.status == 409
    assert again.error["code"] == "CONFLICT"
    done = await complete(api, made["id"], 12)
    assert (done["status"], done["durationMinutes"]) == ("COMPLETED", 12)
    assert done["finishedDate"] is not None
    assert done["analysis"] is not None
    assert _kinds(events) == ["interview.started", "interview.completed", "analysis.completed"]
    assert all(e.data["isTest"] is False for e in events.events)
    for action in ("start", "complete", "fail"):
        assert (await api.post(f"{base}/{action}")).status == 409, action
    assert (await api.get(f"/interviews/{made['id']}")).data == done


async def test_complete_consumes_minutes(api: Api) -> None:
    made = (await api.post("/interviews", BASE)).data  # started now
    await complete(api, made["id"], 25)
    world = (await api.get("/_harness/world")).data["companies"]
    assert world[0]["billing"]["minutesUsed"] == 25
    usage = (await api.get("/billing/usage")).data
    assert (usage["totalMinutesUsed"], usage["totalInterviews"]) == (25, 1)


async def test_complete_with_failed_analysis(api: Api, events: RecordingSink) -> None:
    made = (await api.post("/interviews", BASE)).data
    reply = await api.post(
        f"/_harness/interviews/{made['id']}/complete", {"durationMinutes": 3, "analysisFails": True}
    )
    assert reply.data["analysis"] is None
    assert _kinds(events)[-2:] == ["interview.completed", "analysis.failed"]
    assert events.events[-1].data["error"]["code"]


@pytest.mark.parametrize("scheduled", [True, False])
async def test_fail(api: Api, events: RecordingSink, scheduled: bool) -> None:
    made = await _scheduled(api) if scheduled else (await api.post("/interviews", BASE)).data
    reply = await api.post(
        f"/_harness/interviews/{made['id']}/fail", {"code": "NO_ANSWER", "message": "Busy"}
    )
    assert reply.data["status"] == "FAILED"
    assert reply.data["finishedDate"] is not None
    assert _kinds(events)[-1] == "interview.failed"
    assert events.events[-1].data["error"] == {"code": "NO_ANSWER", "message": "Busy"}
    assert (await api.post(f"/_harness/interviews/{made['id']}/start")).status == 409
    world = (await api.get("/_harness/world")).data["companies"]
    assert world[0]["billing"]["minutesUsed"] == 0


async def test_phone_interview_records_call_attempts(api: Api, events: RecordingSink) -> None:
    body = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_PHONE, "jobId": ACME_JOB}
    made = (await api.post("/interviews", body)).data
    assert [a["status"] for a in made["callAttempts"]] == ["IN_PROGRESS"]
    done = await complete(api, made["id"], 4)
    assert [a["status"] for a in done["callAttempts"]] == ["COMPLETED"]
    assert events.events[0].data["callAttemptId"] == made["callAttempts"][0]["id"]


async def test_deleting_in_progress_suppresses_completion_events(
    api: Api, events: RecordingSink
) -> None:
    made = (await api.post("/interviews", BASE)).data
    assert _kinds(events) == ["interview.started"]
    assert (await api.delete(f"/interviews/{made['id']}")).data is True
    await complete(api, made["id"], 6)
    assert _kinds(events) == ["interview.started"]
    # The minutes were still used.
    assert (await api.get("/billing/usage")).data["totalMinutesUsed"] == 6


@pytest.mark.parametrize(
    "body",
    [
        {"durationMinutes": -1},
        {"durationMinutes": "5"},
        {"durationMinutes": 5.5},
        {"minutes": 5},
        {"durationMinutes": 601},
    ],
)
async def test_control_complete_validates_its_body(api: Api, body: dict[str, Any]) -> None:
    made = (await api.post("/interviews", BASE)).data
    reply = await api.post(f"/_harness/interviews/{made['id']}/complete", body)
    assert reply.status == 400
    assert (await api.get(f"/interviews/{made['id']}")).data["status"] == "IN_PROGRESS"


async def test_control_complete_takes_a_whole_number_written_with_a_fraction(api: Api) -> None:
    made = (await api.post("/interviews", BASE)).data
    reply = await api.post(f"/_harness/interviews/{made['id']}/complete", {"durationMinutes": 7.0})
    assert reply.status == 200, reply.body
    assert reply.data["durationMinutes"] == 7


@pytest.mark.parametrize("action", ["start", "complete", "fail"])
async def test_control_unknown_interview_is_404(api: Api, action: str) -> None:
    reply = await api.post(f"/_harness/interviews/{MISSING_ID}/{action}")
    assert reply.status == 404
    assert reply.error["details"] == {"resourceType": "Interview", "resourceId": MISSING_ID}


# --- GET, list, DELETE ------------------------------------------------------------------------


async def test_get_is_company_scoped(api: Api) -> None:
    theirs = await api.as_key(GLOBEX_KEY).post(
        "/interviews",
        {"candidateId": GLOBEX_CANDIDATE, "agentId": GLOBEX_AGENT_GENERIC, "isTest": True},
    )
    iid = theirs.data["id"]
    for method in ("GET", "DELETE"):
        reply = await api.call(method, f"/interviews/{iid}")
        assert reply.status == 403
        assert reply.error["details"] == {"resourceType": "Interview", "resourceId": iid}
    assert (await api.get(f"/interviews/{MISSING_ID}")).status == 404
    assert (await api.as_key(GLOBEX_KEY).get(f"/interviews/{iid}")).status == 200


async def test_list_requires_candidate_id(api: Api) -> None:
    for query in ("", "?candidateId=", f"?agentId={ACME_AGENT_GENERIC}"):
        reply = await api.get(f"/interviews{query}")
        assert reply.status == 400, query
        assert reply.fields == ["candidateId"]
    foreign = await api.get(f"/interviews?candidateId={GLOBEX_CANDIDATE}")
    assert foreign.status == 403
    assert foreign.error["details"] == {"resourceType": "Candidate", "resourceId": GLOBEX_CANDIDATE}
    assert (await api.get(f"/interviews?candidateId={MISSING_ID}")).status == 404


async def test_list_filters_and_pages(api: Api) -> None:
    other = await new_candidate(api)
    a = (await api.post("/interviews", {**BASE, "isTest": True})).data["id"]
    b = (await _scheduled(api, agentId=ACME_AGENT_SCREENING))["id"]
    c = (await api.post("/interviews", BASE)).data["id"]
    await api.post("/interviews", {"candidateId": other, "agentId": ACME_AGENT_GENERIC})

    async def ids(query: str) -> list[str]:
        reply = await api.get(f"/interviews?candidateId={ACME_CANDIDATE}{query}")
        assert reply.status == 200, reply.body
        return [i["id"] for i in reply.data["items"]]

    assert await ids("") == [a, b, c]
    assert await ids(f"&agentId={ACME_AGENT_SCREENING}") == [b]
    assert await ids("&status=COMPLETED") == [a]
    assert await ids("&status=IN_PROGRESS") == [c]
    assert await ids(f"&status=SCHEDULED&agentId={ACME_AGENT_GENERIC}") == []
    paged = await api.get(f"/interviews?candidateId={ACME_CANDIDATE}&limit=2&page=2")
    assert [i["id"] for i in paged.data["items"]] == [c]
    assert paged.data["pagination"] == {
        "total": 3,
        "page": 2,
        "limit": 2,
        "totalPages": 2,
        "hasNextPage": False,
        "hasPreviousPage": True,
    }


async def test_delete_is_soft(api: Api) -> None:
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    assert (await api.delete(f"/interviews/{made['id']}")).data is True
    gone = await api.get(f"/interviews/{made['id']}")
    assert gone.status == 404
    assert gone.error["details"] == {"resourceType": "Interview", "resourceId": made["id"]}
    assert (await api.delete(f"/interviews/{made['id']}")).status == 404
    listed = await api.get(f"/interviews?candidateId={ACME_CANDIDATE}")
    assert listed.data["items"] == []


async def test_deleted_candidate_keeps_its_interviews(api: Api) -> None:
    cid = await new_candidate(api)
    made = (await api.post("/interviews", {"candidateId": cid, "agentId": ACME_AGENT_GENERIC})).data
    await api.delete(f"/candidates/{cid}")
    kept = await api.get(f"/interviews/{made['id']}")
    assert kept.data["candidateId"] == cid
    # D: listing by a deleted candidate is a 404, like any reference to a deleted id.
    assert (await api.get(f"/interviews?candidateId={cid}")).status == 404


async def test_read_only_key(api: Api) -> None:
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    ro = api.as_key(ACME_READONLY_KEY)
    assert (await ro.get(f"/interviews/{made['id']}")).status == 200
    assert (await ro.get(f"/interviews?candidateId={ACME_CANDIDATE}")).status == 200
    denied = await ro.delete(f"/interviews/{made['id']}")
    assert denied.status == 403
    assert "delete:interviews" in denied.error["message"]


@pytest.mark.parametrize(
    "query",
    [
        "candidateId=",
        f"candidateId={ACME_CANDIDATE}&agentId=",
        f"candidateId={ACME_CANDIDATE}&status=",
        f"candidateId={ACME_CANDIDATE}&page=",
        f"candidateId={ACME_CANDIDATE}&limit=",
    ],
)
async def test_an_empty_list_filter_is_a_400_naming_the_parameter(api: Api, query: str) -> None:
    reply = await api.get(f"/interviews?{query}")
    name = query.rsplit("&", 1)[-1].removesuffix("=")
    assert (reply.status, reply.error["code"], reply.fields) == (400, "VALIDATION_ERROR", [name])
    assert "empty" in reply.error["message"] or name in ("page", "limit")
