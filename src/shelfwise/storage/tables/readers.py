"""Readers' tables (written by readers/ only)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

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
    # P11: recommendations only for a reader who turned them on (the consent is logged too).
    Column("recommend_opt_in", Integer, nullable=False, server_default="0"),
    # Checkout receipts by e-mail: off unless the reader asked (the consent is logged too).
    Column("receipts_email", Integer, nullable=False, server_default="0"),
    Column("verify_token_hash", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    # Moves on a PIN or password change and a block: sessions of an older epoch end.
    Column("session_epoch", Integer, nullable=False, server_default="0"),
    ts("created_at"),
    ts("updated_at"),
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
    ts("at"),
)
Index("ix_reader_consents_reader", reader_consents.c.reader_id)

# What remains of deleted readers: counts only (P6).
reader_deletions = Table(
    "reader_deletions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("category", String(32), nullable=False),
    Column("loans", Integer, nullable=False),
    ts("deleted_at"),
)

# What a staff search finds a reader by (readers/finding.py): name, pinyin, phone, e-mail
# keys, matched by prefix over the index. Byte order on PostgreSQL too ("C"), so a
# prefix is a contiguous range whatever the database's locale.
reader_search_keys = Table(
    "reader_search_keys",
    metadata,
    Column("key", String(64).with_variant(String(64, collation="C"), "postgresql"), nullable=False),
    Column("reader_id", Id, ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "reader_id"),
)
Index("ix_reader_search_keys_reader", reader_search_keys.c.reader_id)
