"""staged imports: a MARC file placed but not applied, its records' decisions, the undo log

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "import_stagings",
        sa.Column("id", Id, nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("staff_name", sa.Text(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("undo_log", sa.Text(), nullable=True),
        sa.Column("staged_at", TS, nullable=False),
        sa.Column("applied_at", TS, nullable=True),
        sa.Column("undo_until", TS, nullable=True),
        sa.CheckConstraint(
            "state IN ('staged', 'applied', 'undone', 'discarded')",
            name=op.f("ck_import_stagings_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_stagings")),
    )
    op.create_table(
        "import_staged",
        sa.Column("staging_id", Id, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("matched_on", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("dialect", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "decision IN ('add', 'update', 'merge', 'unchanged', 'reject')",
            name=op.f("ck_import_staged_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["staging_id"],
            ["import_stagings.id"],
            name=op.f("fk_import_staged_staging_id_import_stagings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staging_id", "seq", name=op.f("pk_import_staged")),
    )


def downgrade() -> None:
    op.drop_table("import_staged")
    op.drop_table("import_stagings")
