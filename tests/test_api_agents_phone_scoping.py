"""An agent, stored or inline, can only use its own company's phone numbers; a refusal creates
nothing.
"""

from __future__ import annotations

from harness.domain.models import Agent
from harness.store.memory import Store
from tests.support import (
    ACME_AGENT_GENERIC,
    ACME_CANDIDATE,
    GLOBEX_PHONE,
    MISSING_ID,
    Api,
)


def _agents(api: Api) -> list[Agent]:
    from harness.api.state import STORE

    store: Store = api.client.app[STORE]
    return list(store.agents.values())


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
