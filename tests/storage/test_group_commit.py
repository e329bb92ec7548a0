"""Group commit on SQLite (``storage/group_commit.py``); PostgreSQL's writer bound is in
test_database.py.

A batch is made deterministic by holding the writer in one thread until the others
have queued behind it (the turnstile says how many wait), then letting it go: the
waiting transactions are committed together, each caller answered after that COMMIT.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.services import Services
from shelfwise.storage.database import Database
from shelfwise.storage.group_commit import GroupCommit, LostBatch
from shelfwise.storage.tables import branches

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DEADLINE = 60.0  # a bound for a loaded machine, never a measured time


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """SQLite only (group commit is SQLite's): no PostgreSQL database made to be skipped."""
    settings = Settings.load(
        {"data_dir": tmp_path / "data", "database_url": f"sqlite:///{tmp_path / 'gc.sqlite'}"},
        environ={},
    )
    instance = composition.build(settings)
    yield instance
    instance.close()


def _branch(conn: Connection, code: str) -> None:
    conn.execute(
        insert(branches).values(
            code=code, kind="branch", name_zh=code, created_at=NOW, updated_at=NOW
        )
    )


def _codes(db: Database) -> set[str]:
    with db.read() as conn:
        return set(conn.execute(select(branches.c.code)).scalars())


def _writer(services: Services) -> GroupCommit:
    assert services.db.group_commit is not None
    return services.db.group_commit


@contextmanager
def _batch_behind_a_held_writer(
    services: Services, works: list[Callable[[Connection], None]]
) -> Iterator[dict[int, BaseException | None]]:
    """Hold the writer, queue one thread per work behind it, then let them all go.

    Yields while the writer is held and everyone waits; on leaving, releases it and
    collects each work's outcome (None: committed) by its index.
    """
    writer = _writer(services)
    inside, release = threading.Event(), threading.Event()
    outcomes: dict[int, BaseException | None] = {}
    seen_after: dict[int, set[str]] = {}

    def hold() -> None:
        try:
            with services.db.write() as conn:
                _branch(conn, "HOLD")
                inside.set()
                release.wait(DEADLINE)
        except LostBatch as error:
            outcomes[-1] = error

    def run(i: int, work: Callable[[Connection], None]) -> None:
        try:
            with services.db.write() as conn:
                work(conn)
        except BaseException as error:  # the caller's own outcome, kept for the test
            outcomes[i] = error
            return
        outcomes[i] = None
        seen_after[i] = _codes(services.db)  # read on another connection, right away

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(DEADLINE)
    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for queued, t in enumerate(threads, start=1):
        t.start()
        # one at a time, so the queue's order is the list's
        _wait_for(lambda n=queued: writer.waiting() >= n)  # type: ignore[misc]
    try:
        yield outcomes
    finally:
        release.set()
        holder.join(DEADLINE)
        for t in threads:
            t.join(DEADLINE)
    for i, codes in seen_after.items():
        # Answered only after its COMMIT: what it wrote is already visible to others.
        assert f"G{i}" in codes, f"caller {i} returned before its work was committed"


def _wait_for(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(int(DEADLINE / 0.01)):
        if condition():
            return
        done.wait(0.01)  # a poll interval, not a wait for the outcome
    raise AssertionError("condition not reached by the deadline")


def test_waiting_transactions_commit_together_and_answer_after_the_commit(
    services: Services,
) -> None:
    writer = _writer(services)
    before = (writer.stats.commits, writer.stats.transactions)
    works: list[Callable[[Connection], None]] = [
        lambda conn, i=i: _branch(conn, f"G{i}")  # type: ignore[misc]
        for i in range(5)
    ]
    with _batch_behind_a_held_writer(services, works) as outcomes:
        pass
    assert outcomes == dict.fromkeys(range(5))
    assert {"HOLD", "G0", "G1", "G2", "G3", "G4"} <= _codes(services.db)
    # six transactions (the holder and five behind it), one COMMIT: one fsync
    assert (writer.stats.commits - before[0], writer.stats.transactions - before[1]) == (1, 6)


def test_a_refusal_in_a_batch_rolls_back_only_that_callers_work(services: Services) -> None:
    writer = _writer(services)
    with services.db.write() as conn:
        _branch(conn, "TAKEN")
    commits = writer.stats.commits

    def refused(conn: Connection) -> None:
        _branch(conn, "HALF")  # written first, then the unique index refuses the next
        _branch(conn, "TAKEN")

    works: list[Callable[[Connection], None]] = [
        lambda conn: _branch(conn, "G0"),
        refused,
        lambda conn: _branch(conn, "G2"),
    ]
    with _batch_behind_a_held_writer(services, works) as outcomes:
        pass
    assert outcomes[0] is None
    assert outcomes[2] is None
    assert isinstance(outcomes[1], IntegrityError)
    codes = _codes(services.db)
    assert {"HOLD", "G0", "G2"} <= codes
    assert "HALF" not in codes  # its savepoint went, the others' work stayed
    assert writer.stats.commits - commits == 1


def test_a_refused_first_caller_leaves_the_batch_to_the_others(services: Services) -> None:
    """The first caller of a batch runs without a savepoint: its refusal rolls back the
    transaction, which held nothing else yet; the next caller starts a new one."""
    writer = _writer(services)
    with services.db.write() as conn:
        _branch(conn, "TAKEN")

    def alone_then_refused() -> None:
        with services.db.write() as conn:
            _branch(conn, "ALONE")
            _branch(conn, "TAKEN")

    with pytest.raises(IntegrityError):
        alone_then_refused()
    with services.db.write() as conn:
        _branch(conn, "AFTER")
    codes = _codes(services.db)
    assert "ALONE" not in codes
    assert "AFTER" in codes
    assert writer.waiting() == 0


def test_a_batch_the_database_ended_fails_every_caller_in_it(services: Services) -> None:
    """If SQLite ends the transaction under a caller (an I/O error, a full disk: here a
    ROLLBACK the work sends), the callers whose work was in it are not told it is
    saved: they get LostBatch, and none of it is in the database."""

    def ends_it(conn: Connection) -> None:
        conn.exec_driver_sql("ROLLBACK")
        raise OSError("disk gone")

    works: list[Callable[[Connection], None]] = [
        lambda conn: _branch(conn, "G0"),
        ends_it,
        lambda conn: _branch(conn, "G2"),
    ]
    with _batch_behind_a_held_writer(services, works) as outcomes:
        pass
    assert isinstance(outcomes[-1], LostBatch)  # the holder's work was in it too
    assert isinstance(outcomes[0], LostBatch)
    assert isinstance(outcomes[1], OSError)
    assert outcomes[2] is None  # it came after, in a new transaction
    codes = _codes(services.db)
    assert not {"HOLD", "G0"} & codes
    assert "G2" in codes


def test_a_write_inside_a_write_on_one_thread_is_refused(services: Services) -> None:
    _writer(services)
    with services.db.write() as conn:
        _branch(conn, "OUTER")
        with pytest.raises(RuntimeError, match="inside another"), services.db.write():
            pass
    assert "OUTER" in _codes(services.db)


CHILD = """
import sys, threading
from datetime import UTC, datetime
from sqlalchemy import insert
from shelfwise.storage.database import Database
from shelfwise.storage.tables import branches
db = Database(sys.argv[1], busy_timeout_ms=60000)
tag, now = sys.argv[2], datetime(2026, 1, 1, tzinfo=UTC)
def work(t):
    for i in range(40):
        with db.write() as conn:
            conn.execute(insert(branches).values(
                code=f"{tag}{t}-{i}", kind="branch", name_zh="x", created_at=now, updated_at=now))
threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print("done", db.group_commit.stats.commits, db.group_commit.stats.transactions)
"""


def test_two_processes_write_one_file_safely(services: Services, tmp_path: Path) -> None:
    """Two processes (as ``serve`` and ``sip2``), each with its own group writer, write
    the same file at once: SQLite's lock and busy timeout serialise their batches."""
    _writer(services)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), services.db.url, tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("P", "Q")
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with services.db.read() as conn:
        count = conn.execute(
            select(func.count()).where(branches.c.code.like("P%") | branches.c.code.like("Q%"))
        ).scalar_one()
    assert count == 2 * 4 * 40
