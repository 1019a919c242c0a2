"""Deferred schema checks: off the capture path, done before any read, when quiet, at restart."""

from __future__ import annotations

import json
from pathlib import Path

from harness.clock import RealClock
from harness.delivery.signing import Verdict
from harness.receiver.app import CHECKS
from harness.receiver.capture import Inspector
from harness.receiver.checks import DeferredChecks
from harness.receiver.secrets import no_secrets
from harness.schemas import default_schemas
from harness.store.captures import Capture, CaptureStore
from tests.receiver_support import MakeReceiver, fixture_body, listed, post


def _inspector() -> Inspector:
    return Inspector("none", no_secrets, default_schemas(), RealClock(), 1 << 20)


def _bad_body() -> bytes:
    doc = json.loads(fixture_body("interview.started"))
    doc["data"]["isTest"] = "no"
    return json.dumps(doc).encode()


def _pending(body: bytes) -> Capture:
    doc = json.loads(body)
    return Capture(
        channel="c",
        received_at="2026-01-01T00:00:00.000Z",
        headers={},
        body=body,
        size=len(body),
        signature=Verdict.UNCHECKED,
        signature_reason="",
        event=doc["event"],
    )


async def test_a_capture_is_answered_before_its_check_and_read_after_it(
    make_receiver: MakeReceiver,
) -> None:
    client = await make_receiver()
    checks = client.app[CHECKS]
    await post(client, _bad_body(), "acme")
    assert len(checks) == 1, "the check waits for a quiet moment"
    [item] = await listed(client)
    assert [(e["instancePath"], e["keyword"]) for e in item["schemaErrors"]] == [
        ("/data/isTest", "type")
    ]
    assert item["flags"] == ["schema_invalid"]
    assert len(checks) == 0


async def test_checks_run_when_the_receiver_is_quiet(make_receiver: MakeReceiver) -> None:
    client = await make_receiver()
    checks = client.app[CHECKS]
    for _ in range(3):
        await post(client, fixture_body("analysis.completed"), "acme")
    await checks.idle.wait()
    assert len(checks) == 0


async def test_too_many_pending_checks_run_inline(tmp_path: Path) -> None:
    store = CaptureStore.open(tmp_path / "c.sqlite3")
    try:
        checks = DeferredChecks(store, _inspector(), quiet_seconds=60, max_pending=2)
        ids = [store.add(_pending(_bad_body())) for _ in range(5)]
        for capture in ids:
            checks.defer(capture)
        assert len(checks) == 2
        done = [c.schema_errors is not None for c in store.find()]
        assert done == [True, True, True, False, False]
        checks.close()
        assert all(c.flags == ["schema_invalid"] for c in store.find())
    finally:
        store.close()


async def test_checks_a_crash_left_pending_run_at_start(
    make_receiver: MakeReceiver, tmp_path: Path
) -> None:
    from tests.receiver_support import db_file

    store = CaptureStore.open(db_file(tmp_path))
    store.add(_pending(_bad_body()))  # stored, never checked: as if the process died
    store.add(_pending(fixture_body("ping")))
    store.close()
    client = await make_receiver()
    await client.app[CHECKS].idle.wait()
    items = await listed(client)
    assert [len(i["schemaErrors"]) for i in items] == [1, 0]


async def test_no_backlog_checks_before_answering(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(max_pending_checks=0)
    await post(client, _bad_body(), "acme")
    assert len(client.app[CHECKS]) == 0


async def test_a_capture_named_before_its_check_is_queued_is_checked_now(tmp_path: Path) -> None:
    # a wait can find a capture as soon as it is stored, before its save returns and defers it
    store = CaptureStore.open(tmp_path / "c.sqlite3")
    try:
        checks = DeferredChecks(store, _inspector(), quiet_seconds=60, max_pending=100)
        stored = store.add(_pending(_bad_body()))
        checks.settle([stored.id])
        found = store.get(stored.id)
        assert found is not None and found.flags == ["schema_invalid"]
        checks.close()
    finally:
        store.close()
