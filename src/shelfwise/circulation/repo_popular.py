"""SQL of loan counts by record (private to circulation; popularity.py holds the rule)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from shelfwise.storage.tables import items, loans, records


def loans_by_record_since(conn: Connection, since: datetime, limit: int) -> list[tuple[int, int]]:
    """(record id, loans begun since ``since``), most first; active records only. Counts
    only: no reader is read or returned."""
    count = func.count(loans.c.id)
    query = (
        select(items.c.record_id, count)
        .join(items, items.c.id == loans.c.item_id)
        .join(records, records.c.id == items.c.record_id)
        .where(loans.c.loaned_at >= since, records.c.state == "active")
        .group_by(items.c.record_id)
        .order_by(count.desc(), items.c.record_id)
        .limit(limit)
    )
    return [(int(r), int(n)) for r, n in conn.execute(query).all()]
