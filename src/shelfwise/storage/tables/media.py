"""Digital objects' tables: scans, photographs, PDF, audio and video (written by media/ only).

The bytes live content-addressed in the data folder (``media/<aa>/<bb>/<sha256>``); a row
names them by their SHA-256, so the same file is stored once, and ``shelfwise verify-media``
re-hashes every file against its row (fixity).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

MEDIA_KINDS = ("image", "pdf", "audio", "video")
MEDIA_ACCESS = ("open", "signed_in", "on_site", "staff")
MEDIA_LANGUAGES = ("zh", "ko", "en")

# One row per digital object. ``sha256`` is the original's: ingesting the same bytes again
# finds this row instead of storing a copy. An on-site object names the branch whose
# networks may see it (and only an on-site one does).
media_objects = Table(
    "media_objects",
    metadata,
    Column("id", Id, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("content_type", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=True, index=True),
    Column("rights", String(200), nullable=False),
    Column("access", String(10), nullable=False, server_default="open"),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=True),
    Column("created_by", String(64), nullable=False),
    ts("created_at"),
    # When texts, access or record last changed (OAI-PMH's datestamp); ingest sets it.
    ts("updated_at", nullable=True),
    CheckConstraint("kind IN ('image', 'pdf', 'audio', 'video')", name="kind"),
    CheckConstraint("access IN ('open', 'signed_in', 'on_site', 'staff')", name="access"),
    CheckConstraint("(access = 'on_site') = (branch_id IS NOT NULL)", name="onsite_branch"),
    CheckConstraint("bytes >= 0", name="bytes"),
    CheckConstraint("length(rights) > 0", name="rights"),
    Index("ix_media_objects_updated", "updated_at", "id"),
)

# Caption, alt text and transcript (audio) or captions (video, WebVTT) per language.
media_texts = Table(
    "media_texts",
    metadata,
    Column("object_id", Id, ForeignKey("media_objects.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("caption", Text, nullable=False, server_default=""),
    Column("alt", Text, nullable=False, server_default=""),
    Column("transcript", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("object_id", "lang"),
    CheckConstraint("lang IN ('zh', 'ko', 'en')", name="lang"),
)

# The files of an object: the original and what ingest derived from it (thumbnail, web
# size, the tiled pyramid IIIF serves from, a PDF's first page). Each is content-addressed.
media_files = Table(
    "media_files",
    metadata,
    Column("object_id", Id, ForeignKey("media_objects.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("content_type", String(64), nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    PrimaryKeyConstraint("object_id", "role"),
    CheckConstraint("role IN ('original', 'thumb', 'web', 'pyramid', 'page')", name="role"),
)

# What a reader's search finds an object by: the analysis keys (media/finding.py) of its
# name, captions and alt texts, "<stream>:<token>", written with its texts. A search is one
# lookup over this index (a term by equality, a prefix as a range), not a read of every
# object's texts. Byte order on PostgreSQL too ("C"), so a prefix is a contiguous range.
media_search_keys = Table(
    "media_search_keys",
    metadata,
    Column("key", String(96).with_variant(String(96, collation="C"), "postgresql"), nullable=False),
    Column("object_id", Id, ForeignKey("media_objects.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "object_id"),
)
Index("ix_media_search_keys_object", media_search_keys.c.object_id)
