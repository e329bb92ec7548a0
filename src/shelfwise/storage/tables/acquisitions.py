"""Acquisitions' tables (written by acquisitions/ only): vendors, funds, orders, their
lines and the copies each line brought, and invoices.

Money is in fen (1/100 yuan), as integers. A fund's ``committed`` (open orders) and
``spent`` (received copies) never pass its ``allocated`` budget, and none is negative:
constraints here, and the service's conditional update ahead of them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from shelfwise.storage.tables.base import Id, metadata, ts

ORDER_STATUSES = ("open", "closed", "cancelled")
LINE_STATUSES = ("ordered", "received", "cancelled")

vendors = Table(
    "vendors",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=True),
    ts("created_at"),
)

funds = Table(
    "funds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("allocated_cents", BigInteger, nullable=False),
    Column("committed_cents", BigInteger, nullable=False, server_default="0"),
    Column("spent_cents", BigInteger, nullable=False, server_default="0"),
    ts("created_at"),
    UniqueConstraint("code", "year", name="uq_funds_code_year"),
    CheckConstraint("allocated_cents >= 0", name="allocated_not_negative"),
    CheckConstraint("committed_cents >= 0", name="committed_not_negative"),
    CheckConstraint("spent_cents >= 0", name="spent_not_negative"),
    CheckConstraint("committed_cents + spent_cents <= allocated_cents", name="never_overcommitted"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Id, primary_key=True),
    Column("vendor_id", Id, ForeignKey("vendors.id"), nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    Column("placed_by", String(64), nullable=False),
    ts("created_at"),
    ts("closed_at", nullable=True),
    CheckConstraint(f"status IN {ORDER_STATUSES!r}", name="status"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("wish_id", Id, ForeignKey("wishes.id"), nullable=True),
    Column("fund_id", Id, ForeignKey("funds.id"), nullable=False),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),  # receiving branch
    Column("quantity", Integer, nullable=False),
    Column("price_cents", BigInteger, nullable=False),  # per copy
    Column("received", Integer, nullable=False, server_default="0"),
    Column("status", String(12), nullable=False, server_default="ordered"),
    ts("created_at"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("price_cents >= 0", name="price_not_negative"),
    CheckConstraint("received >= 0 AND received <= quantity", name="received_within"),
    CheckConstraint(f"status IN {LINE_STATUSES!r}", name="status"),
)
Index("ix_order_lines_record", order_lines.c.record_id)
Index("ix_order_lines_wish", order_lines.c.wish_id)

# The copies a line brought: made "on order" with the line, "in processing" when received.
line_items = Table(
    "line_items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False, unique=True),
    ts("received_at", nullable=True),
)
Index("ix_line_items_line", line_items.c.line_id)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("number", String(64), nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    ts("created_at"),
    CheckConstraint("total_cents >= 0", name="total_not_negative"),
)
