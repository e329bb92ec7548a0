"""The recommend domain's tables (written by recommend/ only).

Only readers who consented to recommendations (``readers.recommend_opt_in``, P11) are
ever written here, and a reader's rows go with them (``ON DELETE CASCADE``, and the
reader-data hook at erasure, P6):

* ``recommend_borrowings``: which records a consenting reader borrowed (one row per reader
  and record, the first and last day), fed from circulation's ``circulation.borrowed``
  event at checkout. It is what "for you" is computed from and what training reads.
* ``recommend_pairs``: "readers who borrowed this also borrowed", made at training from
  the borrowings of the readers who consent *then*: the number of different readers who
  borrowed both records, kept only at k or more (``analytics_min_readers``). No reader id.
* ``recommend_models`` and ``recommend_factors``: each training's figures, and the latent
  factors of its records (the ALS item factors, float32 bytes). No reader factor is kept:
  a reader's own vector is solved at request time from their borrowings, so a reader who
  withdraws leaves nothing in a stored model once it is retrained without them.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from shelfwise.storage.tables.base import Id, metadata, ts

recommend_borrowings = Table(
    "recommend_borrowings",
    metadata,
    Column("reader_id", Id, ForeignKey("readers.id", ondelete="CASCADE"), primary_key=True),
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("first_on", Date, nullable=False),
    Column("last_on", Date, nullable=False),
)
Index("ix_recommend_borrowings_record", recommend_borrowings.c.record_id)

recommend_pairs = Table(
    "recommend_pairs",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("other_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("readers", Integer, nullable=False),
    CheckConstraint("readers > 0", name="readers"),
    CheckConstraint("record_id <> other_id", name="distinct"),
)

recommend_models = Table(
    "recommend_models",
    metadata,
    Column("id", Id, primary_key=True),
    ts("trained_at"),
    Column("engine", String(32), nullable=False),
    Column("readers", Integer, nullable=False),
    Column("records", Integer, nullable=False),
    Column("borrowings", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("factors", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
)

recommend_factors = Table(
    "recommend_factors",
    metadata,
    Column("model_id", Id, ForeignKey("recommend_models.id", ondelete="CASCADE"), primary_key=True),
    Column("record_id", Id, primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)
