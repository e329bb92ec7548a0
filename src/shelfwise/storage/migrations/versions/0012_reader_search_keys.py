"""reader search keys: what a staff search finds a reader by; items by call number

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 17:00:00

The keys (name, its simplified form and pinyin, phone digits, e-mail) are made by
readers/finding.py, the one place that knows them; the readers already registered get
theirs here, in batches.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    keys = op.create_table(
        "reader_search_keys",
        sa.Column(
            "key",
            sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"],
            ["readers.id"],
            name=op.f("fk_reader_search_keys_reader_id_readers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "reader_id", name=op.f("pk_reader_search_keys")),
    )
    op.create_index(
        "ix_reader_search_keys_reader", "reader_search_keys", ["reader_id"], unique=False
    )
    op.create_index("ix_items_call_number", "items", ["call_number"], unique=False)
    _fill(keys)


def _fill(keys: sa.Table) -> None:
    from shelfwise.readers.finding import search_keys

    conn = op.get_bind()
    readers = sa.table(
        "readers", sa.column("id"), sa.column("name"), sa.column("phone"), sa.column("email")
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(readers).where(readers.c.id > last).order_by(readers.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"key": key, "reader_id": row.id}
            for row in rows
            for key in sorted(search_keys(row.name, row.phone, row.email))
        ]
        if values:
            conn.execute(sa.insert(keys), values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_items_call_number", table_name="items")
    op.drop_index("ix_reader_search_keys_reader", table_name="reader_search_keys")
    op.drop_table("reader_search_keys")
