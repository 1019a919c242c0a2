"""Webhook bodies are strictly typed like every other body (docs/decisions.md): a wrong type is a
400 naming the field.
"""

from __future__ import annotations

from tests.support import (
    Api,
)

HOOK_URL = "http://localhost:9/hooks/review"


async def test_webhook_header_name_of_the_wrong_type_is_a_400_not_a_500(api: Api) -> None:
    for name in (5, None, ["X"]):
        reply = await api.post(
            "/webhooks",
            {"url": HOOK_URL, "events": ["ping"], "headers": [{"name": name, "value": "x"}]},
        )
        assert reply.status == 400, name
        assert reply.fields == ["headers.0.name"]


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
