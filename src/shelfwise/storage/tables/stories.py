"""Stories' tables: exhibitions built on the catalogue (written by stories/ only).

A story's texts and sections are one JSON document (``document``), saved whole at each
change; ``story_revisions`` keeps every saved document with who and when. ``story_tags`` and
``story_records`` are derived from the document at each save, for browsing by theme and
for a record's "featured in".
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

STORY_STATUSES = ("draft", "review", "published")

stories = Table(
    "stories",
    metadata,
    Column("id", Id, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("status", String(10), nullable=False, server_default="draft"),
    Column("document", Text, nullable=False),
    Column("cover_id", Id, ForeignKey("media_objects.id"), nullable=True),
    ts("publish_at", nullable=True),
    ts("unpublish_at", nullable=True),
    Column("featured_home", Integer, nullable=False, server_default="0"),
    Column("featured_branch_id", Id, ForeignKey("branches.id"), nullable=True),
    Column("revision", Integer, nullable=False, server_default="1"),
    ts("created_at"),
    ts("updated_at"),
    Column("updated_by", String(64), nullable=False),
    CheckConstraint("status IN ('draft', 'review', 'published')", name="status"),
    CheckConstraint("revision >= 1", name="revision"),
    CheckConstraint(
        "unpublish_at IS NULL OR publish_at IS NULL OR unpublish_at > publish_at", name="window"
    ),
)
Index("ix_stories_status_publish", stories.c.status, stories.c.publish_at)

story_revisions = Table(
    "story_revisions",
    metadata,
    Column("story_id", Id, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("document", Text, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("note", String(200), nullable=False, server_default=""),
    ts("at"),
    PrimaryKeyConstraint("story_id", "revision"),
)

story_tags = Table(
    "story_tags",
    metadata,
    Column("story_id", Id, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("tag", String(64), nullable=False, index=True),
    PrimaryKeyConstraint("story_id", "tag"),
)

story_records = Table(
    "story_records",
    metadata,
    Column("story_id", Id, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False, index=True),
    PrimaryKeyConstraint("story_id", "record_id"),
)
