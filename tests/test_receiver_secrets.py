"""Secrets per webhook: a capture records the webhook (and company) its signature verified for,
and another company's secret never makes it ``valid`` on a channel that company does not own
(:mod:`harness.receiver.secrets`; ownership: ``WebhookRegistry.channel_owner``)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from harness.api.webhooks import WEBHOOKS
from harness.delivery.signing import KnownSecret, Verdict, sign
from harness.receiver.secrets import static_secrets, verify_on_channel
from harness.testing.types import CapturedEvent
from tests.e2e_support import Harness, harness
from tests.receiver_support import (
    OTHER_SECRET,
    SECRET,
    MakeReceiver,
    fixture_body,
    listed,
    post,
    signed_headers,
)
from tests.support import ACME_ID, ACME_KEY, GLOBEX_ID, GLOBEX_KEY, full_inline_body

OWNER = KnownSecret(SECRET, "webhook a", webhook_id="a", company_id="acme")
STRANGER = KnownSecret(OTHER_SECRET, "webhook g", "g", "globex", owns_channel=False)


def _verdict(known: list[KnownSecret], headers: dict[str, str]) -> tuple[Verdict, Any]:
    body = fixture_body()
    now = int(time.time())
    headers = {**headers, "webhook-id": "d", "webhook-timestamp": str(now)}
    if "sign-with" in headers:
        signatures = [sign("standard", s, "d", now, body)["webhook-signature"]
                      for s in headers.pop("sign-with").split()]  # fmt: skip
        headers["webhook-signature"] = " ".join(signatures)
    verdict, _, by = verify_on_channel("standard", "acme", known, headers, body, now)
    return verdict, by


@pytest.mark.parametrize(
    ("known", "signed_with", "verdict", "by"),
    [
        ([OWNER, STRANGER], SECRET, Verdict.VALID, OWNER),
        ([OWNER, STRANGER], OTHER_SECRET, Verdict.WRONG_CHANNEL, STRANGER),
        ([STRANGER], OTHER_SECRET, Verdict.WRONG_CHANNEL, STRANGER),
        ([OWNER, STRANGER], f"{OTHER_SECRET} {SECRET}", Verdict.VALID, OWNER),  # rotation
        ([OWNER, STRANGER], "ef" * 32, Verdict.INVALID, None),
        ([STRANGER], "ef" * 32, Verdict.INVALID, None),
        ([], SECRET, Verdict.UNCHECKED, None),
    ],
)
def test_only_the_channel_owners_secret_makes_a_signature_valid(
    known: list[KnownSecret], signed_with: str, verdict: Verdict, by: KnownSecret | None
) -> None:
    assert _verdict(known, {"sign-with": signed_with}) == (verdict, by)


async def test_listen_secrets_are_recorded_by_their_position(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(secrets=static_secrets(OTHER_SECRET, SECRET))
    body = fixture_body()
    await post(client, body, "acme", signed_headers("standard", body))
    await post(client, body, "acme")
    [signed, unsigned] = await listed(client)
    assert signed["verifiedBy"] == {"webhookId": None, "companyId": None, "label": "--secret 2"}
    assert "--secret 2" in signed["signatureReason"]
    assert unsigned["verifiedBy"] is None
    async with client.get(f"/events/{signed['id']}") as r:
        assert (await r.json())["verifiedBy"] == signed["verifiedBy"]


async def _hooks(h: Harness) -> dict[str, dict[str, Any]]:
    async with h.http.get(h.run.api_url + "/_harness/webhooks") as r:
        items = (await r.json())["data"]["items"]
    return {hook["url"].rsplit("/", 1)[1]: hook for hook in items if hook["companyId"]}


async def _one(h: Harness, channel: str, interview: dict[str, Any]) -> dict[str, Any]:
    return await h.wait(channel=channel, interviewId=interview["id"], event="analysis.completed")


async def test_another_companys_webhook_on_a_channel_verifies_as_wrong_channel() -> None:
    async with harness() as h:
        world = await _hooks(h)
        stray = await h.api(
            "POST",
            "/webhooks",
            {"url": h.run.receiver_url + "/hooks/acme", "events": ["*"]},
            key=GLOBEX_KEY,
        )
        ours = await h.api("POST", "/interviews", full_inline_body(isTest=True), key=ACME_KEY)
        theirs = await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)

        acme = await _one(h, "acme", ours)
        assert acme["signature"] == "valid"
        assert acme["verifiedBy"] == {
            "webhookId": world["acme"]["id"],
            "companyId": ACME_ID,
            "label": f"webhook {world['acme']['id']}",
        }
        globex = await _one(h, "globex", theirs)
        assert globex["signature"] == "valid"
        assert globex["verifiedBy"]["webhookId"] == world["globex"]["id"]
        assert globex["verifiedBy"]["companyId"] == GLOBEX_ID

        misplaced = await _one(h, "acme", theirs)
        assert misplaced["signature"] == "wrong_channel"
        assert "bad_signature" in misplaced["flags"]
        assert misplaced["verifiedBy"]["webhookId"] == stray["id"]
        assert misplaced["verifiedBy"]["companyId"] == GLOBEX_ID
        assert "does not own channel 'acme'" in misplaced["signatureReason"]

        # Globex knows its own secret: a forgery it signs is not valid on Acme's channel
        body = fixture_body("analysis.completed")
        headers = signed_headers("standard", body, stray["signingSecret"])
        async with h.http.post(h.run.receiver_url + "/hooks/acme", data=body, headers=headers):
            pass
        [forged] = await h.events(deliveryId=headers["webhook-id"])
        assert forged["signature"] == "wrong_channel"


async def test_a_channel_belongs_to_its_world_webhooks_company_even_once_deleted() -> None:
    async with harness() as h:
        registry = h.run.api[WEBHOOKS]
        assert str(registry.channel_owner("acme")) == ACME_ID
        assert str(registry.channel_owner("globex")) == GLOBEX_ID
        world = await _hooks(h)
        key = {"Authorization": f"Bearer {ACME_KEY}"}
        async with h.http.delete(f"{h.run.api_url}/webhooks/{world['acme']['id']}", headers=key):
            pass
        url = h.run.receiver_url + "/hooks/acme"
        await h.api("POST", "/webhooks", {"url": url, "events": ["*"]}, key=GLOBEX_KEY)
        assert str(registry.channel_owner("acme")) == ACME_ID
        theirs = await h.api("POST", "/interviews", full_inline_body(isTest=True), key=GLOBEX_KEY)
        assert (await _one(h, "acme", theirs))["signature"] == "wrong_channel"


async def test_other_channels_belong_to_the_oldest_company_webhook_naming_them() -> None:
    async with harness() as h:
        registry = h.run.api[WEBHOOKS]
        url = h.run.receiver_url + "/hooks/orders"
        assert registry.channel_owner("orders") is None
        hook = {"url": url, "events": ["*"]}
        async with h.http.post(h.run.api_url + "/_harness/webhooks", json=hook) as r:
            assert r.status == 201  # a global webhook: claims nothing
        assert registry.channel_owner("orders") is None
        await h.api("POST", "/webhooks", hook, key=GLOBEX_KEY)
        await h.api("POST", "/webhooks", hook, key=ACME_KEY)
        assert str(registry.channel_owner("orders")) == GLOBEX_ID
        ours = await h.api("POST", "/interviews", full_inline_body(isTest=True), key=ACME_KEY)
        captures = await h.events(channel="orders", interviewId=ours["id"])
        while len(captures) < 4:  # both events, from the global and from Acme's webhook
            last = captures[-1]["id"] if captures else 0
            await h.wait(channel="orders", interviewId=ours["id"], after=str(last))
            captures = await h.events(channel="orders", interviewId=ours["id"])
        verdicts = sorted(
            (c["verifiedBy"]["companyId"] or "global", c["signature"]) for c in captures
        )
        assert verdicts == [
            (ACME_ID, "wrong_channel"),
            (ACME_ID, "wrong_channel"),
            ("global", "valid"),
            ("global", "valid"),
        ]


def test_the_plugins_capture_shows_which_webhook_verified_it() -> None:
    by = {"webhookId": "w", "companyId": ACME_ID, "label": "webhook w"}
    item = {"id": 1, "channel": "c", "signature": "valid", "receivedAt": "x", "verifiedBy": by}
    assert CapturedEvent.from_wire(item).verified_by == by
