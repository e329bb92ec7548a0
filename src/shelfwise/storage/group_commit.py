"""Group commit for SQLite: the process's write transactions share one writer and one fsync.

With ``synchronous=FULL`` every COMMIT waits for an fsync of the WAL, and SQLite lets
one writer in at a time; N concurrent circulation transactions used to pay N fsyncs
one after the other, each writer queueing behind the previous one's disk flush. Here
the transactions of one process run, one after the other, on **one writer
connection** inside **one** ``BEGIN IMMEDIATE`` transaction, and a batch of them is
made durable by one COMMIT — one fsync:

* Callers queue first in, first out (:class:`_Turnstile`). The caller at the head
  takes the writer and runs its own work on the writer connection, on its own thread
  (its log context, its exceptions, the ``with db.write()`` block unchanged: every
  door and service gets group commit without a line of its own).
* A caller joining a batch that already holds others' finished work runs inside its
  own SAVEPOINT: a refusal (a rule's error, the open-loan unique index) rolls back
  that caller's statements only. The first caller of a batch needs none: if it fails,
  the whole (so far only its) transaction is rolled back.
* When a caller's work is done and nobody is queued behind it (or the batch is full),
  that caller COMMITs for the whole batch; otherwise it hands the writer to the next
  caller and waits. **Every caller returns only after the COMMIT that holds its work**
  (or raises that COMMIT's error): an answer is never sent for work that could still
  be lost. What a door replies with is prepared inside the transaction, before the
  COMMIT (``Idempotency.once``'s ``ready``).
* The writer never holds SQLite's lock while idle: the last caller of a batch commits
  before leaving. Other processes (``shelfwise sip2`` beside ``shelfwise serve``) still
  meet SQLite's own lock and busy timeout at ``BEGIN IMMEDIATE``, as before.

Why the callers' own threads and not a writer thread fed by a queue: a thread hop
would cost two context switches under the GIL per transaction and would make every
``with db.write()`` a callback; the effect on the disk is the same — one connection
writes, and one fsync answers a batch.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, RootTransaction

MAX_BATCH = 32  # transactions per COMMIT at most: bounds the first caller's wait
_SAVEPOINT = "shelfwise_group_member"


class LostBatch(RuntimeError):
    """The transaction this caller's work was in ended without committing."""


@dataclass
class _Batch:
    """One open ``BEGIN IMMEDIATE`` transaction and the callers whose work it holds."""

    transaction: RootTransaction
    members: int = 0  # callers whose work succeeded and waits for the COMMIT
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass
class GroupCommitStats:
    """What the writer did (read by tests and benches; plain counters)."""

    transactions: int = 0  # callers whose work was committed
    commits: int = 0  # COMMITs (fsyncs of the WAL)
    refused: int = 0  # callers whose work raised (rolled back alone)
    held_seconds: float = 0.0  # the writer in use: callers' work, BEGINs and COMMITs
    commit_seconds: float = 0.0  # of which in COMMIT (the fsync)


class _Turnstile:
    """A first-in, first-out lock that says whether anyone is waiting behind its holder."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # handed over by release(): _held stays True

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False

    def anyone_waiting(self) -> bool:
        return self.waiting() > 0

    def waiting(self) -> int:
        with self._mutex:
            return len(self._waiting)


class GroupCommit:
    """The one SQLite writer of a process (see the module's docstring)."""

    def __init__(self, engine: Engine, begin_option: str, *, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._begin_option = begin_option
        self._max_batch = max_batch
        self._turnstile = _Turnstile()
        self._conn: Connection | None = None
        self._batch: _Batch | None = None
        self._owner: int | None = None  # the thread holding the writer
        self.stats = GroupCommitStats()

    def waiting(self) -> int:
        """Callers queued for the writer now (tests make a batch with it)."""
        return self._turnstile.waiting()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The caller's write transaction; returns once the COMMIT holding it is done."""
        if self._owner == threading.get_ident():
            raise RuntimeError("a write transaction inside another on the same thread")
        self._turnstile.acquire()
        self._owner = threading.get_ident()
        taken = time.perf_counter()
        try:
            batch = self._join()
            yield from self._run(batch)
        finally:
            self._owner = None
            self._leave(taken)
        # Here only when the work succeeded: answer after the COMMIT that holds it.
        batch.done.wait()
        if batch.error is not None:
            raise LostBatch(f"the write was not committed: {batch.error}") from batch.error

    def _join(self) -> _Batch:
        """The open batch, or a new one (``BEGIN IMMEDIATE`` on the writer connection)."""
        if self._batch is not None:
            return self._batch
        if self._conn is None:
            self._conn = self._engine.connect().execution_options(
                **{self._begin_option: "BEGIN IMMEDIATE"}
            )
        try:
            self._batch = _Batch(self._conn.begin())
        except BaseException:
            self._discard_connection()
            raise
        return self._batch

    def _run(self, batch: _Batch) -> Iterator[Connection]:
        assert self._conn is not None
        conn = self._conn
        alone = batch.members == 0  # nothing of others to keep: no savepoint needed
        raw = _driver(conn)
        if not alone:
            raw.execute(f"SAVEPOINT {_SAVEPOINT}")
        try:
            yield conn
            if not alone:  # a caller told it failed must not be committed: inside the try
                raw.execute(f"RELEASE {_SAVEPOINT}")
        except BaseException as refusal:
            self.stats.refused += 1
            self._undo(batch, raw, alone, refusal)
            raise
        batch.members += 1

    def _undo(
        self, batch: _Batch, raw: sqlite3.Connection, alone: bool, error: BaseException
    ) -> None:
        """Roll back this caller's work only; if SQLite already ended the transaction (an
        I/O error, a full disk), the whole batch is lost and its callers are told."""
        try:
            if alone:
                batch.transaction.rollback()
                self._batch = None
                return
            if raw.in_transaction:
                raw.execute(f"ROLLBACK TO {_SAVEPOINT}")
                raw.execute(f"RELEASE {_SAVEPOINT}")
                return
        except Exception as failure:
            error = failure
        self._end(batch, error)

    def _leave(self, taken: float) -> None:
        """Commit the batch if nobody is queued behind (or it is full), then hand over."""
        batch = self._batch
        try:
            if batch is not None and (
                batch.members >= self._max_batch or not self._turnstile.anyone_waiting()
            ):
                self._commit(batch)
        finally:
            self.stats.held_seconds += time.perf_counter() - taken
            self._turnstile.release()

    def _commit(self, batch: _Batch) -> None:
        if batch.members == 0:  # only refusals: nothing to make durable
            batch.transaction.rollback()
            self._batch = None
            batch.done.set()
            return
        started = time.perf_counter()
        try:
            batch.transaction.commit()
        except BaseException as error:
            self._end(batch, error)
            return
        finally:
            self.stats.commit_seconds += time.perf_counter() - started
        self.stats.commits += 1
        self.stats.transactions += batch.members
        self._batch = None
        batch.done.set()

    def _end(self, batch: _Batch, error: BaseException) -> None:
        """The batch did not commit: roll back what is left, tell its callers, start anew."""
        batch.error = error
        self._batch = None
        try:
            batch.transaction.rollback()
        except Exception:  # the connection may be broken: a fresh one next time
            self._discard_connection()
        batch.done.set()

    def _discard_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # already unusable: dropping it is all that is left
                pass

    def close(self) -> None:
        """Close the writer connection (between batches: ``Database.dispose``)."""
        self._turnstile.acquire()
        try:
            if self._batch is not None:  # members are waiting for it
                self._commit(self._batch)
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        finally:
            self._turnstile.release()


def _driver(conn: Connection) -> sqlite3.Connection:
    raw: object = conn.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError(f"not a sqlite3 connection: {type(raw).__name__}")
    return raw
