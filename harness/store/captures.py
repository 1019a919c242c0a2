"""What the receiver captured, in SQLite: one row per ``POST /hooks/{channel}``, kept for good.

One connection, used from the event loop's thread only (:class:`CaptureStore` is not
thread-safe). Each capture is inserted at once (so it has its id and is visible to queries on the
same connection straight away); commits are batched (group commit): the first write of a loop
iteration opens a transaction and schedules its commit for the end of that iteration, so a burst
of concurrent captures costs one commit. :meth:`CaptureStore.save` returns only once the batch
holding its capture has committed (every request of the batch awaits the same future), so a
receiver that answers after ``save`` never acknowledges a capture a crash could lose.
WAL with ``synchronous=NORMAL``: a commit is durable against a crash of the process (SIGKILL
included; not against losing power), and ``close()`` commits whatever is pending.

Retention: with ``max_captures`` the store keeps the newest that many; each commit first deletes
the oldest past it (in the same transaction, so a burst costs one delete) and counts them in
``retention.evicted`` (since this store was opened). Only history goes: the capture a request
just stored is the newest, and a waiter holds the capture it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.delivery.signing import Verdict
from harness.paging import Retention

# re-exported: the records live in capture_records, the store and its readers import them here
from harness.store.capture_records import Capture as Capture
from harness.store.capture_records import CaptureQuery as CaptureQuery

#: Captures kept by default in an in-memory database and in a file (docs/decisions.md).
DEFAULT_MAX_MEMORY_CAPTURES = 10_000
DEFAULT_MAX_DISK_CAPTURES = 100_000


def capture_cap(path: str | Path, max_captures: int | None) -> int | None:
    """The cap of a store on ``path``: ``max_captures`` (0: none), else the default for memory
    (``":memory:"``) or a file."""
    if max_captures is not None:
        return max_captures or None
    memory = str(path) == ":memory:"
    return DEFAULT_MAX_MEMORY_CAPTURES if memory else DEFAULT_MAX_DISK_CAPTURES


#: Bump when the table changes; older files are migrated or refused in :meth:`CaptureStore.open`.
SCHEMA_VERSION = 3

_DDL = """
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    received_at TEXT NOT NULL,
    event TEXT,
    interview_id TEXT,
    delivery_id TEXT,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    size INTEGER NOT NULL,
    signature TEXT NOT NULL,
    signature_reason TEXT NOT NULL,
    schema_errors TEXT NOT NULL,
    flags TEXT NOT NULL,
    answer_status INTEGER NOT NULL,
    answer_delay_ms INTEGER NOT NULL,
    forwarded TEXT,
    verified_by TEXT
);
CREATE INDEX IF NOT EXISTS captures_event ON captures (event);
CREATE INDEX IF NOT EXISTS captures_interview ON captures (interview_id);
CREATE INDEX IF NOT EXISTS captures_channel ON captures (channel);
CREATE INDEX IF NOT EXISTS captures_delivery ON captures (delivery_id);
"""

_COLUMNS = (
    "channel, received_at, event, interview_id, delivery_id, headers, body, size, signature, "
    "signature_reason, schema_errors, flags, answer_status, answer_delay_ms, forwarded, "
    "verified_by"
)
_INSERT = f"INSERT INTO captures ({_COLUMNS}) VALUES ({', '.join('?' * 16)})"
#: Columns later versions added, by version: older files are migrated by ALTER TABLE, or read
#: with NULL there when opened read-only. 2: ``forwarded`` (``listen --forward-to``); 3:
#: ``verified_by`` (the webhook whose secret verified the capture).
_ADDED = {"forwarded": 2, "verified_by": 3}


#: The query that matches every capture (the reads' default).
_EVERY = CaptureQuery()


def _select_sql(present: set[str]) -> str:
    columns = [c if c in present else "NULL" for c in _COLUMNS.split(", ")]
    return f"SELECT id, {', '.join(columns)} FROM captures"


def _row(row: tuple[Any, ...]) -> Capture:
    (cid, channel, received_at, event, interview_id, delivery_id, headers, body, size) = row[:9]
    signature, reason, schema_errors, flags, answer_status, answer_delay_ms = row[9:15]
    forwarded, verified_by = row[15:]
    return Capture(
        id=cid,
        channel=channel,
        received_at=received_at,
        event=event,
        interview_id=interview_id,
        delivery_id=delivery_id,
        headers=json.loads(headers),
        body=bytes(body),
        size=size,
        signature=Verdict(signature),
        signature_reason=reason,
        schema_errors=json.loads(schema_errors),
        flags=json.loads(flags),
        answer_status=answer_status,
        answer_delay_ms=answer_delay_ms,
        forwarded=json.loads(forwarded) if forwarded is not None else None,
        verified_by=json.loads(verified_by) if verified_by is not None else None,
    )


class CaptureStore:
    """Captures in one SQLite database (a file, or ``":memory:"``)."""

    def __init__(
        self, connection: sqlite3.Connection, path: str, max_captures: int | None = None
    ) -> None:
        self._db = connection
        self.path = path
        columns = {row[1] for row in connection.execute("PRAGMA table_info(captures)")}
        self._select = _select_sql(columns)
        #: The open batch's commit: resolved (or failed) when its transaction commits.
        self._batch: asyncio.Future[None] | None = None
        self.retention = Retention(max_captures)
        #: How many captures the table holds (kept up to date by add, evict and clear).
        self.kept = self.count()

    @classmethod
    def open(
        cls, path: str | Path, *, read_only: bool = False, max_captures: int | None = None
    ) -> CaptureStore:
        """Opens (creating the file and its directory if needed) and prepares the database.
        ``read_only`` opens an existing capture database for reading and creates nothing;
        ``max_captures`` caps how many it keeps (None: every one)."""
        where = str(path)
        if read_only:
            db = sqlite3.connect(f"{Path(where).resolve().as_uri()}?mode=ro", uri=True)
            try:
                db.execute("SELECT id FROM captures LIMIT 0")
            except BaseException:
                db.close()
                raise
            return cls(db, where)
        if where != ":memory:":
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(where, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=5000")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"{where}: capture database version {version} is newer than this harness"
                )
            db.executescript(_DDL)
            present = {row[1] for row in db.execute("PRAGMA table_info(captures)")}
            for column in _ADDED.keys() - present:
                db.execute(f"ALTER TABLE captures ADD COLUMN {column} TEXT")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            store = cls(db, where, max_captures)
            store.evict()  # a file kept with a larger cap (or none) before
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self.commit()
        self._db.close()

    # -- writing ------------------------------------------------------------------------------

    async def save(self, capture: Capture) -> Capture:
        """Stores ``capture`` and returns it with its id once it is committed (with the rest of
        its batch, at the end of this loop iteration); raises if the commit failed."""
        stored = self.add(capture)
        batch = self._batch
        if batch is not None:
            # shield: a cancelled request must not cancel the commit its batch waits for
            await asyncio.shield(batch)
        return stored

    def add(self, capture: Capture) -> Capture:
        """Stores ``capture`` and returns it with its id at once; the commit follows within this
        loop iteration (or at once when no loop runs). Use :meth:`save` to wait for it."""
        self._begin()
        cursor = self._db.execute(
            _INSERT,
            (
                capture.channel,
                capture.received_at,
                capture.event,
                capture.interview_id,
                capture.delivery_id,
                json.dumps(capture.headers),
                capture.body,
                capture.size,
                capture.signature.value,
                capture.signature_reason,
                json.dumps(capture.schema_errors),
                json.dumps(capture.flags),
                capture.answer_status,
                capture.answer_delay_ms,
                None if capture.forwarded is None else json.dumps(capture.forwarded),
                None if capture.verified_by is None else json.dumps(capture.verified_by),
            ),
        )
        self.kept += 1
        self._schedule_commit()
        return replace(capture, id=cursor.lastrowid or 0)

    def _begin(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN")

    def _schedule_commit(self) -> None:
        if self._batch is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.commit()
            return
        self._batch = loop.create_future()
        loop.call_soon(self.commit)

    def commit(self) -> None:
        """Commits the open transaction and resolves its batch's future (with the error, after
        a rollback, if the commit fails; the error is raised too when no one waits)."""
        batch, self._batch = self._batch, None
        try:
            if self._db.in_transaction:
                self._evict_over()
                self._db.execute("COMMIT")
        except sqlite3.ProgrammingError:  # closed meanwhile: close() committed
            pass
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if batch is None:
                raise
            batch.set_exception(exc)
            batch.exception()  # retrieved here: every waiter may have gone
            return
        if batch is not None:
            batch.set_result(None)

    def _evict_over(self) -> None:
        over = self.retention.over(self.kept)
        if over:
            self._db.execute(
                "DELETE FROM captures WHERE id IN (SELECT id FROM captures ORDER BY id LIMIT ?)",
                (over,),
            )
            self.kept -= over
            self.retention.evicted += over

    def evict(self) -> int:
        """Deletes (and commits) the oldest captures past the cap; returns how many went."""
        before = self.retention.evicted
        self._begin()
        self.commit()
        return self.retention.evicted - before

    def set_checked(self, capture: Capture) -> None:
        """Records the schema check's outcome (``schema_errors`` and ``flags``) of a capture."""
        self._begin()
        self._db.execute(
            "UPDATE captures SET schema_errors = ?, flags = ? WHERE id = ?",
            (json.dumps(capture.schema_errors), json.dumps(capture.flags), capture.id),
        )
        self._schedule_commit()

    def unchecked_ids(self) -> list[int]:
        """Captures whose schema check never ran (the process stopped before it could)."""
        rows = self._db.execute("SELECT id FROM captures WHERE schema_errors = 'null' ORDER BY id")
        return [row[0] for row in rows]

    def clear(self) -> int:
        """Deletes every capture; ids keep growing (an ``after`` id stays meaningful)."""
        self.commit()
        self.kept = 0
        return self._db.execute("DELETE FROM captures").rowcount

    # -- reading ------------------------------------------------------------------------------

    def find(self, query: CaptureQuery = _EVERY) -> list[Capture]:
        """Matching captures, oldest first."""
        return list(self.scan(query))

    def scan(self, query: CaptureQuery = _EVERY) -> Iterator[Capture]:
        where, params = query.where()
        sql = f"{self._select} WHERE {where} ORDER BY id"
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        for row in self._db.execute(sql, params):
            yield _row(row)

    def newest(self, query: CaptureQuery, count: int) -> list[Capture]:
        """The last ``count`` matching captures, oldest first (``query.limit`` is ignored)."""
        where, params = query.where()
        sql = f"{self._select} WHERE {where} ORDER BY id DESC LIMIT ?"
        rows = self._db.execute(sql, [*params, count]).fetchall()
        return [_row(row) for row in reversed(rows)]

    def first(self, query: CaptureQuery) -> Capture | None:
        found = self.find(replace(query, limit=1))
        return found[0] if found else None

    def get(self, capture_id: int) -> Capture | None:
        row = self._db.execute(f"{self._select} WHERE id = ?", (capture_id,)).fetchone()
        return None if row is None else _row(row)

    def count(self, query: CaptureQuery = _EVERY) -> int:
        where, params = query.where()
        result: int = self._db.execute(
            f"SELECT COUNT(*) FROM captures WHERE {where}", params
        ).fetchone()[0]
        return result

    def last_id(self) -> int:
        row = self._db.execute("SELECT MAX(id) FROM captures").fetchone()
        return int(row[0] or 0)

    def newest_id(self) -> int:
        """The largest id ever given out, cleared and evicted captures included (0 if none)."""
        row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'captures'").fetchone()
        return max(int(row[0]) if row else 0, self.last_id())


@contextlib.contextmanager
def open_captures(path: str | Path, *, read_only: bool = True) -> Iterator[CaptureStore]:
    """``with open_captures(path) as store:`` for tools that read a capture database (read-only
    by default: a file that is not a capture database raises :class:`sqlite3.DatabaseError`)."""
    store = CaptureStore.open(path, read_only=read_only)
    try:
        yield store
    finally:
        store.close()
