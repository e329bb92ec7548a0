"""notice templates: the library's own words for each notice kind per page language

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:59:00

A (kind, language) without a row is sent in the built-in text of
circulation/notice_templates.py; the service checks the placeholders before a row is saved.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_templates",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "language IN ('zh', 'zh-Hant', 'ko', 'en')",
            name=op.f("ck_notice_templates_language"),
        ),
        sa.CheckConstraint(
            "length(subject) > 0 AND length(body) > 0",
            name=op.f("ck_notice_templates_not_empty"),
        ),
        sa.PrimaryKeyConstraint("kind", "language", name=op.f("pk_notice_templates")),
    )


def downgrade() -> None:
    op.drop_table("notice_templates")
