"""Events' tables: library events and the readers registered for them (written by
events/ only).

Capacity is never exceeded, and the database says so: ``events.registered`` counts the
places taken and a check keeps it within ``capacity``; every registration, cancellation
and promotion changes it in the same transaction as the registration row, under the
event row's lock. ``arrival`` orders the waitlist (first come, first promoted).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shelfwise.storage.tables.base import Id, metadata, ts

EVENT_KINDS = ("lecture", "club", "story_time", "exhibition", "workshop")
EVENT_STATES = ("published", "cancelled")
REGISTRATION_STATES = ("registered", "waitlisted", "cancelled", "attended")

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("room_id", Id, ForeignKey("space_rooms.id"), nullable=True),
    # What holds the room in spaces (the purpose of its bookings), when it has one.
    Column("room_hold", String(64), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    ts("starts_at"),
    ts("ends_at"),
    Column("capacity", Integer, nullable=False),
    Column("registered", Integer, nullable=False, server_default="0"),
    Column("next_arrival", Integer, nullable=False, server_default="0"),
    Column("audience", String(100), nullable=False, server_default=""),
    Column("languages", String(100), nullable=False, server_default=""),
    ts("registration_opens_at"),
    ts("registration_closes_at"),
    # A story (stories domain) it belongs to and a wish it answers: references only.
    Column("story_ref", String(100), nullable=True),
    Column("wish_ref", BigInteger, nullable=True),
    Column("state", String(12), nullable=False, server_default="published"),
    Column("reminded", Integer, nullable=False, server_default="0"),
    ts("created_at"),
    CheckConstraint("ends_at > starts_at", name="span"),
    CheckConstraint("registration_closes_at > registration_opens_at", name="window"),
    CheckConstraint("capacity >= 0 AND capacity <= 100000", name="capacity"),
    CheckConstraint("registered >= 0 AND registered <= capacity", name="registered"),
    CheckConstraint(f"kind IN {EVENT_KINDS!r}", name="kind"),
    CheckConstraint(f"state IN {EVENT_STATES!r}", name="state"),
)
Index("ix_events_branch_start", events.c.branch_id, events.c.starts_at)

event_registrations = Table(
    "event_registrations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("event_id", Id, ForeignKey("events.id"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=False),
    Column("state", String(12), nullable=False),
    Column("arrival", Integer, nullable=False),
    ts("created_at"),
    ts("promoted_at", nullable=True),
    ts("closed_at", nullable=True),
    ts("attended_at", nullable=True),
    UniqueConstraint("event_id", "reader_id", name="uq_event_registrations_event_reader"),
    UniqueConstraint("event_id", "arrival", name="uq_event_registrations_event_arrival"),
    CheckConstraint(f"state IN {REGISTRATION_STATES!r}", name="state"),
)
Index("ix_event_registrations_reader", event_registrations.c.reader_id)
