"""Spaces' tables: rooms, bookable units, bookings and their slots, rules, visit counts
(written by spaces/ only).

No unit is ever booked twice for overlapping time, and the database says so on both
engines with one design: a booking claims each ``space_slot_minutes`` slot it covers as a
``space_slots`` row, whose primary key is (unit, slot start). A second booking of any
slot fails on that key, whatever code races it. Releasing a booking (early, as a no-show,
cancelled) deletes its slots from then on; the booking row keeps what happened until the
retention purges it (P3).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from shelfwise.storage.tables.base import Id, metadata, ts

ROOM_KINDS = ("reading", "all_day", "study", "children")
UNIT_KINDS = ("seat", "table", "room")
# booked -> checked_in <-> away -> completed | released ; booked -> no_show | cancelled
BOOKING_STATES = ("booked", "checked_in", "away", "completed", "released", "no_show", "cancelled")
ACTIVE_STATES = ("booked", "checked_in", "away")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# A room of a branch, and the grid its seat map is drawn on. ``all_day``: open round the
# clock (a 24-hour room) except on the branch's closed dates; otherwise the branch hours.
space_rooms = Table(
    "space_rooms",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("grid_rows", Integer, nullable=False),
    Column("grid_cols", Integer, nullable=False),
    Column("enabled", Integer, nullable=False, server_default="1"),
    ts("created_at"),
    UniqueConstraint("branch_id", "code", name="uq_space_rooms_branch_code"),
    CheckConstraint(_in("kind", ROOM_KINDS), name="kind"),
    CheckConstraint("grid_rows BETWEEN 1 AND 60 AND grid_cols BETWEEN 1 AND 60", name="grid"),
)

# A seat, table or whole room someone books; one cell of its room's grid. ``qr_epoch``
# is in the signed QR code printed on it: reprinting bumps it and the old code expires.
space_units = Table(
    "space_units",
    metadata,
    Column("id", Id, primary_key=True),
    Column("room_id", Id, ForeignKey("space_rooms.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("features", String(200), nullable=False, server_default=""),
    Column("grid_row", Integer, nullable=False),
    Column("grid_col", Integer, nullable=False),
    Column("qr_epoch", Integer, nullable=False, server_default="1"),
    Column("enabled", Integer, nullable=False, server_default="1"),
    UniqueConstraint("room_id", "code", name="uq_space_units_room_code"),
    UniqueConstraint("room_id", "grid_row", "grid_col", name="uq_space_units_room_cell"),
    CheckConstraint(_in("kind", UNIT_KINDS), name="kind"),
    CheckConstraint("grid_row >= 0 AND grid_col >= 0", name="cell"),
)

# A reader's booking of a unit (reader_id NULL: a room held for an event). The times
# are UTC; the local slots of the library's zone are what the rules speak of.
space_bookings = Table(
    "space_bookings",
    metadata,
    Column("id", Id, primary_key=True),
    Column("unit_id", Id, ForeignKey("space_units.id"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("purpose", String(64), nullable=False, server_default=""),
    ts("starts_at"),
    ts("ends_at"),
    Column("state", String(12), nullable=False),
    Column("walk_in", Integer, nullable=False, server_default="0"),
    ts("created_at"),
    ts("checked_in_at", nullable=True),
    ts("away_until", nullable=True),
    ts("closed_at", nullable=True),
    CheckConstraint("ends_at > starts_at", name="span"),
    CheckConstraint(_in("state", BOOKING_STATES), name="state"),
)
Index("ix_space_bookings_reader", space_bookings.c.reader_id, space_bookings.c.starts_at)
Index("ix_space_bookings_state", space_bookings.c.state, space_bookings.c.starts_at)
Index("ix_space_bookings_unit", space_bookings.c.unit_id, space_bookings.c.starts_at)

# One row per slot a live booking holds: the key (unit, slot start) is the guarantee.
space_slots = Table(
    "space_slots",
    metadata,
    Column("unit_id", Id, ForeignKey("space_units.id"), nullable=False),
    ts("slot_start"),
    Column("booking_id", Id, ForeignKey("space_bookings.id"), nullable=False),
    PrimaryKeyConstraint("unit_id", "slot_start", name="pk_space_slots"),
)
Index("ix_space_slots_booking", space_slots.c.booking_id)

# What a reader category may book ('*': every category without a row of its own).
space_rules = Table(
    "space_rules",
    metadata,
    Column("category", String(32), primary_key=True),
    Column("minutes_per_day", Integer, nullable=False),
    Column("days_ahead", Integer, nullable=False),
    Column("at_once", Integer, nullable=False),
    CheckConstraint("minutes_per_day > 0 AND days_ahead >= 0 AND at_once > 0", name="positive"),
)

# Entries into a room per local hour (door QR scans, a gate counter's figures): counts
# only, never a reader.
space_visits = Table(
    "space_visits",
    metadata,
    Column("room_id", Id, ForeignKey("space_rooms.id"), nullable=False),
    ts("hour"),
    Column("entries", Integer, nullable=False),
    PrimaryKeyConstraint("room_id", "hour", name="pk_space_visits"),
    CheckConstraint("entries >= 0", name="entries"),
)
