"""Checkout → search: how soon search tells the truth, and what telling it costs checkout.

    .venv/bin/python bench/availability_bench.py --checkouts 50 --seconds 4 --rounds 3

On SQLite and PostgreSQL, over a catalogue of ``--records`` generated records (the
demo branch network, their holdings) plus ``--checkouts`` titles of one copy each:

* **latency**: with the search follower running as ``serve`` runs it
  (``SearchService.start()``, every 0.5 s), each title's copy is checked out and then
  checked in; from the commit, the bench waits (``SearchService.wait_for``, no
  polling) until the follower has applied the outbox past that transaction's event,
  then runs a real search with ``available_at`` = the copy's branch and checks the
  record left (checkout) or came back (check-in). Median, p95 and max over the changes.
* **throughput**: one client's checkout+check-in round trips for ``--seconds`` each,
  ``--rounds`` times interleaved (the median is printed, the range beside it), in one
  run: the floor (two bare write transactions, an INSERT and an UPDATE and two
  UPDATEs, on scratch tables through the same connection path), circulation with the
  shelf event switched off (the code before issue 12 item 1, patched in here), with it
  and the follower stopped, and with it and the follower running. Ratios are printed
  against the floor and against "event off".

Figures and the command are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "circulation"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, update

from circulation_storms import fresh_shelf
from shelfwise.catalogue.models import Lifecycle
from shelfwise.circulation.scope import SYSTEM
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.search import source
from shelfwise.search.models import Filters, SearchRequest
from shelfwise.services import Services
from shelfwise.testing.branches import DEMO_BRANCHES
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

APPLY_TIMEOUT = 30.0  # seconds; a change not applied by then is reported as a failure
_floor = MetaData()
floor_items = Table(
    "bench_floor_items", _floor, Column("id", Integer, primary_key=True), Column("version", Integer)
)
floor_loans = Table(
    "bench_floor_loans",
    _floor,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)


def _word(n: int) -> str:
    """A word no generated record holds (letters only: numbers analyse differently)."""
    letters = ""
    for _ in range(4):
        n, k = divmod(n, 26)
        letters += chr(ord("a") + k)
    return f"shelfcheck{letters}"


def catalogue(services: Services, tmp: Path, records: int, titles: int) -> list[str]:
    """The generated catalogue plus ``titles`` one-copy titles at the first branch; their
    barcodes, in order (title i is found by ``_word(i)``), the index built and caught up."""
    seed_branches(services.catalogue)
    if records:
        filler = tmp / "filler.mrc"
        write_records(filler, records)
        services.importer().import_file(filler)
    own = tmp / "titles.mrc"
    own.write_bytes(
        b"".join(
            encode(
                Record(
                    "00000nam a2200000 a 4500",
                    [
                        Field("001", data=f"avail-bench-{i}"),
                        Field("245", "10", [("a", f"Availability {_word(i)}")]),
                    ],
                )
            )
            for i in range(titles)
        )
    )
    services.importer().import_file(own)
    services.search.rebuild()
    barcodes = []
    for i in range(titles):
        found = services.search.search(SearchRequest(q=_word(i), group=False, facets=False))
        barcode = f"AVB{i:06d}"
        services.catalogue.add_item(
            record_id=found.works[0].records[0].record_id,
            barcode=barcode,
            branch_code=DEMO_BRANCHES[0].code,
            lifecycle=Lifecycle.IN_SERVICE,
        )
        barcodes.append(barcode)
    services.search.sync(settle_gaps=True)
    return barcodes


def _on_shelf_at(services: Services, word: str, branch: str) -> bool:
    request = SearchRequest(
        q=word, filters=Filters(available_at=(branch,)), group=False, facets=False
    )
    return services.search.search(request).total_records > 0


def latency(services: Services, card: str, barcodes: list[str]) -> list[float]:
    """Seconds from each checkout's and check-in's commit until search shows it."""
    circ, branch = services.circulation, DEMO_BRANCHES[0].code
    seen: list[float] = []
    for i, barcode in enumerate(barcodes):
        word = _word(i)
        assert _on_shelf_at(services, word, branch), f"{word} not on the shelf before the checkout"
        for on_shelf in (False, True):
            if on_shelf:
                circ.checkin(barcode, branch, actor=SYSTEM)
            else:
                circ.checkout(card, barcode, branch, actor=SYSTEM)
            committed = time.perf_counter()
            head = source.feed_head(services.db)
            if not services.search.wait_for(head, APPLY_TIMEOUT):
                raise SystemExit(f"the follower did not apply event {head} in {APPLY_TIMEOUT} s")
            assert _on_shelf_at(services, word, branch) is on_shelf, (word, on_shelf)
            seen.append(time.perf_counter() - committed)
    return seen


def _round_trips(seconds: float, one: Callable[[], None]) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        one()
        done += 1
    return done / (time.perf_counter() - start)


def floor_tables(services: Services) -> None:
    _floor.create_all(services.db.engine)
    with services.db.write() as conn:
        conn.execute(insert(floor_items).values(id=1, version=0))


def floor_rate(services: Services, seconds: float) -> float:
    """Two bare write transactions per round trip, as checkout and check-in are."""

    def one() -> None:
        with services.db.write() as conn:
            loan = conn.execute(
                insert(floor_loans).values(item_id=1, status="on_loan").returning(floor_loans.c.id)
            ).scalar_one()
            conn.execute(update(floor_items).values(version=floor_items.c.version + 1))
        with services.db.write() as conn:
            conn.execute(update(floor_loans).where(floor_loans.c.id == loan).values(status="back"))
            conn.execute(update(floor_items).values(version=floor_items.c.version + 1))

    return _round_trips(seconds, one)


def shelf_event_off() -> Any:
    """Circulation as it was before it told search anything (the event not written)."""
    return mock.patch("shelfwise.circulation.service.shelf_changed", return_value=None)


def circulation_rate(services: Services, card: str, barcode: str, s: float) -> float:
    circ, branch = services.circulation, DEMO_BRANCHES[0].code

    def one() -> None:
        circ.checkout(card, barcode, branch, actor=SYSTEM)
        circ.checkin(barcode, branch, actor=SYSTEM)

    return _round_trips(s, one)


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def run(backend: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp, fresh_shelf(backend, Path(tmp)) as services:
        barcodes = catalogue(services, Path(tmp), args.records, args.checkouts + 1)
        card = services.readers.register(name="bench", category="adult").reader.card_number
        spare = barcodes.pop()  # the throughput loop's copy
        services.search.start(interval=0.5)  # as serve runs it
        started = _load()
        seen = sorted(latency(services, card, barcodes))
        p95 = statistics.quantiles(seen, n=20)[18] if len(seen) >= 20 else seen[-1]
        print(
            f"| {backend} | latency | {len(seen)} changes | median {1000 * statistics.median(seen):.0f} ms"
            f" | p95 {1000 * p95:.0f} ms | max {1000 * seen[-1]:.0f} ms | {started} |",
            flush=True,
        )
        services.search.stop()
        throughput(services, backend, card, spare, args)


FLOOR, OFF = "floor (2 bare write transactions)", "circulation, shelf event off"


def throughput(
    services: Services, backend: str, card: str, spare: str, args: argparse.Namespace
) -> None:
    """Each configuration ``--rounds`` times, interleaved (a shared box's load drifts);
    the median of each, and the ratios of the medians."""
    floor_tables(services)
    runs: list[tuple[str, Callable[[], float]]] = [
        (FLOOR, lambda: floor_rate(services, args.seconds)),
        (OFF, lambda: _without_event(services, card, spare, args)),
        ("circulation + event, follower stopped", lambda: _rate(services, card, spare, args)),
        ("circulation + event, follower running", lambda: _following(services, card, spare, args)),
    ]
    rates: dict[str, list[float]] = {name: [] for name, _ in runs}
    loads: dict[str, list[str]] = {name: [] for name, _ in runs}
    for _ in range(args.rounds):
        for name, run_one in runs:
            loads[name].append(_load())
            rates[name].append(run_one())
    median = {name: statistics.median(found) for name, found in rates.items()}
    for name, rate in median.items():
        spread = "–".join(f"{r:.0f}" for r in (min(rates[name]), max(rates[name])))
        print(
            f"| {backend} | {name} | {rate:.0f} round trips/s ({spread}) | "
            f"{rate / median[FLOOR]:.2f} × floor | {rate / median[OFF]:.2f} × event off | "
            f"| {'/'.join(loads[name])} |",
            flush=True,
        )


def _without_event(services: Services, card: str, barcode: str, a: argparse.Namespace) -> float:
    with shelf_event_off():
        return circulation_rate(services, card, barcode, a.seconds)


def _rate(services: Services, card: str, barcode: str, a: argparse.Namespace) -> float:
    return circulation_rate(services, card, barcode, a.seconds)


def _following(services: Services, card: str, barcode: str, a: argparse.Namespace) -> float:
    services.search.start(interval=0.5)
    try:
        return circulation_rate(services, card, barcode, a.seconds)
    finally:
        services.search.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkouts", type=int, default=50, help="titles checked out and in")
    parser.add_argument("--seconds", type=float, default=4.0, help="per throughput figure")
    parser.add_argument("--rounds", type=int, default=3, help="throughput runs per figure")
    parser.add_argument("--records", type=int, default=2000, help="generated catalogue size")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"load average before: {_load()}; {os.cpu_count()} CPUs")
    print("| backend | what | n / rate | figure | figure | figure | load avg |")
    print("|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        run(backend, args)
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
