"""Events' SQL (private to the domain): events, registrations, the waitlist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, update

from shelfwise.core.errors import ShelfwiseError
from shelfwise.events.models import LibraryEvent, Registration
from shelfwise.storage.tables.catalogue import branches
from shelfwise.storage.tables.events import event_registrations, events
from shelfwise.storage.tables.spaces import space_rooms

_reg = event_registrations


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _opt(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


_WAITING = (
    select(func.count())
    .where(_reg.c.event_id == events.c.id, _reg.c.state == "waitlisted")
    .correlate(events)
    .scalar_subquery()
)

_EVENT = (
    select(
        events,
        branches.c.code.label("branch"),
        space_rooms.c.name.label("room_name"),
        _WAITING.label("waitlisted"),
    )
    .join(branches, branches.c.id == events.c.branch_id)
    .outerjoin(space_rooms, space_rooms.c.id == events.c.room_id)
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.split(",") if p)


def _event(row: Row[Any]) -> LibraryEvent:
    return LibraryEvent(
        id=int(row.id),
        branch=row.branch,
        room_id=None if row.room_id is None else int(row.room_id),
        room_name=row.room_name,
        kind=row.kind,
        title=row.title,
        description=row.description,
        starts_at=utc(row.starts_at),
        ends_at=utc(row.ends_at),
        capacity=int(row.capacity),
        registered=int(row.registered),
        waitlisted=int(row.waitlisted),
        audience=_split(row.audience),
        languages=_split(row.languages),
        registration_opens_at=utc(row.registration_opens_at),
        registration_closes_at=utc(row.registration_closes_at),
        story_ref=row.story_ref,
        wish_ref=None if row.wish_ref is None else int(row.wish_ref),
        state=row.state,
        created_at=utc(row.created_at),
    )


def branch_id(conn: Connection, code: str) -> int:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    if found is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    return int(found)


def insert_event(conn: Connection, values: dict[str, Any]) -> int:
    values = {k: (utc(v) if isinstance(v, datetime) else v) for k, v in values.items()}
    statement = insert(events).values(**values).returning(events.c.id)
    return int(conn.execute(statement).scalar_one())


def event(conn: Connection, event_id: int, *, lock: bool = False) -> LibraryEvent:
    if lock:  # the row lock first (FOR UPDATE takes no aggregate): it orders the racers
        conn.execute(select(events.c.id).where(events.c.id == event_id).with_for_update())
    row = conn.execute(_EVENT.where(events.c.id == event_id)).first()
    if row is None:
        raise ShelfwiseError("events.not_found")
    return _event(row)


def room_hold(conn: Connection, event_id: int) -> str | None:
    return conn.execute(select(events.c.room_hold).where(events.c.id == event_id)).scalar()


def upcoming(
    conn: Connection, after: datetime, until: datetime, branch: str | None
) -> list[LibraryEvent]:
    query = _EVENT.where(events.c.ends_at > utc(after), events.c.starts_at < utc(until))
    if branch is not None:
        query = query.where(branches.c.code == branch)
    return [_event(r) for r in conn.execute(query.order_by(events.c.starts_at, events.c.id))]


def update_event(conn: Connection, event_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(**values))


def take_arrival(conn: Connection, event_id: int) -> int:
    """The next arrival number of the event (its row is locked by the caller)."""
    conn.execute(
        update(events).where(events.c.id == event_id).values(next_arrival=events.c.next_arrival + 1)
    )
    return int(
        conn.execute(select(events.c.next_arrival).where(events.c.id == event_id)).scalar_one()
    )


def add_registered(conn: Connection, event_id: int, delta: int) -> None:
    """Move the places-taken counter; its check refuses going past the capacity."""
    conn.execute(
        update(events).where(events.c.id == event_id).values(registered=events.c.registered + delta)
    )


# --- registrations --------------------------------------------------------------------------


def _registration(row: Row[Any], position: int | None = None) -> Registration:
    return Registration(
        id=int(row.id),
        event_id=int(row.event_id),
        reader_id=int(row.reader_id),
        state=row.state,
        arrival=int(row.arrival),
        created_at=utc(row.created_at),
        promoted_at=_opt(row.promoted_at),
        attended_at=_opt(row.attended_at),
        waitlist_position=position,
    )


def registration(conn: Connection, event_id: int, reader_id: int) -> Registration | None:
    row = conn.execute(
        select(_reg).where(_reg.c.event_id == event_id, _reg.c.reader_id == reader_id)
    ).first()
    if row is None:
        return None
    position = None
    if row.state == "waitlisted":
        position = int(
            conn.execute(
                select(func.count()).where(
                    _reg.c.event_id == event_id,
                    _reg.c.state == "waitlisted",
                    _reg.c.arrival <= row.arrival,
                )
            ).scalar_one()
        )
    return _registration(row, position)


def insert_registration(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(_reg).values(created_at=utc(values.pop("created_at")), **values))


def set_registration(
    conn: Connection, registration_id: int, old: Sequence[str], values: dict[str, Any]
) -> bool:
    values = {k: (utc(v) if isinstance(v, datetime) else v) for k, v in values.items()}
    done = conn.execute(
        update(_reg)
        .where(_reg.c.id == registration_id, _reg.c.state.in_(list(old)))
        .values(**values)
    )
    return done.rowcount == 1


def first_waiting(conn: Connection, event_id: int) -> Registration | None:
    row = conn.execute(
        select(_reg)
        .where(_reg.c.event_id == event_id, _reg.c.state == "waitlisted")
        .order_by(_reg.c.arrival)
        .limit(1)
    ).first()
    return None if row is None else _registration(row, 1)


def holders(conn: Connection, event_id: int, states: Sequence[str]) -> list[int]:
    rows = conn.execute(
        select(_reg.c.reader_id).where(_reg.c.event_id == event_id, _reg.c.state.in_(states))
    )
    return [int(r[0]) for r in rows]


def attendees(conn: Connection, event_id: int) -> list[Registration]:
    """Registered and attended first, then the waitlist, each in arrival order."""
    rows = conn.execute(
        select(_reg)
        .where(_reg.c.event_id == event_id, _reg.c.state != "cancelled")
        .order_by(_reg.c.state == "waitlisted", _reg.c.arrival)
    )
    return [_registration(r) for r in rows]


def reader_registrations(conn: Connection, reader_id: int) -> list[Registration]:
    rows = conn.execute(
        select(_reg.c.event_id).where(_reg.c.reader_id == reader_id).order_by(_reg.c.id)
    )
    found = [registration(conn, int(r[0]), reader_id) for r in rows]
    return [r for r in found if r is not None]


def due_reminders(conn: Connection, now: datetime, until: datetime) -> list[int]:
    rows = conn.execute(
        select(events.c.id).where(
            and_(
                events.c.state == "published",
                events.c.reminded == 0,
                events.c.starts_at > utc(now),
                events.c.starts_at <= utc(until),
            )
        )
    )
    return [int(r[0]) for r in rows]


def delete_reader_registrations(conn: Connection, reader_id: int) -> list[int]:
    """Delete the reader's registrations; the events whose places they held."""
    held = conn.execute(
        select(_reg.c.event_id).where(
            _reg.c.reader_id == reader_id, _reg.c.state.in_(["registered", "attended"])
        )
    ).all()
    conn.execute(delete(_reg).where(_reg.c.reader_id == reader_id))
    return [int(r[0]) for r in held]


def purge_registrations(conn: Connection, ended_before: datetime) -> int:
    ids = select(events.c.id).where(events.c.ends_at < utc(ended_before)).scalar_subquery()
    return int(conn.execute(delete(_reg).where(_reg.c.event_id.in_(ids))).rowcount)
