"""Dates at the edges of what Python can represent: a 400 naming the field (or an empty window),
never a 500.
"""

from __future__ import annotations

from harness.domain.models import Agent
from harness.store.memory import Store
from tests.support import (
    ACME_AGENT_GENERIC,
    Api,
    inline_candidate,
)


def _agents(api: Api) -> list[Agent]:
    from harness.api.state import STORE

    store: Store = api.client.app[STORE]
    return list(store.agents.values())


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
