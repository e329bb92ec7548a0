"""Circulation's SQL for the statistics' hourly stock (private): when each copy was last
lent, and the holds waiting per title and pickup branch. Counts and dates only: no reader
is read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, Select, func, select

from shelfwise.storage.tables import holds, loans


def last_loans(conn: Connection) -> list[Row[Any]]:
    """(item id, last loaned at) of every copy ever lent."""
    query: Select[Any] = select(
        loans.c.item_id, func.max(loans.c.loaned_at).label("last")
    ).group_by(loans.c.item_id)
    return list(conn.execute(query).all())


def waiting_holds(conn: Connection) -> list[Row[Any]]:
    """(record id, pickup branch id, holds) of the holds not yet on a shelf for the reader."""
    query: Select[Any] = (
        select(holds.c.record_id, holds.c.pickup_branch_id, func.count().label("holds"))
        .where(holds.c.status.in_(("waiting", "in_transit")))
        .group_by(holds.c.record_id, holds.c.pickup_branch_id)
    )
    return list(conn.execute(query).all())
