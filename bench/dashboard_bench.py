"""The managers' dashboards at 10M loans: each view's server time (issue 21).

    .venv/bin/python bench/dashboard_bench.py --loans 10000000 --days 1095 [--rounds 40]
        [--database-url postgresql+psycopg://...] [--keep FOLDER]

``--keep FOLDER`` keeps the SQLite database in FOLDER; a later run given the same folder
measures the counters and stock already there instead of loading them again (the load takes
minutes; the pages are what is measured).

The counters are **generated, not lent**: ``shelfwise.testing.statistics`` makes the rows
``analytics_activity`` and ``analytics_tallies`` would hold after ``--loans`` loans (with
their returns, renewals and holds) over ``--days`` days at six branches — one row per day,
branch, act and dimension value, reader-mark sets of about as many bits as readers — and
loads them with ``AnalyticsService.load_counters``. Lending 10M loans through circulation
would take this box hours and would measure the same tables. The counter tables' size
depends on days x branches x values, not on loans: what 10M loans change is the figures.
The collection's stock is taken by the real job from 300 generated records with 1,200
copies (its tables hold at most branches x classes x 12 idle-year rows, 200 idle copies
and 50 titles per branch, whatever the collection's size).

Then, in process through the ASGI app (routing, session, CSRF middleware, Jinja, the
page's language), as the network's administrator: every view at 30, 90 and 365 days for
every branch and for one branch, and the big screen; ``--rounds`` each, p50 and p95 (server
time: no network, no browser). The **floor** is the circulation view's heaviest question
written by hand — loans by month over 365 days and the same a year earlier, from
``analytics_activity`` with the driver, no SQLAlchemy — and each page's p50 is given as a
ratio to it.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise import app as composition
from shelfwise.analytics.dashboards import PERIODS, VIEWS
from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.config import Settings
from shelfwise.testing.records import write_records
from shelfwise.testing.statistics import Shape, activity_rows, tally_rows

BRANCHES = ("CEN", "CYQ", "NGQ", "XSL", "HPJ", "SLH")
PASSWORD = "bench-dashboards-1"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def _time(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    call()  # warm
    spent = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        spent.append((time.perf_counter() - t0) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.95) - 1)]


def _collection(services: object, folder: Path) -> None:
    svc = services
    path = folder / "bench.mrc"
    write_records(path, 300)
    svc.importer().import_file(path)  # type: ignore[attr-defined]
    with svc.db.read() as conn:  # type: ignore[attr-defined]
        ids = [int(r) for r in conn.execute(text("SELECT id FROM records ORDER BY id")).scalars()]
    for n, record_id in enumerate(ids):
        for k in range(4):
            svc.catalogue.add_item(  # type: ignore[attr-defined]
                record_id=record_id,
                barcode=f"B{n:05d}{k}",
                branch_code=BRANCHES[(n + k) % len(BRANCHES)],
                lifecycle=Lifecycle.IN_SERVICE,
            )
    svc.analytics.take_stock()  # type: ignore[attr-defined]


def _signed_in(services: object) -> TestClient:
    svc = services
    name = f"bench-admin-{os.getpid()}"  # a kept database already has an earlier run's
    svc.access.create_staff(name, "Bench", PASSWORD, "admin", ())  # type: ignore[attr-defined]
    client = TestClient(composition.asgi_app(svc), follow_redirects=False)  # type: ignore[arg-type]
    client.get("/lang/zh")
    token = CSRF.search(client.get("/staff/login").text)
    assert token is not None
    data = {"username": name, "password": PASSWORD, "csrf": token.group(1)}
    assert client.post("/staff/login", data=data).status_code == 303
    return client


def _floor(services: object, db_file: str | None, until: object) -> Callable[[], object]:
    sql = (
        "SELECT substr(day, 1, 7), sum(events) FROM analytics_activity WHERE kind = 'checkout'"
        " AND dimension = 'all' AND day BETWEEN ? AND ? GROUP BY 1"
    )
    since = until - timedelta(days=364)  # type: ignore[operator]
    year = timedelta(days=365)
    spans = [(str(since), str(until)), (str(since - year), str(until - year))]  # type: ignore[operator]
    if db_file is not None:
        raw = sqlite3.connect(db_file)
        return lambda: [raw.execute(sql, span).fetchall() for span in spans]
    import psycopg

    url = services.settings.resolved_database_url.replace("postgresql+psycopg", "postgresql")  # type: ignore[attr-defined]
    pg = psycopg.connect(url)
    pg_sql = sql.replace("substr(day, 1, 7)", "to_char(day, 'YYYY-MM')").replace("?", "%s")
    return lambda: [pg.execute(pg_sql, span).fetchall() for span in spans]


def _fill(
    services: Any, args: argparse.Namespace, folder: Path
) -> tuple[int, list[int], date, int, float]:
    """The branches, counters and stock: loaded, or those a kept database already holds."""
    with services.db.read() as conn:
        kept = conn.execute(text("SELECT count(*) FROM analytics_activity")).scalar_one()
    if not kept:
        for n, code in enumerate(BRANCHES):
            kind = BranchKind.CENTRAL if n == 0 else BranchKind.BRANCH
            services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    with services.db.read() as conn:
        ids = [int(r) for r in conn.execute(text("SELECT id FROM branches ORDER BY id")).scalars()]
    until = services.clock.today()
    t0 = time.perf_counter()
    if kept:  # a kept database: what an earlier run loaded (its until is that run's day)
        with services.db.read() as conn:
            rows = conn.execute(text("SELECT count(*) FROM analytics_tallies")).scalar_one()
            until = conn.execute(text("SELECT max(day) FROM analytics_activity")).scalar_one()
        rows += int(kept)
        until = until if isinstance(until, date) else date.fromisoformat(str(until))
    else:
        shape = Shape(ids, until, args.days, args.loans)
        rows = services.analytics.load_counters(activity_rows(shape), tally_rows(shape))
        _collection(services, folder)
    filled = time.perf_counter() - t0
    return int(kept), ids, until, int(rows), filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loans", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep (or reuse) the data here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dash-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, object] = {"data_dir": folder, "scheduler_enabled": False}
    if args.database_url:
        overrides["database_url"] = args.database_url
    settings = Settings.load(overrides, environ={})
    services = composition.build(settings)
    kept, ids, until, rows, filled = _fill(services, args, folder)
    engine = services.db.dialect
    db_file = None
    if engine == "sqlite":
        db_file = settings.resolved_database_url.split("///", 1)[1]
    load = os.getloadavg()[0]
    print(
        f"dashboards, {args.loans:,} loans generated over {args.days} days at {len(ids)} branches"
        f" ({rows:,} counter rows, {'kept' if kept else 'loaded'} in {filled:.0f} s), {engine},"
        f" {args.rounds} rounds,"
        f" load {load:.1f}"
    )
    floor = _time(_floor(services, db_file, until), args.rounds)
    print(f"  floor (loans by month, 365 days and a year earlier, by hand): p50 {floor[0]:.2f} ms"
          f" p95 {floor[1]:.2f} ms")  # fmt: skip
    client = _signed_in(services)
    worst = 0.0
    for view in VIEWS:
        for days in PERIODS:
            for branch in ("", "CYQ"):
                params: dict[str, str | int] = {"view": view, "days": days, "branch": branch}
                page = client.get("/staff/dashboards", params=params)
                assert page.status_code == 200, (params, page.text[-300:])
                p50, p95 = _time(partial(client.get, "/staff/dashboards", params=params),
                                 args.rounds)  # fmt: skip
                worst = max(worst, p95)
                print(f"  {view:11} {days:3} days {branch or 'all':3}: p50 {p50:6.1f} ms"
                      f" p95 {p95:6.1f} ms  page/floor {p50 / floor[0]:5.0f}x")  # fmt: skip
    big = _time(lambda: client.get("/staff/dashboards/big-screen"), args.rounds)
    worst = max(worst, big[1])
    print(f"  big screen          all: p50 {big[0]:6.1f} ms p95 {big[1]:6.1f} ms")
    print(f"  worst p95 {worst:.1f} ms (goal < 200 ms); load after {os.getloadavg()[0]:.1f}")
    services.close()


if __name__ == "__main__":
    main()
