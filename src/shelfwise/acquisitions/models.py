"""Acquisitions' values: vendors, funds, orders and lines; money in fen (1/100 yuan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Outbox topics written here; the wish wall listens (neither imports the other: the
# strings are the contract, and tests/acquisitions checks both sides name the same).
LINE_ORDERED = "acquisitions.line_ordered"
LINE_RECEIVED = "acquisitions.line_received"
ITEM_IN_SERVICE = "acquisitions.item_in_service"


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
