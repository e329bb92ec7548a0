"""kiosk alerts: the S-3 ``sip2.alert`` events delivered to the staff administration page

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kiosk_alerts",
        sa.Column("id", Id, nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=160), nullable=False),
        sa.Column("peer", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_alerts")),
        sa.UniqueConstraint("event_id", name=op.f("uq_kiosk_alerts_event_id")),
    )
    op.create_index("ix_kiosk_alerts_open", "kiosk_alerts", ["acknowledged_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_kiosk_alerts_open", table_name="kiosk_alerts")
    op.drop_table("kiosk_alerts")
