"""Regressions found in an adversarial review of the mock against the contract."""

from __future__ import annotations

from harness.domain.models import Agent
from harness.store.memory import Store
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_JOB,
    GLOBEX_PHONE,
    MISSING_ID,
    Api,
    inline_candidate,
)

HOOK_URL = "http://localhost:9/hooks/review"


def _agents(api: Api) -> list[Agent]:
    from harness.api.state import STORE

    store: Store = api.client.app[STORE]
    return list(store.agents.values())


# --- 500s reachable with some input -----------------------------------------------------------


async def test_billing_window_near_the_first_representable_instant_is_not_a_500(api: Api) -> None:
    reply = await api.get("/billing/usage?end=0001-01-01T00:00:00%2B00:00")
    assert reply.status == 200
    assert reply.data["totalInterviews"] == 0
    reply = await api.get(
        "/billing/usage?start=2020-01-01T00:00:00%2B00:00&end=0001-01-01T00:00:00%2B23:59"
    )
    assert reply.status == 400
    assert reply.fields == ["start"]


async def test_gdpr_expiry_beyond_year_9999_in_utc_is_a_400_not_a_500(api: Api) -> None:
    body = {
        "firstName": "A",
        "lastName": "B",
        "email": "a@b.co",
        "gdprExpiryDate": "9999-12-31T23:59:59-23:59",
    }
    reply = await api.post("/candidates", body)
    assert reply.status == 400
    assert reply.fields == ["gdprExpiryDate"]
    before = len(_agents(api))
    reply = await api.post(
        "/interviews",
        {
            "candidate": inline_candidate(gdprExpiryDate="9999-12-31T23:59:59-23:59"),
            "agentId": ACME_AGENT_GENERIC,
            "isTest": True,
        },
    )
    assert reply.status == 400
    assert reply.fields == ["candidate.gdprExpiryDate"]
    assert len(_agents(api)) == before


async def test_webhook_header_name_of_the_wrong_type_is_a_400_not_a_500(api: Api) -> None:
    for name in (5, None, ["X"]):
        reply = await api.post(
            "/webhooks",
            {"url": HOOK_URL, "events": ["ping"], "headers": [{"name": name, "value": "x"}]},
        )
        assert reply.status == 400, name
        assert reply.fields == ["headers.0.name"]


# --- strict types (docs/decisions.md) ---------------------------------------------------------


async def test_webhook_bodies_are_strictly_typed_like_every_other_body(api: Api) -> None:
    for extra in (
        {"maxRetries": "3"},
        {"maxRetries": 1.5},
        {"isActive": "yes"},
        {"timeoutMs": "500"},
    ):
        reply = await api.post("/webhooks", {"url": HOOK_URL, "events": ["ping"], **extra})
        assert reply.status == 400, extra
        assert reply.fields == list(extra), extra
    hook = await api.post("/webhooks", {"url": HOOK_URL, "events": ["ping"]})
    reply = await api.patch(f"/webhooks/{hook.data['id']}", {"isActive": "false"})
    assert reply.status == 400
    assert reply.fields == ["isActive"]


# --- company scoping --------------------------------------------------------------------------


async def test_an_online_agent_cannot_reference_another_companys_phone_number(api: Api) -> None:
    before = len(_agents(api))
    reply = await api.post("/agents", {"name": "Online", "companyPhoneNumberId": GLOBEX_PHONE})
    assert reply.status == 403
    assert reply.error["code"] == "RESOURCE_ACCESS_DENIED"
    assert reply.error["details"] == {"resourceType": "PhoneNumber", "resourceId": GLOBEX_PHONE}
    reply = await api.post("/agents", {"name": "Online", "companyPhoneNumberId": MISSING_ID})
    assert reply.status == 404
    reply = await api.patch(f"/agents/{ACME_AGENT_GENERIC}", {"companyPhoneNumberId": GLOBEX_PHONE})
    assert reply.status == 403
    reply = await api.post(
        "/interviews",
        {
            "candidateId": ACME_CANDIDATE,
            "agent": {"name": "Inline", "companyPhoneNumberId": GLOBEX_PHONE},
            "isTest": True,
        },
    )
    assert reply.status == 403
    assert reply.error["details"]["resourceType"] == "PhoneNumber"
    assert len(_agents(api)) == before


# --- candidate PATCH --------------------------------------------------------------------------


async def test_patch_with_empty_job_ids_and_the_deprecated_job_id_replaces_the_list(
    api: Api,
) -> None:
    second = await api.post(
        "/jobs", {"title": "Second job", "description": "Another open role.", "status": "OPEN"}
    )
    job2 = second.data["id"]
    created = await api.post(
        "/candidates",
        {"firstName": "A", "lastName": "B", "email": "a@b.co", "jobIds": [ACME_JOB, job2]},
    )
    reply = await api.patch(f"/candidates/{created.data['id']}", {"jobIds": [], "jobId": job2})
    assert reply.status == 200
    assert reply.data["jobIds"] == [job2]


# --- candidate jobIds (at most 50) ------------------------------------------------------------


async def test_deprecated_job_id_cannot_take_a_candidate_past_50_job_assignments(
    api: Api,
) -> None:
    jobs = [
        (
            await api.post(
                "/jobs",
                {"title": f"Job number {i}", "description": "Ten chars+.", "status": "OPEN"},
            )
        ).data["id"]
        for i in range(51)
    ]
    contact = {"firstName": "A", "lastName": "B", "email": "a@b.co"}
    reply = await api.post("/candidates", {**contact, "jobIds": jobs[:50], "jobId": jobs[50]})
    assert reply.status == 400
    assert reply.fields == ["jobIds"]
    created = await api.post("/candidates", {**contact, "jobIds": jobs[:50]})
    assert created.status == 201
    reply = await api.patch(f"/candidates/{created.data['id']}", {"jobId": jobs[50]})
    assert reply.status == 400
    assert reply.fields == ["jobIds"]
    reply = await api.post(
        "/interviews",
        {
            "candidate": inline_candidate(jobIds=jobs[:50], jobId=jobs[50]),
            "agentId": ACME_AGENT_GENERIC,
            "isTest": True,
        },
    )
    assert reply.status == 400
    assert reply.fields == ["candidate.jobIds"]
