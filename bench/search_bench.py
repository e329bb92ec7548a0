"""Search benchmark: Tantivy (through SearchService and over HTTP) vs SQLite FTS5 and PostgreSQL FTS.

Same generated records, same mixed query set, one run:

    .venv/bin/python bench/search_bench.py --records 20000 [--dir DIR] [--pg postgresql+psycopg://...]

Prints index build rate/size and p50/p95/p99 and q/s with one and two clients per
engine, each with the 1-minute load average when it was taken (the box is shared).
``--dir`` keeps the imported catalogue, so a second run skips the import.
Zebra is not measured here yet.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
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


Run = Callable[[str, Filters | None], object]


def _load() -> float:
    return os.getloadavg()[0]


def _latency(make_run: Callable[[], Run], rounds: int, clients: int = 1) -> dict[str, float]:
    """Every client runs ``rounds`` × the query set; latencies pooled, q/s over the wall time."""
    times: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        run = make_run()
        mine = []
        for _ in range(rounds):
            for q, f in QUERIES:
                t = time.perf_counter()
                run(q, f)
                mine.append(time.perf_counter() - t)
        with lock:
            times.extend(mine)

    make_run()(*QUERIES[0])  # warm-up (connections, lazy resources)
    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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
        "load": _load(),
    }


def _both(make_run: Callable[[], Run], rounds: int) -> dict[str, Any]:
    one = _latency(make_run, rounds, 1)
    two = _latency(make_run, rounds, 2)
    return {**one, "qps2": two["qps"], "p99_2": two["p99"], "load2": two["load"]}


def _http_params(q: str, f: Filters | None) -> dict[str, Any]:
    params: dict[str, Any] = {"q": q}
    if f is not None:
        for name in ("lang", "decade"):
            if getattr(f, name):
                params[name] = list(getattr(f, name))
        if f.available is not None:
            params["available"] = "true" if f.available else "false"
    return params


def _serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "shelfwise"),
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(root / "data"),
        "--database-url",
        f"sqlite:///{root / 'b.sqlite'}",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "x"}, timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("shelfwise serve did not start")


def _tantivy(shelf: Any, root: Path, args: argparse.Namespace, out: dict[str, Any]) -> None:
    load = _load()
    report = shelf.search.rebuild()
    out["tantivy (service, facets)"] = {
        "build_rate": report.records / report.seconds,
        "size_mb": report.size_bytes / 1e6,
        "build_load": (load + _load()) / 2,
    }

    def service() -> Run:
        def run(q: str, f: Filters | None) -> object:
            return shelf.search.search(SearchRequest(q=q, filters=f or Filters()))

        return run

    out["tantivy (service, facets)"].update(_both(service, args.rounds))
    server = _serve(root, args.port)
    try:

        def http() -> Run:
            client = httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=30)

            def run(q: str, f: Filters | None) -> object:
                response = client.get("/api/v1/search", params=_http_params(q, f))
                response.raise_for_status()
                return response.json()

            return run

        out["tantivy (HTTP, facets)"] = _both(http, max(1, args.rounds // 2))
    finally:
        server.terminate()
        server.wait()


def _sqlite(
    rows: list[tuple[int, str, str, str]], root: Path, rounds: int, out: dict[str, Any]
) -> None:
    fts_path = root / "fts.sqlite"
    fts_path.unlink(missing_ok=True)
    fts = create_engine(f"sqlite:///{fts_path}")
    with fts.begin() as c:
        c.execute(
            text("CREATE VIRTUAL TABLE f USING fts5(title, author, subjects, tokenize='unicode61')")
        )
        t = time.perf_counter()
        load = _load()
        c.execute(
            text("INSERT INTO f(rowid, title, author, subjects) VALUES (:i, :t, :a, :s)"),
            [{"i": i, "t": ti, "a": a, "s": s} for i, ti, a, s in rows],
        )
    out["sqlite_fts5 (unicode61)"] = {
        "build_rate": len(rows) / (time.perf_counter() - t),
        "size_mb": fts_path.stat().st_size / 1e6,
        "build_load": (load + _load()) / 2,
    }

    def fts_client() -> Run:
        c = fts.connect()

        def run(q: str, _f: object) -> object:
            words = " ".join(
                json.dumps(w)
                for w in q.replace('"', "").replace("title:", "").replace("author:", "").split()
            )
            return c.execute(
                text("SELECT rowid FROM f WHERE f MATCH :q ORDER BY rank LIMIT 20"), {"q": words}
            ).all()

        return run

    out["sqlite_fts5 (unicode61)"].update(_both(fts_client, max(1, rounds // 4)))


def _postgres(
    rows: list[tuple[int, str, str, str]], url: str, rounds: int, out: dict[str, Any]
) -> None:
    try:
        pg = create_engine(url, pool_size=4)
        with pg.begin() as c:
            c.execute(text("DROP TABLE IF EXISTS bench_fts"))
            c.execute(text("CREATE TABLE bench_fts (id bigint primary key, doc tsvector)"))
            t = time.perf_counter()
            load = _load()
            c.execute(
                text("INSERT INTO bench_fts VALUES (:i, to_tsvector('simple', :d))"),
                [{"i": i, "d": f"{ti} {a} {s}"} for i, ti, a, s in rows],
            )
            c.execute(text("CREATE INDEX bench_fts_gin ON bench_fts USING gin(doc)"))
            name = "postgres_fts (simple, GIN)"
            out[name] = {
                "build_rate": len(rows) / (time.perf_counter() - t),
                "build_load": (load + _load()) / 2,
            }
            size = c.execute(text("SELECT pg_total_relation_size('bench_fts')")).scalar_one()
            out[name]["size_mb"] = size / 1e6

        opened: list[Any] = []

        def pg_client() -> Run:
            c = pg.connect()
            opened.append(c)

            def run(q: str, _f: object) -> object:
                return c.execute(
                    text(
                        "SELECT id FROM bench_fts WHERE doc @@ plainto_tsquery('simple', :q) "
                        "ORDER BY ts_rank(doc, plainto_tsquery('simple', :q)) DESC LIMIT 20"
                    ),
                    {"q": q},
                ).all()

            return run

        out[name].update(_both(pg_client, max(1, rounds // 4)))
        for c in opened:  # an open read transaction would block the DROP below
            c.close()
        with pg.begin() as c:
            c.execute(text("DROP TABLE bench_fts"))
        pg.dispose()
    except Exception as exc:
        print(f"postgres skipped: {exc}")


def _print(out: dict[str, Any]) -> None:
    print(
        "| engine | build rec/s (load) | size MB | p50 ms | p95 ms | p99 ms | q/s 1 client "
        "| q/s 2 clients (p99 ms) | load 1 / 2 clients |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, m in out.items():
        build = (
            f"{m['build_rate']:,.0f} ({m['build_load']:.1f})"
            if "build_rate" in m
            else "(same index)"
        )
        size = f"{m['size_mb']:,.1f}" if "size_mb" in m else ""
        print(
            f"| {engine} | {build} | {size} | {m['p50']:.2f} | {m['p95']:.2f} | {m['p99']:.2f} "
            f"| {m['qps']:,.0f} | {m['qps2']:,.0f} ({m['p99_2']:.1f}) "
            f"| {m['load']:.1f} / {m['load2']:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--dir", type=Path, default=None, help="keep/reuse the catalogue here")
    parser.add_argument("--port", type=int, default=18733)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'b.sqlite'}"}, environ={}
    )
    shelf = composition.build(settings)
    if not shelf.catalogue.counts()["records"]:
        write_records(root / "r.mrc", args.records)
        shelf.importer().import_file(root / "r.mrc")
    out: dict[str, dict[str, Any]] = {}
    _tantivy(shelf, root, args, out)
    rows = [
        (r.id, r.title, r.main_author or "", " ".join(r.description.get("subjects") or []))
        for page in iter_active(shelf.db)
        for r in page
    ]
    _sqlite(rows, root, args.rounds, out)
    _postgres(rows, args.pg, args.rounds, out)
    print(f"records: {len(rows):,}")
    _print(out)
    shelf.close()


if __name__ == "__main__":
    main()
