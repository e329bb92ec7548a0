"""Statements and transactions per checkout and per check-in: a budget that can only shrink.

Each statement costs ~0.14 ms of SQLAlchemy work before SQLite does anything (issue 15),
so the count is the speed. Counted with SQLAlchemy's ``before_cursor_execute`` on the
engine (every statement the driver runs, our own ``BEGIN IMMEDIATE`` included) and
``begin`` (transactions); PostgreSQL's ``pool_pre_ping`` runs beside these events, so
its pings (``dialect.do_ping``, run on the DBAPI connection) are counted as statements too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from circ_helpers import LendingLibrary
from sqlalchemy import event

from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.storage.database import Database

# Statements of one warm operation (rules, branches and calendars already seen once by
# this process), transactions around them: one each.
# Before issue 15: checkout 15, check-in 16 (PostgreSQL +1 pool pre-ping each); then 9 + 9.
# Now the copy and all it decides on are one read (circulation/repo_desk.py); PostgreSQL
# locks the copy in a statement of its own before it (see repo_desk's docstring).
CHECKOUT_BUDGET = {"sqlite": 4, "postgresql": 5}
CHECKIN_BUDGET = {"sqlite": 4, "postgresql": 5}
ROUND_TRIP_TARGET = 10  # issue 15 item 1: at most 10 statements per checkout + check-in
TRANSACTIONS_PER_OPERATION = 1


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    @property
    def count(self) -> int:
        # BEGIN is the transaction, counted there; what is left is the work.
        return sum(1 for s in self.statements if not s.lstrip().upper().startswith("BEGIN"))


@contextmanager
def tally(db: Database) -> Iterator[Tally]:
    seen = Tally()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.statements.append(statement)

    def on_begin(conn: Any) -> None:
        seen.transactions += 1

    dialect = db.engine.dialect
    ping = dialect.do_ping

    def counted_ping(dbapi_conn: Any) -> bool:
        seen.statements.append("-- pool pre-ping")
        return ping(dbapi_conn)

    dialect.do_ping = counted_ping  # type: ignore[method-assign,assignment]
    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "begin", on_begin)
    try:
        yield seen
    finally:
        del dialect.do_ping
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "begin", on_begin)


def _round_trip(library: LendingLibrary, barcode: str, card: str) -> tuple[Tally, Tally]:
    circ, db = library.services.circulation, library.services.db
    with tally(db) as out:
        circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    with tally(db) as back:
        circ.checkin(barcode, "CEN", actor=SYSTEM)
    return out, back


def test_checkout_and_checkin_stay_within_their_statement_budget(
    library: LendingLibrary,
) -> None:
    _, barcodes = library.title(copies=2)
    card = library.reader().card_number
    _round_trip(library, barcodes[0], card)  # warm: the process has seen rules and calendars
    out, back = _round_trip(library, barcodes[1], card)
    listing = f"checkout {out.count}, check-in {back.count}:\n" + "\n".join(
        [*out.statements, "-- check-in --", *back.statements]
    )
    engine = library.services.db.dialect
    assert out.count <= CHECKOUT_BUDGET[engine], listing
    assert back.count <= CHECKIN_BUDGET[engine], listing
    assert out.count + back.count <= ROUND_TRIP_TARGET, listing
    assert out.transactions == TRANSACTIONS_PER_OPERATION, listing
    assert back.transactions == TRANSACTIONS_PER_OPERATION, listing


def _other_process(services: Services, tmp_path: Path, clock: FrozenClock) -> Services:
    """Another Services on the same database: another process's caches, as far as the
    rules are concerned (nothing is shared but the database)."""
    from shelfwise import app as composition

    settings = Settings.load(
        {
            "data_dir": tmp_path / "other",
            "database_url": services.db.url,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
        },
        environ={},
    )
    return composition.build(settings, clock=clock)


def test_a_rule_edited_here_or_in_another_process_holds_for_the_next_checkout(
    library: LendingLibrary, tmp_path: Path, clock: FrozenClock
) -> None:
    services = library.services
    circ = services.circulation
    _, barcodes = library.title(copies=3)
    card = library.reader().card_number
    first = circ.checkout(card, barcodes[0], "CEN", actor=SYSTEM)  # rules now cached
    assert first.due_on == clock.today() + timedelta(days=30)
    services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"loan_days": 7}, actor=SYSTEM
    )
    assert circ.checkout(card, barcodes[1], "CEN", actor=SYSTEM).due_on == (
        clock.today() + timedelta(days=7)
    )
    other = _other_process(services, tmp_path, clock)
    try:
        other.loan_rules.set_rule(
            reader_category=None,
            item_type=None,
            branch=None,
            values={"loan_days": 3},
            actor=SYSTEM,
        )
    finally:
        other.close()
    assert circ.checkout(card, barcodes[2], "CEN", actor=SYSTEM).due_on == (
        clock.today() + timedelta(days=3)
    )


def test_a_calendar_edited_in_another_process_holds_for_the_next_checkout(
    library: LendingLibrary, tmp_path: Path, clock: FrozenClock
) -> None:
    services = library.services
    circ = services.circulation
    _, barcodes = library.title(copies=2)
    card = library.reader().card_number
    natural_due = clock.today() + timedelta(days=30)
    assert circ.checkout(card, barcodes[0], "CEN", actor=SYSTEM).due_on == natural_due
    other = _other_process(services, tmp_path, clock)
    try:
        other.calendars.set_calendar(
            "CEN", closed_weekdays=[], closed_days=[natural_due], actor=SYSTEM
        )
    finally:
        other.close()
    later = circ.checkout(card, barcodes[1], "CEN", actor=SYSTEM).due_on
    assert later == natural_due + timedelta(days=1)


def test_check_in_reports_the_availability_a_fresh_read_finds(library: LendingLibrary) -> None:
    """Check-in tells availability from what it did (no second read): it must be what
    ``item_status`` reads afterwards, on every route — back on the shelf, sent home,
    trapped for a pickup here, trapped for a pickup elsewhere."""
    circ = library.services.circulation
    record_id, barcodes = library.title(copies=4)
    borrower, waiting_here, waiting_there = (library.reader(n) for n in ("A", "B", "C"))
    card = borrower.card_number
    for barcode in barcodes:
        circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    seen = [circ.checkin(barcodes[0], "CEN", actor=SYSTEM).availability]  # on the shelf
    seen.append(circ.checkin(barcodes[1], "BR1", actor=SYSTEM).availability)  # sent home
    circ.place_hold(waiting_here.card_number, record_id, "CEN", actor=SYSTEM)
    seen.append(circ.checkin(barcodes[2], "CEN", actor=SYSTEM).availability)  # hold shelf
    circ.place_hold(waiting_there.card_number, record_id, "BR1", actor=SYSTEM)
    seen.append(circ.checkin(barcodes[3], "CEN", actor=SYSTEM).availability)  # to BR1
    read = [str(circ.item_status(b).availability) for b in barcodes]
    assert seen == read
    assert seen == ["on_shelf", "in_transit", "hold_shelf", "in_transit"]
