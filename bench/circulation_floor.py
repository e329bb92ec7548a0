"""The hand-written floor of a checkout+check-in round trip (issue 15), for circulation_bench.

The same checks as the service makes, in as few statements as a person would write them
with the driver alone (no SQLAlchemy, no rules matrix, no calendar, no idempotency keys,
no outbox): the reader and the copy locked and read, the reader's open loans counted, the
copy's open loan looked for, the loan inserted; then the copy and its loan read and the
loan closed. Each operation is one transaction, committed as the service commits it:
SQLite in WAL mode with ``synchronous=FULL`` and ``BEGIN IMMEDIATE`` (one fsync per
commit, one connection per client), PostgreSQL with ``FOR UPDATE``. A partial unique
index keeps one open loan per copy, as in the project's schema.
"""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS floor_readers (id INTEGER PRIMARY KEY, card TEXT UNIQUE NOT NULL,"
    " blocked BOOLEAN NOT NULL)",
    "CREATE TABLE IF NOT EXISTS floor_items (id INTEGER PRIMARY KEY, barcode TEXT UNIQUE NOT NULL,"
    " lifecycle TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS floor_loans (id {serial} PRIMARY KEY, item_id INTEGER NOT NULL"
    " REFERENCES floor_items(id), reader_id INTEGER NOT NULL REFERENCES floor_readers(id),"
    " loaned_at TIMESTAMP NOT NULL, returned_at TIMESTAMP)",
    "CREATE UNIQUE INDEX IF NOT EXISTS floor_open_loan ON floor_loans (item_id) WHERE returned_at IS NULL",
    "CREATE INDEX IF NOT EXISTS floor_reader_loans ON floor_loans (reader_id) WHERE returned_at IS NULL",
]


class Floor:
    """One client's connection and its round trip."""

    def __init__(self, connect: Callable[[], Any], sqlite: bool) -> None:
        self.conn = connect()
        self.sqlite = sqlite
        self.lock = "" if sqlite else " FOR UPDATE"
        self.p = "?" if sqlite else "%s"

    def _begin(self) -> Any:
        cur = self.conn.cursor()
        if self.sqlite:
            cur.execute("BEGIN IMMEDIATE")
        return cur

    def round_trip(self, card: str, barcode: str) -> None:
        p, now = self.p, datetime.now(UTC).replace(tzinfo=None)
        cur = self._begin()
        cur.execute(f"SELECT id, blocked FROM floor_readers WHERE card = {p}{self.lock}", (card,))
        reader_id, blocked = cur.fetchone()
        cur.execute(
            f"SELECT id, lifecycle FROM floor_items WHERE barcode = {p}{self.lock}", (barcode,)
        )
        item_id, lifecycle = cur.fetchone()
        cur.execute(
            f"SELECT count(*) FROM floor_loans WHERE reader_id = {p} AND returned_at IS NULL",
            (reader_id,),
        )
        (open_loans,) = cur.fetchone()
        cur.execute(
            f"SELECT id FROM floor_loans WHERE item_id = {p} AND returned_at IS NULL", (item_id,)
        )
        on_loan = cur.fetchone()
        if blocked or lifecycle != "in_service" or open_loans >= 50 or on_loan is not None:
            raise RuntimeError(f"the floor refused {barcode}")
        cur.execute(
            f"INSERT INTO floor_loans (item_id, reader_id, loaned_at) VALUES ({p}, {p}, {p})"
            " RETURNING id",
            (item_id, reader_id, now),
        )
        cur.fetchone()
        self.conn.commit()
        cur = self._begin()
        cur.execute(f"SELECT id FROM floor_items WHERE barcode = {p}{self.lock}", (barcode,))
        (item_id,) = cur.fetchone()
        cur.execute(
            f"SELECT id FROM floor_loans WHERE item_id = {p} AND returned_at IS NULL", (item_id,)
        )
        (loan_id,) = cur.fetchone()
        cur.execute(f"UPDATE floor_loans SET returned_at = {p} WHERE id = {p}", (now, loan_id))
        self.conn.commit()


def _sqlite_connect(path: Path) -> Callable[[], Any]:
    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    return connect


def _pg_connect(url: str) -> Callable[[], Any]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return lambda: psycopg.connect(plain)


def prepare(url: str, tmp: Path, clients: int) -> tuple[Callable[[], Any], bool]:
    """The floor's tables (in a file of its own on SQLite, in the bench's database on
    PostgreSQL), one reader and two copies per client."""
    sqlite = url.startswith("sqlite")
    connect = _sqlite_connect(tmp / "floor.sqlite") if sqlite else _pg_connect(url)
    conn = connect()
    cur = conn.cursor()
    for statement in SCHEMA:
        cur.execute(statement.format(serial="INTEGER" if sqlite else "SERIAL"))
    p, base = ("?" if sqlite else "%s"), 10_000 * clients
    for i in range(clients):
        cur.execute(
            f"INSERT INTO floor_readers (id, card, blocked) VALUES ({p}, {p}, {p})",
            (base + i, f"c{clients}-{i}", False),
        )
        for k in range(2):
            cur.execute(
                f"INSERT INTO floor_items (id, barcode, lifecycle) VALUES ({p}, {p}, {p})",
                (base + 2 * i + k, f"b{clients}-{i}-{k}", "in_service"),
            )
    conn.commit()
    conn.close()
    return connect, sqlite


def measure(url: str, tmp: Path, clients: int, seconds: float) -> tuple[float, float]:
    """Round trips per second and p99 (ms) of the floor with ``clients`` threads."""
    connect, sqlite = prepare(url, tmp, clients)
    stop = threading.Event()
    latencies: list[list[float]] = [[] for _ in range(clients)]

    def client(i: int) -> None:
        floor = Floor(connect, sqlite)
        card, n = f"c{clients}-{i}", 0
        while not stop.is_set():
            start = time.perf_counter()
            floor.round_trip(card, f"b{clients}-{i}-{n % 2}")
            latencies[i].append(time.perf_counter() - start)
            n += 1
        floor.conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    merged = sorted(x for lat in latencies for x in lat)
    p99 = statistics.quantiles(merged, n=100)[98] if len(merged) >= 100 else merged[-1]
    return len(merged) / seconds, p99 * 1000
