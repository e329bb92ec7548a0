"""digital objects: media_objects, their texts per language and their content-addressed files

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:00:00

Issue 17: scans, photographs, PDF, audio and video, stored by SHA-256 in the data folder,
each with a rights statement, texts per language and an access rule.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "media_objects",
        sa.Column("id", Id, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("record_id", Id, nullable=True),
        sa.Column("rights", sa.String(length=200), nullable=False),
        sa.Column("access", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("branch_id", Id, nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('image', 'pdf', 'audio', 'video')", name=op.f("ck_media_objects_kind")
        ),
        sa.CheckConstraint(
            "access IN ('open', 'signed_in', 'on_site', 'staff')",
            name=op.f("ck_media_objects_access"),
        ),
        sa.CheckConstraint(
            "(access = 'on_site') = (branch_id IS NOT NULL)",
            name=op.f("ck_media_objects_onsite_branch"),
        ),
        sa.CheckConstraint("bytes >= 0", name=op.f("ck_media_objects_bytes")),
        sa.CheckConstraint("length(rights) > 0", name=op.f("ck_media_objects_rights")),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_media_objects_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_media_objects_branch_id_branches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_objects")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_objects_sha256")),
    )
    op.create_index("ix_media_objects_record_id", "media_objects", ["record_id"], unique=False)
    op.create_table(
        "media_texts",
        sa.Column("object_id", Id, nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("caption", sa.Text(), server_default="", nullable=False),
        sa.Column("alt", sa.Text(), server_default="", nullable=False),
        sa.Column("transcript", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("lang IN ('zh', 'ko', 'en')", name=op.f("ck_media_texts_lang")),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["media_objects.id"],
            name=op.f("fk_media_texts_object_id_media_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("object_id", "lang", name=op.f("pk_media_texts")),
    )
    op.create_table(
        "media_files",
        sa.Column("object_id", Id, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "role IN ('original', 'thumb', 'web', 'pyramid', 'page')",
            name=op.f("ck_media_files_role"),
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["media_objects.id"],
            name=op.f("fk_media_files_object_id_media_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("object_id", "role", name=op.f("pk_media_files")),
    )
    op.create_index("ix_media_files_sha256", "media_files", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_media_files_sha256", table_name="media_files")
    op.drop_table("media_files")
    op.drop_table("media_texts")
    op.drop_index("ix_media_objects_record_id", table_name="media_objects")
    op.drop_table("media_objects")
