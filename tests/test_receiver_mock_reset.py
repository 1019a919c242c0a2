"""Closing a webhook's circuit from the inspector: ``POST /mock/webhooks/{id}/reset-circuit``
on the receiver, relayed to the control API's ``POST /_harness/webhooks/{id}/reset-circuit``."""

from __future__ import annotations

from typing import Any

from tests.e2e_support import Harness, harness
from tests.receiver_support import MakeReceiver
from tests.support import GLOBEX_KEY, full_inline_body


async def _open_globex_circuit(h: Harness) -> dict[str, Any]:
    await h.receiver("PUT", "/channels/globex/script", {"status": 500})
    for _ in range(3):  # 4 attempts per delivery: the 10th failure opens it
        await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)
        await h.drain()
    hooks = (await h.receiver("GET", "/mock/webhooks"))["items"]
    [hook] = [w for w in hooks if w["url"].endswith("/globex")]
    assert hook["circuitOpenedAt"] is not None and hook["isActive"] is False
    return hook  # type: ignore[no-any-return]


async def test_the_inspector_closes_an_open_circuit_through_the_receiver() -> None:
    async with harness(retry_schedule=(0.0,)) as h:
        hook = await _open_globex_circuit(h)
        url = f"{h.run.receiver_url}/mock/webhooks/{hook['id']}/reset-circuit"
        async with h.http.post(url) as r:
            assert r.status == 200
            closed = await r.json()
        assert (closed["id"], closed["isActive"], closed["circuitOpenedAt"]) == (
            hook["id"],
            True,
            None,
        )
        assert closed["consecutiveFailures"] == 0 and "signingSecret" not in closed
        [again] = [
            w for w in (await h.receiver("GET", "/mock/webhooks"))["items"] if w["id"] == hook["id"]
        ]
        assert again["circuitOpenedAt"] is None


async def test_reset_circuit_refuses_a_foreign_page_and_unknown_ids() -> None:
    async with harness() as h:
        hooks = (await h.receiver("GET", "/mock/webhooks"))["items"]
        url = f"{h.run.receiver_url}/mock/webhooks/{hooks[0]['id']}/reset-circuit"
        async with h.http.post(url, headers={"Origin": "http://evil.example"}) as r:
            assert r.status == 403
            assert (await r.json())["error"] == "foreign_origin"
        missing = (
            f"{h.run.receiver_url}/mock/webhooks/{'0' * 8}-0000-4000-8000-{'0' * 12}/reset-circuit"
        )
        async with h.http.post(missing) as r:
            assert r.status == 404, "the mock's own answer comes through"
        async with h.http.post(f"{h.run.api_url}/_harness/webhooks/nope/reset-circuit") as r:
            assert r.status == 400
            answer = await r.json()
        assert answer["error"]["details"]["errors"][0]["field"] == "id"


async def test_reset_circuit_without_a_mock_says_so(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    async with client.post("/mock/webhooks/x/reset-circuit") as r:
        assert r.status == 503
        assert (await r.json())["error"] == "no_mock"
