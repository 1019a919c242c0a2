"""The SQLite capture store: survives restarts and crashes, queries, read-only opening."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from harness.delivery.signing import Verdict
from harness.store.captures import Capture, CaptureQuery, CaptureStore, open_captures
from tests.crash_support import crash_run
from tests.receiver_support import (
    MakeReceiver,
    fixture_body,
    listed,
    post,
)


def _capture(channel: str = "c", event: str | None = "ping", **extra: Any) -> Capture:
    return Capture(
        channel=channel,
        received_at="2026-01-01T00:00:00.000Z",
        headers={"A": "1"},
        body=b'{"event": "ping"}',
        size=17,
        signature=Verdict.VALID,
        signature_reason="ok",
        event=event,
        **extra,
    )


async def test_captures_survive_a_restart(make_receiver: MakeReceiver, tmp_path: Path) -> None:
    first = await make_receiver()
    bodies = [fixture_body("interview.completed"), fixture_body("analysis.completed"), b"\x00junk"]
    for body in bodies:
        await post(first, body, "acme")
    before = await listed(first)
    await first.close()
    second = await make_receiver()
    assert await listed(second) == before
    await post(second, b"{}", "acme")
    assert [i["id"] for i in await listed(second)] == [1, 2, 3, 4]


async def test_memory_database(make_receiver: MakeReceiver) -> None:
    client = await make_receiver(db_path=":memory:")
    await post(client, b"{}", "acme")
    assert len(await listed(client)) == 1


def test_store_without_a_loop_commits_at_once(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "c.sqlite3"
    store = CaptureStore.open(path)
    try:
        stored = store.add(_capture(interview_id="i-1", delivery_id="d-1"))
        assert stored.id == 1
        with open_captures(path) as reader:  # another connection sees it: committed
            assert [c.interview_id for c in reader.scan()] == ["i-1"]
    finally:
        store.close()


async def test_batched_commit_is_visible_to_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CaptureStore.open(path)
    try:
        for i in range(10):
            store.add(_capture(channel=f"c{i % 2}"))
        assert store.count() == 10  # the same connection sees them before the commit
        store.commit()
        with open_captures(path) as reader:
            assert reader.count(CaptureQuery(channel="c1")) == 5
            assert reader.first(CaptureQuery(channel="c1", after=2)) is not None
            assert reader.get(999) is None
            assert reader.last_id() == 10
    finally:
        store.close()


async def test_save_returns_once_its_capture_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CaptureStore.open(path)
    try:
        first = asyncio.ensure_future(store.save(_capture(delivery_id="d-0")))
        rest = [asyncio.ensure_future(store.save(_capture(delivery_id=f"d-{i}"))) for i in (1, 2)]
        await asyncio.sleep(0)  # every save inserted; the batch's commit not yet run
        with open_captures(path) as reader:
            assert reader.count() == 0
        stored = await first
        with open_captures(path) as reader:  # one commit for the whole batch
            assert [c.delivery_id for c in reader.scan()] == ["d-0", "d-1", "d-2"]
        assert stored.id == 1
        assert [c.id for c in await asyncio.gather(*rest)] == [2, 3]
    finally:
        store.close()


async def test_a_cancelled_save_leaves_its_batch_committing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CaptureStore.open(path)
    try:
        gone = asyncio.ensure_future(store.save(_capture(delivery_id="gone")))
        kept = asyncio.ensure_future(store.save(_capture(delivery_id="kept")))
        await asyncio.sleep(0)
        gone.cancel()
        assert (await kept).id == 2
        with open_captures(path) as reader:
            assert reader.count() == 2
    finally:
        store.close()


class _FailingCommit(sqlite3.Connection):
    """A connection whose COMMIT fails, as a full disk would make it."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


async def test_a_failed_commit_fails_every_save_of_its_batch(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    CaptureStore.open(path).close()
    db = sqlite3.connect(path, isolation_level=None, factory=_FailingCommit)
    store = CaptureStore(db, str(path))
    try:
        saves = [store.save(_capture(delivery_id=f"d-{i}")) for i in range(3)]
        results = await asyncio.gather(*saves, return_exceptions=True)
        assert all(isinstance(r, sqlite3.OperationalError) for r in results), results
        assert store.count() == 0  # rolled back: nothing that was refused is kept
    finally:
        db.close()


async def test_a_receiver_that_cannot_commit_answers_5xx_not_2xx(
    make_receiver: MakeReceiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = CaptureStore.open

    def failing(
        path: str | Path, *, read_only: bool = False, max_captures: int | None = None
    ) -> CaptureStore:
        opened(path).close()
        db = sqlite3.connect(path, isolation_level=None, factory=_FailingCommit)
        return CaptureStore(db, str(path))

    monkeypatch.setattr(CaptureStore, "open", failing)
    client = await make_receiver()
    status, payload = await post(client, fixture_body("ping"), "acme")
    assert (status, payload["error"]) == (500, "store_failed")
    assert await listed(client) == []


async def test_a_receiver_killed_mid_flood_keeps_every_capture_it_acknowledged(
    tmp_path: Path,
) -> None:
    """``listen`` answers 2xx only once a capture is committed: SIGKILL it while 64 clients
    send 3,000 signed deliveries, restart it on the same file, and every acknowledged one is
    there."""
    flood, found = await asyncio.wait_for(crash_run(tmp_path / "crash.sqlite3"), 50)
    assert 1500 <= len(flood.acknowledged) < flood.sent  # killed mid-flood, after 1,500 answers
    assert flood.acknowledged <= found, f"lost {len(flood.acknowledged - found)}"


def test_query_matches_what_sql_finds(tmp_path: Path) -> None:
    store = CaptureStore.open(tmp_path / "c.sqlite3")
    try:
        rows = [
            store.add(_capture("a", "ping", interview_id="x", delivery_id="1")),
            store.add(_capture("b", "ping", interview_id="y", delivery_id="2")),
            store.add(_capture("a", None)),
            store.add(_capture("a", "interview.started", interview_id="x")),
        ]
        queries = [
            CaptureQuery(),
            CaptureQuery(channel="a"),
            CaptureQuery(event="ping", interview_id="x"),
            CaptureQuery(delivery_id="2"),
            CaptureQuery(channel="a", after=1),
        ]
        for query in queries:
            assert store.find(query) == [r for r in rows if query.matches(r)], query
    finally:
        store.close()


def test_open_captures_refuses_what_is_not_a_capture_database(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.close()
    with pytest.raises(sqlite3.OperationalError), open_captures(other):
        pass
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(sqlite3.DatabaseError), open_captures(junk):
        pass


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer"):
        CaptureStore.open(path)


def test_a_version_2_capture_file_gains_the_verified_by_column(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    CaptureStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE captures DROP COLUMN verified_by")
    db.execute(
        "INSERT INTO captures (channel, received_at, headers, body, size, signature, "
        "signature_reason, schema_errors, flags, answer_status, answer_delay_ms) VALUES "
        "('old', '2026-01-01T00:00:00.000Z', '{}', x'7b7d', 2, 'valid', '', '[]', '[]', 204, 0)"
    )
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()
    with open_captures(path) as old:  # read-only: nothing changes, the column reads as NULL
        [capture] = old.find()
        assert (capture.channel, capture.verified_by) == ("old", None)
    by = {"webhookId": "w", "companyId": "c", "label": "webhook w"}
    store = CaptureStore.open(path)
    try:
        assert store.get(1) == capture
        stored = store.add(_capture(verified_by=by))
        store.commit()
    finally:
        store.close()
    with open_captures(path) as reader:
        assert reader.get(stored.id) == stored
        assert reader.get(stored.id).wire()["verifiedBy"] == by  # type: ignore[union-attr]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    db.close()
