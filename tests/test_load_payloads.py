"""The deliveries ``load`` and the Locust user class send: built from the fixture corpus, each
with fresh ids, signed now, and valid under the official standardwebhooks library."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import standardwebhooks

from harness.delivery.signing import Scheme, Verdict, sign, signer, verify, whsec
from harness.load.payloads import Delivery, DeliveryFactory, fresh_ids, load_templates
from harness.schemas import default_schemas
from harness.tools.corpus import WEBHOOK_FIXTURES

SECRET = "c3" * 32
FIXTURES = sorted(p for p in WEBHOOK_FIXTURES.glob("*.json"))


def deliveries(
    count: int, events: tuple[str, ...] = (), scheme: Scheme = "standard"
) -> list[Delivery]:
    factory = DeliveryFactory(load_templates(events), scheme, SECRET)
    return [factory.build() for _ in range(count)]


def test_every_fixture_of_the_corpus_is_sent_in_turn() -> None:
    sent = deliveries(2 * len(FIXTURES))
    events = [json.loads(d.body)["event"] for d in sent]
    expected = [json.loads(p.read_bytes())["event"] for p in FIXTURES]
    assert events == expected * 2


def test_each_delivery_verifies_under_standardwebhooks_and_its_id_is_the_webhook_id() -> None:
    verifier = standardwebhooks.Webhook(whsec(SECRET))
    for delivery in deliveries(3 * len(FIXTURES)):
        headers = {k.lower(): v for k, v in delivery.headers.items()}
        payload = verifier.verify(delivery.body, headers)
        assert headers["webhook-id"] == payload["deliveryId"] == delivery.delivery_id
        assert abs(int(headers["webhook-timestamp"]) - time.time()) <= 2
        assert headers["content-type"] == "application/json"


def test_a_delivery_signed_with_another_secret_does_not_verify() -> None:
    delivery = deliveries(1)[0]
    other = standardwebhooks.Webhook(whsec("d4" * 32))
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        other.verify(delivery.body, {k.lower(): v for k, v in delivery.headers.items()})


def test_ids_are_fresh_in_every_delivery_and_the_rest_is_the_fixtures() -> None:
    sent = [json.loads(d.body) for d in deliveries(10 * len(FIXTURES))]
    for field in ("interviewId", "candidateId"):
        values = [b["data"][field] for b in sent if b["event"] != "ping"]
        assert len(set(values)) == len(values), field
    phone = [b["data"]["callAttemptId"] for b in sent if b["data"].get("callAttemptId")]
    assert phone and len(set(phone)) == len(phone)
    analyses = [b["data"]["analysis"]["id"] for b in sent if "analysis" in b["data"]]
    assert analyses and len(set(analyses)) == len(analyses)
    delivery_ids = [b["deliveryId"] for b in sent]
    assert len(set(delivery_ids)) == len(delivery_ids)
    fixture_ids = {json.loads(p.read_bytes())["deliveryId"] for p in FIXTURES}
    assert not fixture_ids & set(delivery_ids)
    online = [b for b in sent if b["event"].startswith("interview.") and "phone" not in str(b)]
    assert any(b["data"]["callAttemptId"] is None for b in online)
    originals = {json.loads(p.read_bytes())["data"].get("jobId") for p in FIXTURES}
    assert {b["data"].get("jobId") for b in sent} == originals


def test_the_timestamp_is_now_in_milliseconds() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    body = json.loads(deliveries(1)[0].body)
    stamp = datetime.strptime(body["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z")
    assert body["timestamp"].endswith("Z") and len(body["timestamp"]) == 24
    assert before <= stamp <= datetime.now(UTC)


def test_fresh_ids_are_version_4_uuids() -> None:
    ids = fresh_ids(50)
    assert len(set(ids)) == 50
    for value in ids:
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_every_delivery_passes_the_event_schemas_strictly() -> None:
    schemas = default_schemas()
    for delivery in deliveries(len(FIXTURES)):
        body = json.loads(delivery.body)
        assert schemas.verdict(body, "events/event", strict=True) == [], body["event"]


def test_events_choose_the_fixtures_of_those_events_only() -> None:
    sent = deliveries(12, ("interview.started", "PING"))
    events = {json.loads(d.body)["event"] for d in sent}
    assert events == {"interview.started", "ping"}


def test_an_unknown_event_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown event 'interview\.exploded'"):
        load_templates(["interview.exploded"])


def test_an_event_without_a_fixture_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ping.json").write_bytes((WEBHOOK_FIXTURES / "ping.json").read_bytes())
    with pytest.raises(ValueError, match=r"no fixture of event analysis\.failed"):
        load_templates(["analysis.failed"], tmp_path)
    with pytest.raises(ValueError, match="no webhook fixture"):
        load_templates([], tmp_path / "empty")


def test_the_hex_scheme_signs_as_the_harness_verifies() -> None:
    for delivery in deliveries(4, scheme="hex"):
        verdict, reason = verify("hex", [SECRET], delivery.headers, delivery.body, int(time.time()))
        assert verdict is Verdict.VALID, reason
        assert "webhook-signature" not in delivery.headers


def test_the_none_scheme_sends_no_signature() -> None:
    delivery = deliveries(1, scheme="none")[0]
    assert set(delivery.headers) == {"Content-Type", "User-Agent"}


def test_a_factory_needs_a_template() -> None:
    with pytest.raises(ValueError, match="no template"):
        DeliveryFactory([], "standard", SECRET)


@pytest.mark.parametrize("scheme", ["standard", "hex", "none"])
def test_the_one_key_signer_signs_exactly_as_sign(scheme: Scheme) -> None:
    body, stamp = b'{"event":"ping"}', int(time.time())
    assert signer(scheme, SECRET)("id-1", stamp, body) == sign(scheme, SECRET, "id-1", stamp, body)
