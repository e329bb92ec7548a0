"""sip2 terminals: self-check terminal accounts with hashed passwords and statistics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sip2_terminals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column(
            "branch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("institution", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=64), nullable=True),
        sa.Column("networks", sa.Text(), server_default="", nullable=False),
        sa.Column("messages", sa.Text(), server_default="", nullable=False),
        sa.Column("fields", sa.Text(), server_default="", nullable=False),
        sa.Column("charset", sa.String(length=16), server_default="utf-8", nullable=False),
        sa.Column("lenient", sa.Integer(), server_default="0", nullable=False),
        sa.Column("language", sa.String(length=2), server_default="zh", nullable=False),
        sa.Column("require_pin", sa.Integer(), server_default="1", nullable=False),
        sa.Column("enabled", sa.Integer(), server_default="1", nullable=False),
        sa.Column("transactions", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("failures", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_sip2_terminals_branch_id_branches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sip2_terminals")),
        sa.UniqueConstraint("name", name=op.f("uq_sip2_terminals_name")),
    )


def downgrade() -> None:
    op.drop_table("sip2_terminals")
