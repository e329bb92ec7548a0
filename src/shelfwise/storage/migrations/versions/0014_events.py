"""events: library events with capacity and registration window; registrations and waitlist

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:30:00

``events.registered`` counts the places taken; a check keeps it within ``capacity``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", _ID, nullable=False),
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("room_id", _ID, nullable=True),
        sa.Column("room_hold", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("starts_at", _TS, nullable=False),
        sa.Column("ends_at", _TS, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_arrival", sa.Integer(), server_default="0", nullable=False),
        sa.Column("audience", sa.String(length=100), server_default="", nullable=False),
        sa.Column("languages", sa.String(length=100), server_default="", nullable=False),
        sa.Column("registration_opens_at", _TS, nullable=False),
        sa.Column("registration_closes_at", _TS, nullable=False),
        sa.Column("story_ref", sa.String(length=100), nullable=True),
        sa.Column("wish_ref", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=12), server_default="published", nullable=False),
        sa.Column("reminded", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_events_span")),
        sa.CheckConstraint(
            "registration_closes_at > registration_opens_at", name=op.f("ck_events_window")
        ),
        sa.CheckConstraint("capacity >= 0 AND capacity <= 100000", name=op.f("ck_events_capacity")),
        sa.CheckConstraint(
            "registered >= 0 AND registered <= capacity", name=op.f("ck_events_registered")
        ),
        sa.CheckConstraint(
            "kind IN ('lecture', 'club', 'story_time', 'exhibition', 'workshop')",
            name=op.f("ck_events_kind"),
        ),
        sa.CheckConstraint("state IN ('published', 'cancelled')", name=op.f("ck_events_state")),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_events_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["space_rooms.id"], name=op.f("fk_events_room_id_space_rooms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_branch_start", ["branch_id", "starts_at"])
    op.create_table(
        "event_registrations",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("reader_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("arrival", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("promoted_at", _TS, nullable=True),
        sa.Column("closed_at", _TS, nullable=True),
        sa.Column("attended_at", _TS, nullable=True),
        sa.CheckConstraint(
            "state IN ('registered', 'waitlisted', 'cancelled', 'attended')",
            name=op.f("ck_event_registrations_state"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_registrations_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_event_registrations_reader_id_readers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "reader_id", name="uq_event_registrations_event_reader"),
        sa.UniqueConstraint("event_id", "arrival", name="uq_event_registrations_event_arrival"),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index("ix_event_registrations_reader", ["reader_id"])


def downgrade() -> None:
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_event_registrations_reader")
    op.drop_table("event_registrations")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_branch_start")
    op.drop_table("events")
