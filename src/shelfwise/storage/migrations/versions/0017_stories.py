"""stories: exhibitions over the catalogue, their revisions, themes and featured records

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", Id, nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("cover_id", Id, nullable=True),
        sa.Column("publish_at", TS, nullable=True),
        sa.Column("unpublish_at", TS, nullable=True),
        sa.Column("featured_home", sa.Integer(), server_default="0", nullable=False),
        sa.Column("featured_branch_id", Id, nullable=True),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'review', 'published')", name=op.f("ck_stories_status")
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_stories_revision")),
        sa.CheckConstraint(
            "unpublish_at IS NULL OR publish_at IS NULL OR unpublish_at > publish_at",
            name=op.f("ck_stories_window"),
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["media_objects.id"], name=op.f("fk_stories_cover_id_media_objects")
        ),
        sa.ForeignKeyConstraint(
            ["featured_branch_id"],
            ["branches.id"],
            name=op.f("fk_stories_featured_branch_id_branches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
        sa.UniqueConstraint("slug", name=op.f("uq_stories_slug")),
    )
    op.create_index("ix_stories_status_publish", "stories", ["status", "publish_at"])
    op.create_table(
        "story_revisions",
        sa.Column("story_id", Id, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_story_revisions_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", "revision", name=op.f("pk_story_revisions")),
    )
    op.create_table(
        "story_tags",
        sa.Column("story_id", Id, nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_story_tags_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", "tag", name=op.f("pk_story_tags")),
    )
    op.create_index("ix_story_tags_tag", "story_tags", ["tag"])
    op.create_table(
        "story_records",
        sa.Column("story_id", Id, nullable=False),
        sa.Column("record_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_story_records_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_story_records_record_id_records")
        ),
        sa.PrimaryKeyConstraint("story_id", "record_id", name=op.f("pk_story_records")),
    )
    op.create_index("ix_story_records_record_id", "story_records", ["record_id"])


def downgrade() -> None:
    op.drop_index("ix_story_records_record_id", table_name="story_records")
    op.drop_table("story_records")
    op.drop_index("ix_story_tags_tag", table_name="story_tags")
    op.drop_table("story_tags")
    op.drop_table("story_revisions")
    op.drop_index("ix_stories_status_publish", table_name="stories")
    op.drop_table("stories")
