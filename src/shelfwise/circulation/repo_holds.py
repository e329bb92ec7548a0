"""SQL of holds and transits (private to circulation; holds.py holds the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from shelfwise.circulation import repo
from shelfwise.circulation.states import ACTIVE_HOLDS, HoldStatus
from shelfwise.storage.tables import branches, holds, items, loans, transits

HOLDABLE_LIFECYCLES = ("in_service", "on_order", "in_processing")


def close_hold(
    conn: Connection,
    hold_id: int,
    status: HoldStatus,
    at: datetime,
    *,
    only_if: HoldStatus | None = None,
    untrap: bool = True,
) -> int:
    """Close a hold (fulfilled, cancelled, expired); ``only_if``: only while in that status.
    How many rows changed (0: it had moved on meanwhile)."""
    query = update(holds).where(holds.c.id == hold_id)
    if only_if is not None:
        query = query.where(holds.c.status == only_if)
    values: dict[str, Any] = {"status": str(status), "closed_at": at}
    if untrap:
        values["trapped_item_id"] = None
    return int(conn.execute(query.values(**values)).rowcount or 0)


def trap(conn: Connection, hold_id: int, item_id: int, status: HoldStatus, at: datetime) -> bool:
    """Trap the copy for the hold, only while the hold still waits (a concurrent check-in
    of another copy may have trapped it first; PostgreSQL re-checks after the wait)."""
    taken = conn.execute(
        update(holds)
        .where(holds.c.id == hold_id, holds.c.status == HoldStatus.WAITING)
        .values(status=str(status), trapped_item_id=item_id, trapped_at=at)
    ).rowcount
    return taken == 1


def set_ready(
    conn: Connection, hold_id: int, shelf_expires_on: date, *, slot: int, code: str
) -> None:
    conn.execute(
        update(holds)
        .where(holds.c.id == hold_id)
        .values(
            status=str(HoldStatus.READY),
            shelf_expires_on=shelf_expires_on,
            shelf_slot=slot,
            pickup_code=code,
        )
    )


def slots_taken(conn: Connection, pickup_branch_id: int) -> set[int]:
    """The hold-shelf slots of the branch's ready holds."""
    return {
        int(s)
        for s in conn.execute(
            select(holds.c.shelf_slot).where(
                holds.c.pickup_branch_id == pickup_branch_id,
                holds.c.status == HoldStatus.READY,
                holds.c.shelf_slot.is_not(None),
            )
        ).scalars()
    }


def first_branch_id(conn: Connection) -> int:
    """A branch to read the lending rules at when the reader has none of their own."""
    return int(conn.execute(select(func.min(branches.c.id))).scalar_one())


def open_loan_of_title(conn: Connection, reader_id: int, record_id: int) -> bool:
    """Whether the reader has a copy of the title on loan now."""
    found = conn.execute(
        select(loans.c.id)
        .join(items, items.c.id == loans.c.item_id)
        .where(
            loans.c.reader_id == reader_id,
            items.c.record_id == record_id,
            loans.c.returned_at.is_(None),
        )
        .limit(1)
    ).first()
    return found is not None


def set_pickup(conn: Connection, hold_id: int, pickup_branch_id: int) -> None:
    conn.execute(
        update(holds)
        .where(holds.c.id == hold_id, holds.c.status == HoldStatus.WAITING)
        .values(pickup_branch_id=pickup_branch_id)
    )


def ready_past(conn: Connection, today: date) -> list[int]:
    """Ready holds whose shelf time ended before ``today``."""
    return [
        int(i)
        for i in conn.execute(
            select(holds.c.id).where(
                holds.c.status == HoldStatus.READY, holds.c.shelf_expires_on < today
            )
        ).scalars()
    ]


def waiting(conn: Connection) -> Sequence[Row[Any]]:
    return conn.execute(
        select(holds).where(holds.c.status == HoldStatus.WAITING).order_by(holds.c.id)
    ).all()


def copies_at(conn: Connection, record_id: int, branch_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        select(items)
        .where(items.c.record_id == record_id, items.c.home_branch_id == branch_id)
        .order_by(items.c.id)
    ).all()


def holdable_item_types(conn: Connection, record_id: int) -> list[str]:
    """The item types of the title's copies a hold can wait for."""
    return [
        str(t)
        for t in conn.execute(
            select(items.c.item_type).where(
                items.c.record_id == record_id, items.c.lifecycle.in_(HOLDABLE_LIFECYCLES)
            )
        ).scalars()
    ]


def cancel_active_holds_of(conn: Connection, reader_id: int, at: datetime) -> None:
    conn.execute(
        update(holds)
        .where(holds.c.reader_id == reader_id, holds.c.status.in_([str(s) for s in ACTIVE_HOLDS]))
        .values(status=str(HoldStatus.CANCELLED), trapped_item_id=None, closed_at=at)
    )


def send(
    conn: Connection, item_id: int, here: int, to: int, hold_id: int | None, at: datetime
) -> None:
    conn.execute(
        insert(transits).values(
            item_id=item_id, from_branch_id=here, to_branch_id=to, hold_id=hold_id, sent_at=at
        )
    )


def receive(conn: Connection, transit_id: int, at: datetime) -> None:
    conn.execute(update(transits).where(transits.c.id == transit_id).values(received_at=at))


def trapped_records_of(conn: Connection, hold_ids: Sequence[int]) -> list[int]:
    """The records of the copies these holds trap (before they close: a freed copy is back
    on the shelf, which search must learn)."""
    return repo.trapped_records(conn, holds.c.id.in_(list(hold_ids)))


def trapped_records_of_reader(conn: Connection, reader_id: int) -> list[int]:
    return repo.trapped_records(conn, holds.c.reader_id == reader_id)
