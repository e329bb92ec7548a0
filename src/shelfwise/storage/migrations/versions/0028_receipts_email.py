"""readers.receipts_email: a checkout receipt by e-mail, for readers who ask for one

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 00:45:00

Off for every reader; a reader turns it on with the ``email_receipts`` consent (logged).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipts_email", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.drop_column("receipts_email")
