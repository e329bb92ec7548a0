"""wishes: the readers' wish wall (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:52:15

Wishes, supports (once per reader and wish: a unique constraint), the history of every
change, abuse reports, the notices sent per change and reader, the sensitive words.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wish_notices",
        sa.Column("history_id", sa.BigInteger(), nullable=False),
        sa.Column("reader_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("history_id", "reader_id", name="pk_wish_notices"),
    )
    op.create_table(
        "wish_words",
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_wish_words")),
    )
    op.create_table(
        "wishes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("branch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("display_name", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author", sa.String(length=200), server_default="", nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=True),
        sa.Column("reason", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("status", sa.String(length=12), server_default="submitted", nullable=False),
        sa.Column("moderation", sa.String(length=8), nullable=False),
        sa.Column("moderation_note", sa.String(length=500), nullable=True),
        sa.Column("answer", sa.String(length=1000), nullable=True),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "pickup_branch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("notify", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("supporters", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reports", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(moderation = 'merged') = (merged_into_id IS NOT NULL)",
            name=op.f("ck_wishes_merged_target"),
        ),
        sa.CheckConstraint(
            "kind = 'book' OR (isbn IS NULL AND record_id IS NULL)",
            name=op.f("ck_wishes_book_fields"),
        ),
        sa.CheckConstraint("kind IN ('book', 'event', 'service')", name=op.f("ck_wishes_kind")),
        sa.CheckConstraint(
            "moderation IN ('pending', 'shown', 'hidden', 'merged')",
            name=op.f("ck_wishes_moderation"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'in_review', 'accepted', 'ordered', 'received', 'fulfilled', 'declined')",
            name=op.f("ck_wishes_status"),
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name=op.f("ck_wishes_not_into_self")
        ),
        sa.CheckConstraint("reports >= 0", name=op.f("ck_wishes_reports_not_negative")),
        sa.CheckConstraint("supporters >= 0", name=op.f("ck_wishes_supporters_not_negative")),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_wishes_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["wishes.id"], name=op.f("fk_wishes_merged_into_id_wishes")
        ),
        sa.ForeignKeyConstraint(
            ["pickup_branch_id"], ["branches.id"], name=op.f("fk_wishes_pickup_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_wishes_reader_id_readers")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_wishes_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wishes")),
    )
    with op.batch_alter_table("wishes", schema=None) as batch_op:
        batch_op.create_index("ix_wishes_reader", ["reader_id", "created_at"], unique=False)
        batch_op.create_index("ix_wishes_record", ["record_id"], unique=False)
        batch_op.create_index("ix_wishes_wall", ["moderation", "created_at"], unique=False)

    op.create_table(
        "wish_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("wish_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("actor", sa.String(length=8), nullable=False),
        sa.Column("reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("public", sa.Integer(), server_default="1", nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "actor IN ('reader', 'staff', 'system')", name=op.f("ck_wish_history_actor")
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_wish_history_reader_id_readers")
        ),
        sa.ForeignKeyConstraint(
            ["wish_id"], ["wishes.id"], name=op.f("fk_wish_history_wish_id_wishes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_history")),
    )
    with op.batch_alter_table("wish_history", schema=None) as batch_op:
        batch_op.create_index("ix_wish_history_wish", ["wish_id", "id"], unique=False)

    op.create_table(
        "wish_reports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("wish_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_wish_reports_reader_id_readers")
        ),
        sa.ForeignKeyConstraint(
            ["wish_id"], ["wishes.id"], name=op.f("fk_wish_reports_wish_id_wishes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_reports")),
        sa.UniqueConstraint("wish_id", "reader_id", name="uq_wish_reports_once"),
    )
    op.create_table(
        "wish_supports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("wish_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "reader_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("notify", sa.Integer(), server_default="0", nullable=False),
        sa.Column("wants_hold", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "pickup_branch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pickup_branch_id"],
            ["branches.id"],
            name=op.f("fk_wish_supports_pickup_branch_id_branches"),
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_wish_supports_reader_id_readers")
        ),
        sa.ForeignKeyConstraint(
            ["wish_id"], ["wishes.id"], name=op.f("fk_wish_supports_wish_id_wishes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_supports")),
        sa.UniqueConstraint("wish_id", "reader_id", name="uq_wish_supports_once"),
    )
    with op.batch_alter_table("wish_supports", schema=None) as batch_op:
        batch_op.create_index("ix_wish_supports_reader", ["reader_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("wish_supports", schema=None) as batch_op:
        batch_op.drop_index("ix_wish_supports_reader")

    op.drop_table("wish_supports")
    op.drop_table("wish_reports")
    with op.batch_alter_table("wish_history", schema=None) as batch_op:
        batch_op.drop_index("ix_wish_history_wish")

    op.drop_table("wish_history")
    with op.batch_alter_table("wishes", schema=None) as batch_op:
        batch_op.drop_index("ix_wishes_wall")
        batch_op.drop_index("ix_wishes_record")
        batch_op.drop_index("ix_wishes_reader")

    op.drop_table("wishes")
    op.drop_table("wish_words")
    op.drop_table("wish_notices")
