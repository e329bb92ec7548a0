"""SQL of circulation (private to the domain)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.circulation.models import Fee, Hold, HoldSlip, Loan
from shelfwise.circulation.rules import RULE_FIELDS, Calendar, Hours, LoanRule, ordered_spans
from shelfwise.circulation.states import TRAPPED_HOLDS, HoldStatus, LoanStatus
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.reading import reader_labels
from shelfwise.storage.tables import (
    branch_closures,
    branch_hours,
    branches,
    fees,
    holds,
    items,
    late_returns,
    loan_rules,
    loans,
    records,
    transits,
)

_LOAN_COLUMNS = (*loans.c, items.c.barcode, items.c.record_id)


def for_update(conn: Connection, query: Any) -> Any:
    return query.with_for_update() if conn.dialect.name == "postgresql" else query


def branch_id(conn: Connection, code: str) -> int:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    if found is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    return int(found)


def branch_codes(conn: Connection, ids: set[int]) -> list[str]:
    """The codes of these branch ids, in code order."""
    if not ids:
        return []
    return list(
        conn.execute(
            select(branches.c.code).where(branches.c.id.in_(ids)).order_by(branches.c.code)
        )
        .scalars()
        .all()
    )


def item_row(conn: Connection, barcode: str, *, lock: bool = False) -> Row[Any]:
    query = select(items).where(items.c.barcode == barcode)
    row = conn.execute(for_update(conn, query) if lock else query).first()
    if row is None:
        raise ShelfwiseError("catalogue.item_not_found", barcode=barcode)
    return row


def rules_for(conn: Connection, category: str, item_type: str, branch: int) -> list[LoanRule]:
    rows = conn.execute(
        select(loan_rules).where(
            (loan_rules.c.reader_category.is_(None)) | (loan_rules.c.reader_category == category),
            (loan_rules.c.item_type.is_(None)) | (loan_rules.c.item_type == item_type),
            (loan_rules.c.branch_id.is_(None)) | (loan_rules.c.branch_id == branch),
        )
    ).all()
    return [rule_from(r) for r in rows]


def all_rules(conn: Connection) -> list[LoanRule]:
    return [rule_from(r) for r in conn.execute(select(loan_rules).order_by(loan_rules.c.id))]


def rule_from(row: Row[Any]) -> LoanRule:
    return LoanRule(
        id=row.id,
        reader_category=row.reader_category,
        item_type=row.item_type,
        branch_id=row.branch_id,
        **{f: getattr(row, f) for f in RULE_FIELDS},
    )


def calendar(conn: Connection, branch: int) -> Calendar:
    """Closures and opening hours of a branch, in one statement (checkout reads it)."""
    closures = select(
        branch_closures.c.weekday,
        branch_closures.c.day,
        literal(-1).label("opens"),
        literal(-1).label("closes"),
    ).where(branch_closures.c.branch_id == branch)
    hours = select(
        branch_hours.c.weekday,
        branch_hours.c.day,
        branch_hours.c.opens_minute,
        branch_hours.c.closes_minute,
    ).where(branch_hours.c.branch_id == branch)
    weekly: dict[int, list[Hours]] = {}
    special: dict[date, list[Hours]] = {}
    closed_weekdays, closed_days = set(), set()
    for weekday, day, opens, closes in conn.execute(union_all(closures, hours)):
        if opens < 0:
            if weekday is not None:
                closed_weekdays.add(int(weekday))
            else:
                closed_days.add(_as_date(day))
        elif weekday is not None:
            weekly.setdefault(int(weekday), []).append(Hours(int(opens), int(closes)))
        else:
            special.setdefault(_as_date(day), []).append(Hours(int(opens), int(closes)))
    return Calendar(
        frozenset(closed_weekdays),
        frozenset(closed_days),
        {k: ordered_spans(v) for k, v in weekly.items()},
        {k: ordered_spans(v) for k, v in special.items()},
    )


def _as_date(value: Any) -> date:
    # A UNION's column loses its Date type on SQLite: the ISO text comes back.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def open_loan(conn: Connection, item_id: int) -> Row[Any] | None:
    return conn.execute(
        select(loans).where(loans.c.item_id == item_id, loans.c.returned_at.is_(None))
    ).first()


def open_loan_count(conn: Connection, reader_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(loans)
            .where(loans.c.reader_id == reader_id, loans.c.returned_at.is_(None))
        ).scalar_one()
    )


def open_fees_cents(conn: Connection, reader_id: int) -> int:
    return int(
        conn.execute(
            select(
                func.coalesce(
                    func.sum(fees.c.amount_cents - fees.c.paid_cents - fees.c.waived_cents), 0
                )
            ).where(fees.c.reader_id == reader_id, fees.c.status == "open")
        ).scalar_one()
    )


def load_loan(conn: Connection, loan_id: int) -> Loan:
    row = conn.execute(
        select(*_LOAN_COLUMNS)
        .select_from(loans.join(items, items.c.id == loans.c.item_id))
        .where(loans.c.id == loan_id)
    ).first()
    if row is None:
        raise ShelfwiseError("circ.loan_not_found", loan=loan_id)
    return _loan(row)


def loans_of(conn: Connection, reader_id: int, *, open_only: bool) -> list[Loan]:
    query = (
        select(*_LOAN_COLUMNS)
        .select_from(loans.join(items, items.c.id == loans.c.item_id))
        .where(loans.c.reader_id == reader_id)
        .order_by(loans.c.id)
    )
    if open_only:
        query = query.where(loans.c.returned_at.is_(None))
    return [_loan(r) for r in conn.execute(query)]


def open_loan_rows(conn: Connection, reader_id: int) -> list[Row[Any]]:
    """A reader's open loans as rows, with each copy's barcode and record, oldest first."""
    return list(
        conn.execute(
            select(*_LOAN_COLUMNS)
            .select_from(loans.join(items, items.c.id == loans.c.item_id))
            .where(loans.c.reader_id == reader_id, loans.c.returned_at.is_(None))
            .order_by(loans.c.id)
        ).all()
    )


def titles_of_loans(conn: Connection, loan_ids: Iterable[int]) -> dict[int, str]:
    ids = list(loan_ids)
    if not ids:
        return {}
    rows = conn.execute(
        select(loans.c.id, records.c.title)
        .select_from(
            loans.join(items, items.c.id == loans.c.item_id).join(
                records, records.c.id == items.c.record_id
            )
        )
        .where(loans.c.id.in_(ids))
    )
    return {int(r.id): r.title or "" for r in rows}


def record_title(conn: Connection, record_id: int) -> str:
    return str(
        conn.execute(select(records.c.title).where(records.c.id == record_id)).scalar() or ""
    )


def loan_from(row: Row[Any]) -> Loan:
    return _loan(row)


def _loan(row: Row[Any]) -> Loan:
    return Loan(
        id=row.id,
        item_id=row.item_id,
        barcode=row.barcode,
        record_id=row.record_id,
        reader_id=row.reader_id,
        status=LoanStatus(row.status),
        branch_id=row.branch_id,
        loaned_at=row.loaned_at,
        due_on=row.due_on,
        renewals=row.renewals,
        returned_at=row.returned_at,
        rule_id=row.rule_id,
    )


def load_hold(conn: Connection, hold_id: int, *, lock: bool = False) -> Hold:
    query = select(holds).where(holds.c.id == hold_id)
    row = conn.execute(for_update(conn, query) if lock else query).first()
    if row is None:
        raise ShelfwiseError("circ.hold_not_found", hold=hold_id)
    return _hold(conn, row)


def holds_of(conn: Connection, reader_id: int) -> list[Hold]:
    rows = conn.execute(select(holds).where(holds.c.reader_id == reader_id).order_by(holds.c.id))
    return [_hold(conn, r) for r in rows]


def _hold(conn: Connection, row: Row[Any]) -> Hold:
    position = None
    if row.status == HoldStatus.WAITING:
        position = int(
            conn.execute(
                select(func.count())
                .select_from(holds)
                .where(
                    holds.c.record_id == row.record_id,
                    holds.c.status == HoldStatus.WAITING,
                    holds.c.id <= row.id,
                )
            ).scalar_one()
        )
    return Hold(
        id=row.id,
        reader_id=row.reader_id,
        record_id=row.record_id,
        item_id=row.item_id,
        trapped_item_id=row.trapped_item_id,
        pickup_branch_id=row.pickup_branch_id,
        status=HoldStatus(row.status),
        placed_at=row.placed_at,
        shelf_expires_on=row.shelf_expires_on,
        queue_position=position,
        shelf_slot=row.shelf_slot,
        pickup_code=row.pickup_code,
    )


def trapped_hold(conn: Connection, item_id: int) -> Row[Any] | None:
    return conn.execute(
        select(holds).where(
            holds.c.trapped_item_id == item_id, holds.c.status.in_([str(s) for s in TRAPPED_HOLDS])
        )
    ).first()


def waiting_holds_for(conn: Connection, record_id: int, item_id: int) -> list[Row[Any]]:
    """Waiting holds this copy can fill, in queue order (title-level or for this copy)."""
    return list(
        conn.execute(
            select(holds)
            .where(
                holds.c.record_id == record_id,
                holds.c.status == HoldStatus.WAITING,
                (holds.c.item_id.is_(None)) | (holds.c.item_id == item_id),
            )
            .order_by(holds.c.id)
        ).all()
    )


def hold_slips(
    conn: Connection, *, hold_id: int | None = None, pickup_branch_id: int | None = None
) -> list[HoldSlip]:
    """Trapped holds with their copy and reader (one hold, or a pickup branch's), oldest first."""
    holders = reader_labels()  # one query still: readers publish what a slip may show
    query = (
        select(
            holds,
            items.c.barcode,
            items.c.call_number,
            holders.c.card_number,
            holders.c.reader_name,
        )
        .outerjoin(items, items.c.id == holds.c.trapped_item_id)
        .outerjoin(holders, holders.c.id == holds.c.reader_id)
        .order_by(holds.c.id)
    )
    if hold_id is not None:
        query = query.where(holds.c.id == hold_id)
    if pickup_branch_id is not None:
        query = query.where(
            holds.c.pickup_branch_id == pickup_branch_id,
            holds.c.status.in_([str(s) for s in TRAPPED_HOLDS]),
        )
    return [
        HoldSlip(
            hold_id=int(r.id),
            status=HoldStatus(r.status),
            record_id=int(r.record_id),
            barcode=r.barcode,
            call_number=r.call_number,
            pickup_branch_id=int(r.pickup_branch_id),
            card_number=r.card_number,
            reader_name=r.reader_name,
            placed_at=r.placed_at,
            shelf_expires_on=r.shelf_expires_on,
            shelf_slot=r.shelf_slot,
            pickup_code=r.pickup_code,
        )
        for r in conn.execute(query)
    ]


def open_transit(conn: Connection, item_id: int) -> Row[Any] | None:
    return conn.execute(
        select(transits).where(transits.c.item_id == item_id, transits.c.received_at.is_(None))
    ).first()


def load_fee(conn: Connection, fee_id: int, *, lock: bool = False) -> Fee:
    query = select(fees).where(fees.c.id == fee_id)
    row = conn.execute(for_update(conn, query) if lock else query).first()
    if row is None:
        raise ShelfwiseError("circ.fee_not_found", fee=fee_id)
    return fee_from(row)


def fee_from(row: Row[Any]) -> Fee:
    return Fee(
        id=row.id,
        reader_id=row.reader_id,
        loan_id=row.loan_id,
        kind=row.kind,
        status=row.status,
        amount_cents=row.amount_cents,
        paid_cents=row.paid_cents,
        waived_cents=row.waived_cents,
        note=row.note,
        created_at=row.created_at,
    )


def fees_of(conn: Connection, reader_id: int, *, lock: bool = False) -> list[Fee]:
    query = select(fees).where(fees.c.reader_id == reader_id).order_by(fees.c.id)
    rows = conn.execute(for_update(conn, query) if lock else query)
    return [fee_from(r) for r in rows]


def _on_the_shelf() -> list[Any]:
    """A copy is on the shelf: in service, not on loan (or lost), not travelling, not
    trapped for a hold (the rule of ``CirculationCore._availability``, as SQL)."""
    open_loan_q = exists().where(loans.c.item_id == items.c.id, loans.c.returned_at.is_(None))
    transit_q = exists().where(transits.c.item_id == items.c.id, transits.c.received_at.is_(None))
    trapped_q = exists().where(
        holds.c.trapped_item_id == items.c.id,
        holds.c.status.in_([str(s) for s in TRAPPED_HOLDS]),
    )
    return [items.c.lifecycle == "in_service", ~open_loan_q, ~transit_q, ~trapped_q]


def available_counts(
    conn: Connection, record_ids: Iterable[int], branch: int | None = None
) -> dict[int, dict[int, int]]:
    """Copies on the shelf, per record and home branch."""
    ids = list(record_ids)
    if not ids:
        return {}
    query = (
        select(items.c.record_id, items.c.home_branch_id, func.count())
        .where(items.c.record_id.in_(ids), *_on_the_shelf())
        .group_by(items.c.record_id, items.c.home_branch_id)
    )
    if branch is not None:
        query = query.where(items.c.home_branch_id == branch)
    result: dict[int, dict[int, int]] = {}
    for record_id, home, count in conn.execute(query):
        result.setdefault(int(record_id), {})[int(home)] = int(count)
    return result


def shelf_branches(conn: Connection, record_ids: list[int]) -> dict[int, set[str]]:
    """The codes of the branches with a copy of each record on the shelf (records with
    none are left out): one query, for a page of search documents."""
    query = (
        select(items.c.record_id, branches.c.code)
        .distinct()
        .join(branches, branches.c.id == items.c.home_branch_id)
        .where(items.c.record_id.in_(record_ids), *_on_the_shelf())
    )
    found: dict[int, set[str]] = {}
    for record_id, code in conn.execute(query):
        found.setdefault(int(record_id), set()).add(str(code))
    return found


def trapped_records(conn: Connection, where: Any) -> list[int]:
    """The records of the copies trapped by the holds ``where`` selects (before they are
    closed: a copy freed is back on the shelf)."""
    return [
        int(r)
        for r in conn.execute(
            select(items.c.record_id)
            .join(holds, holds.c.trapped_item_id == items.c.id)
            .where(where, holds.c.status.in_([str(s) for s in TRAPPED_HOLDS]))
        ).scalars()
    ]


def exists_open_for_reader(conn: Connection, reader_id: int) -> tuple[int, int]:
    """(open loans, open fees) of a reader."""
    return (
        open_loan_count(conn, reader_id),
        int(
            conn.execute(
                select(func.count())
                .select_from(fees)
                .where(and_(fees.c.reader_id == reader_id, fees.c.status == "open"))
            ).scalar_one()
        ),
    )


def insert_waiting_hold(
    conn: Connection,
    *,
    reader_id: int,
    record_id: int,
    item_id: int | None,
    pickup_branch_id: int,
    placed_at: datetime,
) -> int:
    """A new hold at the end of its record's queue (the caller has checked the transition)."""
    hold_id = conn.execute(
        insert(holds)
        .values(
            reader_id=reader_id,
            record_id=record_id,
            item_id=item_id,
            pickup_branch_id=pickup_branch_id,
            status=str(HoldStatus.WAITING),
            placed_at=placed_at,
        )
        .returning(holds.c.id)
    ).scalar_one()
    return int(hold_id)


def count_late_return(conn: Connection, reader_id: int, month: date) -> None:
    """One more late return for the reader in ``month`` (its first day): one upsert, so two
    concurrent check-ins of one reader's loans both count (no read-then-write race)."""
    upsert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        late_returns
    ).values(reader_id=reader_id, month=month, returns=1)
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=[late_returns.c.reader_id, late_returns.c.month],
            set_={"returns": late_returns.c.returns + 1},
        )
    )


def late_returns_since(conn: Connection, reader_id: int, month: date) -> int:
    """Late returns of a reader counted in ``month`` or after."""
    return int(
        conn.execute(
            select(func.coalesce(func.sum(late_returns.c.returns), 0)).where(
                late_returns.c.reader_id == reader_id, late_returns.c.month >= month
            )
        ).scalar_one()
    )


def late_returns_of(conn: Connection, reader_id: int) -> list[tuple[date, int]]:
    rows = conn.execute(
        select(late_returns.c.month, late_returns.c.returns)
        .where(late_returns.c.reader_id == reader_id)
        .order_by(late_returns.c.month)
    )
    return [(r.month, int(r.returns)) for r in rows]


def forget_late_returns(
    conn: Connection, *, before: date | None = None, reader_id: int | None = None
) -> int:
    """Delete month counts older than ``before`` (retention), or all of one reader's (P6)."""
    query = delete(late_returns)
    if before is not None:
        query = query.where(late_returns.c.month < before)
    if reader_id is not None:
        query = query.where(late_returns.c.reader_id == reader_id)
    return int(conn.execute(query).rowcount or 0)
