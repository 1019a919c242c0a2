"""``POST /webhooks/{id}/test``: the vendor's synchronous ping result, one attempt, logged.

The control API's ``POST /_harness/webhooks/{id}/test`` keeps queueing a ping like any event
(tests/test_dispatcher.py drives retries, modes and the circuit through it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import pytest

from harness.api.app import create_api_app
from harness.api.webhook_ping import NOT_SUBSCRIBED
from harness.api.webhooks import WEBHOOKS, enable_delivery
from harness.config import HarnessConfig
from harness.delivery import attempt
from tests.delivery_support import SteppingClock, Target, closed_port, dispatcher_of
from tests.support import GLOBEX_KEY, Api

Make = Callable[..., Awaitable[Api]]


@pytest.fixture
def make(aiohttp_client: Any) -> Make:
    async def build(**options: Any) -> Api:
        app = create_api_app(HarnessConfig(**options), clock=SteppingClock())
        enable_delivery(app)
        return Api(await aiohttp_client(app))

    return build


async def _hook(api: Api, url: str, **extra: Any) -> str:
    body = {"url": url, "events": ["ping", "interview.completed"], **extra}
    reply = await api.post("/webhooks", body)
    assert reply.status == 201, reply.body
    return str(reply.data["id"])


async def _log(api: Api) -> list[dict[str, Any]]:
    return (await api.get("/_harness/deliveries")).data["items"]  # type: ignore[no-any-return]


async def test_a_2xx_target_gives_the_vendors_success_after_the_ping_arrived(
    make: Make, target: Target
) -> None:
    api = await make()
    hook_id = await _hook(api, target.url())
    reply = await api.post(f"/webhooks/{hook_id}/test")
    assert reply.status == 200
    result = reply.data
    assert set(result) == {"success", "deliveryId", "httpStatus", "durationMs", "message"}
    assert (result["success"], result["httpStatus"]) == (True, 204)
    assert isinstance(result["durationMs"], int) and result["durationMs"] >= 0
    assert result["message"] == "Webhook test successful!"
    (got,) = target.received  # arrived before the answer: nothing was queued
    assert got.json["event"] == "ping"
    assert got.json["deliveryId"] == result["deliveryId"] == got.headers["webhook-id"]
    assert dispatcher_of(api).pending == 0
    (logged,) = await _log(api)
    assert (logged["deliveryId"], logged["outcome"], logged["statusCode"]) == (
        result["deliveryId"],
        "delivered",
        204,
    )


async def test_a_failing_target_is_success_false_with_a_200_once_and_not_retried(
    make: Make, target: Target
) -> None:
    api = await make()
    hook_id = await _hook(api, target.url())
    target.default = 500
    reply = await api.post(f"/webhooks/{hook_id}/test")
    assert reply.status == 200
    assert reply.data == {"success": False, "message": "Webhook test failed: HTTP 500"}
    assert len(target.received) == 1
    (logged,) = await _log(api)
    assert (logged["outcome"], logged["statusCode"], logged["error"]) == ("failed", 500, "HTTP 500")
    stored = api.client.app[WEBHOOKS].get(UUID(hook_id))
    assert stored is not None and stored.consecutive_failures == 0, "a test leaves the circuit"


async def test_an_unreachable_target_is_success_false_naming_the_error(make: Make) -> None:
    api = await make()
    hook_id = await _hook(api, f"http://127.0.0.1:{closed_port()}/hooks/x")
    reply = await api.post(f"/webhooks/{hook_id}/test")
    assert reply.status == 200
    assert reply.data["success"] is False
    assert reply.data["message"].startswith("Webhook test failed: ClientConnectorError")
    assert set(reply.data) == {"success", "message"}
    (logged,) = await _log(api)
    assert logged["outcome"] == "failed" and logged["statusCode"] is None


async def test_a_timeout_is_success_false(make: Make, target: Target) -> None:
    api = await make()
    hook_id = await _hook(api, target.url(), timeoutMs=100)
    target.script.append("hang")
    reply = await api.post(f"/webhooks/{hook_id}/test")
    target.release()
    failed = "Webhook test failed: timed out after 100 ms"
    assert reply.data == {"success": False, "message": failed}


async def test_without_a_ping_subscription_it_is_the_vendors_message_and_nothing_is_sent(
    make: Make, target: Target
) -> None:
    api = await make()
    reply = await api.post("/webhooks", {"url": target.url(), "events": ["interview.completed"]})
    answer = await api.post(f"/webhooks/{reply.data['id']}/test")
    assert answer.status == 200
    assert answer.data == {"success": False, "message": NOT_SUBSCRIBED}
    assert target.received == [] and await _log(api) == []


@pytest.mark.parametrize("state", ["inactive", "circuit"])
async def test_a_switched_off_webhook_creates_no_delivery(
    make: Make, target: Target, state: str
) -> None:
    api = await make()
    hook_id = await _hook(api, target.url(), isActive=state != "inactive")
    if state == "circuit":
        stored = api.client.app[WEBHOOKS].get(UUID(hook_id))
        assert stored is not None
        stored.circuit_opened_at = stored.created_at
    reply = await api.post(f"/webhooks/{hook_id}/test")
    assert reply.status == 200
    assert reply.data["success"] is False
    assert reply.data["message"].startswith("No delivery was created.")
    assert target.received == [] and await _log(api) == []


async def test_another_companys_webhook_is_403_and_a_missing_one_404(
    make: Make, target: Target
) -> None:
    api = await make()
    hook_id = await _hook(api, target.url())
    assert (await api.as_key(GLOBEX_KEY).post(f"/webhooks/{hook_id}/test")).status == 403
    missing = await api.post("/webhooks/99999999-9999-4999-8999-999999999999/test")
    assert (missing.status, missing.error["code"]) == (404, "RESOURCE_NOT_FOUND")
    assert target.received == []


async def test_the_control_api_still_queues_its_ping(make: Make, target: Target) -> None:
    api = await make()
    hook_id = await _hook(api, target.url())
    queued = await api.post(f"/_harness/webhooks/{hook_id}/test")
    assert set(queued.data) == {"webhookId", "event", "deliveryId"}
    await dispatcher_of(api).drain()
    assert target.events() == ["ping"]


async def test_a_harness_error_while_sending_is_success_false_and_an_error_attempt(
    make: Make, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await make()
    hook_id = await _hook(api, target.url())

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("signing exploded")

    monkeypatch.setattr(attempt, "post", broken)
    reply = await api.post(f"/webhooks/{hook_id}/test")
    assert reply.status == 200
    assert reply.data["success"] is False
    assert "harness error: RuntimeError: signing exploded; not retried" in reply.data["message"]
    (logged,) = await _log(api)
    assert logged["outcome"] == "error" and logged["statusCode"] is None
