"""Circulation's tables: loan rules, calendars, loans, holds, transits, fees, idempotency
keys, notices, deposits and late-return counts (written by circulation/ only)."""

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
    Text,
    UniqueConstraint,
    text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

LOAN_STATUSES = ("on_loan", "returned", "lost")
HOLD_STATUSES = ("waiting", "in_transit", "ready", "fulfilled", "cancelled", "expired")
FEE_KINDS = ("overdue", "lost", "damaged", "deposit", "manual")
FEE_STATUSES = ("open", "paid", "waived", "refunded")

# The loan-rules matrix: NULL in a key column means "any"; the most specific row wins.
loan_rules = Table(
    "loan_rules",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reader_category", String(32), nullable=True),
    Column("item_type", String(32), nullable=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=True),
    Column("loan_days", Integer, nullable=False),
    Column("renewals", Integer, nullable=False),
    Column("loan_limit", Integer, nullable=False),
    Column("hold_limit", Integer, nullable=False),
    Column("fine_cents_per_day", Integer, nullable=False),
    Column("fine_max_cents", Integer, nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("hold_shelf_days", Integer, nullable=False),
    Column("lost_fee_cents", Integer, nullable=False),
    ts("updated_at"),
    UniqueConstraint(
        "reader_category", "item_type", "branch_id", name="uq_loan_rules_category_type_branch"
    ),
    CheckConstraint("loan_days >= 0 AND renewals >= 0 AND loan_limit >= 0", name="non_negative"),
)

# Branch calendars: a weekly closed day (weekday 0=Monday) or one closed date.
branch_closures = Table(
    "branch_closures",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("weekday", Integer, nullable=True),
    Column("day", Date, nullable=True),
    Column("reason", Text, nullable=False, server_default=""),
    CheckConstraint("(weekday IS NULL) <> (day IS NULL)", name="weekday_or_day"),
    CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday_range"),
)
Index("ix_branch_closures_branch", branch_closures.c.branch_id)

# Opening hours: minutes after local midnight, [opens, closes). Rows with a weekday are
# the weekly hours (several rows: a midday break); rows with a day replace that date's
# weekly hours. Closed weekdays and dates stay in branch_closures.
branch_hours = Table(
    "branch_hours",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("weekday", Integer, nullable=True),
    Column("day", Date, nullable=True),
    Column("opens_minute", Integer, nullable=False),
    Column("closes_minute", Integer, nullable=False),
    CheckConstraint("(weekday IS NULL) <> (day IS NULL)", name="weekday_or_day"),
    CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday_range"),
    CheckConstraint(
        "opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440",
        name="span",
    ),
)
Index("ix_branch_hours_branch", branch_hours.c.branch_id)

# A loan's reader link is cut (NULL) at check-in unless the reader keeps a history (P1).
loans = Table(
    "loans",
    metadata,
    Column("id", Id, primary_key=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("status", String(16), nullable=False, server_default="on_loan"),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("item_type", String(32), nullable=False),
    Column("reader_category", String(32), nullable=False),
    Column("rule_id", Id, nullable=True),
    ts("loaned_at"),
    Column("due_on", Date, nullable=False),
    Column("renewals", Integer, nullable=False, server_default="0"),
    ts("returned_at", nullable=True),
    Column("returned_branch_id", Id, ForeignKey("branches.id"), nullable=True),
    CheckConstraint(f"status IN {LOAN_STATUSES!r}", name="status"),
    CheckConstraint("(status = 'returned') = (returned_at IS NOT NULL)", name="returned_at"),
)
# The invariant of circulation: one open loan per item.
Index(
    "uq_loans_open_item",
    loans.c.item_id,
    unique=True,
    sqlite_where=text("returned_at IS NULL"),
    postgresql_where=text("returned_at IS NULL"),
)
Index("ix_loans_reader_open", loans.c.reader_id, loans.c.returned_at)
Index("ix_loans_due_on", loans.c.due_on)

holds = Table(
    "holds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=True),  # item-level request
    Column("trapped_item_id", Id, ForeignKey("items.id"), nullable=True),
    Column("pickup_branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("status", String(16), nullable=False, server_default="waiting"),
    ts("placed_at"),
    ts("trapped_at", nullable=True),
    Column("shelf_expires_on", Date, nullable=True),
    ts("closed_at", nullable=True),
    # Given when the copy reaches the hold shelf (circulation/holds.py _make_ready).
    Column("shelf_slot", Integer, nullable=True),
    Column("pickup_code", String(8), nullable=True),
    CheckConstraint(f"status IN {HOLD_STATUSES!r}", name="status"),
    CheckConstraint("shelf_slot IS NULL OR shelf_slot > 0", name="shelf_slot"),
    CheckConstraint(
        "(status IN ('in_transit', 'ready')) = (trapped_item_id IS NOT NULL)", name="trapped"
    ),
)
# An item is trapped for at most one hold.
Index(
    "uq_holds_trapped_item",
    holds.c.trapped_item_id,
    unique=True,
    sqlite_where=text("status IN ('in_transit', 'ready')"),
    postgresql_where=text("status IN ('in_transit', 'ready')"),
)
Index("ix_holds_record_status", holds.c.record_id, holds.c.status)
Index("ix_holds_reader", holds.c.reader_id)

transits = Table(
    "transits",
    metadata,
    Column("id", Id, primary_key=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("from_branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("to_branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("hold_id", Id, ForeignKey("holds.id"), nullable=True),
    ts("sent_at"),
    ts("received_at", nullable=True),
)
Index(
    "uq_transits_open_item",
    transits.c.item_id,
    unique=True,
    sqlite_where=text("received_at IS NULL"),
    postgresql_where=text("received_at IS NULL"),
)

# Money in fen (cents). After a fee closes its reader link is cut unless the reader
# keeps a history (P2); amount, date and item type remain for the accounts.
fees = Table(
    "fees",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("loan_id", Id, ForeignKey("loans.id"), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("item_type", String(32), nullable=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("paid_cents", BigInteger, nullable=False, server_default="0"),
    Column("waived_cents", BigInteger, nullable=False, server_default="0"),
    Column("note", Text, nullable=False, server_default=""),
    ts("created_at"),
    ts("closed_at", nullable=True),
    CheckConstraint(f"kind IN {FEE_KINDS!r}", name="kind"),
    CheckConstraint(f"status IN {FEE_STATUSES!r}", name="status"),
    CheckConstraint("amount_cents >= 0 AND paid_cents >= 0 AND waived_cents >= 0", name="amounts"),
    CheckConstraint("paid_cents + waived_cents <= amount_cents", name="not_overpaid"),
)
Index("ix_fees_reader_status", fees.c.reader_id, fees.c.status)
# One overdue fine and one lost fee per loan.
Index(
    "uq_fees_loan_kind",
    fees.c.loan_id,
    fees.c.kind,
    unique=True,
    sqlite_where=text("loan_id IS NOT NULL"),
    postgresql_where=text("loan_id IS NOT NULL"),
)

# Retried requests (kiosk resends, offline uploads, API retries) carry a key; the first
# result is stored and every retry gets it back (circulation/idempotency.py). The key and
# the request's fingerprint are HMACs under a server secret, scoped to whose key it is;
# rows older than idempotency_retention_days are purged, except migrated data's.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("operation", String(32), nullable=False),
    Column("request", String(64), nullable=False, server_default=""),
    Column("result", Text, nullable=False),
    # The copy (barcode) a checkout, check-in or renewal acted on: its next different
    # operation releases the key (a same-second redo is a new request).
    Column("item", String(64), nullable=True, index=True),
    ts("created_at"),
    Index("ix_idempotency_keys_created_at", "created_at"),
)

# Notices sent, keyed so that an outbox redelivery never sends one twice.
notices = Table(
    "notices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("dedup_key", String(200), nullable=False, unique=True),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    ts("sent_at"),
)
Index("ix_notices_reader", notices.c.reader_id)

NOTICE_LANGUAGES = ("zh", "zh-Hant", "ko", "en")

# The library's own words for a notice kind in a page language (circulation/notice_templates.py
# checks the placeholders; a kind or language without a row is sent in the built-in text).
notice_templates = Table(
    "notice_templates",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("language", String(8), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("updated_by", Text, nullable=False),
    ts("updated_at"),
    CheckConstraint(f"language IN {NOTICE_LANGUAGES!r}", name="language"),
    CheckConstraint("length(subject) > 0 AND length(body) > 0", name="not_empty"),
)


DEPOSIT_STATUSES = ("held", "refunded")

deposits = Table(
    "deposits",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reader_id", Id, ForeignKey("readers.id"), nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("status", String(16), nullable=False, server_default="held"),
    Column("method", String(16), nullable=False, server_default="cash"),
    Column("note", Text, nullable=False, server_default=""),
    ts("created_at"),
    ts("closed_at", nullable=True),
    CheckConstraint("amount_cents > 0", name="positive"),
    CheckConstraint(f"status IN {DEPOSIT_STATUSES!r}", name="status"),
)

# What credit borrowing needs of a reader's past without their reading history (P1, P2):
# how many loans came back late in each local month, no titles, no items, no days.
late_returns = Table(
    "late_returns",
    metadata,
    Column("reader_id", Id, ForeignKey("readers.id"), primary_key=True),
    Column("month", Date, primary_key=True),  # the first day of the local month
    Column("returns", Integer, nullable=False),
    CheckConstraint("returns > 0", name="positive"),
)
