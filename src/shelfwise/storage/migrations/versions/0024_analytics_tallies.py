"""analytics: counters of wishes, visits, story views, events and kiosks; the collection's
stock taken hourly (issue 21)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 23:55:00

No column holds a reader id (P17). ``analytics_tallies.branch_id`` 0 is the network, hence a
check and no foreign key. The stock tables are rewritten by the ``analytics.stock`` job, so
the dashboards read neither ``items`` nor ``loans`` on a page view (docs/analytics.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)
_KINDS = (
    "wish_posted",
    "wish_moved",
    "wish_answered",
    "visit",
    "visit_24h",
    "story_view",
    "event_seats",
    "event_registered",
    "event_attended",
    "sip2",
)


def upgrade() -> None:
    op.create_table(
        "analytics_tallies",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("branch_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        *(sa.Column(f"marks_{i}", sa.BigInteger(), nullable=False) for i in range(4)),
        sa.CheckConstraint(f"kind IN {_KINDS!r}", name=op.f("ck_analytics_tallies_kind")),
        sa.CheckConstraint("branch_id >= 0", name=op.f("ck_analytics_tallies_branch")),
        sa.PrimaryKeyConstraint(
            "day", "branch_id", "kind", "value", name=op.f("pk_analytics_tallies")
        ),
    )
    op.create_index("ix_analytics_tallies_kind_day", "analytics_tallies", ["kind", "day"])
    op.create_table(
        "analytics_stock",
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("main_class", sa.String(length=32), nullable=False),
        sa.Column("idle_years", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("taken_at", _TS, nullable=False),
        sa.CheckConstraint(
            "idle_years >= -1 AND idle_years <= 10", name=op.f("ck_analytics_stock_idle_years")
        ),
        sa.CheckConstraint("copies > 0", name=op.f("ck_analytics_stock_copies")),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_analytics_stock_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint(
            "branch_id", "main_class", "idle_years", name=op.f("pk_analytics_stock")
        ),
    )
    op.create_table(
        "analytics_idle_copies",
        sa.Column("item_id", _ID, nullable=False),
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("main_class", sa.String(length=32), nullable=False),
        sa.Column("last_loan", sa.Date(), nullable=True),
        sa.Column("taken_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_analytics_idle_copies_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_analytics_idle_copies_branch_id_branches"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_analytics_idle_copies")),
    )
    op.create_index("ix_analytics_idle_copies_branch", "analytics_idle_copies", ["branch_id"])
    op.create_table(
        "analytics_wanted",
        sa.Column("branch_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("holds", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("taken_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_analytics_wanted_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_analytics_wanted_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("branch_id", "record_id", name=op.f("pk_analytics_wanted")),
    )


def downgrade() -> None:
    op.drop_table("analytics_wanted")
    op.drop_index("ix_analytics_idle_copies_branch", table_name="analytics_idle_copies")
    op.drop_table("analytics_idle_copies")
    op.drop_table("analytics_stock")
    op.drop_index("ix_analytics_tallies_kind_day", table_name="analytics_tallies")
    op.drop_table("analytics_tallies")
