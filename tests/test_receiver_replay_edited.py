"""``POST /events/{id}/replay`` with ``body``: an edited payload re-sent, re-signed only with a
mock webhook's secret that verified the capture, or the caller's (harness.receiver.replay)."""

from __future__ import annotations

import json
import time
from typing import Any

import standardwebhooks
from aiohttp.test_utils import TestClient

from harness.delivery.signing import whsec
from harness.receiver.secrets import static_secrets
from harness.schemas import default_schemas
from tests.delivery_support import Target
from tests.e2e_support import harness
from tests.receiver_support import SECRET, MakeReceiver, fixture_body, post, signed_headers
from tests.support import full_inline_body


async def _replay(client: TestClient, capture_id: int, **body: Any) -> tuple[int, Any]:
    async with client.post(f"/events/{capture_id}/replay", json=body) as r:
        return r.status, await r.json()


def _answer_valid(answer: Any) -> None:
    assert default_schemas().violations(answer, "receiver-replay") == []


async def test_an_edited_body_of_a_mock_delivery_goes_signed_with_its_webhooks_secret(
    target: Target,
) -> None:
    async with harness() as h:
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        genuine = await h.wait(event="interview.completed", interviewId=interview["id"])
        edited = dict(genuine["body"], data={**genuine["body"]["data"], "status": "EDITED"})
        text = json.dumps(edited, indent=1, ensure_ascii=False)
        path = f"/events/{genuine['id']}/replay"
        answer = await h.receiver("POST", path, {"url": target.url(), "body": text})
        assert answer["ok"] and answer["edited"] is True, answer
        assert answer["signedWith"] == genuine["verifiedBy"]
        _answer_valid(answer)
        [sent] = target.received
        assert sent.body == text.encode(), "the edited text's exact bytes"
        async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
            hooks = (await r.json())["data"]["items"]
        [hook] = [w for w in hooks if w["id"] == genuine["verifiedBy"]["webhookId"]]
        standardwebhooks.Webhook(whsec(hook["signingSecret"])).verify(sent.body, sent.headers)


async def test_an_edited_body_is_never_signed_with_a_listen_secret_unless_typed(
    make_receiver: MakeReceiver, target: Target
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = fixture_body("interview.completed")
    await post(client, body, "acme", signed_headers("standard", body, at=int(time.time())))
    status, answer = await _replay(client, 1, url=target.url(), body='{"forged": true}')
    assert status == 409, answer
    assert answer["error"] == "not_verified"
    assert "--secret 1" in answer["message"] and "type it as secret" in answer["message"]
    assert target.received == []

    status, answer = await _replay(client, 1, url=target.url(), body="{}", secret=SECRET)
    assert status == 200 and answer["signedWith"] == "caller" and answer["edited"], answer
    _answer_valid(answer)
    [sent] = target.received
    assert sent.body == b"{}"
    standardwebhooks.Webhook(whsec(SECRET)).verify(sent.body, sent.headers)


async def test_an_edited_forged_capture_is_never_signed_by_the_receiver(
    make_receiver: MakeReceiver, target: Target
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body(), "acme")  # no signature: forged
    status, answer = await _replay(client, 1, url=target.url(), body="{}")
    assert (status, answer["error"], answer["signature"]) == (409, "not_verified", "invalid")
    status, answer = await _replay(client, 1, url=target.url(), body="not json", scheme="none")
    assert status == 200 and answer["signedWith"] is None, answer
    [sent] = target.received
    assert sent.body == b"not json", "an edited body need not be JSON"
    assert "webhook-signature" not in sent.headers


async def test_an_edited_body_must_be_a_string(make_receiver: MakeReceiver, target: Target) -> None:
    client = await make_receiver()
    await post(client, fixture_body(), "acme")
    status, answer = await _replay(client, 1, url=target.url(), body={"a": 1}, scheme="none")
    assert (status, answer["error"]) == (400, "bad_replay")
    assert "body must be a string" in answer["message"]
    assert target.received == []
