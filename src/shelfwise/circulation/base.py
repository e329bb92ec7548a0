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


def loaded_hook(
    into: list[Loan], prepare: Callable[[Loan], object] | None
) -> Callable[[Connection, dict[str, Any]], None]:
    """A ``ready`` hook that reads the loan a result names (kept in ``into``) and prepares."""

    def ready(conn: Connection, result: dict[str, Any]) -> None:
        loan = repo.load_loan(conn, int(result["loan_id"]))
        into.append(loan)
        if prepare is not None:
            prepare(loan)

    return ready
