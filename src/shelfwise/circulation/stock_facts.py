"""What circulation publishes for the statistics' hourly stock (issue 21): the day each copy
was last lent, and the holds waiting per title and pickup branch. Read by a job, never on a
page view; counts and dates only (P1: no reader is read or returned)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import Connection

from shelfwise.circulation import repo_stock


def last_loan_days(conn: Connection, zone: tzinfo) -> dict[int, date]:
    """Item id -> the library's local date of its last loan (copies never lent are absent)."""
    out: dict[int, date] = {}
    for row in repo_stock.last_loans(conn):
        last: datetime = row.last
        if last.tzinfo is None:  # SQLite hands back naive UTC
            last = last.replace(tzinfo=UTC)
        out[int(row.item_id)] = last.astimezone(zone).date()
    return out


def waiting_holds(conn: Connection) -> list[tuple[int, int, int]]:
    """(record id, pickup branch id, holds waiting) — placed and not yet ready."""
    return [
        (int(r.record_id), int(r.pickup_branch_id), int(r.holds))
        for r in repo_stock.waiting_holds(conn)
    ]
