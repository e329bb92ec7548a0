"""recommend: the reader's consent column, consenting readers' borrowings, co-borrowing pairs
and trained models (issue 21)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:55:00

``readers.recommend_opt_in`` is off for every reader (P11); the consent log already had the
``recommendations`` purpose. The recommend tables hold rows of consenting readers only
(storage/tables/recommend.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recommend_opt_in", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "recommend_borrowings",
        sa.Column("reader_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reader_id"],
            ["readers.id"],
            name=op.f("fk_recommend_borrowings_reader_id_readers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_recommend_borrowings_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reader_id", "record_id", name=op.f("pk_recommend_borrowings")),
    )
    op.create_index(
        "ix_recommend_borrowings_record", "recommend_borrowings", ["record_id"], unique=False
    )
    op.create_table(
        "recommend_pairs",
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("other_id", _ID, nullable=False),
        sa.Column("readers", sa.Integer(), nullable=False),
        sa.CheckConstraint("readers > 0", name=op.f("ck_recommend_pairs_readers")),
        sa.CheckConstraint("record_id <> other_id", name=op.f("ck_recommend_pairs_distinct")),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_recommend_pairs_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["records.id"],
            name=op.f("fk_recommend_pairs_other_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "other_id", name=op.f("pk_recommend_pairs")),
    )
    op.create_table(
        "recommend_models",
        sa.Column("id", _ID, nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("readers", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("borrowings", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("factors", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommend_models")),
    )
    op.create_table(
        "recommend_factors",
        sa.Column("model_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["recommend_models.id"],
            name=op.f("fk_recommend_factors_model_id_recommend_models"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("model_id", "record_id", name=op.f("pk_recommend_factors")),
    )


def downgrade() -> None:
    op.drop_table("recommend_factors")
    op.drop_table("recommend_models")
    op.drop_table("recommend_pairs")
    op.drop_index("ix_recommend_borrowings_record", table_name="recommend_borrowings")
    op.drop_table("recommend_borrowings")
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.drop_column("recommend_opt_in")
