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
from typing import Any

from circ_helpers import LendingLibrary
from sqlalchemy import event

from shelfwise.circulation.scope import SYSTEM
from shelfwise.storage.database import Database

# Statements of one warm operation (rules, branches and calendars already seen once by
# this process), transactions around them: one each.
# PostgreSQL pays one pool pre-ping per transaction on top.
CHECKOUT_BUDGET = {"sqlite": 15, "postgresql": 16}
CHECKIN_BUDGET = {"sqlite": 16, "postgresql": 17}
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
    assert out.transactions == TRANSACTIONS_PER_OPERATION, listing
    assert back.transactions == TRANSACTIONS_PER_OPERATION, listing
