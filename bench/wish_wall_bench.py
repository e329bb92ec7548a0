"""The wish wall at N wishes: the page's weight and its server time (issue 18).

    .venv/bin/python bench/wish_wall_bench.py --wishes 10000 [--rounds 200]

Builds a library on SQLite in a temporary folder, N wishes (book, event and service,
across two branches and the network, supporters spread unevenly) written in bulk with
one INSERT per 1,000 rows (the setup, not what is measured), then times, for the first
page of the wall sorted newest and most supported:

- the **floor**: the wall's own SELECT of 31 rows, by hand with the driver (no SQLAlchemy);
- the **service**: ``WishService.wall`` (the query plus building the values);
- the **page**: ``GET /wishes`` in process through the ASGI app (routing, the session
  and CSRF middleware, Jinja, the four languages' catalogue).

Each figure is ``--rounds`` calls: p50, p95 and the ratio of the page to the floor. The
weight is the HTML as sent, with gzip's size beside it (what a phone downloads with a
compressing proxy), and the two stylesheets a first visit loads.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.config import Settings
from shelfwise.wishes.models import WallFilter, WallOrder

TITLES = ["三体", "活着", "홍길동전", "The Left Hand of Darkness", "红楼梦", "토지", "Dune"]
KINDS = ["book", "book", "book", "event", "service"]


def _fill(db_url: str, services: object, n: int) -> None:
    svc = services  # the bundle; only its database is used here
    rng = random.Random(18)
    reader = svc.readers.register(name="压测读者", category="adult").reader  # type: ignore[attr-defined]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with svc.db.write() as conn:  # type: ignore[attr-defined]
        branches = [r[0] for r in conn.execute(text("SELECT id FROM branches"))] + [None]
        for base in range(0, n, 1000):
            rows = []
            for i in range(base, min(n, base + 1000)):
                kind = KINDS[i % len(KINDS)]
                rows.append(
                    {
                        "kind": kind,
                        "branch_id": rng.choice(branches),
                        "reader_id": reader.id,
                        "display_name": f"读者{i % 997}",
                        "title": f"{rng.choice(TITLES)} {i}",
                        "author": "作者" if kind == "book" else "",
                        "reason": "想和孩子一起读，也想推荐给同学。" * rng.randint(0, 3),
                        "status": rng.choice(["submitted", "in_review", "accepted", "fulfilled"]),
                        "moderation": "shown",
                        "supporters": int(rng.paretovariate(1.2)) - 1,
                        "created_at": start + timedelta(minutes=i),
                        "updated_at": start + timedelta(minutes=i),
                    }
                )
            conn.execute(
                text(
                    "INSERT INTO wishes (kind, branch_id, reader_id, display_name, title, author,"
                    " reason, status, moderation, supporters, created_at, updated_at) VALUES "
                    "(:kind, :branch_id, :reader_id, :display_name, :title, :author, :reason,"
                    " :status, :moderation, :supporters, :created_at, :updated_at)"
                ),
                rows,
            )


def _fetch(raw: sqlite3.Connection, sql: str) -> list[object]:
    return raw.execute(sql).fetchall()


def _time(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    call()  # warm
    spent = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        spent.append((time.perf_counter() - t0) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wishes", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wish-bench-"))
    settings = Settings.load({"data_dir": folder, "scheduler_enabled": False}, environ={})
    services = composition.build(settings)
    for code, kind in (("CEN", BranchKind.CENTRAL), ("BR1", BranchKind.BRANCH)):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    _fill(settings.resolved_database_url, services, args.wishes)
    db_file = str(folder / "shelfwise.db")
    raw = sqlite3.connect(
        db_file if os.path.exists(db_file) else settings.resolved_database_url.split("///", 1)[1]
    )
    floor_sql = {
        "newest": "SELECT * FROM wishes LEFT JOIN branches b ON b.id = wishes.branch_id WHERE "
        "moderation = 'shown' ORDER BY created_at DESC, wishes.id DESC LIMIT 31",
        "supported": "SELECT * FROM wishes LEFT JOIN branches b ON b.id = wishes.branch_id WHERE "
        "moderation = 'shown' ORDER BY supporters DESC, wishes.id DESC LIMIT 31",
    }
    load = os.getloadavg()[0]
    print(f"wish wall, {args.wishes:,} wishes, SQLite, {args.rounds} rounds, load {load:.1f}")
    with TestClient(composition.asgi_app(services)) as client:
        for order in ("newest", "supported"):
            what = WallFilter(order=WallOrder(order), limit=31)
            floor = _time(partial(_fetch, raw, floor_sql[order]), args.rounds)
            service = _time(partial(services.wishes.wall, what), args.rounds)
            page = _time(partial(client.get, "/wishes", params={"order": order}), args.rounds)
            print(
                f"  {order:9} floor p50 {floor[0]:.2f} ms p95 {floor[1]:.2f} | service p50 "
                f"{service[0]:.2f} p95 {service[1]:.2f} | page p50 {page[0]:.1f} p95 {page[1]:.1f}"
                f" | page/floor {page[0] / floor[0]:.0f}x"
            )
        html = client.get("/wishes").content
        css = sum(len(client.get(f"/static/{n}").content) for n in ("site.css", "wishes.css"))
        print(
            f"  weight: HTML {len(html) / 1024:.1f} KiB ({len(gzip.compress(html)) / 1024:.1f} KiB"
            f" gzipped), stylesheets {css / 1024:.1f} KiB, 30 cards, no script of its own"
        )
    print(f"  load after: {os.getloadavg()[0]:.1f}")
    services.close()


if __name__ == "__main__":
    main()
