"""What every circulation operation shares: the settings, idempotent transactions,
the loan rule that applies, the reader's own blocks and where a copy is.

:class:`CirculationCore` is the base of the operation groups — holds and
transits (``holds.py``), renewals (``renewals.py``) and checkout/check-in
(``service.py``) — which :class:`~shelfwise.circulation.service.CirculationService`
puts together; the doors see only that one service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo
from shelfwise.circulation.deposits import DepositPolicy
from shelfwise.circulation.idempotency import Idempotency, RequestKey
from shelfwise.circulation.lending_settings import LendingSettings
from shelfwise.circulation.models import CirculationPolicy, ItemStatus, Loan
from shelfwise.circulation.rules import RuleMatch, resolve
from shelfwise.circulation.standing import account_blocks
from shelfwise.circulation.states import Availability, HoldStatus, LoanStatus
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.storage.database import Database


class CirculationCore:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        policy: CirculationPolicy,
        *,
        deposits: DepositPolicy | None = None,
        idempotency: Idempotency | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self.policy = policy
        self.deposits = deposits or DepositPolicy()
        # The composition root passes the library's; a stand-alone service (a test's
        # second clock) gets its own, whose keys only it can find.
        self.idempotency = idempotency or Idempotency.private(db, clock)
        self._lending = LendingSettings()  # rules and calendars, per settings version

    # --- idempotency ----------------------------------------------------------------

    def _once(
        self,
        key: RequestKey | None,
        operation: str,
        request: Mapping[str, object],
        work: Callable[[Connection], dict[str, Any]],
        ready: Callable[[Connection, dict[str, Any]], None] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """``work`` in one write transaction, once per key (``circulation/idempotency.py``).

        ``request`` is what the key must stand for (a reused key with other arguments is
        refused), its ``barcode`` the copy acted on; ``ready`` sees the result before the
        commit (a door's reply).
        """
        item = request.get("barcode")
        return self.idempotency.once(
            key, operation, request, work, ready, item=None if item is None else str(item)
        )

    def _account_blocks(self, conn: Connection, reader: Reader) -> list[ShelfwiseError]:
        """The reader's own blocks (pending, expired, blocked, fees): no holds, no renewals."""
        owed = repo.open_fees_cents(conn, reader.id)
        return account_blocks(reader, owed, self._clock.today(), self.policy)

    def _require_account(self, conn: Connection, reader: Reader) -> None:
        blocks = self._account_blocks(conn, reader)
        if blocks:
            raise blocks[0]

    def _rule(self, conn: Connection, category: str, item_type: str, branch_id: int) -> RuleMatch:
        return resolve(
            repo.rules_for(conn, category, item_type, branch_id), category, item_type, branch_id
        )

    def _availability(self, conn: Connection, item: Any) -> ItemStatus:
        loan = repo.open_loan(conn, item.id)
        due = None
        if item.lifecycle != "in_service":
            state = Availability.UNAVAILABLE
        elif loan is not None:
            state = Availability.LOST if loan.status == LoanStatus.LOST else Availability.ON_LOAN
            due = loan.due_on
        elif repo.open_transit(conn, item.id) is not None:
            state = Availability.IN_TRANSIT
        elif (hold := repo.trapped_hold(conn, item.id)) is not None:
            state = (
                Availability.HOLD_SHELF
                if hold.status == HoldStatus.READY
                else Availability.IN_TRANSIT
            )
        else:
            state = Availability.ON_SHELF
        return ItemStatus(item.id, item.barcode, item.record_id, item.home_branch_id, state, due)


def availability_after_checkin(
    lifecycle: str, hold_status: str | None, transit_to: int | None
) -> Availability:
    """A copy's availability once a check-in has closed its loan, received its transit and
    routed it (``_availability``'s rule, from what the check-in knows)."""
    if lifecycle != "in_service":
        return Availability.UNAVAILABLE
    if transit_to is not None:
        return Availability.IN_TRANSIT
    if hold_status == HoldStatus.READY:
        return Availability.HOLD_SHELF
    if hold_status is not None:  # trapped for a pickup elsewhere: on its way
        return Availability.IN_TRANSIT
    return Availability.ON_SHELF


def loaded_hook(
    into: list[Loan],
    prepare: Callable[[Loan], object] | None,
    fresh: list[Loan] | None = None,
) -> Callable[[Connection, dict[str, Any]], None]:
    """A ``ready`` hook that reads the loan a result names (kept in ``into``) and prepares;
    a loan the work just wrote (``fresh``) is taken as it is, a replayed one is read."""

    def ready(conn: Connection, result: dict[str, Any]) -> None:
        loan_id = int(result["loan_id"])
        made = fresh[-1] if fresh and fresh[-1].id == loan_id else None
        loan = made or repo.load_loan(conn, loan_id)
        into.append(loan)
        if prepare is not None:
            prepare(loan)

    return ready
