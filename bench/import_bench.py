"""End-to-end MARC import rate into SQLite and PostgreSQL, with peak memory, size and a floor.

Generates (once, cached) an ISO 2709 file of N demo records, then runs
``shelfwise import`` on it in a child process against a fresh SQLite file and a
fresh PostgreSQL database, in the same run, and prints records/s, the peak
resident memory of the largest process (the importer or one of its decoding
workers) and the database's bytes per input record.

The floor (SQLite): the very rows that import wrote (records, sources, ISBN and
class keys, items, outbox events) inserted again into an empty database of the same
schema and pragmas (WAL, ``synchronous=FULL``, foreign keys on) with plain
``sqlite3`` ``executemany``, in as many transactions as the import's batches
(2,000 records each); only the inserts and commits are timed. Its rate is what the
same rows cost SQLite with no Python per record: ``ratio`` is import/floor.

    .venv/bin/python bench/import_bench.py --records 100000
    .venv/bin/python bench/import_bench.py --records 1000000 --backends sqlite,postgresql
    .venv/bin/python bench/import_bench.py --records 100000 --backends sqlite \
        --compare-src ../before/src      # an older checkout first, in the same run
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

OUT = Path(__file__).resolve().parent / "out"
PG_ADMIN = os.environ.get(
    "SHELFWISE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


BATCH = 2000  # the import's default batch size (settings.import_batch_size)
_PART_KEYS = {
    "records": "id",
    "sources": "record_id",
    "record_isbns": "record_id",
    "record_classes": "record_id",
    "items": "record_id",
    "outbox": "rowid",
}
BIG_TABLES = tuple(_PART_KEYS)


@dataclass
class Result:
    backend: str
    seconds: float
    records: int
    peak_mb: float
    bytes_per_record: float = 0.0
    master_bytes: float = 0.0  # average stored master (records.master)
    floor_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.records / self.seconds

    @property
    def floor_rate(self) -> float:
        return self.records / self.floor_seconds if self.floor_seconds else 0.0


def _sqlite_sizes(path: Path, records: int) -> tuple[float, float]:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        columns = {r[1] for r in conn.execute("PRAGMA table_info(records)")}
        column = "master" if "master" in columns else "marc"  # before compact masters
        master = conn.execute(
            f"SELECT avg(length(CAST({column} AS BLOB))) FROM records"
        ).fetchone()[0]
    return path.stat().st_size / records, float(master or 0)


def executemany_floor(source: Path, target: Path) -> float:
    """Seconds to insert ``source``'s rows into a fresh ``target`` (see the module doc)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        dst.execute(f"PRAGMA {pragma}")
    dst.execute("PRAGMA cache_size = -65536")
    schema = src.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'index', rowid"
    ).fetchall()
    for (sql,) in schema:
        dst.execute(sql)
    tables = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dst.execute("BEGIN")
    for name in tables:  # the small tables (branches, locations...), untimed
        if name in BIG_TABLES or name.startswith("sqlite_"):
            continue
        _copy(src, dst, name, 0, 1 << 62)
    dst.execute("COMMIT")
    records = src.execute("SELECT count(*) FROM records").fetchone()[0]
    parts = max(1, -(-records // BATCH))
    # Rows that belong to a record go in its batch (their foreign keys need it first).
    record_parts = _rowid_parts(src, "records", parts)
    outbox_parts = _rowid_parts(src, "outbox", parts)
    timed = 0.0
    for k in range(parts):
        batch = {
            name: src.execute(
                f"SELECT * FROM {name} WHERE {key} > ? AND {key} <= ? ORDER BY rowid",
                (outbox_parts if name == "outbox" else record_parts)[k],
            ).fetchall()
            for name, key in _PART_KEYS.items()
        }
        started = time.perf_counter()
        dst.execute("BEGIN IMMEDIATE")
        for name in BIG_TABLES:
            rows = batch[name]
            if rows:
                marks = ",".join("?" * len(rows[0]))
                dst.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        dst.execute("COMMIT")
        timed += time.perf_counter() - started
    src.close()
    dst.close()
    return timed


def _rowid_parts(conn: sqlite3.Connection, table: str, parts: int) -> list[tuple[int, int]]:
    top = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
    step = -(-top // parts) if top else 1
    return [(k * step, (k + 1) * step) for k in range(parts)]


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, table: str, lo: int, hi: int) -> None:
    rows = src.execute(f"SELECT * FROM {table} WHERE rowid > ? AND rowid <= ?", (lo, hi))
    rows_list = rows.fetchall()
    if rows_list:
        marks = ",".join("?" * len(rows_list[0]))
        dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows_list)


def demo_file(records: int, seed: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"demo-{records}-{seed}.mrc"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shelfwise",
                "generate",
                str(path),
                "--records",
                str(records),
                "--seed",
                str(seed),
            ],
            check=True,
        )
    return path


def run_import(
    path: Path, records: int, backend: str, workers: int, source: Path | None = None
) -> Result:
    env = dict(
        os.environ, SHELFWISE_SCHEDULER_ENABLED="false", SHELFWISE_IMPORT_WORKERS=str(workers)
    )
    if source is not None:  # another checkout's src/ (say, before a change), same venv
        env["PYTHONPATH"] = str(source)
    with tempfile.TemporaryDirectory() as tmp:
        database = ""
        admin = None
        if backend == "postgresql":
            database = f"shelfwise_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {database}"))
            env["SHELFWISE_DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + database
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "shelfwise", "import", str(path), "--data-dir", tmp],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        # This child's own peak (wait4: it and the workers it reaped), not the largest of
        # every child so far (RUSAGE_CHILDREN gave the second run the first's peak).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, child.args)
        seconds = time.perf_counter() - started
        peak = usage.ru_maxrss / 1024
        label = backend if source is None else f"{backend} ({source.parent.name})"
        result = Result(label, seconds, records, peak)
        if admin is not None:
            with admin.connect() as conn:
                size = conn.execute(text(f"SELECT pg_database_size('{database}')")).scalar_one()
                result.bytes_per_record = int(size) / records
                conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            admin.dispose()
        else:
            db_file = Path(tmp) / "shelfwise.sqlite"
            result.bytes_per_record, result.master_bytes = _sqlite_sizes(db_file, records)
            result.floor_seconds = executemany_floor(db_file, Path(tmp) / "floor.sqlite")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--workers", type=int, default=-1, help="decoding processes (-1: one per CPU)"
    )
    parser.add_argument(
        "--compare-src",
        type=Path,
        help="also import with this checkout's src/ directory (before/after in one run)",
    )
    args = parser.parse_args()
    path = demo_file(args.records, args.seed)
    print(f"input: {path.name}, {path.stat().st_size / 1e6:,.1f} MB, {args.records:,} records")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    results = []
    for backend in args.backends.split(","):
        if args.compare_src is not None:
            results.append(run_import(path, args.records, backend, args.workers, args.compare_src))
        results.append(run_import(path, args.records, backend, args.workers))
    print(
        f"{'backend':<20}{'seconds':>10}{'records/s':>12}{'peak MB':>10}{'bytes/rec':>11}"
        f"{'master B':>10}{'floor rec/s':>13}{'ratio':>8}"
    )
    for r in results:
        floor = f"{r.floor_rate:>13,.0f}{r.rate / r.floor_rate:>8.3f}" if r.floor_seconds else ""
        print(
            f"{r.backend:<20}{r.seconds:>10.1f}{r.rate:>12,.0f}{r.peak_mb:>10.0f}"
            f"{r.bytes_per_record:>11,.0f}{r.master_bytes:>10,.0f}{floor}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
