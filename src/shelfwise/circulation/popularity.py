"""What readers borrow most: loans per record over a recent window, as counts only (P1:
an aggregate names no reader). The home page's "popular this month" reads it, and the
recommendations for everyone (popular at my branch, what my reader category borrows)."""

from __future__ import annotations

from datetime import timedelta

from shelfwise.circulation import repo_popular
from shelfwise.core.clock import Clock
from shelfwise.storage.database import Database

POPULAR_DAYS = 30
POPULAR_MIN_LOANS = 2  # one loan is a reader's choice, not yet the library's favourite


class LoanPopularity:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def popular(
        self,
        limit: int = 10,
        days: int = POPULAR_DAYS,
        *,
        branch_id: int | None = None,
        category: str | None = None,
        min_loans: int = POPULAR_MIN_LOANS,
    ) -> list[tuple[int, int]]:
        """(record id, loans) of the most borrowed records of the last ``days`` days, most
        first (lent at ``branch_id``, to readers of ``category``, when given); a record
        borrowed fewer than ``min_loans`` times is not popular."""
        since = self._clock.now() - timedelta(days=days)
        with self._db.read() as conn:
            counted = repo_popular.loans_by_record_since(
                conn, since, limit, branch_id=branch_id, category=category
            )
        return [(record, n) for record, n in counted if n >= min_loans]
