"""Acquisitions' values: vendors, funds, orders and lines; money in fen (1/100 yuan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Outbox topics written here; the wish wall listens (neither imports the other: the
# strings are the contract, and tests/acquisitions checks both sides name the same).
LINE_ORDERED = "acquisitions.line_ordered"
LINE_RECEIVED = "acquisitions.line_received"
ITEM_IN_SERVICE = "acquisitions.item_in_service"

# The price an order form starts from when the branch has ordered nothing yet (fen): a
# guess for the first order only; staff correct it, later forms start from the last price.
TYPICAL_PRICE_CENTS = 5_000


def yuan(cents: int) -> str:
    """Fen shown as yuan: 12345 -> '123.45'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


@dataclass(frozen=True, slots=True)
class Vendor:
    id: int
    code: str
    name: str
    email: str | None


@dataclass(frozen=True, slots=True)
class Fund:
    id: int
    code: str
    year: int
    branch: str
    name: str
    allocated_cents: int
    committed_cents: int
    spent_cents: int

    @property
    def available_cents(self) -> int:
        return self.allocated_cents - self.committed_cents - self.spent_cents


@dataclass(frozen=True, slots=True)
class Brief:
    """A record to order when the catalogue has none: made brief from a wish."""

    title: str
    author: str = ""
    isbn: str | None = None


@dataclass(frozen=True, slots=True)
class LineDraft:
    fund: str  # fund code (of the current year)
    branch: str  # receiving branch
    price_cents: int  # per copy
    quantity: int = 1
    record_id: int | None = None
    brief: Brief | None = None
    wish_id: int | None = None


@dataclass(frozen=True, slots=True)
class Line:
    id: int
    order_id: int
    record_id: int
    wish_id: int | None
    fund: str
    branch: str
    quantity: int
    price_cents: int
    received: int
    status: str
    barcodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    vendor: str
    status: str
    created_at: datetime
    lines: tuple[Line, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.quantity * line.price_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class Received:
    line_id: int
    record_id: int
    barcode: str
    wish_id: int | None


@dataclass(frozen=True, slots=True)
class Proposal:
    """What an order of one copy for ``branch`` most likely uses, for a form to start from:
    the vendor of the branch's latest order, the branch's fund of the year with the most
    money left (one that covers the price if any does), the branch's latest price."""

    branch: str
    vendor: str | None
    fund: str | None
    price_cents: int


@dataclass(frozen=True, slots=True)
class Waiting:
    """A line still waiting for copies at a branch (the receiving page lists them)."""

    line_id: int
    order_id: int
    vendor: str
    record_id: int
    wish_id: int | None
    quantity: int
    received: int
