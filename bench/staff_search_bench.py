"""The staff search box: p50/p95 over many readers and records, against a floor and a peer.

    .venv/bin/python bench/staff_search_bench.py --readers 100000 --records 100000 --dir /tmp/ssb

Builds (once; a library already in ``--dir`` is reused) ``--readers`` readers with
generated names (Chinese with their pinyin, Korean, English), phones and e-mails through
the moving-in path (the keys are made as registration makes them), and ``--records``
generated records imported and indexed. Then, over ``--rounds`` rounds of a fixed query
mix (a pinyin prefix, initials, a Han name, a traditional-script name, a phone prefix,
an e-mail prefix, a card number, a title word, an ISBN, a barcode, a call-number
prefix), times in one run:

* **floor**: the hand-written least work for the readers part: the one range SELECT
  over the key index (``reader_search_keys``), ids only;
* **peer**: what a desk client without keys does: ``name LIKE '%q%' OR phone LIKE
  'q%' OR email LIKE 'q%'`` over ``readers`` (it cannot find pinyin at all);
* **staff search**: ``web.staff.finding.find`` — readers (audited, one write), copies,
  records through the search index: what the page computes;
* **HTTP**: ``GET /staff/search`` through Starlette's TestClient (in process), the page
  rendered.

Prints p50/p95/max in ms per kind and ratios to the floor. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import contextlib

from fastapi.testclient import TestClient
from sqlalchemy import or_, select

from shelfwise import app as composition
from shelfwise.access.models import Principal
from shelfwise.config.settings import Settings
from shelfwise.readers.finding import query_key
from shelfwise.readers.moving_in import MovedInReader, add_reader
from shelfwise.storage.tables import items, reader_search_keys, readers, records
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.vocabulary import (
    EN_FORENAMES,
    EN_SURNAMES,
    KO_GIVEN,
    KO_SURNAMES,
    ZH_GIVEN,
    ZH_SURNAMES,
)
from shelfwise.web.staff.finding import find

PASSWORD = "bench-password-1"


def _load() -> float:
    return os.getloadavg()[0]


def _name(r: random.Random) -> tuple[str, str]:
    """(name, e-mail local part) in one of three scripts."""
    kind = r.random()
    if kind < 0.7:
        (s, sp), (g1, g1p), (g2, g2p) = (
            r.choice(ZH_SURNAMES),
            r.choice(ZH_GIVEN),
            r.choice(ZH_GIVEN),
        )
        given, gp = (g1 + g2, g1p + g2p) if r.random() < 0.7 else (g1, g1p)
        return s + given, (sp + gp).replace(" ", "")
    if kind < 0.85:
        return r.choice(KO_SURNAMES)[0] + r.choice(KO_GIVEN)[0], f"ko{r.randrange(10**6)}"
    first, last = r.choice(EN_FORENAMES), r.choice(EN_SURNAMES)
    return f"{first} {last}", f"{first}.{last}".lower()


def _readers(services: object, count: int) -> None:
    r = random.Random(42)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    done = 0
    while done < count:
        with services.db.write() as conn:  # type: ignore[attr-defined]
            for n in range(done, min(count, done + 5000)):
                name, local = _name(r)
                add_reader(
                    conn,
                    MovedInReader(
                        card_number=f"B{n:09d}",
                        category="adult",
                        name=name,
                        email=f"{local}{n}@example.org",
                        phone=f"13{r.randrange(10**9):09d}",
                        birth_year=None,
                        home_branch_id=None,
                        id_card_hash=None,
                        id_card_last4=None,
                        pin_hash=None,
                        expires_on=date(2028, 1, 1),
                        manual_block=None,
                        created_at=now,
                    ),
                    notice_version="bench",
                    at=now,
                )
        done = min(count, done + 5000)
        print(f"  readers {done:,}", end="\r", flush=True)
    print()


def _build(services: object, root: Path, n_readers: int, n_records: int) -> None:
    s = services
    if s.catalogue.counts()["records"]:  # type: ignore[attr-defined]
        print("reusing the library in", root)
        s.search.check()  # type: ignore[attr-defined]
        return
    seed_branches(s.catalogue)  # type: ignore[attr-defined]
    path = root / "records.mrc"
    started = time.monotonic()
    write_records(path, n_records)
    s.importer().import_file(path)  # type: ignore[attr-defined]
    print(f"  imported {n_records:,} records in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    s.search.check()  # type: ignore[attr-defined]
    print(f"  indexed in {time.monotonic() - started:.0f} s")
    with s.db.read() as conn:  # type: ignore[attr-defined]
        ids = list(conn.execute(select(records.c.id).order_by(records.c.id).limit(2000)).scalars())
    for n, record_id in enumerate(ids):
        s.catalogue.add_item(  # type: ignore[attr-defined]
            record_id=record_id,
            barcode=f"BC{n:07d}",
            branch_code="CEN",
            call_number=f"I24{n % 10}.{n}/{n % 7}",
        )
    started = time.monotonic()
    _readers(s, n_readers)
    print(f"  {n_readers:,} readers in {time.monotonic() - started:.0f} s")


def _queries(services: object) -> list[str]:
    with services.db.read() as conn:  # type: ignore[attr-defined]
        sample = conn.execute(
            select(readers.c.name, readers.c.card_number, readers.c.phone, readers.c.email)
            .where(readers.c.id % 997 == 1)
            .limit(8)
        ).all()
        title = conn.execute(
            select(records.c.title).order_by(records.c.id.desc()).limit(1)
        ).scalar_one()
        barcode = conn.execute(select(items.c.barcode).limit(1).offset(100)).scalar_one()
    zh = [row for row in sample if not row.name.isascii()][:2]
    out = ["zhang", "wangx", "lw", "李", "張", "13912", sample[0].email[:6], sample[1].card_number]
    out += [row.name for row in zh]
    out += [title.split()[0][:8], "978", barcode, "I243"]
    return out


def _times(run: object, queries: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            run(q)  # type: ignore[operator]
            out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    root = (args.dir or Path(tempfile.mkdtemp(prefix="staff-search-"))).resolve()
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'b.sqlite'}"}, environ={}
    )
    services = composition.build(settings)
    print(f"load average at start: {_load():.2f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    _build(services, root, args.readers, args.records)
    with contextlib.suppress(Exception):
        services.access.create_staff("bench", "Bench", PASSWORD, "admin")
    who = services.access.staff_account("bench")
    principal = Principal("staff", who.id, who.name, who.role, ())
    queries = _queries(services)
    print("queries:", queries)

    def floor(q: str) -> object:
        key = query_key(q)
        with services.db.read() as conn:
            return conn.execute(
                select(reader_search_keys.c.reader_id)
                .where(
                    reader_search_keys.c.key >= key, reader_search_keys.c.key < key + "\U0010ffff"
                )
                .distinct()
                .limit(10)
            ).all()

    def peer(q: str) -> object:
        with services.db.read() as conn:
            return conn.execute(
                select(readers.c.id)
                .where(
                    or_(
                        readers.c.name.like(f"%{q}%"),
                        readers.c.phone.like(f"{q}%"),
                        readers.c.email.like(f"{q}%"),
                    )
                )
                .limit(10)
            ).all()

    def ours(q: str) -> object:
        return find(services, principal, q)

    app = composition.asgi_app(services)
    with TestClient(app) as client:
        page = client.get("/staff/login")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        client.post("/staff/login", data={"username": "bench", "password": PASSWORD, "csrf": csrf})

        def http(q: str) -> object:
            response = client.get("/staff/search", params={"q": q})
            assert response.status_code == 200, response.status_code
            return response

        for q in queries:  # warm caches (jieba, pinyin, the index) once
            ours(q)
        figures = {}
        for label, run in (
            ("floor", floor),
            ("peer", peer),
            ("staff search", ours),
            ("HTTP", http),
        ):
            times = sorted(_times(run, queries, args.rounds))
            figures[label] = (
                statistics.median(times),
                times[int(len(times) * 0.95) - 1],
                times[-1],
                _load(),
            )
    with services.db.read() as conn:
        n_readers = conn.execute(
            select(readers.c.id).order_by(readers.c.id.desc()).limit(1)
        ).scalar()
    print(
        f"\nreaders: {n_readers:,}; records: {services.catalogue.counts()['records']:,}; "
        f"{len(queries)} queries × {args.rounds} rounds each"
    )
    print(f"{'':14} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'load':>6} {'p95/floor':>10}")
    base = figures["floor"][1]
    for label, (p50, p95, top, load) in figures.items():
        print(f"{label:14} {p50:8.2f} {p95:8.2f} {top:8.2f} {load:6.2f} {p95 / base:9.1f}×")
    print(f"load average at the end: {_load():.2f}")
    services.close()


if __name__ == "__main__":
    main()
