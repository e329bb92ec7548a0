"""SQL of deposits (private to circulation; deposits.py holds the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from shelfwise.storage.tables import deposits


def held_cents(conn: Connection, reader_id: int) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(deposits.c.amount_cents), 0)).where(
                deposits.c.reader_id == reader_id, deposits.c.status == "held"
            )
        ).scalar_one()
    )


def held_count(conn: Connection, reader_id: int) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(deposits)
            .where(deposits.c.reader_id == reader_id, deposits.c.status == "held")
        ).scalar_one()
    )


def rows_of(conn: Connection, reader_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(deposits).where(deposits.c.reader_id == reader_id).order_by(deposits.c.id)
    ).all()


def row(conn: Connection, deposit_id: int) -> Row[Any] | None:
    return conn.execute(select(deposits).where(deposits.c.id == deposit_id)).first()


def delete_of(conn: Connection, reader_id: int) -> None:
    conn.execute(delete(deposits).where(deposits.c.reader_id == reader_id))


def insert_deposit(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(insert(deposits).values(**values).returning(deposits.c.id)).scalar_one()
    )


def refund(conn: Connection, deposit_id: int, at: datetime) -> bool:
    """Mark a held deposit refunded; False when a concurrent refund got there first."""
    changed = conn.execute(
        update(deposits)
        .where(deposits.c.id == deposit_id, deposits.c.status == "held")
        .values(status="refunded", closed_at=at)
    ).rowcount
    return changed == 1
