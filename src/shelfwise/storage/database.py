"""The database handle shared by every service.

SQLite is the embedded default: one file, WAL, ``synchronous=FULL``, foreign
keys on, and every write transaction opened with ``BEGIN IMMEDIATE`` so that a
reader never has to upgrade to a writer mid-transaction (that upgrade is what
fails with SQLITE_BUSY under load). PostgreSQL is chosen by URL; there writes
use the ordinary transaction and services lock rows with ``FOR UPDATE``.

On a SQLite file the process's write transactions go through one writer that commits
them in batches, one fsync per batch (``storage/group_commit.py``); on PostgreSQL a
small pool (:data:`POSTGRES_POOL_SIZE`) without pre-ping, whose server groups the
commits of concurrent connections itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from shelfwise.storage.group_commit import GroupCommit

_BEGIN_OPTION = "shelfwise_sqlite_begin"
# Write transactions at once on PostgreSQL: on two cores more only contend (row locks,
# CPU); a writer beyond them waits its turn in this process. The pool keeps as many
# connections, plus as many again for reads — a door's reply is prepared inside the
# write and may read on a second connection (SIP2 reads the title), so writers holding
# every connection would each wait for one more.
POSTGRES_WRITERS = 8


class Database:
    def __init__(self, url: str, *, busy_timeout_ms: int = 30000, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        # SQLite has one writer at a time. Threads of this process queue for it in order,
        # handed over at once, rather than in SQLite's busy handler, which sleeps in steps
        # of up to 100 ms between retries; other processes still meet the busy timeout.
        self.group_commit: GroupCommit | None = None
        self._writer: AbstractContextManager[object] | None = None
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
            if parsed.database and parsed.database != ":memory:":
                self.group_commit = GroupCommit(self.engine, _BEGIN_OPTION)
            else:  # each in-memory connection is its own database: no shared writer
                self._writer = threading.Lock()
        elif self.dialect == "postgresql":
            self._writer = _WriterSlots(POSTGRES_WRITERS)
            self.engine = create_engine(
                url,
                echo=echo,
                pool_size=POSTGRES_WRITERS,
                max_overflow=POSTGRES_WRITERS,
                pool_timeout=60,
            )
            _ping_when_idle(self.engine)
        else:
            raise ValueError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction, committed on success before the block is left.

        SQLite: ``BEGIN IMMEDIATE`` on the process's one writer, committed with the other
        transactions waiting beside it (group commit), each in its own savepoint.
        """
        if self.group_commit is not None:
            return self.group_commit.transaction()
        return self._write_alone()

    @contextmanager
    def _write_alone(self) -> Iterator[Connection]:
        with self._writer or nullcontext(), self.engine.connect() as conn:
            conn = conn.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def peek(self) -> Iterator[Connection]:
        """A connection for ONE read statement: on SQLite no BEGIN before it.

        A single statement is its own consistent snapshot on both engines, so a lone
        lookup asked very often (a SIP2 session checks its terminal at every message)
        need not pay for a transaction of its own; statements that must agree use
        :meth:`read`. (PostgreSQL's driver opens its implicit transaction either way.)
        """
        with self.engine.connect() as conn:
            yield conn.execution_options(**{_BEGIN_OPTION: ""})

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (a consistent snapshot on both engines); rolled back at the end."""
        with self.engine.connect() as conn, conn.begin() as txn:
            yield conn
            txn.rollback()

    def dispose(self) -> None:
        if self.group_commit is not None:
            self.group_commit.close()
        self.engine.dispose()


class _WriterSlots:
    """At most ``n`` write transactions at once; a thread already in one (a write nested
    in a write: a second connection on PostgreSQL) does not wait for a second slot."""

    def __init__(self, n: int) -> None:
        self._slots = threading.BoundedSemaphore(n)
        self._mine = threading.local()

    def __enter__(self) -> object:
        depth = getattr(self._mine, "depth", 0)
        if depth == 0:
            self._slots.acquire()
        self._mine.depth = depth + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._mine.depth -= 1
        if self._mine.depth == 0:
            self._slots.release()


IDLE_PING_SECONDS = 10.0  # a pooled connection unused this long is checked before use
_IDLE_SINCE = "shelfwise_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    """Recover from connections the server dropped, without a round trip per transaction.

    ``pool_pre_ping`` pings on every checkout: one extra round trip per transaction, a
    third of a checkout's statements. A connection that was in use a moment ago is
    alive; the ones a restart or an idle timeout kill have sat in the pool. So only a
    connection idle for :data:`IDLE_PING_SECONDS` is pinged, and a dead one is replaced
    (``DisconnectionError`` makes the pool retry with a fresh connection). What remains:
    a server dying between two busy transactions fails the transaction that meets it
    once (SQLAlchemy then invalidates the pool, so the next one reconnects).
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # any failure: the pool opens a new connection
            raise exc.DisconnectionError() from error
        if not alive:
            raise exc.DisconnectionError()


def _sqlite_engine(url: str, *, busy_timeout_ms: int, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # Pooled: a fresh connection per transaction would start with a cold page
    # cache every time. Connections go back to the pool with no transaction
    # open, so they never hold the WAL back from checkpointing.
    engine = create_engine(url, echo=echo, pool_size=8, max_overflow=56, pool_timeout=60)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level: we issue BEGIN ourselves (below), so that
        # the kind of BEGIN is ours to choose.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages stay hot in bulk work
        cursor.close()
        # PostgreSQL's bit_or aggregate, which SQLite lacks: the statistics OR reader-mark
        # sets in the database when they roll days up (analytics/repo.py).
        dbapi_conn.create_aggregate("bit_or", 1, _BitOr)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        begin = conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN")
        if begin:  # "" (peek): one statement in the driver's autocommit, no transaction
            conn.exec_driver_sql(begin)

    return engine


class _BitOr:
    """SQLite aggregate ``bit_or(x)``: the bitwise OR of the group's integers (NULL if none),
    as PostgreSQL's; signed 64-bit in, signed 64-bit out."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: int | None = None

    def step(self, value: int | None) -> None:
        # Called once per row and word (a year by class is ~200,000 calls): no int() or
        # second test on the common path; SQLite hands integers over as int.
        if self.value is None:
            self.value = value
        elif value is not None:
            self.value |= value

    def finalize(self) -> int | None:
        return self.value
