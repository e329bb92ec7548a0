"""How long a reader waits for a held title: from the place in the queue, when each copy
comes free (on the shelf now, a loan's due date, a copy already trapped for someone) and
how long a copy usually stays with each reader ahead (the turnaround).

The turnaround is the median number of days between lending and return of this title's
loans returned in the last year, plus the days a ready copy waits to be collected; with
fewer than TURNAROUND_SAMPLE returns the library's general loan period stands in. It is
an estimate: readers return early and late and renew, so pages say "about".
"""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from shelfwise.circulation import repo, repo_wait
from shelfwise.circulation.models import ItemStatus
from shelfwise.circulation.rules import DEFAULT_RULE
from shelfwise.circulation.states import Availability, HoldStatus
from shelfwise.core.clock import Clock
from shelfwise.readers.reading import reader_id_of
from shelfwise.storage.database import Database

TURNAROUND_SAMPLE = 3  # fewer returns say little about how long readers keep this title
TURNAROUND_WINDOW_DAYS = 365
# A ready copy waits on the hold shelf until its reader comes, at most the rule's
# hold_shelf_days (7 by default); most readers come within a few days.
PICKUP_DAYS = 3


def estimated_ready(
    today: date, position: int, copies: Sequence[ItemStatus], turnaround_days: int
) -> date | None:
    """The day a copy is likely to be ready for the hold at ``position`` (1 = next), each
    reader ahead keeping a copy ``turnaround_days``; None when no copy can come back (all
    lost or out of service)."""
    free: list[date] = []
    for copy in copies:
        if copy.availability is Availability.ON_SHELF:
            free.append(today)
        elif copy.availability is Availability.ON_LOAN:
            free.append(max(copy.due_on or today, today))
        elif copy.availability in (Availability.IN_TRANSIT, Availability.HOLD_SHELF):
            # most often trapped for a reader no longer in the queue (a trapped hold
            # leaves it): that reader keeps it first
            free.append(today + timedelta(days=turnaround_days))
    if not free or position < 1:
        return None
    heapq.heapify(free)
    for _ in range(position - 1):  # each reader ahead takes the first copy to come free
        heapq.heappush(free, heapq.heappop(free) + timedelta(days=turnaround_days))
    return free[0]


class HoldWaits:
    """Estimated ready dates of a reader's waiting holds (the account's holds page)."""

    def __init__(
        self, db: Database, clock: Clock, copies: Callable[[int], list[ItemStatus]]
    ) -> None:
        self._db = db
        self._clock = clock
        self._copies = copies  # the copies of a record and where each is (circulation's)

    def turnaround_days(self, record_id: int) -> int:
        since = self._clock.now() - timedelta(days=TURNAROUND_WINDOW_DAYS)
        with self._db.read() as conn:
            kept = repo_wait.returned_loan_days(conn, record_id, since)
            general = [
                r
                for r in repo.all_rules(conn)
                if r.reader_category is None and r.item_type is None and r.branch_id is None
            ]
        if len(kept) >= TURNAROUND_SAMPLE:
            days = round(statistics.median(kept))
        else:
            days = (general[0] if general else DEFAULT_RULE).loan_days
        return days + PICKUP_DAYS

    def ready_by(self, card_number: str) -> dict[int, date | None]:
        """Hold id → the estimated day, for each of the reader's waiting holds."""
        today = self._clock.today()
        with self._db.read() as conn:
            holds = repo.holds_of(conn, reader_id_of(conn, card_number))
        out: dict[int, date | None] = {}
        for hold in holds:
            if hold.status != HoldStatus.WAITING or hold.queue_position is None:
                continue
            copies = [
                c
                for c in self._copies(hold.record_id)
                if hold.item_id is None or c.item_id == hold.item_id
            ]
            turnaround = self.turnaround_days(hold.record_id)
            out[hold.id] = estimated_ready(today, hold.queue_position, copies, turnaround)
        return out
