"""The analytics domain's tables (written by analytics/ only): counters, and the events
already counted.

No column here holds a reader id, a card or a name (P17; ``tests/analytics`` reads this
schema to hold it so). ``analytics_activity`` is one counter per day, branch, act and value
of one dimension; besides the count it keeps a 256-bit set of *reader marks* (one byte of a
hash of the reader id, shared by about one reader in 256) as four 64-bit words, whose
population lower-bounds how many different readers the count is made of
(docs/analytics.md). ``analytics_applied`` holds the outbox ids already counted, so a
redelivered event is counted once.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from shelfwise.storage.tables.base import Id, metadata, ts

ACTIVITY_KINDS = ("checkout", "return", "renewal", "hold")
ACTIVITY_DIMENSIONS = ("all", "category", "age_band", "item_type", "main_class")
MARK_WORDS = 4  # 4 x 64 bits: one bit per possible reader mark

analytics_activity = Table(
    "analytics_activity",
    metadata,
    Column("day", Date, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("dimension", String(16), primary_key=True),
    Column("value", String(32), primary_key=True),
    Column("events", Integer, nullable=False),
    *(Column(f"marks_{i}", BigInteger, nullable=False) for i in range(MARK_WORDS)),
    CheckConstraint(f"kind IN {ACTIVITY_KINDS!r}", name="kind"),
    CheckConstraint(f"dimension IN {ACTIVITY_DIMENSIONS!r}", name="dimension"),
    CheckConstraint("events > 0", name="events"),
)
Index(
    "ix_analytics_activity_kind_dimension_day",
    analytics_activity.c.kind,
    analytics_activity.c.dimension,
    analytics_activity.c.day,
)

analytics_applied = Table(
    "analytics_applied",
    metadata,
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    ts("applied_at"),
)
