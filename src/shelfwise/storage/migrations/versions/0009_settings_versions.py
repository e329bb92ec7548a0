"""settings versions: the counter that invalidates cached loan rules, branches and calendars

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:00:00

Circulation keeps loan rules and calendars in memory per process and reads one
counter per transaction instead of the rules themselves; every write to them bumps
the counter in the same transaction (storage/settings_version.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    versions = op.create_table(
        "settings_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_settings_versions")),
    )
    op.bulk_insert(versions, [{"name": "lending", "version": 1}])


def downgrade() -> None:
    op.drop_table("settings_versions")
