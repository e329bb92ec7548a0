"""record versions: each master MARC record the editor saved, who saved it and when

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 20:30:00

Records catalogued before this have no versions; their first save in the editor keeps
the version it replaces (staff_name NULL: as imported).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "record_versions",
        sa.Column("record_id", Id, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("dialect", sa.String(length=16), nullable=False),
        sa.Column("master", sa.LargeBinary(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("saved_at", TS, nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_record_versions_version")),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_versions_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_record_versions")),
    )


def downgrade() -> None:
    op.drop_table("record_versions")
