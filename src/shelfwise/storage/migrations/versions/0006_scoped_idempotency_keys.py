"""scoped, keyed idempotency keys: request fingerprint, the copy acted on, purge index

The keys stored before this revision were unsalted SHA-256 digests of raw kiosk
messages, PIN included (a PIN could be recomputed from one in seconds), and were
global. They are deleted: a retry older than this upgrade runs as a new request.
Rows of migrated data (``migrate_in_*``) are not request keys and stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_keys WHERE operation NOT LIKE 'migrate_in_%'")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("item", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_idempotency_keys_item", ["item"], unique=False)
        batch_op.create_index("ix_idempotency_keys_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created_at")
        batch_op.drop_index("ix_idempotency_keys_item")
        batch_op.drop_column("item")
        batch_op.drop_column("request")
