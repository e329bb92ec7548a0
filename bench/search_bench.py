"""Search benchmark: Tantivy (through SearchService and over HTTP) vs SQLite FTS5, PostgreSQL FTS
and Zebra (Koha's engine).

Same generated records, same mixed query set, one run:

    .venv/bin/python bench/search_bench.py --records 20000 [--dir DIR] [--pg postgresql+psycopg://...]
    .venv/bin/python bench/search_bench.py --records 1000000 --dir bench/out/search-1m

Prints index build rate/size and p50/p95/p99 and q/s with one and two clients per
engine, each with the 1-minute load average when it was taken (the box is shared),
then every peer's ratio against Tantivy through the service.

Tantivy is measured four ways in one run, each query set the same: the **floor**, raw
Tantivy with the query the service compiles (``Compiler.query`` and ``Compiler.filters``
ANDed: its top 20 by the popularity-weighted score, with the count), the floor plus the
engine work a page asks for (the six shown facets aggregated and 20 stored documents
read), the **service** (``SearchService.search``: as a reader repeats and pages queries, so
its facet and record caches are warm after the first round), the service with **cold**
caches (both emptied before every query: a query never seen in this index generation),
and **HTTP** (``shelfwise serve``, one process). Each figure, the peers' too, is ``--rounds`` ×
16 queries per client (64 rounds: 1,024 measured queries, after one warm-up query; fewer
than 1,000 give too loose a p99); then the ratios to the floor.

``--dir`` keeps the imported catalogue (and the row and MARC exports the peers are
built from), so a second run skips the import. The generated ISO 2709 file is cached
in ``bench/out/`` under the same name ``import_bench.py`` uses.

Zebra (``apt-get install idzebra-2.0``) indexes the catalogue's master MARC records,
exported once to ISO 2709, with the DOM filter and the config in ``bench/zebra/``
(an ICU word chain: Zebra has no CJK segmentation of its own), and is queried over
SRU (``zebrasrv``, threaded) with the query set translated to PQF.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import tantivy
from rich.console import Console
from sqlalchemy import create_engine, text

from shelfwise import app as composition
from shelfwise.cli.progress import count_progress
from shelfwise.config import Settings
from shelfwise.marc.writing import MarcWriter
from shelfwise.search import Filters, SearchRequest
from shelfwise.search.compile import Compiler
from shelfwise.search.index import LiveIndex
from shelfwise.search.query import parse
from shelfwise.search.source import active_count, iter_active
from shelfwise.testing.records import write_records

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ZEBRA_CONF = HERE / "zebra"

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
MARC_LANG = {"zh": "chi", "ko": "kor", "en": "eng"}

Run = Callable[[str, Filters | None], object]
Row = tuple[int, str, str, str]
console = Console()


def _load() -> float:
    return os.getloadavg()[0]


class Bar:
    """A rich progress bar (count, rate, ETA); when the output is not a terminal (a
    nohup log), a plain line every 30 s instead, so a long phase can be followed."""

    def __init__(self, description: str, total: int) -> None:
        self.description, self.total = description, total
        self.done = 0
        self.started = self.printed = time.monotonic()
        self.lock = threading.Lock()
        self.progress = count_progress(console)
        self.task = self.progress.add_task(description, total=total, rate=0.0)

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()
        seconds = time.monotonic() - self.started
        console.print(
            f"{self.description}: {self.done:,} in {seconds:,.1f} s (load {_load():.1f})",
            highlight=False,
        )

    def update(self, done: int, total: int | None = None) -> None:
        with self.lock:
            self.done = done
            if total is not None:
                self.total = total
            now = time.monotonic()
            rate = done / max(now - self.started, 1e-6)
            self.progress.update(self.task, completed=done, total=self.total, rate=rate)
            if not console.is_terminal and now - self.printed >= 30:
                self.printed = now
                left = (self.total - done) / rate if rate else 0.0
                print(
                    f"  {self.description}: {done:,}/{self.total:,} {rate:,.0f}/s "
                    f"ETA {left / 60:,.1f} min (load {_load():.1f})",
                    flush=True,
                )

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)


# -- measuring ---------------------------------------------------------------------------------


def _latency(
    make_run: Callable[[], Run], rounds: int, clients: int, label: str
) -> dict[str, float]:
    """Every client runs ``rounds`` × the query set; latencies pooled, q/s over the wall time."""
    times: list[float] = []
    lock = threading.Lock()
    make_run()(*QUERIES[0])  # warm-up (connections, lazy resources)
    with Bar(f"{label}, {clients} client(s)", rounds * len(QUERIES) * clients) as bar:

        def client() -> None:
            run = make_run()
            mine = []
            for _ in range(rounds):
                for q, f in QUERIES:
                    t = time.perf_counter()
                    run(q, f)
                    mine.append(time.perf_counter() - t)
                bar.advance(len(QUERIES))
            with lock:
                times.extend(mine)

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


def _both(make_run: Callable[[], Run], rounds: int, label: str) -> dict[str, Any]:
    one = _latency(make_run, rounds, 1, label)
    two = _latency(make_run, rounds, 2, label)
    return {**one, "qps2": two["qps"], "p99_2": two["p99"], "load2": two["load"]}


# -- the catalogue and what the peers are built from ------------------------------------------


def _catalogue(services: Any, root: Path, records: int) -> None:
    """Import the generated file once; a catalogue already in ``root`` is reused."""
    count = services.catalogue.counts()["records"]
    if count:
        console.print(f"reusing the catalogue in {root}: {count:,} records")
        return
    OUT.mkdir(exist_ok=True)
    path = OUT / f"demo-{records}-42.mrc"
    if not path.exists():
        partial = path.with_suffix(".part")
        with Bar(f"generate {path.name}", records) as bar:
            write_records(partial, records, progress=bar.update)
        partial.rename(path)
    size = path.stat().st_size
    with Bar(f"import {path.name} (MB)", size // 1_000_000) as bar:

        def show(done: int, offset: int) -> None:
            bar.update(offset // 1_000_000)

        services.importer().import_file(path, progress=show)


def _rows_file(services: Any, root: Path) -> Path:
    """The active records as (id, title, author, subjects) JSON lines, written once."""
    path = root / "rows.jsonl"
    if path.exists():
        return path
    partial = path.with_suffix(".part")
    with Bar("export rows", active_count(services.db)) as bar, partial.open("w") as out:
        done = 0
        for page in iter_active(services.db, batch=5000):
            for r in page:
                subjects = " ".join(r.description.get("subjects") or [])
                out.write(json.dumps([r.id, r.title, r.main_author or "", subjects]) + "\n")
            done += len(page)
            bar.update(done)
    partial.rename(path)
    return path


def _row_pages(path: Path, size: int = 5000) -> Iterator[list[Row]]:
    page: list[Row] = []
    with path.open() as lines:
        for line in lines:
            i, title, author, subjects = json.loads(line)
            page.append((i, title, author, subjects))
            if len(page) == size:
                yield page
                page = []
    if page:
        yield page


def _marc_file(services: Any, root: Path) -> Path:
    """The active records' master MARC as UTF-8 ISO 2709, written once (Zebra's input)."""
    path = root / "zebra" / "records.mrc"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with (
        Bar("export MARC", active_count(services.db)) as bar,
        partial.open("wb") as handle,
        MarcWriter(handle) as writer,
    ):
        done = 0
        for done, record in enumerate(services.catalogue.iter_master_records(), start=1):
            writer.write(record)
            if done % 5000 == 0:
                bar.update(done)
        bar.update(done)
    partial.rename(path)
    return path


# -- Tantivy ------------------------------------------------------------------------------------


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
    deadline = time.monotonic() + 300  # it checks the index against the catalogue on start
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "x"}, timeout=5)
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("shelfwise serve did not start")


SHOWN = ("lang", "material", "decade", "branch", "available", "subject")  # the pages' facets


def _compiled(schema: tantivy.Schema, q: str, f: Filters | None) -> tantivy.Query:
    """The query ``SearchService.search`` runs for ``q`` (none of the set is ``*`` alone,
    an exclusion only or relaxed: each matches more than a handful)."""
    compiler = Compiler(schema)
    main = compiler.query(parse(q))
    assert main is not None, q
    parts = [main, *compiler.filters(f or Filters())]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])


def _floors(services: Any, rounds: int, out: dict[str, Any]) -> None:
    """Raw Tantivy on the same compiled queries: top 20 and count; then with the shown
    facets and the 20 stored documents too.  Its counts are the service's totals."""
    path = services.search.store.current()
    assert path is not None, "no index: run once without --reuse-indexes"
    live = LiveIndex(path)
    searcher = live.searcher()
    queries = {(q, f): _compiled(live.schema, q, f) for q, f in QUERIES}
    spec = {n: {"terms": {"field": n, "size": 40}} for n in SHOWN}
    for (q, f), query in queries.items():
        total = getattr(searcher.search(query, limit=1, count=True), "count", None)
        found = services.search.search(SearchRequest(q=q, filters=f or Filters(), facets=False))
        assert total == found.total_records, (q, total, found.total_records)

    def top(q: str, f: Filters | None) -> object:
        return searcher.search(queries[(q, f)], limit=20, count=True, weight_by_field="boost")

    def page(q: str, f: Filters | None) -> object:
        query = queries[(q, f)]
        found = searcher.search(query, limit=20, count=True, weight_by_field="boost")
        docs = [searcher.doc(address) for _, address in found.hits]
        return docs, searcher.aggregate(query, spec)

    out["tantivy floor (top 20 + count)"] = _both(lambda: top, rounds, "tantivy floor")
    out["tantivy floor + 6 facets + 20 docs"] = _both(lambda: page, rounds, "tantivy floor+page")


def _drain_outbox(services: Any) -> None:
    """Deliver the import's events before the server starts, so that HTTP is measured in
    steady state, not while the server's relay works through a bulk import's backlog."""
    try:
        from shelfwise.runtime import Runtime
    except ImportError:  # code from before the runtime: nothing to deliver with
        return
    relay = Runtime(services).outbox_relay()
    with Bar("deliver the outbox backlog", 0) as bar:
        while done := relay.drain(max_rounds=20):
            bar.advance(done)


def _tantivy(services: Any, root: Path, args: argparse.Namespace, out: dict[str, Any]) -> None:
    name = "tantivy (service, facets)"
    out[name] = {}
    if not args.reuse_indexes:
        load = _load()
        with Bar("tantivy rebuild", active_count(services.db)) as bar:
            report = services.search.rebuild(bar.update)
        out[name] = {
            "build_rate": report.records / report.seconds,
            "size_mb": report.size_bytes / 1e6,
            "build_load": (load + _load()) / 2,
        }

    _floors(services, args.rounds, out)

    def service() -> Run:
        def run(q: str, f: Filters | None) -> object:
            return services.search.search(SearchRequest(q=q, filters=f or Filters()))

        return run

    def cold() -> Run:
        # no cache before this change: emptying nothing measures the same thing
        caches = [
            getattr(getattr(services.search, owner, None), "cache", None)
            for owner in ("facet_counter", "record_reader")
        ]

        def run(q: str, f: Filters | None) -> object:
            for cache in caches:
                if cache is not None:
                    cache.clear()
            return services.search.search(SearchRequest(q=q, filters=f or Filters()))

        return run

    out[name].update(_both(service, args.rounds, "tantivy service"))
    out["tantivy (service, cold caches)"] = _both(cold, args.rounds, "tantivy service, cold")
    _drain_outbox(services)
    server = _serve(root, args.port)
    try:

        def http() -> Run:
            client = httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=60)

            def run(q: str, f: Filters | None) -> object:
                response = client.get("/api/v1/search", params=_http_params(q, f))
                response.raise_for_status()
                return response.json()

            return run

        def health() -> Run:  # the door's own floor: the cheapest route, same server
            client = httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=60)

            def run(q: str, f: Filters | None) -> object:
                return client.get("/api/v1/health").raise_for_status()

            return run

        out["tantivy (HTTP, facets)"] = _both(http, args.rounds, "tantivy HTTP")
        out["HTTP /api/v1/health"] = _both(health, args.rounds, "HTTP health")
    finally:
        server.terminate()
        server.wait()


# -- SQLite FTS5 and PostgreSQL -----------------------------------------------------------------


def _sqlite(rows: Path, total: int, root: Path, rounds: int, out: dict[str, Any]) -> None:
    name = "sqlite_fts5 (unicode61)"
    fts_path = root / "fts.sqlite"
    fts_path.unlink(missing_ok=True)
    fts = create_engine(f"sqlite:///{fts_path}")
    load = _load()
    spent = 0.0  # inserting only: reading the rows file is not the engine's cost
    with fts.begin() as c, Bar("sqlite fts5 build", total) as bar:
        c.execute(
            text("CREATE VIRTUAL TABLE f USING fts5(title, author, subjects, tokenize='unicode61')")
        )
        for page in _row_pages(rows):
            t = time.perf_counter()
            c.execute(
                text("INSERT INTO f(rowid, title, author, subjects) VALUES (:i, :t, :a, :s)"),
                [{"i": i, "t": ti, "a": a, "s": s} for i, ti, a, s in page],
            )
            spent += time.perf_counter() - t
            bar.advance(len(page))
        t = time.perf_counter()
    spent += time.perf_counter() - t  # the commit
    out[name] = {
        "build_rate": total / spent,
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

    out[name].update(_both(fts_client, rounds, "sqlite fts5"))


def _postgres(rows: Path, total: int, url: str, rounds: int, out: dict[str, Any]) -> None:
    name = "postgres_fts (simple, GIN)"
    try:
        pg = create_engine(url, pool_size=4)
        load = _load()
        spent = 0.0
        with pg.begin() as c:
            c.execute(text("DROP TABLE IF EXISTS bench_fts"))
            c.execute(text("CREATE TABLE bench_fts (id bigint primary key, doc tsvector)"))
            with Bar("postgres build", total) as bar:
                for page in _row_pages(rows):
                    t = time.perf_counter()
                    c.execute(
                        text("INSERT INTO bench_fts VALUES (:i, to_tsvector('simple', :d))"),
                        [{"i": i, "d": f"{ti} {a} {s}"} for i, ti, a, s in page],
                    )
                    spent += time.perf_counter() - t
                    bar.advance(len(page))
            t = time.perf_counter()
            console.print("postgres: CREATE INDEX ... USING gin")
            c.execute(text("CREATE INDEX bench_fts_gin ON bench_fts USING gin(doc)"))
        spent += time.perf_counter() - t  # the index and the commit
        with pg.connect() as c:
            c.execute(text("ANALYZE bench_fts"))
            size = c.execute(text("SELECT pg_total_relation_size('bench_fts')")).scalar_one()
        out[name] = {
            "build_rate": total / spent,
            "build_load": (load + _load()) / 2,
            "size_mb": size / 1e6,
        }

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

        out[name].update(_both(pg_client, rounds, "postgres"))
        for c in opened:  # an open read transaction would block the DROP below
            c.close()
        with pg.begin() as c:
            c.execute(text("DROP TABLE bench_fts"))
        pg.dispose()
    except Exception as exc:
        print(f"postgres skipped: {exc}")


# -- Zebra --------------------------------------------------------------------------------------


def _pqf(q: str, f: Filters | None) -> str:
    """The query in PQF: each word or phrase an operand, relevance-ranked (2=102), ANDed;
    ``title:``/``author:`` pick the index, else ``any`` (title, author and subjects, as
    the FTS5 and PostgreSQL peers index). Language and decade filters are indexes too;
    availability is not in the MARC, so it is dropped, as by the other peers."""
    operands = []
    for m in re.finditer(r'(?:(\w+):)?("[^"]*"|\S+)', q):
        field = m.group(1) if m.group(1) in ("title", "author", "subject") else "any"
        word = m.group(2)
        phrase = " @attr 4=1" if word.startswith('"') else ""
        operands.append(f"@attr 1={field} @attr 2=102{phrase} {word}")
    if f is not None:
        langs = [f"@attr 1=lang {MARC_LANG.get(lang, lang)}" for lang in f.lang]
        if langs:
            operands.append("@or " * (len(langs) - 1) + " ".join(langs))
        decades = [f"@attr 1=decade {d}" for d in f.decade]
        if decades:
            operands.append("@or " * (len(decades) - 1) + " ".join(decades))
    return "@and " * (len(operands) - 1) + " ".join(operands)


def _zebra_config(work: Path) -> Path:
    modules = sorted(glob.glob("/usr/lib/*/idzebra-2.0/modules"))
    cfg = work / "zebra.cfg"
    cfg.write_text(
        f"profilePath: {ZEBRA_CONF}:/usr/share/idzebra-2.0/tab\n"
        + (f"modulePath: {modules[0]}\n" if modules else "")
        + f"recordType: dom.{ZEBRA_CONF / 'dom.xml'}\n"
        "register: reg:20G\n"
        "lockDir: reg\nkeyTmpDir: reg\nsetTmpDir: reg\n"
        "attset: bib1.att\n"
        "memMax: 256M\n"
    )
    return cfg


def _zebra_index(marc: Path, work: Path, total: int) -> tuple[float, float]:
    """A fresh register from the MARC file; returns (seconds, size in bytes)."""
    shutil.rmtree(work / "reg", ignore_errors=True)
    (work / "reg").mkdir()
    cfg = _zebra_config(work)
    subprocess.run(["zebraidx", "-c", str(cfg), "init"], cwd=work, check=True, capture_output=True)
    started = time.perf_counter()
    with Bar("zebra index (zebraidx)", total) as bar, (work / "zebraidx.log").open("w") as log:
        proc = subprocess.Popen(
            ["zebraidx", "-c", str(cfg), "update", str(marc)],
            cwd=work,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        for line in proc.stderr:
            log.write(line)
            m = re.search(r"Records: (\d+)", line)
            if m:
                bar.update(int(m.group(1)))
        if proc.wait() != 0:
            raise RuntimeError(f"zebraidx failed, see {work / 'zebraidx.log'}")
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (work / "reg").iterdir() if p.is_file())
    return seconds, size


def _zebra_serve(work: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            "zebrasrv",
            "-c",
            str(work / "zebra.cfg"),
            "-T",  # a thread per connection, so two clients run at once
            "-l",
            str(work / "zebrasrv.log"),
            f"tcp:127.0.0.1:{port}",
        ],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", params={"operation": "explain"}, timeout=5)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("zebrasrv did not start")


def _zebra(services: Any, root: Path, args: argparse.Namespace, out: dict[str, Any]) -> None:
    name = "zebra (SRU, PQF, ICU words)"
    if shutil.which("zebraidx") is None or shutil.which("zebrasrv") is None:
        print("zebra skipped: zebraidx/zebrasrv not found (apt-get install idzebra-2.0)")
        return
    marc = _marc_file(services, root)
    work = marc.parent
    total = active_count(services.db)
    out[name] = {}
    if not (args.reuse_indexes and (work / "reg").is_dir()):
        load = _load()
        seconds, size = _zebra_index(marc, work, total)
        out[name] = {
            "build_rate": total / seconds,
            "size_mb": size / 1e6,
            "build_load": (load + _load()) / 2,
        }
    port = args.port + 1
    server = _zebra_serve(work, port)
    try:

        def sru() -> Run:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

            def run(q: str, f: Filters | None) -> object:
                response = client.get(
                    "/",
                    params={
                        "version": "1.1",
                        "operation": "searchRetrieve",
                        "x-pquery": _pqf(q, f),
                        "maximumRecords": "20",
                        "recordSchema": "zebra::meta::sysno",
                    },
                )
                response.raise_for_status()
                if "diagnostic" in response.text:
                    raise RuntimeError(f"zebra: {_pqf(q, f)}: {response.text[:500]}")
                return response.text

            return run

        out[name].update(_both(sru, args.rounds, "zebra SRU"))
    finally:
        server.terminate()
        server.wait()


# -- report -------------------------------------------------------------------------------------


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


def _print_ratios(out: dict[str, Any]) -> None:
    """Every peer against Tantivy through the service; > 1 means the peer does better."""
    base = out.get("tantivy (service, facets)")
    if base is None:
        return
    print("\nRatios against tantivy (service, facets); > 1 means the peer does better:\n")
    print("| engine | build rate | size | p50 | p99 | q/s 1 client | q/s 2 clients |")
    print("|---|---|---|---|---|---|---|")
    for engine, m in out.items():
        if m is base or "p50" not in m:
            continue
        build = size = ""
        if "build_rate" in m and "build_rate" in base:
            build = f"{m['build_rate'] / base['build_rate']:,.1f}×"
            size = f"{base['size_mb'] / m['size_mb']:,.1f}×"
        print(
            f"| {engine} | {build} | {size} | {base['p50'] / m['p50']:,.1f}× "
            f"| {base['p99'] / m['p99']:,.1f}× | {m['qps'] / base['qps']:,.1f}× "
            f"| {m['qps2'] / base['qps2']:,.1f}× |"
        )


FLOOR_RATIOS = (
    ("tantivy (service, facets)", "tantivy floor (top 20 + count)"),
    ("tantivy (service, cold caches)", "tantivy floor (top 20 + count)"),
    ("tantivy (service, cold caches)", "tantivy floor + 6 facets + 20 docs"),
    ("tantivy (HTTP, facets)", "tantivy floor (top 20 + count)"),
    ("tantivy (HTTP, facets)", "tantivy (service, facets)"),
    ("tantivy (HTTP, facets)", "HTTP /api/v1/health"),
)


def _print_floor_ratios(out: dict[str, Any]) -> None:
    """How far each Tantivy way is from its floor, same run: floor q/s ÷ its q/s (how
    many times slower) and its p99 ÷ the floor's."""
    rows = [(a, b) for a, b in FLOOR_RATIOS if a in out and b in out]
    if not rows:
        return
    print("\nTantivy against its floors, same run (× slower in q/s; × the p99):\n")
    print("| measured | floor | q/s 1 client | p99 1 client | q/s 2 clients | p99 2 clients |")
    print("|---|---|---|---|---|---|")
    for a, b in rows:
        m, f = out[a], out[b]
        print(
            f"| {a} | {b} | {f['qps'] / m['qps']:,.2f}× | {m['p99'] / f['p99']:,.2f}× "
            f"| {f['qps2'] / m['qps2']:,.2f}× | {m['p99_2'] / f['p99_2']:,.2f}× |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=64,
        help="query-set rounds (16 queries each) per client, for every engine and door "
        "(64: 1,024 measured queries per figure, the issue's minimum is 1,000)",
    )
    parser.add_argument("--dir", type=Path, default=None, help="keep/reuse the catalogue here")
    parser.add_argument("--port", type=int, default=18733, help="shelfwise; zebrasrv uses +1")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--reuse-indexes",
        action="store_true",
        help="queries only for Tantivy and Zebra: keep the indexes a previous run built in --dir",
    )
    parser.add_argument(
        "--engines", default="tantivy,sqlite,postgres,zebra", help="comma-separated subset"
    )
    args = parser.parse_args()
    engines = set(args.engines.split(","))
    root = (args.dir or Path(tempfile.mkdtemp(prefix="search-bench-"))).resolve()
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'b.sqlite'}"}, environ={}
    )
    services = composition.build(settings)
    print(f"load average at start: {_load():.2f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    _catalogue(services, root, args.records)
    total = active_count(services.db)
    out: dict[str, dict[str, Any]] = {}
    if "tantivy" in engines:
        _tantivy(services, root, args, out)
    peer_rounds = args.rounds  # every figure >= 1,000 queries (issue 15 done-when 1)
    if engines & {"sqlite", "postgres"}:
        rows = _rows_file(services, root)
        if "sqlite" in engines:
            _sqlite(rows, total, root, peer_rounds, out)
        if "postgres" in engines:
            _postgres(rows, total, args.pg, peer_rounds, out)
    if "zebra" in engines:
        _zebra(services, root, args, out)
    print(f"\nrecords: {total:,} active; load average at the end: {_load():.2f}\n")
    _print(out)
    _print_ratios(out)
    _print_floor_ratios(out)
    services.close()


if __name__ == "__main__":
    main()
