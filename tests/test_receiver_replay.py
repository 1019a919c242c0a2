"""``POST /events/{id}/replay``: the captured bytes re-sent, signed only with the secret that
verified them, never back into the harness (:mod:`harness.receiver.replay`)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import standardwebhooks
from aiohttp.test_utils import TestClient

from harness.delivery.signing import Verdict, verify, whsec
from harness.receiver.secrets import static_secrets
from tests.delivery_support import Target
from tests.e2e_support import harness
from tests.receiver_support import (
    OTHER_SECRET,
    SECRET,
    MakeReceiver,
    fixture_body,
    listed,
    post,
    signed_headers,
)
from tests.support import ACME_KEY, GLOBEX_KEY, full_inline_body


async def _replay(client: TestClient, capture_id: int, **body: Any) -> tuple[int, Any]:
    async with client.post(f"/events/{capture_id}/replay", json=body) as r:
        return r.status, await r.json()


async def test_a_verified_capture_is_re_signed_with_the_secret_that_verified_it(
    make_receiver: MakeReceiver, target: Target
) -> None:
    client = await make_receiver(secrets=static_secrets(OTHER_SECRET, SECRET))
    body = fixture_body("interview.completed")
    await post(client, body, "acme", signed_headers("standard", body, at=int(time.time()) - 60))
    [capture] = await listed(client)
    assert capture["signature"] == "valid"
    status, answer = await _replay(client, capture["id"], url=target.url("handler"))
    assert status == 200, answer
    assert (answer["ok"], answer["status"], answer["scheme"]) == (True, 204, "standard")
    assert (
        answer["signedWith"]
        == capture["verifiedBy"]
        == {
            "webhookId": None,
            "companyId": None,
            "label": "--secret 2",
        }
    )
    assert answer["deliveryId"] == json.loads(body)["deliveryId"]
    [sent] = target.received
    assert sent.body == body, "the exact bytes"
    standardwebhooks.Webhook(whsec(SECRET)).verify(sent.body, sent.headers)  # raises if not
    assert int(sent.headers["webhook-timestamp"]) >= int(time.time()) - 5, "signed now"


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        ({}, "invalid"),  # forged: no signature at all
        (signed_headers("standard", fixture_body(), "ef" * 32), "invalid"),  # unknown secret
        (signed_headers("standard", fixture_body(), at=1_000_000_000), "invalid"),  # stale
    ],
)
async def test_a_capture_that_was_not_verified_is_never_signed_by_the_receiver(
    make_receiver: MakeReceiver, target: Target, headers: dict[str, str], verdict: str
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body(), "acme", headers)
    [capture] = await listed(client)
    assert capture["signature"] == verdict
    status, answer = await _replay(client, capture["id"], url=target.url())
    assert status == 409
    assert (answer["error"], answer["signature"]) == ("not_verified", verdict)
    assert "pass your own secret, or scheme none" in answer["message"]
    assert target.received == []


async def test_an_unchecked_capture_is_not_signed_either(
    make_receiver: MakeReceiver, target: Target
) -> None:
    client = await make_receiver()  # no secret known: nothing verified
    body = fixture_body()
    await post(client, body, "acme", signed_headers("standard", body))
    status, answer = await _replay(client, 1, url=target.url())
    assert (status, answer["signature"]) == (409, "unchecked")
    assert target.received == []


@pytest.mark.parametrize(
    ("options", "signed_with"),
    [({"secret": OTHER_SECRET}, "caller"), ({"scheme": "none"}, None)],
)
async def test_an_unverified_capture_goes_with_the_callers_secret_or_unsigned(
    make_receiver: MakeReceiver, target: Target, options: dict[str, str], signed_with: str | None
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, b"not json at all", "acme")
    status, answer = await _replay(client, 1, url=target.url(), **options)
    assert status == 200 and answer["ok"], answer
    assert answer["signedWith"] == signed_with
    [sent] = target.received
    assert sent.body == b"not json at all"
    if signed_with is None:
        assert not {"webhook-signature", "webhook-timestamp"} & {k.lower() for k in sent.headers}
    else:
        verdict, _ = verify("standard", [OTHER_SECRET], sent.headers, sent.body, int(time.time()))
        assert verdict is Verdict.VALID


async def test_replay_reports_a_handler_that_does_not_answer_2xx(
    make_receiver: MakeReceiver, target: Target
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    body = fixture_body()
    await post(client, body, "acme", signed_headers("standard", body))
    target.default = 503
    status, answer = await _replay(client, 1, url=target.url())
    assert status == 200
    assert (answer["ok"], answer["status"], answer["error"]) == (False, 503, "HTTP 503")


@pytest.mark.parametrize(
    "spelling",
    [
        "127.0.0.1",
        "localhost",
        "LOCALHOST.",
        "127.0.0.2",
        "127.255.255.254",
        "[::1]",
        "a.localhost",
    ],
)
async def test_replay_never_targets_the_receiver_itself(
    make_receiver: MakeReceiver, spelling: str
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, b"{}", "acme")
    url = f"http://{spelling}:{client.server.port}/hooks/again"
    status, answer = await _replay(client, 1, url=url, scheme="none")
    assert status == 400
    assert answer["error"] == "bad_replay"
    assert "is the harness itself" in answer["message"]
    assert len(await listed(client)) == 1, "nothing was sent back in"


@pytest.mark.parametrize(
    ("api_url", "url"),
    [
        ("http://127.0.0.1:9", "http://localhost:9/_harness/webhooks"),
        ("http://127.0.0.1:9", "https://[::1]:9/x"),
        ("http://127.0.0.1", "http://127.0.0.3/_harness/reset"),  # port 80 both ways
    ],
)
async def test_replay_never_targets_the_mock_api(
    make_receiver: MakeReceiver, api_url: str, url: str
) -> None:
    client = await make_receiver(api_url=api_url)
    await post(client, b"{}", "acme")
    status, answer = await _replay(client, 1, url=url, scheme="none")
    assert (status, answer["error"]) == (400, "bad_replay")
    assert "is the harness itself" in answer["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "url is required"),
        ({"url": "http://example.com/hooks"}, "not loopback"),
        ({"url": "http://0.0.0.0:9/hooks"}, "not loopback"),
        ({"url": "http://127.1:9/hooks"}, "not loopback"),
        ({"url": "ftp://127.0.0.1/x"}, "http:// or https://"),
        ({"url": "http://127.0.0.1:99999/x"}, "no valid port"),
        ({"url": "http://127.0.0.1:9/x", "scheme": "rot13"}, "scheme must be one of"),
        ({"url": "http://127.0.0.1:9/x", "secret": "zz"}, "secret must be"),
        ({"url": "http://127.0.0.1:9/x", "secret": 5}, "secret must be a string"),
        ({"url": "http://127.0.0.1:9/x", "to": "x"}, "unknown field 'to'"),
        ([], "JSON object"),
    ],
)
async def test_replay_refuses_what_it_cannot_use(
    make_receiver: MakeReceiver, body: Any, message: str
) -> None:
    client = await make_receiver(secrets=static_secrets(SECRET))
    await post(client, fixture_body(), "acme")
    async with client.post("/events/1/replay", json=body) as r:
        assert r.status == 400
        answer = await r.json()
    assert answer["error"] == "bad_replay"
    assert message in answer["message"]


async def test_replay_of_nothing(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    await post(client, fixture_body(), "acme")
    async with client.post("/events/1/replay", data=b"{nope") as r:
        assert r.status == 400, "a body that is not JSON is refused"
    status, _ = await _replay(client, 99, url="http://127.0.0.1:9/x")
    assert status == 404


async def test_the_receiver_is_no_signing_oracle_in_serve(target: Target) -> None:
    """The issue's attack: a forged analysis.completed POSTed with no credentials, then replayed
    to the user's handler, must not arrive signed with a webhook's real secret."""
    async with harness() as h:
        forged = fixture_body("analysis.completed")
        async with h.http.post(h.run.receiver_url + "/hooks/acme", data=forged) as r:
            forged_id = int(r.headers["X-Harness-Capture-Id"])
        replay = f"/events/{forged_id}/replay"
        answer = await h.receiver("POST", replay, {"url": target.url()})
        assert (answer["error"], answer["signature"]) == ("not_verified", "invalid")

        # a genuine delivery is re-signed with its own webhook's secret
        interview = await h.api("POST", "/interviews", full_inline_body(isTest=True))
        genuine = await h.wait(event="analysis.completed", interviewId=interview["id"])
        answer = await h.receiver("POST", f"/events/{genuine['id']}/replay", {"url": target.url()})
        assert answer["ok"] and answer["signedWith"] == genuine["verifiedBy"]
        [hook] = [w for w in await hooks(h) if w["id"] == genuine["verifiedBy"]["webhookId"]]
        [sent] = target.received
        standardwebhooks.Webhook(whsec(hook["signingSecret"])).verify(sent.body, sent.headers)

        # another company's webhook on this channel: its deliveries are not signed by replay
        url = h.run.receiver_url + "/hooks/acme"
        await h.api("POST", "/webhooks", {"url": url, "events": ["*"]}, key=GLOBEX_KEY)
        theirs = await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)
        stray = await h.wait(channel="acme", interviewId=theirs["id"], event="analysis.completed")
        assert stray["signature"] == "wrong_channel"
        answer = await h.receiver("POST", f"/events/{stray['id']}/replay", {"url": target.url()})
        assert (answer["error"], answer["signature"]) == ("not_verified", "wrong_channel")

        # and once the verifying webhook is gone, its secret is no longer used
        key = {"Authorization": f"Bearer {ACME_KEY}"}
        async with h.http.delete(f"{h.run.api_url}/webhooks/{hook['id']}", headers=key) as r:
            assert r.status == 204
        answer = await h.receiver("POST", f"/events/{genuine['id']}/replay", {"url": target.url()})
        assert answer["error"] == "not_verified" and "is gone" in answer["message"]
        assert len(target.received) == 1


async def hooks(h: Any) -> list[dict[str, Any]]:
    async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
        items: list[dict[str, Any]] = (await r.json())["data"]["items"]
        return items
