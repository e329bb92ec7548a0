"""analytics: activity counters kept from circulation's events, and the events counted (issue 21)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 20:30:00

No column holds a reader id (P17): a counter keeps its count and a 256-bit set of one-byte
reader marks that lower-bounds how many different readers made it (docs/analytics.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "analytics_activity",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("marks_0", sa.BigInteger(), nullable=False),
        sa.Column("marks_1", sa.BigInteger(), nullable=False),
        sa.Column("marks_2", sa.BigInteger(), nullable=False),
        sa.Column("marks_3", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('checkout', 'return', 'renewal', 'hold')",
            name=op.f("ck_analytics_activity_kind"),
        ),
        sa.CheckConstraint(
            "dimension IN ('all', 'category', 'age_band', 'item_type', 'main_class')",
            name=op.f("ck_analytics_activity_dimension"),
        ),
        sa.CheckConstraint("events > 0", name=op.f("ck_analytics_activity_events")),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_analytics_activity_branch_id_branches"),
        ),
        sa.PrimaryKeyConstraint(
            "day", "branch_id", "kind", "dimension", "value", name=op.f("pk_analytics_activity")
        ),
    )
    op.create_index(
        "ix_analytics_activity_kind_dimension_day",
        "analytics_activity",
        ["kind", "dimension", "day"],
    )
    op.create_table(
        "analytics_applied",
        sa.Column("event_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_analytics_applied")),
    )


def downgrade() -> None:
    op.drop_table("analytics_applied")
    op.drop_index("ix_analytics_activity_kind_dimension_day", table_name="analytics_activity")
    op.drop_table("analytics_activity")
