from __future__ import annotations

from tests.support import Api, full_inline_body


async def test_is_test_interview_is_created_completed(api: Api) -> None:
    reply = await api.post("/interviews", full_inline_body(isTest=True))
    assert reply.status == 201
    assert reply.data["status"] == "COMPLETED"
    assert reply.data["metadata"] == {"isTest": True}
