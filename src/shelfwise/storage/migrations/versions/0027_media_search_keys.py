"""media search keys: what a reader's search finds a digital object by

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 00:40:00

A search read every object's name, captions and alt texts and matched them in Python;
now it looks the query's keys up in this index (storage/tables/media.py). The keys are
made by media/finding.py, the one place that knows them; the objects already stored get
theirs here, in batches.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    keys = op.create_table(
        "media_search_keys",
        sa.Column(
            "key",
            sa.String(length=96).with_variant(sa.String(length=96, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "object_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["media_objects.id"],
            name=op.f("fk_media_search_keys_object_id_media_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "object_id", name=op.f("pk_media_search_keys")),
    )
    op.create_index("ix_media_search_keys_object", "media_search_keys", ["object_id"], unique=False)
    _fill(keys)


def _fill(keys: sa.Table) -> None:
    from shelfwise.media.finding import search_keys

    conn = op.get_bind()
    objects = sa.table("media_objects", sa.column("id"), sa.column("name"))
    texts = sa.table("media_texts", sa.column("object_id"), sa.column("caption"), sa.column("alt"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(objects).where(objects.c.id > last).order_by(objects.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        values: dict[int, list[str]] = {int(r.id): [r.name] for r in rows}
        found = sa.select(texts).where(texts.c.object_id.in_(list(values)))
        for t in conn.execute(found):
            values[int(t.object_id)].extend([t.caption or "", t.alt or ""])
        inserted = [
            {"key": key, "object_id": object_id}
            for object_id, said in values.items()
            for key in sorted(search_keys(said))
        ]
        if inserted:
            conn.execute(sa.insert(keys), inserted)
        last = int(rows[-1].id)


def downgrade() -> None:
    op.drop_index("ix_media_search_keys_object", table_name="media_search_keys")
    op.drop_table("media_search_keys")
