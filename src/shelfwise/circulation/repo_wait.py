"""SQL of how long readers keep a title (private to circulation; hold_wait.py holds the
rule)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from shelfwise.storage.tables import items, loans

SAMPLE_LIMIT = 200  # the latest returns are enough for a median


def returned_loan_days(conn: Connection, record_id: int, since: datetime) -> list[float]:
    """Days between lending and return of the record's loans returned since ``since``,
    latest first. No reader is read."""
    rows = conn.execute(
        select(loans.c.loaned_at, loans.c.returned_at)
        .join(items, items.c.id == loans.c.item_id)
        .where(
            items.c.record_id == record_id,
            loans.c.status == "returned",
            loans.c.returned_at >= since,
        )
        .order_by(loans.c.returned_at.desc())
        .limit(SAMPLE_LIMIT)
    ).all()
    return [(_aware(back) - _aware(out)).total_seconds() / 86400 for out, back in rows]


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones
    return value if value.tzinfo else value.replace(tzinfo=UTC)
