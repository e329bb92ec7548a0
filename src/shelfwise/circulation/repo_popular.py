"""SQL of loan counts by record (private to circulation; popularity.py holds the rule)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from shelfwise.storage.tables import items, loans, records


def loans_by_record_since(
    conn: Connection,
    since: datetime,
    limit: int,
    *,
    branch_id: int | None = None,
    category: str | None = None,
) -> list[tuple[int, int]]:
    """(record id, loans begun since ``since``), most first; active records only; lent at
    ``branch_id`` or to readers of ``category`` when given. Counts only: no reader is read
    or returned."""
    count = func.count(loans.c.id)
    query = (
        select(items.c.record_id, count)
        .join(items, items.c.id == loans.c.item_id)
        .join(records, records.c.id == items.c.record_id)
        .where(loans.c.loaned_at >= since, records.c.state == "active")
    )
    if branch_id is not None:
        query = query.where(loans.c.branch_id == branch_id)
    if category is not None:
        query = query.where(loans.c.reader_category == category)
    query = query.group_by(items.c.record_id).order_by(count.desc(), items.c.record_id)
    return [(int(r), int(n)) for r, n in conn.execute(query.limit(limit)).all()]
