"""Search benchmark: Tantivy (through SearchService) vs SQLite FTS5 and PostgreSQL FTS.

Same generated records, same mixed query set, one run:

    .venv/bin/python bench/search_bench.py --records 20000 [--pg postgresql+psycopg://...]

Prints index build rate/size and p50/p95/p99/QPS (one client) per engine.
Zebra and the HTTP path are not measured here yet.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.search import Filters, SearchRequest
from shelfwise.search.source import iter_active
from shelfwise.testing.records import write_records

QUERIES = [
    ("history", None),
    ("历史", None),
    ("역사", None),
    ("력사", None),
    ("lishi", None),
    ('"local history"', None),
    ("title:china", None),
    ("author:wang", None),
    ("文化 研究", None),
    ("korea history", None),
    ("经济", Filters(lang=("zh",))),
    ("science", Filters(decade=(2010,))),
    ("小说", None),
    ("교육", None),
    ("python", None),
    ("library", Filters(available=True)),
]
PLAIN = [
    "history",
    "历史",
    "역사",
    "력사",
    "lishi",
    '"local history"',
    "china",
    "wang",
    "文化 研究",
    "korea history",
    "经济",
    "science",
    "小说",
    "교육",
    "python",
    "library",
]


def _latency(run: Callable[[str, Filters | None], object], rounds: int) -> dict[str, float]:
    times = []
    started = time.perf_counter()
    for _ in range(rounds):
        for q, f in QUERIES:
            t = time.perf_counter()
            run(q, f)
            times.append(time.perf_counter() - t)
    wall = time.perf_counter() - started
    times.sort()

    def pick(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))] * 1000

    return {
        "p50": pick(0.5),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "qps": len(times) / wall,
        "mean": statistics.mean(times) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="search-bench-"))
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'b.sqlite'}"}, environ={}
    )
    shelf = composition.build(settings)
    write_records(root / "r.mrc", args.records)
    shelf.importer().import_file(root / "r.mrc")
    out: dict[str, dict[str, float]] = {}
    report = shelf.search.rebuild()
    out["tantivy"] = {
        "build_rate": report.records / report.seconds,
        "size_mb": report.size_bytes / 1e6,
    }

    def facets(q: str, f: Filters | None) -> object:
        return shelf.search.search(SearchRequest(q=q, filters=f or Filters()))

    out["tantivy"].update(_latency(facets, args.rounds))
    rows = [
        (r.id, r.title, r.main_author or "", " ".join(r.description.get("subjects") or []))
        for page in iter_active(shelf.db)
        for r in page
    ]
    fts = create_engine(f"sqlite:///{root / 'fts.sqlite'}")
    with fts.begin() as c:
        c.execute(
            text("CREATE VIRTUAL TABLE f USING fts5(title, author, subjects, tokenize='unicode61')")
        )
        t = time.perf_counter()
        c.execute(
            text("INSERT INTO f(rowid, title, author, subjects) VALUES (:i, :t, :a, :s)"),
            [{"i": i, "t": ti, "a": a, "s": s} for i, ti, a, s in rows],
        )
    out["sqlite_fts5"] = {
        "build_rate": len(rows) / (time.perf_counter() - t),
        "size_mb": (root / "fts.sqlite").stat().st_size / 1e6,
    }
    with fts.connect() as c:

        def fts_q(q: str, _f: object) -> object:
            words = " ".join(
                json.dumps(w)
                for w in q.replace('"', "").replace("title:", "").replace("author:", "").split()
            )
            return c.execute(
                text("SELECT rowid FROM f WHERE f MATCH :q ORDER BY rank LIMIT 20"), {"q": words}
            ).all()

        out["sqlite_fts5"].update(_latency(fts_q, max(1, args.rounds // 4)))
    try:
        pg = create_engine(args.pg)
        with pg.begin() as c:
            c.execute(text("DROP TABLE IF EXISTS bench_fts"))
            c.execute(text("CREATE TABLE bench_fts (id bigint primary key, doc tsvector)"))
            t = time.perf_counter()
            c.execute(
                text("INSERT INTO bench_fts VALUES (:i, to_tsvector('simple', :d))"),
                [{"i": i, "d": f"{ti} {a} {s}"} for i, ti, a, s in rows],
            )
            c.execute(text("CREATE INDEX bench_fts_gin ON bench_fts USING gin(doc)"))
            out["postgres_fts"] = {"build_rate": len(rows) / (time.perf_counter() - t)}
            size = c.execute(text("SELECT pg_total_relation_size('bench_fts')")).scalar_one()
            out["postgres_fts"]["size_mb"] = size / 1e6
        with pg.connect() as c:

            def pg_q(q: str, _f: object) -> object:
                return c.execute(
                    text(
                        "SELECT id FROM bench_fts WHERE doc @@ plainto_tsquery('simple', :q) "
                        "ORDER BY ts_rank(doc, plainto_tsquery('simple', :q)) DESC LIMIT 20"
                    ),
                    {"q": q},
                ).all()

            out["postgres_fts"].update(_latency(pg_q, max(1, args.rounds // 4)))
        with pg.begin() as c:
            c.execute(text("DROP TABLE bench_fts"))
    except Exception as exc:
        print(f"postgres skipped: {exc}")
    print(f"records: {len(rows):,}")
    print("| engine | build rec/s | size MB | p50 ms | p95 ms | p99 ms | q/s (1 client) |")
    print("|---|---|---|---|---|---|---|")
    for name, m in out.items():
        print(
            f"| {name} | {m.get('build_rate', 0):,.0f} | {m.get('size_mb', 0):,.1f} | "
            f"{m['p50']:.2f} | {m['p95']:.2f} | {m['p99']:.2f} | {m['qps']:,.0f} |"
        )
    shelf.close()


if __name__ == "__main__":
    main()
