"""The one read of a checkout and of a check-in, each statement built once per process
(private to circulation; service.py holds the rules).

A desk operation used to ask the branch, the settings version, the copy, its loan,
trapped hold and transit, the reader's counts and fees, the reader's own waiting hold,
the copy's open fee and waiting holds and its stale request keys in eight statements,
each built anew (~0.14 ms of SQLAlchemy per statement before the database did anything:
issue 15). Here they are one statement per operation, built at import: SQLAlchemy keeps
a built statement's cache key, so a call costs the execution and the row, nothing else.

Locks: SQLite's writers are serialised (``BEGIN IMMEDIATE``, one writer per process:
storage/group_commit.py). PostgreSQL locks the copy with :data:`_LOCK_ITEM` in a
statement of its own *before* the read: under READ COMMITTED a ``FOR UPDATE`` that waited
re-reads the locked row but not the rows joined to it, so a read that locked and joined
at once could miss the loan the transaction it waited for had just written.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    true,
)

from shelfwise.circulation.states import TRAPPED_HOLDS, HoldStatus, LoanStatus
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.settings_version import current
from shelfwise.storage.tables import (
    branches,
    fees,
    holds,
    idempotency_keys,
    items,
    loans,
    records,
    transits,
)


def _shape(table: Table) -> Any:
    return namedtuple(f"{table.name}_row", [c.name for c in table.c])


_ItemRow, _LoanRow, _HoldRow, _TransitRow = (_shape(t) for t in (items, loans, holds, transits))
_PARTS = ((items, _ItemRow), (loans, _LoanRow), (holds, _HoldRow), (transits, _TransitRow))
_WIDTHS = [len(t.c) for t, _ in _PARTS]

_COPY = items.outerjoin(loans, and_(loans.c.item_id == items.c.id, loans.c.returned_at.is_(None)))
_COPY = _COPY.outerjoin(
    holds,
    and_(
        holds.c.trapped_item_id == items.c.id,
        holds.c.status.in_([str(s) for s in TRAPPED_HOLDS]),
    ),
)
_COPY = _COPY.outerjoin(
    transits, and_(transits.c.item_id == items.c.id, transits.c.received_at.is_(None))
)
_BRANCH = select(branches.c.id).where(branches.c.code == bindparam("branch")).scalar_subquery()
# Request keys of the copy's other operations: released (deleted) only when there are any.
_STALE_KEYS = exists().where(
    idempotency_keys.c.item == items.c.barcode, idempotency_keys.c.operation != bindparam("keep")
)
# The title a kiosk's reply shows (read here, so its reply needs no read of its own).
_TITLE = select(records.c.title).where(records.c.id == items.c.record_id).scalar_subquery()
_COMMON = (
    *items.c,
    *loans.c,
    *holds.c,
    *transits.c,
    _TITLE.label("x_title"),
    _BRANCH.label("x_branch_id"),
    current().label("x_version"),
    _STALE_KEYS.label("x_stale_keys"),
)

# The reader's standing figures (standing.assess): open, overdue and lost loans, fees owed.
_READER: Any = bindparam("reader")
_lost = loans.c.status == str(LoanStatus.LOST)
_overdue = (loans.c.status == str(LoanStatus.ON_LOAN)) & (loans.c.due_on < bindparam("today"))
_FIGURES = (
    select(
        func.count().label("open"),
        func.coalesce(func.sum(case((_overdue, 1), else_=0)), 0).label("overdue"),
        func.coalesce(func.sum(case((_lost, 1), else_=0)), 0).label("lost"),
    )
    .where(loans.c.reader_id == _READER, loans.c.returned_at.is_(None))
    .subquery("figures")
)
_OWED = (
    select(
        func.coalesce(func.sum(fees.c.amount_cents - fees.c.paid_cents - fees.c.waived_cents), 0)
    )
    .where(fees.c.reader_id == _READER, fees.c.status == "open")
    .scalar_subquery()
)
_own = holds.alias("own")
_OWN_HOLD = (
    select(func.min(_own.c.id))
    .where(
        _own.c.reader_id == _READER,
        _own.c.record_id == items.c.record_id,
        _own.c.status == str(HoldStatus.WAITING),
    )
    .scalar_subquery()
)
_CHECKOUT = (
    select(
        *_COMMON,
        _FIGURES.c.open,
        _FIGURES.c.overdue,
        _FIGURES.c.lost,
        _OWED.label("x_owed"),
        _OWN_HOLD.label("x_own_hold"),
    )
    .select_from(_COPY.join(_FIGURES, true()))
    .where(items.c.barcode == bindparam("barcode"))
)

_fee = fees.alias("fee")
_OPEN_FEE = exists().where(_fee.c.loan_id == loans.c.id, _fee.c.status == "open")
_queued = holds.alias("queued")
_WAITING = exists().where(
    _queued.c.record_id == items.c.record_id,
    _queued.c.status == str(HoldStatus.WAITING),
    or_(_queued.c.item_id.is_(None), _queued.c.item_id == items.c.id),
)
_CHECKIN = (
    select(*_COMMON, _OPEN_FEE.label("x_open_fee"), _WAITING.label("x_waiting"))
    .select_from(_COPY)
    .where(items.c.barcode == bindparam("barcode"))
)
_LOCK_ITEM = select(items.c.id).where(items.c.barcode == bindparam("barcode")).with_for_update()
_BRANCH_ONLY = select(_BRANCH)


@dataclass(frozen=True, slots=True)
class DeskRead:
    """What a checkout or check-in knows after its read: the copy (a row of ``items``),
    its open loan, trapped hold and open transit (None when there is none), its title, the branch
    acted at, the lending settings' version and whether the copy has request keys of
    other operations to release."""

    item: Any
    loan: Any
    trapped: Any
    transit: Any
    title: str
    branch_id: int
    version: int
    stale_keys: bool


@dataclass(frozen=True, slots=True)
class CheckoutRead(DeskRead):
    figures: tuple[int, int, int, int]  # the reader's open, overdue, lost loans; fees owed
    own_hold: int | None  # the reader's oldest waiting hold on the title


@dataclass(frozen=True, slots=True)
class CheckinRead(DeskRead):
    open_fee: bool  # the open loan has an open fee
    waiting: bool  # a waiting hold this copy can fill


def _split(row: Row[Any]) -> tuple[list[Any], int]:
    parts: list[Any] = []
    at = 0
    for (_table, shape), width in zip(_PARTS, _WIDTHS, strict=True):
        values = row[at : at + width]
        at += width
        # The item always; the others when their row joined (its id is not NULL).
        parts.append(shape._make(values) if values[0] is not None else None)
    return parts, at


def _read(conn: Connection, query: Any, params: dict[str, Any]) -> Row[Any]:
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_ITEM, {"barcode": params["barcode"]})
    row = conn.execute(query, params).first()
    if row is None:
        _require_branch(conn, params["branch"])  # an unknown branch is said first
        raise ShelfwiseError("catalogue.item_not_found", barcode=params["barcode"])
    if row.x_branch_id is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=params["branch"])
    return row


def _require_branch(conn: Connection, code: str) -> None:
    if conn.execute(_BRANCH_ONLY, {"branch": code}).scalar() is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)


def require_branch(conn: Connection, code: str) -> None:
    """Refuse an unknown branch (a refusal's path: which of two unknowns is said first)."""
    _require_branch(conn, code)


def checkout_read(
    conn: Connection, barcode: str, branch: str, reader_id: int, today: date
) -> CheckoutRead:
    """The copy (locked) and everything a checkout decides on, for ``reader_id``."""
    params = {"barcode": barcode, "branch": branch, "keep": "checkout"}
    row = _read(conn, _CHECKOUT, {**params, "reader": reader_id, "today": today})
    (item, loan, trapped, transit), at = _split(row)
    return CheckoutRead(
        item,
        loan,
        trapped,
        transit,
        row[at] or "",
        int(row[at + 1]),
        int(row[at + 2]),
        bool(row[at + 3]),
        (int(row[at + 4]), int(row[at + 5]), int(row[at + 6]), int(row[at + 7])),
        None if row[at + 8] is None else int(row[at + 8]),
    )


def checkin_read(conn: Connection, barcode: str, branch: str) -> CheckinRead:
    """The copy (locked) and everything a check-in decides on."""
    row = _read(conn, _CHECKIN, {"barcode": barcode, "branch": branch, "keep": "checkin"})
    (item, loan, trapped, transit), at = _split(row)
    return CheckinRead(
        item,
        loan,
        trapped,
        transit,
        row[at] or "",
        int(row[at + 1]),
        int(row[at + 2]),
        bool(row[at + 3]),
        bool(row[at + 4]),
        bool(row[at + 5]),
    )
