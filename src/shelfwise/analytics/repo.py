"""The analytics domain's SQL (private): counting an act once, and reading counters back."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.storage.tables.analytics import (
    MARK_WORDS,
    analytics_activity,
    analytics_applied,
    analytics_idle_copies,
    analytics_stock,
    analytics_tallies,
    analytics_wanted,
)

_MARKS = [f"marks_{i}" for i in range(MARK_WORDS)]
_KEY = ["day", "branch_id", "kind", "dimension", "value"]


def _insert(conn: Connection, table: Any) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def claim(conn: Connection, event_id: int, at: datetime) -> bool:
    """True the first time an outbox event is counted; False for a redelivery (the relay
    delivers at least once). In the transaction that adds the counts, so both or neither."""
    statement = _insert(conn, analytics_applied).values(event_id=event_id, applied_at=at)
    statement = statement.on_conflict_do_nothing(index_elements=["event_id"])
    # RETURNING, not rowcount: psycopg's rowcount of a skipped insert is not 0 here.
    return conn.execute(statement.returning(analytics_applied.c.event_id)).first() is not None


def add(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add the rows' events and OR their marks into the counters: one upsert, so concurrent
    deliveries of acts on the same cell both count (no read-then-write)."""
    if not rows:
        return
    statement = _insert(conn, analytics_activity).values(list(rows))
    t, new = analytics_activity.c, statement.excluded
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[t[k] for k in _KEY],
            set_={
                "events": t.events + new.events,
                **{m: t[m].op("|")(new[m]) for m in _MARKS},
            },
        )
    )


def forget_applied(conn: Connection, before: datetime) -> int:
    """Drop the ids of events counted before ``before`` (older than any redelivery)."""
    done = conn.execute(delete(analytics_applied).where(analytics_applied.c.applied_at < before))
    return int(done.rowcount)


def add_tallies(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add the rows' events and amounts and OR their marks into the other domains'
    counters: one upsert, no read-then-write (rows of one call have distinct keys)."""
    if not rows:
        return
    statement = _insert(conn, analytics_tallies).values(list(rows))
    t, new = analytics_tallies.c, statement.excluded
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[t.day, t.branch_id, t.kind, t.value],
            set_={
                "events": t.events + new.events,
                "amount": t.amount + new.amount,
                **{m: t[m].op("|")(new[m]) for m in _MARKS},
            },
        )
    )


def replace_stock(
    conn: Connection,
    counts: dict[tuple[int, str, int], int],
    idle: Sequence[tuple[int, int, str, date | None]],
    wanted: Sequence[tuple[int, int, int, int]],
    at: datetime,
) -> None:
    """The stock taken now in place of the last one (one transaction: a page sees either)."""
    for table in (analytics_stock, analytics_idle_copies, analytics_wanted):
        conn.execute(delete(table))
    rows: list[dict[str, Any]] = [
        {"branch_id": b, "main_class": c, "idle_years": y, "copies": n, "taken_at": at}
        for (b, c, y), n in counts.items()
    ]
    idle_rows = [
        {"item_id": i, "branch_id": b, "main_class": c, "last_loan": d, "taken_at": at}
        for i, b, c, d in idle
    ]
    wanted_rows = [
        {"branch_id": b, "record_id": r, "holds": h, "copies": n, "taken_at": at}
        for b, r, h, n in wanted
    ]
    for table, values in (
        (analytics_stock, rows),
        (analytics_idle_copies, idle_rows),
        (analytics_wanted, wanted_rows),
    ):
        for start in range(0, len(values), 1000):
            conn.execute(insert(table), values[start : start + 1000])


def stock(conn: Connection, branch_ids: Collection[int] | None) -> list[Row[Any]]:
    t = analytics_stock.c
    query: Select[Any] = select(t.branch_id, t.main_class, t.idle_years, t.copies, t.taken_at)
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    return list(conn.execute(query).all())


def idle_copies(
    conn: Connection, branch_ids: Collection[int] | None, lent_before: date, limit: int
) -> list[Row[Any]]:
    """The longest-idle copies kept by the last stock: never lent, or last lent on or
    before ``lent_before``."""
    t = analytics_idle_copies.c
    query: Select[Any] = select(t.item_id, t.branch_id, t.main_class, t.last_loan).where(
        or_(t.last_loan.is_(None), t.last_loan <= lent_before)
    )
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    # Never lent first, then the oldest loans (NULLs sort differently per engine: said).
    order = (t.last_loan.is_not(None), t.last_loan, t.item_id)
    return list(conn.execute(query.order_by(*order).limit(limit)).all())


def wanted(conn: Connection, branch_ids: Collection[int] | None) -> list[Row[Any]]:
    t = analytics_wanted.c
    query: Select[Any] = select(
        t.record_id, func.sum(t.holds).label("holds"), func.max(t.copies).label("copies")
    )
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    return list(conn.execute(query.group_by(t.record_id)).all())


def tallies_grouped(
    conn: Connection,
    kinds: Collection[str],
    since: date,
    until: date,
    branch_ids: Collection[int] | None,
    *,
    grain: str | None = None,
    by_branch: bool = False,
    marks: bool = False,
) -> list[Row[Any]]:
    """The other domains' counters of some kinds rolled up by the database per kind,
    ``grain`` (day, month or none), branch when asked, and value: events and amounts summed
    and, with ``marks`` (the wishes' reader marks), the mark sets ORed (``bit_or``) — a year
    of wishes or of hourly visits is a few rows, not a row per day. Kinds that keep no marks
    skip the ORing (on SQLite a call into Python per row and word)."""
    t = analytics_tallies.c
    period = _period(conn, t.day, grain)
    keys = [t.kind, *period, *([t.branch_id] if by_branch else []), t.value]
    query: Select[Any] = select(
        *keys,
        func.sum(t.events).label("events"),
        func.sum(t.amount).label("amount"),
        *((func.bit_or(t[m]).label(m) for m in _MARKS) if marks else ()),
    ).where(t.kind.in_(sorted(kinds)), t.day >= since, t.day <= until)
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    group = [k.element if hasattr(k, "element") else k for k in keys]
    return list(conn.execute(query.group_by(*group)).all())


def _period(conn: Connection, day: Any, grain: str | None) -> list[Any]:
    """The period column of a roll-up by ``grain``: the month as "YYYY-MM", the day, or
    none (the whole span)."""
    if grain == "month":
        month = (
            func.to_char(day, "YYYY-MM")
            if conn.dialect.name == "postgresql"
            else func.substr(day, 1, 7)
        )
        return [month.label("period")]
    if grain == "day":
        return [day.label("period")]
    return []


def counters_grouped(
    conn: Connection,
    kind: str,
    dimension: str,
    since: date,
    until: date,
    branch_ids: Collection[int] | None,
    grain: str | None,
    by_branch: bool,
) -> list[Row[Any]]:
    """The counters of one act and dimension rolled up by the database: counts summed, mark
    sets ORed (``bit_or``; SQLite's is registered in storage/database.py), by ``grain``
    (day, month or none), branch when asked, and value — a year by class is a few hundred
    rows, not one per day."""
    t = analytics_activity.c
    period = _period(conn, t.day, grain)
    keys = [*period, *([t.branch_id] if by_branch else []), t.value]
    query: Select[Any] = select(
        *keys,
        func.sum(t.events).label("events"),
        *(func.bit_or(t[m]).label(m) for m in _MARKS),
    ).where(t.kind == kind, t.dimension == dimension, t.day >= since, t.day <= until)
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    group = [k.element if hasattr(k, "element") else k for k in keys]
    return list(conn.execute(query.group_by(*group)).all())
