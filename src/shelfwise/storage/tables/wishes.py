"""The wish wall's tables (written by wishes/ only): wishes, supports, their history,
abuse reports, the notices sent for each change and the staff's sensitive-word list.

A wish names its reader only by id (``reader_id``, NULL once the reader is erased) and
shows the ``display_name`` the reader chose; the wall never joins ``readers``.
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
    UniqueConstraint,
)

from shelfwise.storage.tables.base import Id, metadata, ts

WISH_KINDS = ("book", "event", "service")
WISH_STATUSES = (
    "submitted",
    "in_review",
    "accepted",
    "ordered",
    "received",
    "fulfilled",
    "declined",
)
# pending: waiting for a moderator (pre-moderation, a sensitive word, reports);
# shown: on the wall; hidden: taken off by staff (reason shown to the wisher);
# merged: a duplicate whose supporters moved to ``merged_into_id``.
WISH_MODERATIONS = ("pending", "shown", "hidden", "merged")

wishes = Table(
    "wishes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=True),  # NULL: the network
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),  # NULL: erased
    Column("display_name", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("author", String(200), nullable=False, server_default=""),
    Column("isbn", String(13), nullable=True),
    Column("reason", String(1000), nullable=False, server_default=""),
    Column("status", String(12), nullable=False, server_default="submitted"),
    Column("moderation", String(8), nullable=False),
    Column("moderation_note", String(500), nullable=True),  # why hidden / why in the queue
    Column("answer", String(1000), nullable=True),  # the staff's public answer
    Column("record_id", Id, ForeignKey("records.id"), nullable=True),
    Column("pickup_branch_id", Id, ForeignKey("branches.id"), nullable=True),
    Column("notify", Integer, nullable=False, server_default="1"),
    Column("merged_into_id", Id, ForeignKey("wishes.id"), nullable=True),
    Column("supporters", Integer, nullable=False, server_default="0"),
    Column("reports", Integer, nullable=False, server_default="0"),
    ts("created_at"),
    ts("updated_at"),
    Column("version", Integer, nullable=False, server_default="1"),
    CheckConstraint(f"kind IN {WISH_KINDS!r}", name="kind"),
    CheckConstraint(f"status IN {WISH_STATUSES!r}", name="status"),
    CheckConstraint(f"moderation IN {WISH_MODERATIONS!r}", name="moderation"),
    CheckConstraint("supporters >= 0", name="supporters_not_negative"),
    CheckConstraint("reports >= 0", name="reports_not_negative"),
    CheckConstraint("(moderation = 'merged') = (merged_into_id IS NOT NULL)", name="merged_target"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_into_self"),
    CheckConstraint("kind = 'book' OR (isbn IS NULL AND record_id IS NULL)", name="book_fields"),
)
Index("ix_wishes_wall", wishes.c.moderation, wishes.c.created_at)
# The wall's "most supported" order (supporters, then id, both descending: scanned backwards).
Index("ix_wishes_supported", wishes.c.moderation, wishes.c.supporters, wishes.c.id)
Index("ix_wishes_reader", wishes.c.reader_id, wishes.c.created_at)
Index("ix_wishes_record", wishes.c.record_id)

# "Me too": once per reader and wish, by constraint. ``notify``: tell them of changes;
# ``wants_hold``: place a hold for them too when the book arrives.
wish_supports = Table(
    "wish_supports",
    metadata,
    Column("id", Id, primary_key=True),
    Column("wish_id", Id, ForeignKey("wishes.id"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=False),
    Column("notify", Integer, nullable=False, server_default="0"),
    Column("wants_hold", Integer, nullable=False, server_default="0"),
    Column("pickup_branch_id", Id, ForeignKey("branches.id"), nullable=True),
    ts("created_at"),
    UniqueConstraint("wish_id", "reader_id", name="uq_wish_supports_once"),
)
Index("ix_wish_supports_reader", wish_supports.c.reader_id)

# Every change of a wish, in order: its status, moderation, answer, merges, the holds
# placed or refused for the readers. ``public``: shown on the wish's page.
wish_history = Table(
    "wish_history",
    metadata,
    Column("id", Id, primary_key=True),
    Column("wish_id", Id, ForeignKey("wishes.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("from_status", String(12), nullable=True),
    Column("to_status", String(12), nullable=True),
    Column("note", String(1000), nullable=True),
    Column("actor", String(8), nullable=False),  # reader, staff, system
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),  # whom a hold entry is for
    Column("public", Integer, nullable=False, server_default="1"),
    ts("at"),
    CheckConstraint("actor IN ('reader', 'staff', 'system')", name="actor"),
)
Index("ix_wish_history_wish", wish_history.c.wish_id, wish_history.c.id)

wish_reports = Table(
    "wish_reports",
    metadata,
    Column("id", Id, primary_key=True),
    Column("wish_id", Id, ForeignKey("wishes.id"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("reason", String(500), nullable=False),
    ts("created_at"),
    ts("resolved_at", nullable=True),
    UniqueConstraint("wish_id", "reader_id", name="uq_wish_reports_once"),
)

# One row per (change, reader) told: a redelivered outbox event tells nobody twice.
wish_notices = Table(
    "wish_notices",
    metadata,
    Column("history_id", BigInteger, nullable=False),
    Column("reader_id", BigInteger, nullable=False),
    Column("channel", String(16), nullable=False),
    ts("sent_at"),
    PrimaryKeyConstraint("history_id", "reader_id", name="pk_wish_notices"),
)

# The staff-edited sensitive words: a wish containing one waits for a moderator.
wish_words = Table(
    "wish_words",
    metadata,
    Column("word", String(64), primary_key=True),
    Column("added_by", String(64), nullable=False),
    ts("added_at"),
)
