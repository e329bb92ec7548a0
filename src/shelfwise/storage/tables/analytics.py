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

# Counters of the other domains' acts (wishes, visits, story views, events, kiosks), one row
# per day, branch, kind and value. ``branch_id`` 0 is the network (a wish or story of no
# branch): no foreign key for that reason, a check instead. ``events`` may go down (a
# registration cancelled: the cell of an event is its registrations now), ``amount`` is a
# sum beside the count (seconds to answer a wish, a terminal's failed messages). Marks as in
# ``analytics_activity`` where a reader is known (wishes); a kind whose act names no reader
# (a gate count, a story view) keeps none and is hidden below k acts instead.
TALLY_KINDS = (
    "wish_posted",
    "wish_moved",
    "wish_answered",
    "visit",
    "visit_24h",
    "story_view",
    "event_seats",
    "event_registered",
    "event_attended",
    "sip2",
)
analytics_tallies = Table(
    "analytics_tallies",
    metadata,
    Column("day", Date, primary_key=True),
    Column("branch_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), primary_key=True),
    Column("value", String(64), primary_key=True),
    Column("events", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    *(Column(f"marks_{i}", BigInteger, nullable=False) for i in range(MARK_WORDS)),
    CheckConstraint(f"kind IN {TALLY_KINDS!r}", name="kind"),
    CheckConstraint("branch_id >= 0", name="branch"),
)
Index("ix_analytics_tallies_kind_day", analytics_tallies.c.kind, analytics_tallies.c.day)

# The collection as it stood at the last ``analytics.stock`` run (hourly), so no page view
# reads ``items`` or ``loans``: copies in service per home branch and main class by whole
# years since their last loan (``idle_years`` -1: never lent; 0: lent within the year; capped
# at 10), the longest-idle copies per branch (weeding or transfer candidates), and the titles
# with the most holds waiting per copy (to buy more of).
analytics_stock = Table(
    "analytics_stock",
    metadata,
    Column("branch_id", Id, ForeignKey("branches.id"), primary_key=True),
    Column("main_class", String(32), primary_key=True),
    Column("idle_years", Integer, primary_key=True, autoincrement=False),
    Column("copies", Integer, nullable=False),
    ts("taken_at"),
    CheckConstraint("idle_years >= -1 AND idle_years <= 10", name="idle_years"),
    CheckConstraint("copies > 0", name="copies"),
)
analytics_idle_copies = Table(
    "analytics_idle_copies",
    metadata,
    Column("item_id", Id, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("main_class", String(32), nullable=False),
    Column("last_loan", Date, nullable=True),  # None: never lent
    ts("taken_at"),
)
Index("ix_analytics_idle_copies_branch", analytics_idle_copies.c.branch_id)
analytics_wanted = Table(
    "analytics_wanted",
    metadata,
    Column("branch_id", Id, ForeignKey("branches.id"), primary_key=True),
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("holds", Integer, nullable=False),
    Column("copies", Integer, nullable=False),
    ts("taken_at"),
)
