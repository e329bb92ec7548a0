"""End-to-end MARC import rate into SQLite and PostgreSQL, with peak memory.

Generates (once, cached) an ISO 2709 file of N demo records, then runs
``shelfwise import`` on it in a child process against a fresh SQLite file and a
fresh PostgreSQL database, in the same run, and prints records/s and the peak
resident memory of the largest process (the importer or one of its decoding
workers).

    .venv/bin/python bench/import_bench.py --records 100000
    .venv/bin/python bench/import_bench.py --records 1000000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import os
import resource
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


@dataclass
class Result:
    backend: str
    seconds: float
    records: int
    peak_mb: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds


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


def run_import(path: Path, records: int, backend: str, workers: int) -> Result:
    env = dict(
        os.environ, SHELFWISE_SCHEDULER_ENABLED="false", SHELFWISE_IMPORT_WORKERS=str(workers)
    )
    with tempfile.TemporaryDirectory() as tmp:
        database = ""
        admin = None
        if backend == "postgresql":
            database = f"shelfwise_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {database}"))
            env["SHELFWISE_DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + database
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "shelfwise", "import", str(path), "--data-dir", tmp],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            admin.dispose()
    return Result(backend, seconds, records, peak)


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
    args = parser.parse_args()
    path = demo_file(args.records, args.seed)
    print(f"input: {path.name}, {path.stat().st_size / 1e6:,.1f} MB, {args.records:,} records")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    results = [run_import(path, args.records, b, args.workers) for b in args.backends.split(",")]
    print(f"{'backend':<12}{'seconds':>10}{'records/s':>12}{'peak MB':>10}")
    for r in results:
        print(f"{r.backend:<12}{r.seconds:>10.1f}{r.rate:>12,.0f}{r.peak_mb:>10.0f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
