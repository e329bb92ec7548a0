"""The SQLite discipline (WAL, FULL, foreign keys, BEGIN IMMEDIATE) and constraints as invariants."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from shelfwise.services import Services
from shelfwise.storage.database import POSTGRES_WRITERS
from shelfwise.storage.tables import branches, items, records


def test_sqlite_pragmas(services: Services) -> None:
    if not services.db.is_sqlite:
        pytest.skip("SQLite pragmas")
    with services.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_write_transactions_take_the_lock_at_begin(services: Services) -> None:
    """A second writer waits for the first instead of failing on a read-to-write upgrade."""
    if not services.db.is_sqlite:
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with services.db.write() as conn:
            inside.set()
            release.wait(5)
            conn.execute(
                insert(branches).values(
                    code="A", kind="branch", name_zh="A", created_at=now, updated_at=now
                )
            )
            order.append("first")

    worker = threading.Thread(target=first)
    worker.start()
    inside.wait(5)
    # While the first holds the write lock, a raw connection cannot even begin a write.
    raw = services.db.engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA busy_timeout = 0")  # type: ignore[union-attr]
        with pytest.raises(Exception, match="locked"):
            raw.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
    finally:
        raw.close()
    release.set()
    worker.join(5)
    with services.db.write() as conn:
        conn.execute(
            insert(branches).values(
                code="B", kind="branch", name_zh="B", created_at=now, updated_at=now
            )
        )
        order.append("second")
    assert order == ["first", "second"]


def test_constraints_hold_in_the_database(services: Services) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(IntegrityError), services.db.write() as conn:
        conn.execute(
            insert(branches).values(
                code="X", kind="palace", name_zh="X", created_at=now, updated_at=now
            )
        )
    with services.db.write() as conn:
        branch_id = conn.execute(
            insert(branches)
            .values(code="C", kind="central", name_zh="总馆", created_at=now, updated_at=now)
            .returning(branches.c.id)
        ).scalar_one()
        record_id = conn.execute(
            insert(records)
            .values(
                dialect="marc21",
                master=b"t",
                title="t",
                description="{}",
                created_at=now,
                updated_at=now,
            )
            .returning(records.c.id)
        ).scalar_one()
    row = {
        "record_id": record_id,
        "home_branch_id": branch_id,
        "created_at": now,
        "updated_at": now,
    }
    with services.db.write() as conn:
        conn.execute(insert(items).values(barcode="B1", **row))
    with pytest.raises(IntegrityError), services.db.write() as conn:
        conn.execute(insert(items).values(barcode="B1", **row))
    with pytest.raises(IntegrityError), services.db.write() as conn:
        conn.execute(insert(items).values(barcode="B2", lifecycle="on_loan", **row))
    with pytest.raises(IntegrityError), services.db.write() as conn:
        conn.execute(text("UPDATE records SET state = 'merged' WHERE id = :id"), {"id": record_id})


def test_postgresql_replaces_a_pooled_connection_the_server_dropped(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pre-ping per checkout, yet a connection killed while idle in the pool (a server
    restart, an idle timeout) is found dead before use and replaced: the read succeeds."""
    if services.db.is_sqlite:
        pytest.skip("a PostgreSQL pool")
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from shelfwise.storage import database

    with services.db.read() as conn:
        before = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(services.db.url, poolclass=NullPool)
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    assert killed >= 1
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # every pooled one counts as idle
    with services.db.read() as conn:
        after = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert after != before


def test_postgresql_writes_on_at_most_postgres_writers_connections(services: Services) -> None:
    """Sixteen writers at once: only POSTGRES_WRITERS are in a write transaction
    together; the rest wait their turn in the process."""
    if services.db.is_sqlite:
        pytest.skip("the PostgreSQL pool")
    lock = threading.Condition()
    inside = 0
    most = 0
    finished = 0

    def writer() -> None:
        nonlocal inside, most, finished
        with services.db.write() as conn:
            conn.execute(text("SELECT 1"))
            with lock:
                inside += 1
                most = max(most, inside)
                lock.notify_all()
                # Stay while one more could still come in; a bounded pool never lets
                # it, so each waits out a short bound (a wait, not a measured time).
                lock.wait_for(lambda: most > POSTGRES_WRITERS, 2.0)
                inside -= 1
                finished += 1

    threads = [threading.Thread(target=writer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert finished == 16
    assert most == POSTGRES_WRITERS
