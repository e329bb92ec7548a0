"""The analytics domain's SQL (private): counting an act once, and reading counters back."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.storage.tables.analytics import (
    MARK_WORDS,
    analytics_activity,
    analytics_applied,
    analytics_tallies,
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


def counters(
    conn: Connection,
    kind: str,
    dimension: str,
    since: date,
    until: date,
    branch_ids: Collection[int] | None,
) -> list[Row[Any]]:
    """The counters of one act and dimension over the days (all branches when None)."""
    t = analytics_activity.c
    query = select(t.day, t.branch_id, t.value, t.events, *(t[m] for m in _MARKS)).where(
        t.kind == kind, t.dimension == dimension, t.day >= since, t.day <= until
    )
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    return list(conn.execute(query.order_by(t.day, t.branch_id, t.value)).all())


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


def tallies(
    conn: Connection,
    kinds: Collection[str],
    since: date,
    until: date,
    branch_ids: Collection[int] | None,
) -> list[Row[Any]]:
    """The counters of some kinds over the days (every branch and the network when None)."""
    t = analytics_tallies.c
    query = select(
        t.kind, t.day, t.branch_id, t.value, t.events, t.amount, *(t[m] for m in _MARKS)
    ).where(t.kind.in_(sorted(kinds)), t.day >= since, t.day <= until)
    if branch_ids is not None:
        query = query.where(t.branch_id.in_(sorted(branch_ids)))
    return list(conn.execute(query.order_by(t.kind, t.day, t.branch_id, t.value)).all())
