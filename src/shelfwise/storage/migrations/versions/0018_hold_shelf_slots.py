"""hold-shelf slots and pickup codes: where a ready hold sits and the code it is collected with

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 17:45:00

Both are given when a copy reaches the hold shelf (circulation/holds.py). Holds already
ready when this runs have neither; the reader's page and the slip show them only when set.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shelf_slot", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pickup_code", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            "shelf_slot", sa.text("shelf_slot IS NULL OR shelf_slot > 0")
        )


def downgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_constraint("shelf_slot", type_="check")
        batch_op.drop_column("pickup_code")
        batch_op.drop_column("shelf_slot")
