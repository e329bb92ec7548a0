"""The recorded storm run: D1–D3 for N trials on SQLite and PostgreSQL, service and HTTP.

    .venv/bin/python bench/circulation_storms.py --trials 100 > /tmp/storms.md

Uses the same storm functions as tests/circulation/test_storms.py. PostgreSQL
is reached at SHELFWISE_TEST_PG_URL (default postgres@127.0.0.1:5432); a
scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "circulation"))

from circ_helpers import LendingLibrary, make_library
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from storms import StormResult, storm_holds, storm_limit, storm_one_item

from shelfwise import app as composition
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.services import Services
from shelfwise.testing.plugin import pg_admin_url
from shelfwise.testing.servers import live_server


@contextmanager
def fresh_shelf(backend: str, tmp: Path) -> Iterator[Services]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp / f'{uuid.uuid4().hex}.sqlite'}"
        drop = None
    else:
        name = f"shelfwise_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
        drop = (admin, name)
    settings = Settings.load(
        {"data_dir": tmp / "data", "database_url": url, "scheduler_enabled": False}, environ={}
    )
    services = composition.build(settings)
    try:
        yield services
    finally:
        services.close()
        if drop is not None:
            admin, name = drop
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


def run_storm(
    library: LendingLibrary, storm: str, trials: int, http: str | None
) -> list[StormResult]:
    if storm == "D1":
        cards = [library.reader(f"r{i}").card_number for i in range(64)]
        return [storm_one_item(library, cards, http) for _ in range(trials)]
    if storm == "D2":
        library.services.loan_rules.set_rule(
            reader_category=None,
            item_type=None,
            branch=None,
            values={"loan_limit": 15},
            actor=SYSTEM,
        )
        card = library.reader("limit").card_number
        return [storm_limit(library, card, 20, 15, http) for _ in range(trials)]
    borrower = library.reader("borrower").card_number
    holders = [library.reader(f"h{i}").card_number for i in range(6)]
    return [storm_holds(library, borrower, holders, 8, http) for _ in range(trials)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--doors", default="service,rest")
    args = parser.parse_args()
    print(
        "| storm | backend | door | trials | violating trials | successes/trial | refusals | time (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        for door in args.doors.split(","):
            for storm in ("D1", "D2", "D3"):
                with (
                    tempfile.TemporaryDirectory() as tmp,
                    fresh_shelf(backend, Path(tmp)) as services,
                ):
                    library = make_library(services, Path(tmp))
                    start = time.perf_counter()
                    if door == "rest":
                        with live_server(services) as base:
                            results = run_storm(library, storm, args.trials, base)
                    else:
                        results = run_storm(library, storm, args.trials, None)
                    elapsed = time.perf_counter() - start
                bad = sum(1 for r in results if r.violations or r.errors)
                wins = sorted({r.successes for r in results})
                refusals: dict[str, int] = {}
                for r in results:
                    for code, n in r.refusals.items():
                        refusals[code] = refusals.get(code, 0) + n
                print(
                    f"| {storm} | {backend} | {door} | {len(results)} | {bad} | {wins} | "
                    f"{refusals or '-'} | {elapsed:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
