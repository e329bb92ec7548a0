"""The tables, as SQLAlchemy Core metadata: one schema for SQLite and PostgreSQL.

Invariants live here as constraints, not in service code alone: unique
barcodes, the allowed lifecycle states of an item, one source record per
(agency, control number). Timestamps are UTC to the second. The migration
history in ``migrations/versions`` creates exactly this schema; a test compares
the two.

Tables belong to the domain that owns them (the comment above each group);
other domains read them only through that domain's service.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# BigInteger ids on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _ts(name: str, *, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


BRANCH_KINDS = ("central", "branch", "unattended", "kiosk")
ITEM_LIFECYCLES = (
    "on_order",
    "in_processing",
    "in_service",  # on the shelf or on loan: circulation decides which
    "missing",
    "lost",
    "damaged",
    "in_repair",
    "withdrawn",
)
RECORD_STATES = ("active", "merged", "withdrawn")

# --- catalogue: the branch network -------------------------------------------------

branches = Table(
    "branches",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name_zh", Text, nullable=False),
    Column("name_ko", Text, nullable=False, server_default=""),
    Column("name_en", Text, nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(f"kind IN {BRANCH_KINDS!r}", name="kind"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False, server_default="stacks"),
    _ts("created_at"),
    UniqueConstraint("branch_id", "code", name="uq_locations_branch_code"),
)

# --- catalogue: bibliographic records ----------------------------------------------

records = Table(
    "records",
    metadata,
    Column("id", Id, primary_key=True),
    Column("state", String(16), nullable=False, server_default="active"),
    Column("merged_into_id", Id, ForeignKey("records.id"), nullable=True),
    Column("dialect", String(16), nullable=False),
    # The master MARC record, decoded, as MARC-in-JSON text; the normalised
    # columns below are derived from it and never edited on their own.
    Column("marc", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("title_romanised", Text, nullable=True),
    Column("main_author", Text, nullable=True),
    Column("responsibility", Text, nullable=True),
    Column("publisher", Text, nullable=True),
    Column("place", Text, nullable=True),
    Column("year", Integer, nullable=True),
    Column("edition", Text, nullable=True),
    Column("languages", Text, nullable=False, server_default=""),
    Column("material_type", String(32), nullable=False, server_default="book"),
    # The whole normalised description (agents with roles, subjects, series...) as JSON.
    Column("description", Text, nullable=False),
    Column("match_key", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(f"state IN {RECORD_STATES!r}", name="state"),
    CheckConstraint("(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
)
Index("ix_records_match_key", records.c.match_key)
Index("ix_records_updated_at", records.c.updated_at)

record_isbns = Table(
    "record_isbns",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("isbn", String(13), primary_key=True),
)
Index("ix_record_isbns_isbn", record_isbns.c.isbn)

record_classes = Table(
    "record_classes",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("scheme", String(8), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("sort_key", String(160), nullable=False),
)
Index("ix_record_classes_scheme_sort", record_classes.c.scheme, record_classes.c.sort_key)

# Every MARC record that arrived, with its provenance and original bytes. A
# merged duplicate keeps its source row, now pointing at the surviving record.
sources = Table(
    "sources",
    metadata,
    Column("id", Id, primary_key=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("source_key", String(200), nullable=False, unique=True),
    Column("agency", String(64), nullable=True),
    Column("control_number", String(100), nullable=True),
    Column("format", String(16), nullable=False),
    Column("dialect", String(16), nullable=False),
    Column("encoding", String(32), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("is_master", Integer, nullable=False, server_default="0"),
    Column("matched_on", String(16), nullable=False),
    Column("origin", Text, nullable=False),  # file name and byte offset
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(
        "matched_on IN ('new', 'source', 'isbn', 'title_key', 'manual')", name="matched_on"
    ),
)
Index("ix_sources_record_id", sources.c.record_id)

# --- catalogue: items ---------------------------------------------------------------

items = Table(
    "items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("barcode", String(64), nullable=False, unique=True),
    Column("rfid", String(64), nullable=True, unique=True),
    Column("call_number", Text, nullable=False, server_default=""),
    Column("call_number_sort", String(200), nullable=False, server_default=""),
    Column("home_branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=True),
    Column("lifecycle", String(16), nullable=False, server_default="in_service"),
    Column("item_type", String(32), nullable=False, server_default="book"),
    Column("price_cents", BigInteger, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("acquired_on", Date, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(f"lifecycle IN {ITEM_LIFECYCLES!r}", name="lifecycle"),
    CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_not_negative"),
)
Index("ix_items_record_id", items.c.record_id)
Index("ix_items_home_branch_call", items.c.home_branch_id, items.c.call_number_sort)

# --- shared machinery ---------------------------------------------------------------

# Deleted or merged things, remembered so that harvesters (OAI-PMH) learn of them.
tombstones = Table(
    "tombstones",
    metadata,
    Column("id", Id, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("entity_id", BigInteger, nullable=False),
    Column("replaced_by", BigInteger, nullable=True),
    Column("reason", String(32), nullable=False),
    _ts("deleted_at"),
    UniqueConstraint("kind", "entity_id", name="uq_tombstones_kind_entity"),
)
Index("ix_tombstones_deleted_at", tombstones.c.deleted_at)

# Side effects leave through here, written in the same transaction as the change.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("topic", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    _ts("created_at"),
    _ts("available_at"),
    _ts("delivered_at", nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    _ts("claimed_until", nullable=True),
)
Index(
    "ix_outbox_pending",
    outbox.c.available_at,
    sqlite_where=text("delivered_at IS NULL"),
    postgresql_where=text("delivered_at IS NULL"),
)

# One row per (job, time slot): the unique key is what stops two processes
# from running the same scheduled job twice.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("job", String(64), nullable=False),
    Column("slot", BigInteger, nullable=False),
    Column("owner", String(64), nullable=False),
    _ts("started_at"),
    _ts("finished_at", nullable=True),
    Column("outcome", String(16), nullable=True),
    Column("detail", Text, nullable=True),
    UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
)

# Each import run, with its summary, so an operator can see what a file did.
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("path", Text, nullable=False),
    Column("summary", Text, nullable=False),
    _ts("started_at"),
    _ts("finished_at", nullable=True),
)

# =====================================================================================
# --- readers (issue 4): people who borrow -------------------------------------------
# =====================================================================================

READER_STATUSES = ("pending", "active")

# Only the allow-listed fields of P9. The identity-card number is never stored:
# a keyed hash (for "is this card already registered?") and its last four characters.
readers = Table(
    "readers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("card_number", String(32), nullable=False, unique=True),
    Column("category", String(32), nullable=False),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=True),
    Column("phone", String(32), nullable=True),
    Column("birth_year", Integer, nullable=True),
    Column("home_branch_id", Id, ForeignKey("branches.id"), nullable=True),
    Column("id_card_hash", String(64), nullable=True, unique=True),
    Column("id_card_last4", String(4), nullable=True),
    Column("pin_hash", Text, nullable=True),
    Column("password_hash", Text, nullable=True),
    Column("expires_on", Date, nullable=False),
    Column("manual_block", Text, nullable=True),
    Column("history_opt_in", Integer, nullable=False, server_default="0"),
    Column("notices_email", Integer, nullable=False, server_default="1"),
    Column("verify_token_hash", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    # Moves on a PIN or password change and a block: sessions of an older epoch end.
    Column("session_epoch", Integer, nullable=False, server_default="0"),
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(f"status IN {READER_STATUSES!r}", name="status"),
)

# Every grant and withdrawal of consent, with the privacy-notice version (P10).
reader_consents = Table(
    "reader_consents",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reader_id", Id, ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("granted", Integer, nullable=False),
    Column("notice_version", String(16), nullable=False),
    _ts("at"),
)
Index("ix_reader_consents_reader", reader_consents.c.reader_id)

# What remains of deleted readers: counts only (P6).
reader_deletions = Table(
    "reader_deletions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("category", String(32), nullable=False),
    Column("loans", Integer, nullable=False),
    _ts("deleted_at"),
)

# =====================================================================================
# --- circulation (issue 4): rules, calendars, loans, holds, transits, fees ----------
# =====================================================================================

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
    _ts("updated_at"),
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
    _ts("loaned_at"),
    Column("due_on", Date, nullable=False),
    Column("renewals", Integer, nullable=False, server_default="0"),
    _ts("returned_at", nullable=True),
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
    _ts("placed_at"),
    _ts("trapped_at", nullable=True),
    Column("shelf_expires_on", Date, nullable=True),
    _ts("closed_at", nullable=True),
    CheckConstraint(f"status IN {HOLD_STATUSES!r}", name="status"),
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
    _ts("sent_at"),
    _ts("received_at", nullable=True),
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
    _ts("created_at"),
    _ts("closed_at", nullable=True),
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
    _ts("created_at"),
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
    _ts("sent_at"),
)
Index("ix_notices_reader", notices.c.reader_id)

# --- sip2 (issue 5): self-check terminal accounts ------------------------------------

# One row per kiosk, return machine or locker that logs in with 93 (S-2): a hashed
# password, the branch it stands in, where it may connect from and what it may ask.
# Lists are comma-separated (empty = no restriction for networks and messages, no
# extra personal fields for ``fields``). The counters are the dashboard's statistics.
sip2_terminals = Table(
    "sip2_terminals",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("institution", String(64), nullable=False),
    Column("location", String(64), nullable=True),
    Column("networks", Text, nullable=False, server_default=""),
    Column("messages", Text, nullable=False, server_default=""),
    Column("fields", Text, nullable=False, server_default=""),
    Column("charset", String(16), nullable=False, server_default="utf-8"),
    Column("lenient", Integer, nullable=False, server_default="0"),
    Column("language", String(2), nullable=False, server_default="zh"),
    Column("require_pin", Integer, nullable=False, server_default="1"),
    # Offline (no_block) transactions are accepted only from terminals allowed to send them (S-8).
    Column("allow_offline", Integer, nullable=False, server_default="0"),
    Column("enabled", Integer, nullable=False, server_default="1"),
    Column("transactions", BigInteger, nullable=False, server_default="0"),
    Column("failures", BigInteger, nullable=False, server_default="0"),
    _ts("last_seen_at", nullable=True),
    _ts("created_at"),
)

# S-3 alerts for the staff (a login backoff started against a terminal account or an
# address): written by the ``sip2.alert`` outbox handler, once per event (``event_id``),
# shown on the administration page until someone acknowledges them. No reader data.
kiosk_alerts = Table(
    "kiosk_alerts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("event_id", BigInteger, nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("terminal", String(64), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("peer", String(64), nullable=False),
    Column("failures", Integer, nullable=False),
    _ts("until", nullable=True),
    _ts("raised_at"),
    _ts("acknowledged_at", nullable=True),
    Column("acknowledged_by", String(64), nullable=True),
)
Index("ix_kiosk_alerts_open", kiosk_alerts.c.acknowledged_at, kiosk_alerts.c.id)

# --- circulation (issue 4): deposits (押金) held for a reader -------------------------

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
    _ts("created_at"),
    _ts("closed_at", nullable=True),
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

# =====================================================================================
# --- access (issue 4): staff, sessions and API tokens, lockouts, the audit trail ----
# =====================================================================================

STAFF_ROLES = ("admin", "cataloguer", "desk")
TOKEN_KINDS = ("session", "api")

staff = Table(
    "staff",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    # Branch codes, comma-separated; empty means every branch.
    Column("branches", Text, nullable=False, server_default=""),
    Column("enabled", Integer, nullable=False, server_default="1"),
    _ts("created_at"),
    _ts("updated_at"),
    CheckConstraint(f"role IN {STAFF_ROLES!r}", name="role"),
)

# Only the SHA-256 of a token is stored; a reader's tokens go with the reader.
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("staff_id", Id, ForeignKey("staff.id", ondelete="CASCADE"), nullable=True),
    Column("reader_id", Id, ForeignKey("readers.id", ondelete="CASCADE"), nullable=True),
    Column("label", Text, nullable=False, server_default=""),
    _ts("created_at"),
    _ts("expires_at", nullable=True),
    _ts("last_used_at", nullable=True),
    _ts("revoked_at", nullable=True),
    # The reader's session_epoch when the token was made (readers' tokens only).
    Column("reader_epoch", Integer, nullable=True),
    CheckConstraint(f"kind IN {TOKEN_KINDS!r}", name="kind"),
    CheckConstraint("(staff_id IS NULL) <> (reader_id IS NULL)", name="one_principal"),
)

# Failed attempts per subject ("staff:NAME", "reader:CARD", "sip2-ip:ADDRESS", ...),
# shared by every door so a PIN cannot be guessed by switching doors.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("subject", String(128), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    _ts("locked_until", nullable=True),
    _ts("updated_at"),
)

# P7: who read which reader's data, and which fields: ids and names, never values.
# No foreign key to readers: erasing a reader leaves the trail, which holds nothing of theirs.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True),
    _ts("at"),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", BigInteger, nullable=True),
    Column("door", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("reader_id", BigInteger, nullable=True, index=True),
    Column("fields", Text, nullable=False, server_default=""),
)
