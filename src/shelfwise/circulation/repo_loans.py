"""SQL that writes loans and fees at checkout, check-in, loss and renewal, and reads a
title's copies (private to circulation; service.py and renewals.py hold the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, case, func, insert, select, update

from shelfwise.circulation.models import Loan
from shelfwise.circulation.states import LoanStatus
from shelfwise.storage.tables import fees, holds, items, loans, notices


def insert_loan(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(loans).values(**values).returning(loans.c.id)).scalar_one())


# The two writes of every checkout and check-in, built once: the values come as
# parameters, so a call costs no statement building (issue 15 item 1).
_INSERT_LOAN = insert(loans).returning(*loans.c)
_CLOSE_LOAN = update(loans).where(loans.c.id == bindparam("loan_id"))


def insert_loan_as_stored(
    conn: Connection, *, barcode: str, record_id: int, title: str | None = None, **values: Any
) -> Loan:
    """The new loan as a reload would read it (RETURNING its stored columns): no second
    statement to hand it back. ``title``: the copy's title, when the caller read it."""
    row = conn.execute(_INSERT_LOAN, values).one()
    return Loan(
        id=row.id,
        item_id=row.item_id,
        barcode=barcode,
        record_id=record_id,
        reader_id=row.reader_id,
        status=LoanStatus(row.status),
        branch_id=row.branch_id,
        loaned_at=row.loaned_at,
        due_on=row.due_on,
        renewals=row.renewals,
        returned_at=row.returned_at,
        rule_id=row.rule_id,
        title=title,
    )


def close_loan(
    conn: Connection, loan_id: int, *, at: datetime, branch_id: int, reader_id: int | None
) -> None:
    """Returned at ``branch_id``; ``reader_id`` None cuts the reader link (P1)."""
    conn.execute(
        _CLOSE_LOAN,
        {
            "loan_id": loan_id,
            "status": str(LoanStatus.RETURNED),
            "returned_at": at,
            "returned_branch_id": branch_id,
            "reader_id": reader_id,
        },
    )


def mark_lost(conn: Connection, loan_id: int) -> None:
    conn.execute(update(loans).where(loans.c.id == loan_id).values(status=str(LoanStatus.LOST)))


def renew(conn: Connection, loan_id: int, due_on: date, renewals: int) -> bool:
    """Move the due date of a loan still on loan; False when it closed meanwhile."""
    done = conn.execute(
        update(loans)
        .where(
            loans.c.id == loan_id,
            loans.c.returned_at.is_(None),
            loans.c.status == str(LoanStatus.ON_LOAN),
        )
        .values(due_on=due_on, renewals=renewals)
    )
    return done.rowcount == 1


def insert_fee(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(fees).values(**values).returning(fees.c.id)).scalar_one())


def has_open_fee(conn: Connection, loan_id: int) -> bool:
    query = select(fees.c.id).where(fees.c.loan_id == loan_id, fees.c.status == "open")
    return conn.execute(query).first() is not None


def waive_lost_fee(conn: Connection, loan_id: int, *, at: datetime, note: str) -> None:
    """The unpaid part of the loan's open lost fee is waived."""
    conn.execute(
        update(fees)
        .where(fees.c.loan_id == loan_id, fees.c.kind == "lost", fees.c.status == "open")
        .values(
            waived_cents=fees.c.amount_cents - fees.c.paid_cents,
            status="waived",
            note=note,
            closed_at=at,
        )
    )


def copies_of(conn: Connection, record_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(items).where(items.c.record_id == record_id).order_by(items.c.id)
    ).all()


def loan_count_of(conn: Connection, reader_id: int) -> int:
    """Every loan still linked to the reader, open or returned."""
    return int(
        conn.execute(
            select(func.count()).select_from(loans).where(loans.c.reader_id == reader_id)
        ).scalar_one()
    )


def unlink_reader(conn: Connection, reader_id: int) -> None:
    """Cut the reader from every circulation row that names them (erasure, P6)."""
    for table in (holds, loans, fees, notices):
        conn.execute(update(table).where(table.c.reader_id == reader_id).values(reader_id=None))


def loan_counts(conn: Connection, reader_id: int, today: date) -> tuple[int, int, int]:
    """Open, overdue and lost loans of a reader, in one statement."""
    lost = loans.c.status == str(LoanStatus.LOST)
    overdue = (loans.c.status == str(LoanStatus.ON_LOAN)) & (loans.c.due_on < today)
    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
            func.coalesce(func.sum(case((lost, 1), else_=0)), 0),
        ).where(loans.c.reader_id == reader_id, loans.c.returned_at.is_(None))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def standing_figures(conn: Connection, reader_id: int, today: date) -> tuple[int, int, int, int]:
    """Open, overdue and lost loans of a reader and the fees they owe, in one statement."""
    lost = loans.c.status == str(LoanStatus.LOST)
    overdue = (loans.c.status == str(LoanStatus.ON_LOAN)) & (loans.c.due_on < today)
    owed = (
        select(
            func.coalesce(
                func.sum(fees.c.amount_cents - fees.c.paid_cents - fees.c.waived_cents), 0
            )
        )
        .where(fees.c.reader_id == reader_id, fees.c.status == "open")
        .scalar_subquery()
    )
    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
            func.coalesce(func.sum(case((lost, 1), else_=0)), 0),
            owed,
        ).where(loans.c.reader_id == reader_id, loans.c.returned_at.is_(None))
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def has_late_open_loan(conn: Connection, reader_id: int, today: date) -> bool:
    """A loan of the reader overdue or lost now."""
    query = select(loans.c.id).where(
        loans.c.reader_id == reader_id,
        loans.c.returned_at.is_(None),
        (loans.c.status == str(LoanStatus.LOST)) | (loans.c.due_on < today),
    )
    return conn.execute(query).first() is not None


def update_fee(conn: Connection, fee_id: int, **values: Any) -> None:
    conn.execute(update(fees).where(fees.c.id == fee_id).values(**values))


def unlink_returned_loan(conn: Connection, loan_id: int) -> None:
    """Cut the reader from the loan if it is returned (an open loan keeps its reader)."""
    conn.execute(
        update(loans)
        .where(loans.c.id == loan_id, loans.c.returned_at.is_not(None))
        .values(reader_id=None)
    )


def notices_of(conn: Connection, reader_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(notices).where(notices.c.reader_id == reader_id).order_by(notices.c.id)
    ).all()


def item_loans(conn: Connection, item_id: int, limit: int) -> list[Loan]:
    """The copy's latest loans, newest first, without their readers (P1, P8): when and
    where each was lent and returned is what a desk may know of a copy's past."""
    rows = conn.execute(
        select(*loans.c, items.c.barcode, items.c.record_id)
        .select_from(loans.join(items, items.c.id == loans.c.item_id))
        .where(loans.c.item_id == item_id)
        .order_by(loans.c.id.desc())
        .limit(limit)
    ).all()
    return [
        Loan(
            id=r.id,
            item_id=r.item_id,
            barcode=r.barcode,
            record_id=r.record_id,
            reader_id=None,
            status=LoanStatus(r.status),
            branch_id=r.branch_id,
            loaned_at=r.loaned_at,
            due_on=r.due_on,
            renewals=r.renewals,
            returned_at=r.returned_at,
            rule_id=r.rule_id,
        )
        for r in rows
    ]
