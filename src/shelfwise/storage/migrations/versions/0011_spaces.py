"""spaces: rooms, bookable units, bookings with their slots, booking rules, visit counts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 17:00:00

A booking claims one ``space_slots`` row per slot it covers; the primary key (unit,
slot start) makes a second booking of the same slot impossible on both engines.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "space_rooms",
        sa.Column("id", _ID, nullable=False),
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("grid_rows", sa.Integer(), nullable=False),
        sa.Column("grid_cols", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint(
            "grid_rows BETWEEN 1 AND 60 AND grid_cols BETWEEN 1 AND 60",
            name=op.f("ck_space_rooms_grid"),
        ),
        sa.CheckConstraint(
            "kind IN ('reading', 'all_day', 'study', 'children')",
            name=op.f("ck_space_rooms_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_space_rooms_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_rooms")),
        sa.UniqueConstraint("branch_id", "code", name="uq_space_rooms_branch_code"),
    )
    op.create_table(
        "space_units",
        sa.Column("id", _ID, nullable=False),
        sa.Column("room_id", _ID, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("features", sa.String(length=200), server_default="", nullable=False),
        sa.Column("grid_row", sa.Integer(), nullable=False),
        sa.Column("grid_col", sa.Integer(), nullable=False),
        sa.Column("qr_epoch", sa.Integer(), server_default="1", nullable=False),
        sa.Column("enabled", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("grid_row >= 0 AND grid_col >= 0", name=op.f("ck_space_units_cell")),
        sa.CheckConstraint("kind IN ('seat', 'table', 'room')", name=op.f("ck_space_units_kind")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["space_rooms.id"], name=op.f("fk_space_units_room_id_space_rooms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_units")),
        sa.UniqueConstraint("room_id", "code", name="uq_space_units_room_code"),
        sa.UniqueConstraint("room_id", "grid_row", "grid_col", name="uq_space_units_room_cell"),
    )
    op.create_table(
        "space_bookings",
        sa.Column("id", _ID, nullable=False),
        sa.Column("unit_id", _ID, nullable=False),
        sa.Column("reader_id", _ID, nullable=True),
        sa.Column("purpose", sa.String(length=64), server_default="", nullable=False),
        sa.Column("starts_at", _TS, nullable=False),
        sa.Column("ends_at", _TS, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("walk_in", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("checked_in_at", _TS, nullable=True),
        sa.Column("away_until", _TS, nullable=True),
        sa.Column("closed_at", _TS, nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_space_bookings_span")),
        sa.CheckConstraint(
            "state IN ('booked', 'checked_in', 'away', 'completed', 'released', 'no_show', "
            "'cancelled')",
            name=op.f("ck_space_bookings_state"),
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_space_bookings_reader_id_readers")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["space_units.id"], name=op.f("fk_space_bookings_unit_id_space_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_bookings")),
    )
    with op.batch_alter_table("space_bookings", schema=None) as batch_op:
        batch_op.create_index("ix_space_bookings_reader", ["reader_id", "starts_at"])
        batch_op.create_index("ix_space_bookings_state", ["state", "starts_at"])
        batch_op.create_index("ix_space_bookings_unit", ["unit_id", "starts_at"])
    op.create_table(
        "space_slots",
        sa.Column("unit_id", _ID, nullable=False),
        sa.Column("slot_start", _TS, nullable=False),
        sa.Column("booking_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["space_bookings.id"],
            name=op.f("fk_space_slots_booking_id_space_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["space_units.id"], name=op.f("fk_space_slots_unit_id_space_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "slot_start", name="pk_space_slots"),
    )
    with op.batch_alter_table("space_slots", schema=None) as batch_op:
        batch_op.create_index("ix_space_slots_booking", ["booking_id"])
    op.create_table(
        "space_rules",
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("minutes_per_day", sa.Integer(), nullable=False),
        sa.Column("days_ahead", sa.Integer(), nullable=False),
        sa.Column("at_once", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "minutes_per_day > 0 AND days_ahead >= 0 AND at_once > 0",
            name=op.f("ck_space_rules_positive"),
        ),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_space_rules")),
    )
    op.create_table(
        "space_visits",
        sa.Column("room_id", _ID, nullable=False),
        sa.Column("hour", _TS, nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.CheckConstraint("entries >= 0", name=op.f("ck_space_visits_entries")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["space_rooms.id"], name=op.f("fk_space_visits_room_id_space_rooms")
        ),
        sa.PrimaryKeyConstraint("room_id", "hour", name="pk_space_visits"),
    )


def downgrade() -> None:
    op.drop_table("space_visits")
    op.drop_table("space_rules")
    with op.batch_alter_table("space_slots", schema=None) as batch_op:
        batch_op.drop_index("ix_space_slots_booking")
    op.drop_table("space_slots")
    with op.batch_alter_table("space_bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_space_bookings_unit")
        batch_op.drop_index("ix_space_bookings_state")
        batch_op.drop_index("ix_space_bookings_reader")
    op.drop_table("space_bookings")
    op.drop_table("space_units")
    op.drop_table("space_rooms")
