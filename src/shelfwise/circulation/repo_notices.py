"""SQL of notices to readers (private to circulation; notices.py decides what to send)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from shelfwise.storage.tables import (
    branches,
    holds,
    items,
    loans,
    notice_templates,
    notices,
    records,
)


def sent(conn: Connection, dedup_key: str) -> bool:
    return (
        conn.execute(select(notices.c.id).where(notices.c.dedup_key == dedup_key)).first()
        is not None
    )


def record_sent(
    conn: Connection, *, dedup_key: str, reader_id: int, kind: str, channel: str, at: datetime
) -> None:
    conn.execute(
        insert(notices).values(
            dedup_key=dedup_key, reader_id=reader_id, kind=kind, channel=channel, sent_at=at
        )
    )


def hold_notice(conn: Connection, hold_id: int) -> Any:
    """(title, shelf_expires_on, status, pickup_code, name_zh, name_ko, name_en) of a hold,
    the names its pickup branch's."""
    return conn.execute(
        select(
            records.c.title,
            holds.c.shelf_expires_on,
            holds.c.status,
            holds.c.pickup_code,
            branches.c.name_zh,
            branches.c.name_ko,
            branches.c.name_en,
        )
        .select_from(
            holds.join(records, records.c.id == holds.c.record_id).join(
                branches, branches.c.id == holds.c.pickup_branch_id
            )
        )
        .where(holds.c.id == hold_id)
    ).first()


def loan_notice(conn: Connection, loan_id: int) -> Any:
    """(title, due_on, returned_at, barcode) of a loan."""
    return conn.execute(
        select(records.c.title, loans.c.due_on, loans.c.returned_at, items.c.barcode)
        .select_from(
            loans.join(items, items.c.id == loans.c.item_id).join(
                records, records.c.id == items.c.record_id
            )
        )
        .where(loans.c.id == loan_id)
    ).first()


def due_by(conn: Connection, day: date) -> Sequence[Any]:
    """(id, reader_id, due_on) of open loans with a reader, due on or before ``day``."""
    return conn.execute(
        select(loans.c.id, loans.c.reader_id, loans.c.due_on).where(
            loans.c.returned_at.is_(None),
            loans.c.status == "on_loan",
            loans.c.reader_id.is_not(None),
            loans.c.due_on <= day,
        )
    ).all()


def templates(conn: Connection, kind: str | None = None) -> Sequence[Any]:
    """The library's edited notice texts (of one kind)."""
    query = select(notice_templates)
    if kind is not None:
        query = query.where(notice_templates.c.kind == kind)
    return conn.execute(query.order_by(notice_templates.c.kind, notice_templates.c.language)).all()


def save_template(
    conn: Connection,
    kind: str,
    language: str,
    subject: str,
    body: str,
    *,
    updated_by: str,
    at: datetime,
) -> None:
    """Insert or replace the text of (kind, language)."""
    where = (notice_templates.c.kind == kind) & (notice_templates.c.language == language)
    values = {"subject": subject, "body": body, "updated_by": updated_by, "updated_at": at}
    if conn.execute(update(notice_templates).where(where).values(**values)).rowcount == 0:
        conn.execute(insert(notice_templates).values(kind=kind, language=language, **values))


def delete_template(conn: Connection, kind: str, language: str) -> None:
    conn.execute(
        delete(notice_templates).where(
            (notice_templates.c.kind == kind) & (notice_templates.c.language == language)
        )
    )
