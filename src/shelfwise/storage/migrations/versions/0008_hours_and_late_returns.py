"""branch opening hours, and late returns per reader and month

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

``late_returns`` keeps what credit borrowing needs once returned loans are
unlinked from readers (P1, P2). It is filled here from the returned loans that
are still linked (readers who keep a history, loans with a fee), so an upgrade
forgets no more than the old look-back could see.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The library's zone is a setting the migration cannot read; the default's offset
# (Asia/Shanghai, no daylight saving) decides which month an old return falls in.
_DEFAULT_OFFSET = timedelta(hours=8)


def upgrade() -> None:
    op.create_table(
        "branch_hours",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "branch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("opens_minute", sa.Integer(), nullable=False),
        sa.Column("closes_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(weekday IS NULL) <> (day IS NULL)", name=op.f("ck_branch_hours_weekday_or_day")
        ),
        sa.CheckConstraint(
            "weekday IS NULL OR (weekday >= 0 AND weekday <= 6)",
            name=op.f("ck_branch_hours_weekday_range"),
        ),
        sa.CheckConstraint(
            "opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440",
            name=op.f("ck_branch_hours_span"),
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_branch_hours_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branch_hours")),
    )
    with op.batch_alter_table("branch_hours", schema=None) as batch_op:
        batch_op.create_index("ix_branch_hours_branch", ["branch_id"], unique=False)

    late_returns = op.create_table(
        "late_returns",
        sa.Column(
            "reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.CheckConstraint("returns > 0", name=op.f("ck_late_returns_positive")),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_late_returns_reader_id_readers")
        ),
        sa.PrimaryKeyConstraint("reader_id", "month", name=op.f("pk_late_returns")),
    )
    _fill_late_returns(late_returns)


def _fill_late_returns(late_returns: sa.Table) -> None:
    loans = sa.table(
        "loans",
        sa.column("reader_id", sa.BigInteger()),
        sa.column("due_on", sa.Date()),
        sa.column("returned_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(
        sa.select(loans.c.reader_id, loans.c.due_on, loans.c.returned_at).where(
            loans.c.reader_id.is_not(None), loans.c.returned_at.is_not(None)
        )
    )
    counts: Counter[tuple[int, date]] = Counter()
    for reader_id, due_on, returned_at in rows:
        returned_on = _local_day(returned_at)
        if returned_on > due_on:
            counts[(int(reader_id), returned_on.replace(day=1))] += 1
    if counts:
        op.bulk_insert(
            late_returns,
            [{"reader_id": r, "month": m, "returns": n} for (r, m), n in sorted(counts.items())],
        )


def _local_day(moment: datetime) -> date:
    naive = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))
    return (naive + _DEFAULT_OFFSET).date()


def downgrade() -> None:
    op.drop_table("late_returns")
    with op.batch_alter_table("branch_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_branch_hours_branch")
    op.drop_table("branch_hours")
