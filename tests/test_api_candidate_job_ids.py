"""A candidate's ``jobIds`` with the deprecated ``jobId``: replacing the list, and the cap of 50
assignments.
"""

from __future__ import annotations

from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_JOB,
    Api,
    inline_candidate,
)


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
