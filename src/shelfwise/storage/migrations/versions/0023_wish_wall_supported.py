"""the wish wall's "most supported" order: an index, so the wall does not sort every wish

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 21:55:00

The wall shows shown wishes by supporters, newest first among equals
(wishes/repo.py ``wall``); without it the database read and sorted them all.
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_wishes_supported", "wishes", ["moderation", "supporters", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_wishes_supported", table_name="wishes")
