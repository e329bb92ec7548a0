"""SQL of notices to readers (private to circulation; notices.py decides what to send)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from shelfwise.storage.tables import holds, items, loans, notices, records


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
    """(title, shelf_expires_on, status) of a hold."""
    return conn.execute(
        select(records.c.title, holds.c.shelf_expires_on, holds.c.status)
        .select_from(holds.join(records, records.c.id == holds.c.record_id))
        .where(holds.c.id == hold_id)
    ).first()


def loan_notice(conn: Connection, loan_id: int) -> Any:
    """(title, due_on, returned_at) of a loan."""
    return conn.execute(
        select(records.c.title, loans.c.due_on, loans.c.returned_at)
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
