"""GET /interviews/{id}/analysis-pdf: the analysis report as Base64, once there is an analysis."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from harness.domain.events import RecordingSink
from tests.api_helpers import complete, iso_in
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    ACME_READONLY_KEY,
    GLOBEX_KEY,
    MISSING_ID,
    Api,
)

BASE = {"candidateId": ACME_CANDIDATE, "agentId": ACME_AGENT_GENERIC}


@pytest.mark.parametrize("prefix", ["", "/v1"])
async def test_the_pdf_is_the_one_analysis_completed_carried(
    api: Api, events: RecordingSink, prefix: str
) -> None:
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    reply = await api.get(f"{prefix}/interviews/{made['id']}/analysis-pdf")
    assert reply.status == 200, reply.body
    assert set(reply.data) == {"analysisPdfBase64"}
    pdf = base64.b64decode(reply.data["analysisPdfBase64"], validate=True)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    sent = next(e for e in events.events if e.type.value == "analysis.completed")
    assert sent.data["analysisPdfBase64"] == reply.data["analysisPdfBase64"]


async def test_a_read_only_key_reads_the_pdf(api: Api) -> None:
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    reply = await api.get(f"/interviews/{made['id']}/analysis-pdf", key=ACME_READONLY_KEY)
    assert reply.status == 200, reply.body


async def test_no_pdf_before_the_analysis_or_when_it_failed(api: Api) -> None:
    later = {**BASE, "scheduleTime": iso_in(api, timedelta(hours=1))}
    made = (await api.post("/interviews", later)).data
    for _ in range(2):  # SCHEDULED, then IN_PROGRESS
        reply = await api.get(f"/interviews/{made['id']}/analysis-pdf")
        assert reply.status == 404, reply.body
        assert reply.error["details"] == {"resourceType": "Analysis", "resourceId": made["id"]}
        await api.post(f"/_harness/interviews/{made['id']}/start")
    failed = (await api.post("/interviews", BASE)).data
    body = {"durationMinutes": 2, "analysisFails": True}
    await api.post(f"/_harness/interviews/{failed['id']}/complete", body)
    assert (await api.get(f"/interviews/{failed['id']}/analysis-pdf")).status == 404
    await complete(api, made["id"], 3)
    assert (await api.get(f"/interviews/{made['id']}/analysis-pdf")).status == 200


async def test_missing_deleted_and_foreign_interviews(api: Api) -> None:
    reply = await api.get(f"/interviews/{MISSING_ID}/analysis-pdf")
    assert reply.status == 404
    assert reply.error["details"] == {"resourceType": "Interview", "resourceId": MISSING_ID}
    made = (await api.post("/interviews", {**BASE, "isTest": True})).data
    reply = await api.get(f"/interviews/{made['id']}/analysis-pdf", key=GLOBEX_KEY)
    assert reply.status == 403 and reply.error["code"] == "RESOURCE_ACCESS_DENIED"
    assert (await api.delete(f"/interviews/{made['id']}")).status == 200
    assert (await api.get(f"/interviews/{made['id']}/analysis-pdf")).status == 404
    reply = await api.get("/interviews/not-a-uuid/analysis-pdf")
    assert reply.status == 400 and reply.fields == ["id"]
