"""Spaces' SQL (private to the domain): rooms, units, bookings, slots, rules, visits.

Every time is bound in UTC (SQLite keeps the text without its offset, so one zone for
every row is what makes its comparisons right) and read back as aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.core.errors import ShelfwiseError
from shelfwise.spaces.models import (
    ACTIVE_STATES,
    Booking,
    BookingRule,
    Room,
    Unit,
    UnitPlace,
)
from shelfwise.storage.tables.catalogue import branches
from shelfwise.storage.tables.spaces import (
    space_bookings,
    space_rooms,
    space_rules,
    space_slots,
    space_units,
    space_visits,
)


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _opt(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


# --- rooms and units ------------------------------------------------------------------------

_ROOM = select(
    space_rooms,
    branches.c.code.label("branch"),
).join(branches, branches.c.id == space_rooms.c.branch_id)


def _room(row: Row[Any]) -> Room:
    return Room(
        id=int(row.id),
        branch=row.branch,
        code=row.code,
        name=row.name,
        kind=row.kind,
        grid_rows=int(row.grid_rows),
        grid_cols=int(row.grid_cols),
        enabled=bool(row.enabled),
    )


def _unit(row: Row[Any]) -> Unit:
    return Unit(
        id=int(row.id),
        room_id=int(row.room_id),
        code=row.code,
        kind=row.kind,
        features=tuple(f for f in row.features.split(",") if f),
        row=int(row.grid_row),
        col=int(row.grid_col),
        qr_epoch=int(row.qr_epoch),
        enabled=bool(row.enabled),
    )


def branch_id(conn: Connection, code: str) -> int:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    if found is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    return int(found)


def rooms(conn: Connection, branch: str | None = None) -> list[Room]:
    query = _ROOM.order_by(branches.c.code, space_rooms.c.code)
    if branch is not None:
        query = query.where(branches.c.code == branch)
    return [_room(r) for r in conn.execute(query)]


def room(conn: Connection, room_id: int) -> Room:
    row = conn.execute(_ROOM.where(space_rooms.c.id == room_id)).first()
    if row is None:
        raise ShelfwiseError("spaces.room_not_found")
    return _room(row)


def insert_room(conn: Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(insert(space_rooms).values(**values).returning(space_rooms.c.id)).scalar_one()
    )


def update_room(conn: Connection, room_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(space_rooms).where(space_rooms.c.id == room_id).values(**values))


def units(conn: Connection, room_id: int) -> list[Unit]:
    rows = conn.execute(
        select(space_units)
        .where(space_units.c.room_id == room_id)
        .order_by(space_units.c.grid_row, space_units.c.grid_col)
    )
    return [_unit(r) for r in rows]


def place(conn: Connection, unit_id: int) -> UnitPlace:
    row = conn.execute(select(space_units).where(space_units.c.id == unit_id)).first()
    if row is None:
        raise ShelfwiseError("spaces.unit_not_found")
    return UnitPlace(_unit(row), room(conn, int(row.room_id)))


def insert_units(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(space_units), list(rows))


def update_unit(conn: Connection, unit_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(space_units).where(space_units.c.id == unit_id).values(**values))


def unit_ids_with_bookings(conn: Connection, room_id: int) -> set[int]:
    rows = conn.execute(
        select(space_bookings.c.unit_id)
        .distinct()
        .join(space_units, space_units.c.id == space_bookings.c.unit_id)
        .where(space_units.c.room_id == room_id)
    )
    return {int(r[0]) for r in rows}


def delete_units(conn: Connection, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        conn.execute(delete(space_units).where(space_units.c.id.in_(ids)))


# --- rules ------------------------------------------------------------------------------------


def rule_for(conn: Connection, category: str) -> BookingRule | None:
    """The category's own rule, else the '*' rule, else None."""
    rows = conn.execute(select(space_rules).where(space_rules.c.category.in_([category, "*"])))
    found = {r.category: r for r in rows}
    row = found.get(category) or found.get("*")
    return None if row is None else _rule(row)


def _rule(row: Row[Any]) -> BookingRule:
    return BookingRule(
        row.category, int(row.minutes_per_day), int(row.days_ahead), int(row.at_once)
    )


def rules(conn: Connection) -> list[BookingRule]:
    return [_rule(r) for r in conn.execute(select(space_rules).order_by(space_rules.c.category))]


def put_rule(conn: Connection, rule: BookingRule) -> None:
    conn.execute(delete(space_rules).where(space_rules.c.category == rule.category))
    conn.execute(
        insert(space_rules).values(
            category=rule.category,
            minutes_per_day=rule.minutes_per_day,
            days_ahead=rule.days_ahead,
            at_once=rule.at_once,
        )
    )


def delete_rule(conn: Connection, category: str) -> None:
    conn.execute(delete(space_rules).where(space_rules.c.category == category))


# --- bookings and slots -----------------------------------------------------------------------

_BOOKING = (
    select(
        space_bookings,
        space_units.c.code.label("unit_code"),
        space_units.c.room_id,
        space_rooms.c.name.label("room_name"),
        branches.c.code.label("branch"),
    )
    .join(space_units, space_units.c.id == space_bookings.c.unit_id)
    .join(space_rooms, space_rooms.c.id == space_units.c.room_id)
    .join(branches, branches.c.id == space_rooms.c.branch_id)
)


def _booking(row: Row[Any]) -> Booking:
    return Booking(
        id=int(row.id),
        unit_id=int(row.unit_id),
        unit_code=row.unit_code,
        room_id=int(row.room_id),
        room_name=row.room_name,
        branch=row.branch,
        reader_id=None if row.reader_id is None else int(row.reader_id),
        purpose=row.purpose,
        starts_at=utc(row.starts_at),
        ends_at=utc(row.ends_at),
        state=row.state,
        walk_in=bool(row.walk_in),
        checked_in_at=_opt(row.checked_in_at),
        away_until=_opt(row.away_until),
        closed_at=_opt(row.closed_at),
    )


def booking(conn: Connection, booking_id: int, *, lock: bool = False) -> Booking:
    query = _BOOKING.where(space_bookings.c.id == booking_id)
    if lock:
        query = query.with_for_update(of=space_bookings)
    row = conn.execute(query).first()
    if row is None:
        raise ShelfwiseError("spaces.booking_not_found")
    return _booking(row)


def insert_booking(conn: Connection, values: dict[str, Any]) -> int:
    for name in ("starts_at", "ends_at", "created_at", "checked_in_at"):
        if values.get(name) is not None:
            values[name] = utc(values[name])
    statement = insert(space_bookings).values(**values).returning(space_bookings.c.id)
    return int(conn.execute(statement).scalar_one())


def insert_slots(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Claim the slots; the primary key refuses (IntegrityError) a slot held already."""
    conn.execute(
        insert(space_slots),
        [{**r, "slot_start": utc(r["slot_start"])} for r in rows],
    )


def free_slots(conn: Connection, booking_ids: Iterable[int], from_slot: datetime) -> None:
    ids = list(booking_ids)
    if ids:
        conn.execute(
            delete(space_slots).where(
                space_slots.c.booking_id.in_(ids), space_slots.c.slot_start >= utc(from_slot)
            )
        )


def set_state(
    conn: Connection, booking_id: int, old: Sequence[str], values: dict[str, Any]
) -> bool:
    """Move a booking on from one of the states ``old``; False when it was not in one."""
    values = {k: (utc(v) if isinstance(v, datetime) else v) for k, v in values.items()}
    done = conn.execute(
        update(space_bookings)
        .where(space_bookings.c.id == booking_id, space_bookings.c.state.in_(list(old)))
        .values(**values)
    )
    return done.rowcount == 1


def reader_bookings(
    conn: Connection, reader_id: int, *, ends_after: datetime, states: Sequence[str] | None = None
) -> list[Booking]:
    query = _BOOKING.where(
        space_bookings.c.reader_id == reader_id, space_bookings.c.ends_at > utc(ends_after)
    ).order_by(space_bookings.c.starts_at, space_bookings.c.id)
    if states is not None:
        query = query.where(space_bookings.c.state.in_(list(states)))
    return [_booking(r) for r in conn.execute(query)]


def reader_booking_on(
    conn: Connection, reader_id: int, unit_id: int, at: datetime
) -> Booking | None:
    """The reader's live booking of the unit that has not ended at ``at``, the earliest."""
    row = conn.execute(
        _BOOKING.where(
            space_bookings.c.reader_id == reader_id,
            space_bookings.c.unit_id == unit_id,
            space_bookings.c.state.in_(ACTIVE_STATES),
            space_bookings.c.ends_at > utc(at),
        )
        .order_by(space_bookings.c.starts_at)
        .limit(1)
    ).first()
    return None if row is None else _booking(row)


def no_shows_since(conn: Connection, reader_id: int, since: datetime) -> list[datetime]:
    rows = conn.execute(
        select(space_bookings.c.starts_at).where(
            space_bookings.c.reader_id == reader_id,
            space_bookings.c.state == "no_show",
            space_bookings.c.starts_at >= utc(since),
        )
    )
    return sorted(utc(r[0]) for r in rows)


def room_bookings(conn: Connection, room_id: int, lo: datetime, hi: datetime) -> list[Booking]:
    """Bookings of the room's units overlapping [lo, hi), live ones and past ones."""
    rows = conn.execute(
        _BOOKING.where(
            space_units.c.room_id == room_id,
            space_bookings.c.starts_at < utc(hi),
            space_bookings.c.ends_at > utc(lo),
        ).order_by(space_units.c.code, space_bookings.c.starts_at)
    )
    return [_booking(r) for r in rows]


def taken_units(conn: Connection, room_id: int, lo: datetime, hi: datetime) -> dict[int, set[int]]:
    """Unit id -> the booking ids holding one of its slots in [lo, hi)."""
    rows = conn.execute(
        select(space_slots.c.unit_id, space_slots.c.booking_id)
        .join(space_units, space_units.c.id == space_slots.c.unit_id)
        .where(
            space_units.c.room_id == room_id,
            space_slots.c.slot_start >= utc(lo),
            space_slots.c.slot_start < utc(hi),
        )
    )
    taken: dict[int, set[int]] = {}
    for unit_id, booking_id in rows:
        taken.setdefault(int(unit_id), set()).add(int(booking_id))
    return taken


def booking_ids_where(conn: Connection, *conditions: Any) -> list[int]:
    rows = conn.execute(
        select(space_bookings.c.id).where(and_(*conditions)).order_by(space_bookings.c.id)
    )
    return [int(r[0]) for r in rows]


def due_no_shows(conn: Connection, started_before: datetime) -> list[int]:
    return booking_ids_where(
        conn,
        space_bookings.c.state == "booked",
        space_bookings.c.reader_id.is_not(None),
        space_bookings.c.starts_at <= utc(started_before),
    )


def expired_leaves(conn: Connection, now: datetime) -> list[int]:
    return booking_ids_where(
        conn, space_bookings.c.state == "away", space_bookings.c.away_until <= utc(now)
    )


def ended(conn: Connection, now: datetime) -> list[int]:
    return booking_ids_where(
        conn,
        space_bookings.c.state.in_(["checked_in", "away"]),
        space_bookings.c.ends_at <= utc(now),
    )


def purpose_bookings(conn: Connection, purpose: str) -> list[int]:
    return booking_ids_where(
        conn, space_bookings.c.purpose == purpose, space_bookings.c.state.in_(ACTIVE_STATES)
    )


def close_many(conn: Connection, ids: Sequence[int], state: str, at: datetime) -> None:
    if ids:
        conn.execute(
            update(space_bookings)
            .where(space_bookings.c.id.in_(list(ids)))
            .values(state=state, closed_at=utc(at), away_until=None)
        )


def delete_bookings(conn: Connection, *conditions: Any) -> int:
    ids = booking_ids_where(conn, *conditions)
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        conn.execute(delete(space_slots).where(space_slots.c.booking_id.in_(chunk)))
        conn.execute(delete(space_bookings).where(space_bookings.c.id.in_(chunk)))
    return len(ids)


def purge_ended_before(conn: Connection, before: datetime) -> int:
    return delete_bookings(
        conn,
        space_bookings.c.ends_at < utc(before),
        space_bookings.c.state.not_in(ACTIVE_STATES),
    )


def delete_reader_bookings(conn: Connection, reader_id: int) -> int:
    return delete_bookings(conn, space_bookings.c.reader_id == reader_id)


def overlaps(conn: Connection) -> int:
    """Pairs of live bookings of one unit whose times overlap (the storm's check)."""
    other = space_bookings.alias("other")
    return int(
        conn.execute(
            select(func.count())
            .select_from(space_bookings)
            .join(
                other,
                and_(
                    other.c.unit_id == space_bookings.c.unit_id,
                    other.c.id > space_bookings.c.id,
                    other.c.starts_at < space_bookings.c.ends_at,
                    other.c.ends_at > space_bookings.c.starts_at,
                ),
            )
            .where(
                space_bookings.c.state.in_((*ACTIVE_STATES, "completed")),
                other.c.state.in_((*ACTIVE_STATES, "completed")),
            )
        ).scalar_one()
    )


# --- visits -------------------------------------------------------------------------------------


def add_entries(conn: Connection, dialect: str, room_id: int, hour: datetime, entries: int) -> None:
    """Add to the hour's count (one upsert: concurrent doors never lose an entry)."""
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(space_visits).values(room_id=room_id, hour=utc(hour), entries=entries)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["room_id", "hour"],
            set_={"entries": space_visits.c.entries + statement.excluded.entries},
        )
    )


def visits(
    conn: Connection, room_id: int, lo: datetime, hi: datetime
) -> list[tuple[datetime, int]]:
    rows = conn.execute(
        select(space_visits.c.hour, space_visits.c.entries)
        .where(
            space_visits.c.room_id == room_id,
            space_visits.c.hour >= utc(lo),
            space_visits.c.hour < utc(hi),
        )
        .order_by(space_visits.c.hour)
    )
    return [(utc(h), int(n)) for h, n in rows]
