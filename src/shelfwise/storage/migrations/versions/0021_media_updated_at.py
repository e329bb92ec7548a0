"""media_objects.updated_at: when an object's texts, access rule or record last changed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 20:55:00

OAI-PMH serves digital objects with this as their datestamp, so a harvester asking
``from=`` sees a caption corrected or an object withdrawn to staff. Rows already stored
take their creation time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("media_objects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE media_objects SET updated_at = created_at")
    op.create_index("ix_media_objects_updated", "media_objects", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_media_objects_updated", table_name="media_objects")
    with op.batch_alter_table("media_objects", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
