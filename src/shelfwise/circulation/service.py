"""Checkout, check-in, renewal, holds and transits: one transaction each.

Every operation locks what it decides on before deciding: the reader row and
the item row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN
IMMEDIATE`` already serialises writers). Limits are therefore counted under the
same lock as the insert, and the partial unique indexes (one open loan per
item, one trapped hold per item) stand behind the code as the last word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation import repo
from shelfwise.circulation.deposits import DepositPolicy, require_deposit
from shelfwise.circulation.idempotency import Idempotency, RequestKey
from shelfwise.circulation.models import (
    CheckinResult,
    CirculationPolicy,
    Hold,
    HoldSlip,
    ItemStatus,
    Loan,
    PullListEntry,
)
from shelfwise.circulation.rules import Calendar, RuleMatch, due_date, overdue_fine, resolve
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.circulation.states import (
    ACTIVE_HOLDS,
    Availability,
    HoldStatus,
    LoanStatus,
    check_hold,
    check_loan,
)
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader, ReaderStatus
from shelfwise.readers.service import lock_reader, reader_by_id, reader_id_of
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue
from shelfwise.storage.tables import fees, holds, items, loans, transits

NOTICE_TOPIC = "circulation.notice"
T = TypeVar("T")


class CirculationService:
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

    # --- checkout ---------------------------------------------------------------------

    def checkout(
        self,
        card_number: str,
        barcode: str,
        branch: str,
        *,
        actor: Actor,
        idempotency_key: RequestKey | None = None,
        prepare: Callable[[Loan], object] | None = None,
    ) -> Loan:
        """Lend a copy; ``prepare`` sees the loan before the transaction commits."""
        authorise(actor, at=[branch], desk_only=True)

        def work(conn: Connection) -> dict[str, Any]:
            return {"loan_id": self._checkout(conn, card_number, barcode, branch)}

        loaded: list[Loan] = []
        try:
            self._once(
                idempotency_key,
                "checkout",
                {"card": card_number, "barcode": barcode, "branch": branch},
                work,
                _loaded(loaded, prepare),
            )
        except IntegrityError as exc:
            # The partial unique index caught a second open loan the lock did not.
            if "uq_loans_open_item" in str(exc.orig) or "loans.item_id" in str(exc.orig):
                raise ShelfwiseError("circ.item_on_loan", barcode=barcode) from exc
            raise
        return loaded[-1]

    def _checkout(self, conn: Connection, card_number: str, barcode: str, branch: str) -> int:
        now = self._clock.now()
        branch_id = repo.branch_id(conn, branch)
        reader = lock_reader(conn, card_number)
        item = repo.item_row(conn, barcode, lock=True)
        self._require_can_borrow(conn, reader, now.date())
        require_deposit(conn, self.deposits, reader, now.date())
        if item.lifecycle != "in_service":
            raise ShelfwiseError("circ.item_not_loanable", barcode=barcode, state=item.lifecycle)
        current = repo.open_loan(conn, item.id)
        if current is not None:
            code = (
                "circ.item_already_yours" if current.reader_id == reader.id else "circ.item_on_loan"
            )
            raise ShelfwiseError(code, barcode=barcode)
        trapped = repo.trapped_hold(conn, item.id)
        if trapped is not None and trapped.reader_id != reader.id:
            raise ShelfwiseError("circ.item_on_hold", barcode=barcode)
        match = self._rule(conn, reader.category, item.item_type, branch_id)
        rule = match.rule
        if rule.loan_days == 0:
            raise ShelfwiseError("circ.not_loanable_by_rule", barcode=barcode)
        if repo.open_loan_count(conn, reader.id) >= rule.loan_limit:
            raise ShelfwiseError("circ.loan_limit", limit=rule.loan_limit)
        check_loan(None, LoanStatus.ON_LOAN, "checkout")
        loan_id = conn.execute(
            insert(loans)
            .values(
                item_id=item.id,
                reader_id=reader.id,
                status=str(LoanStatus.ON_LOAN),
                branch_id=branch_id,
                item_type=item.item_type,
                reader_category=reader.category,
                rule_id=rule.id,
                loaned_at=now,
                due_on=due_date(repo.calendar(conn, branch_id), now.date(), rule.loan_days),
            )
            .returning(loans.c.id)
        ).scalar_one()
        self._fill_own_hold(conn, reader, item, trapped)
        self.idempotency.release(conn, barcode, keep="checkout")
        transit = repo.open_transit(conn, item.id)
        if transit is not None:  # handed over before it arrived: the journey ends here
            conn.execute(
                update(transits).where(transits.c.id == transit.id).values(received_at=now)
            )
        return int(loan_id)

    def _fill_own_hold(self, conn: Connection, reader: Reader, item: Any, trapped: Any) -> None:
        now = self._clock.now()
        if trapped is not None:
            check_hold(HoldStatus(trapped.status), HoldStatus.FULFILLED, "checkout")
            conn.execute(
                update(holds)
                .where(holds.c.id == trapped.id)
                .values(status=str(HoldStatus.FULFILLED), trapped_item_id=None, closed_at=now)
            )
            return
        # A reader who finds a copy on the shelf fills their own waiting hold on the title.
        own = conn.execute(
            select(holds.c.id)
            .where(
                holds.c.reader_id == reader.id,
                holds.c.record_id == item.record_id,
                holds.c.status == HoldStatus.WAITING,
            )
            .order_by(holds.c.id)
            .limit(1)
        ).scalar()
        if own is not None:
            check_hold(HoldStatus.WAITING, HoldStatus.FULFILLED, "checkout")
            conn.execute(
                update(holds)
                .where(holds.c.id == own)
                .values(status=str(HoldStatus.FULFILLED), closed_at=now)
            )

    def _require_can_borrow(self, conn: Connection, reader: Reader, today: date) -> None:
        """The reader's blocks, each with its own reason code."""
        if reader.status is ReaderStatus.PENDING:
            raise ShelfwiseError("circ.reader_pending")
        if reader.expires_on < today:
            raise ShelfwiseError("circ.card_expired", expired=reader.expires_on.isoformat())
        if reader.manual_block:
            raise ShelfwiseError("circ.reader_blocked", reason=reader.manual_block)
        owed = repo.open_fees_cents(conn, reader.id)
        if owed > self.policy.fee_block_cents:
            raise ShelfwiseError(
                "circ.fees_over_limit",
                owed=f"{owed / 100:.2f}",
                limit=f"{self.policy.fee_block_cents / 100:.2f}",
            )

    def _rule(self, conn: Connection, category: str, item_type: str, branch_id: int) -> RuleMatch:
        return resolve(
            repo.rules_for(conn, category, item_type, branch_id), category, item_type, branch_id
        )

    # --- check-in ---------------------------------------------------------------------

    def checkin(
        self,
        barcode: str,
        branch: str,
        *,
        actor: Actor,
        idempotency_key: RequestKey | None = None,
        prepare: Callable[[CheckinResult], object] | None = None,
    ) -> CheckinResult:
        """Return a copy; ``prepare`` sees the result before the transaction commits."""
        authorise(actor, at=[branch], desk_only=True)

        def work(conn: Connection) -> dict[str, Any]:
            return asdict(self._checkin(conn, barcode, branch))

        request = {"barcode": barcode, "branch": branch}
        result, _ = self._once(idempotency_key, "checkin", request, work, _checked_in(prepare))
        return CheckinResult(**result)

    def _checkin(self, conn: Connection, barcode: str, branch: str) -> CheckinResult:
        now = self._clock.now()
        here = repo.branch_id(conn, branch)
        item = repo.item_row(conn, barcode, lock=True)
        loan = repo.open_loan(conn, item.id)
        fine = 0
        if loan is not None:
            fine = self._close_loan(conn, loan, here)
            self.idempotency.release(conn, barcode, keep="checkin")
        transit = repo.open_transit(conn, item.id)
        if transit is not None:
            conn.execute(
                update(transits).where(transits.c.id == transit.id).values(received_at=now)
            )
        hold_id, hold_status, transit_to = self._route(conn, item, here)
        status = self._availability(conn, item)
        return CheckinResult(
            barcode=barcode,
            loan_id=None if loan is None else int(loan.id),
            fine_cents=fine,
            hold_id=hold_id,
            hold_status=hold_status,
            transit_to_branch_id=transit_to,
            availability=str(status.availability),
        )

    def take_back(
        self,
        barcode: str,
        branch: str,
        loan_id: int,
        *,
        actor: Actor,
        idempotency_key: RequestKey | None = None,
        prepare: Callable[[CheckinResult], object] | None = None,
    ) -> CheckinResult:
        """Undo a checkout that did not complete (a kiosk's cancel or rollback, S-8).

        When ``loan_id`` is still the copy's open loan it is closed with no fine and the
        copy is *not* routed: it never left, so it is not trapped for a hold nor sent
        anywhere (S-8 in docs/requirements.md, Evergreen #1503903: a kiosk's rollback check-in
        trapped the copy for another reader's hold while it stayed on the open shelf).
        Otherwise (returned since, or another loan) it is an ordinary check-in. A hold
        the checkout filled stays filled.
        """
        authorise(actor, at=[branch], desk_only=True)

        def work(conn: Connection) -> dict[str, Any]:
            item = repo.item_row(conn, barcode, lock=True)
            loan = repo.open_loan(conn, item.id)
            if loan is None or int(loan.id) != loan_id:
                return asdict(self._checkin(conn, barcode, branch))
            check_loan(LoanStatus(loan.status), LoanStatus.RETURNED, "checkin")
            # Undone: the same checkout request again is a new checkout, not this one.
            self.idempotency.release(conn, barcode, keep="checkin")
            conn.execute(
                update(loans)
                .where(loans.c.id == loan.id)
                .values(
                    status=str(LoanStatus.RETURNED),
                    returned_at=self._clock.now(),
                    returned_branch_id=repo.branch_id(conn, branch),
                    reader_id=loan.reader_id if self._keeps_history(conn, loan.reader_id) else None,
                )
            )
            status = self._availability(conn, item)
            return asdict(
                CheckinResult(
                    barcode=barcode,
                    loan_id=int(loan.id),
                    fine_cents=0,
                    hold_id=None,
                    hold_status=None,
                    transit_to_branch_id=None,
                    availability=str(status.availability),
                )
            )

        # The same request as a check-in: a resend after the window is one, with this key.
        request = {"barcode": barcode, "branch": branch}
        result, _ = self._once(idempotency_key, "checkin", request, work, _checked_in(prepare))
        return CheckinResult(**result)

    def _close_loan(self, conn: Connection, loan: Any, here: int) -> int:
        now = self._clock.now()
        status = LoanStatus(loan.status)
        check_loan(status, LoanStatus.RETURNED, "checkin")
        fine = 0
        if status is LoanStatus.ON_LOAN and loan.reader_id is not None:
            calendar = repo.calendar(conn, loan.branch_id)
            match = self._rule(conn, loan.reader_category, loan.item_type, loan.branch_id)
            fine = overdue_fine(calendar, match.rule, loan.due_on, now.date())
        if fine:
            conn.execute(
                insert(fees).values(
                    reader_id=loan.reader_id,
                    loan_id=loan.id,
                    kind="overdue",
                    item_type=loan.item_type,
                    amount_cents=fine,
                    created_at=now,
                )
            )
        if status is LoanStatus.LOST:  # found: the unpaid part of the lost fee is waived
            self._waive_lost_fee(conn, loan.id)
        keep_link = (
            fine > 0
            or self._has_open_fee(conn, loan.id)
            or self._keeps_history(conn, loan.reader_id)
        )
        conn.execute(
            update(loans)
            .where(loans.c.id == loan.id)
            .values(
                status=str(LoanStatus.RETURNED),
                returned_at=now,
                returned_branch_id=here,
                reader_id=loan.reader_id if keep_link else None,
            )
        )
        return fine

    def _keeps_history(self, conn: Connection, reader_id: int | None) -> bool:
        if reader_id is None:
            return False
        return reader_by_id(conn, reader_id).history_opt_in

    def _has_open_fee(self, conn: Connection, loan_id: int) -> bool:
        return (
            conn.execute(
                select(fees.c.id).where(fees.c.loan_id == loan_id, fees.c.status == "open")
            ).first()
            is not None
        )

    def _waive_lost_fee(self, conn: Connection, loan_id: int) -> None:
        conn.execute(
            update(fees)
            .where(fees.c.loan_id == loan_id, fees.c.kind == "lost", fees.c.status == "open")
            .values(
                waived_cents=fees.c.amount_cents - fees.c.paid_cents,
                status="waived",
                note="item found and returned",
                closed_at=self._clock.now(),
            )
        )

    def _route(
        self, conn: Connection, item: Any, here: int
    ) -> tuple[int | None, str | None, int | None]:
        """Trap the copy for the next hold, or send it home: (hold, hold status, transit to)."""
        now = self._clock.now()
        trapped = repo.trapped_hold(conn, item.id)
        if trapped is not None:  # already trapped: arriving at the pickup branch or passing by
            if trapped.pickup_branch_id == here:
                if trapped.status == HoldStatus.IN_TRANSIT:
                    self._make_ready(conn, trapped, HoldStatus.IN_TRANSIT, "receive")
                return int(trapped.id), str(HoldStatus.READY), None
            self._send(conn, item.id, here, trapped.pickup_branch_id, trapped.id)
            return int(trapped.id), str(trapped.status), int(trapped.pickup_branch_id)
        if item.lifecycle == "in_service":
            for hold in repo.waiting_holds_for(conn, item.record_id, item.id):
                target = (
                    HoldStatus.READY if hold.pickup_branch_id == here else HoldStatus.IN_TRANSIT
                )
                check_hold(HoldStatus.WAITING, target, "trap")
                # Conditional on still waiting: a concurrent check-in of another copy
                # may have trapped this hold first (PostgreSQL re-checks after the wait).
                taken = conn.execute(
                    update(holds)
                    .where(holds.c.id == hold.id, holds.c.status == HoldStatus.WAITING)
                    .values(status=str(target), trapped_item_id=item.id, trapped_at=now)
                ).rowcount
                if taken != 1:
                    continue
                if target is HoldStatus.READY:
                    self._make_ready(conn, hold, None, "")
                    return int(hold.id), str(target), None
                self._send(conn, item.id, here, hold.pickup_branch_id, hold.id)
                return int(hold.id), str(target), int(hold.pickup_branch_id)
        if here != item.home_branch_id:
            self._send(conn, item.id, here, item.home_branch_id, None)
            return None, None, int(item.home_branch_id)
        return None, None, None

    def _make_ready(self, conn: Connection, hold: Any, current: HoldStatus | None, op: str) -> None:
        if current is not None:
            check_hold(current, HoldStatus.READY, op)
        today = self._clock.now().date()
        rule = self._rule_for_hold(conn, hold)
        expires = due_date(repo.calendar(conn, hold.pickup_branch_id), today, rule.hold_shelf_days)
        conn.execute(
            update(holds)
            .where(holds.c.id == hold.id)
            .values(status=str(HoldStatus.READY), shelf_expires_on=expires)
        )
        enqueue(
            conn,
            self._clock,
            NOTICE_TOPIC,
            {"kind": "hold_ready", "hold_id": int(hold.id), "reader_id": hold.reader_id},
        )

    def _rule_for_hold(self, conn: Connection, hold: Any) -> Any:
        reader = reader_by_id(conn, hold.reader_id) if hold.reader_id else None
        category = reader.category if reader else "adult"
        return self._rule(conn, category, "book", hold.pickup_branch_id).rule

    def _send(
        self, conn: Connection, item_id: int, here: int, to: int, hold_id: int | None
    ) -> None:
        conn.execute(
            insert(transits).values(
                item_id=item_id,
                from_branch_id=here,
                to_branch_id=to,
                hold_id=hold_id,
                sent_at=self._clock.now(),
            )
        )

    # --- renewal and loss ----------------------------------------------------------------

    def renew(
        self,
        card_number: str,
        barcode: str,
        *,
        actor: Actor,
        branch: str | None = None,
        idempotency_key: RequestKey | None = None,
        prepare: Callable[[Loan], object] | None = None,
    ) -> Loan:
        """Renew a loan: by the reader, or by staff at ``branch`` (default: where it was lent).

        ``prepare`` sees the renewed loan before the transaction commits."""
        authorise(actor, at=[] if branch is None else [branch], reader_card=card_number)

        def work(conn: Connection) -> dict[str, Any]:
            return {"loan_id": self._renew(conn, card_number, barcode, actor, branch)}

        loaded: list[Loan] = []
        request = {"card": card_number, "barcode": barcode}
        self._once(idempotency_key, "renew", request, work, _loaded(loaded, prepare))
        return loaded[-1]

    def _renew(
        self, conn: Connection, card_number: str, barcode: str, actor: Actor, branch: str | None
    ) -> int:
        today = self._clock.now().date()
        reader = lock_reader(conn, card_number)
        item = repo.item_row(conn, barcode, lock=True)
        loan = repo.open_loan(conn, item.id)
        if branch is None and loan is not None:
            at = codes_at(conn, actor, [loan.branch_id])
            authorise(actor, at=at, reader_card=card_number)
        if loan is None or loan.reader_id != reader.id:
            raise ShelfwiseError("circ.not_your_loan", barcode=barcode)
        if loan.status != LoanStatus.ON_LOAN:
            raise ShelfwiseError("circ.renew_lost", barcode=barcode)
        self._require_can_borrow(conn, reader, today)
        rule = self._rule(conn, loan.reader_category, loan.item_type, loan.branch_id).rule
        if loan.renewals >= rule.renewals:
            raise ShelfwiseError("circ.renew_limit", limit=rule.renewals)
        if repo.waiting_holds_for(conn, item.record_id, item.id):
            raise ShelfwiseError("circ.renew_on_hold", barcode=barcode)
        check_loan(LoanStatus.ON_LOAN, LoanStatus.ON_LOAN, "renew")
        new_due = due_date(repo.calendar(conn, loan.branch_id), today, rule.loan_days)
        conn.execute(
            update(loans)
            .where(loans.c.id == loan.id)
            .values(due_on=max(new_due, loan.due_on), renewals=loan.renewals + 1)
        )
        return int(loan.id)

    def declare_lost(self, barcode: str, *, actor: Actor) -> Loan:
        """Declare a copy on loan lost: the lending branch's staff charge its price."""
        now = self._clock.now()
        with self._db.write() as conn:
            item = repo.item_row(conn, barcode, lock=True)
            loan = repo.open_loan(conn, item.id)
            if loan is None:
                raise ShelfwiseError("circ.not_on_loan", barcode=barcode)
            authorise(actor, at=codes_at(conn, actor, [loan.branch_id]), desk_only=True)
            check_loan(LoanStatus(loan.status), LoanStatus.LOST, "declare_lost")
            rule = self._rule(conn, loan.reader_category, loan.item_type, loan.branch_id).rule
            conn.execute(
                update(loans).where(loans.c.id == loan.id).values(status=str(LoanStatus.LOST))
            )
            conn.execute(
                insert(fees).values(
                    reader_id=loan.reader_id,
                    loan_id=loan.id,
                    kind="lost",
                    item_type=loan.item_type,
                    amount_cents=item.price_cents or rule.lost_fee_cents,
                    created_at=now,
                )
            )
            return repo.load_loan(conn, loan.id)

    # --- holds ---------------------------------------------------------------------------

    def place_hold(
        self,
        card_number: str,
        record_id: int,
        pickup_branch: str,
        *,
        actor: Actor,
        item_barcode: str | None = None,
    ) -> Hold:
        """A hold for the reader, picked up at ``pickup_branch`` (staff: one of theirs)."""
        authorise(actor, at=[pickup_branch], reader_card=card_number)
        now = self._clock.now()
        with self._db.write() as conn:
            pickup = repo.branch_id(conn, pickup_branch)
            reader = lock_reader(conn, card_number)
            self._require_can_borrow(conn, reader, now.date())
            item_id = None
            if item_barcode is not None:
                item = repo.item_row(conn, item_barcode)
                if item.record_id != record_id:
                    raise ShelfwiseError("circ.hold_item_mismatch", barcode=item_barcode)
                item_id = item.id
            copies = (
                conn.execute(
                    select(items.c.item_type).where(
                        items.c.record_id == record_id,
                        items.c.lifecycle.in_(["in_service", "on_order", "in_processing"]),
                    )
                )
                .scalars()
                .all()
            )
            if not copies:
                raise ShelfwiseError("circ.nothing_to_hold", record_id=record_id)
            rule = self._rule(conn, reader.category, copies[0], pickup).rule
            active = [h for h in repo.holds_of(conn, reader.id) if h.status in ACTIVE_HOLDS]
            if any(h.record_id == record_id for h in active):
                raise ShelfwiseError("circ.hold_exists", record_id=record_id)
            if len(active) >= rule.hold_limit:
                raise ShelfwiseError("circ.hold_limit", limit=rule.hold_limit)
            check_hold(None, HoldStatus.WAITING, "place")
            hold_id = repo.insert_waiting_hold(
                conn,
                reader_id=reader.id,
                record_id=record_id,
                item_id=item_id,
                pickup_branch_id=pickup,
                placed_at=now,
            )
            return repo.load_hold(conn, hold_id)

    def cancel_hold(self, hold_id: int, *, actor: Actor) -> Hold:
        """Cancel a hold (a reader only their own); a trapped copy is freed for the next."""
        now = self._clock.now()
        with self._db.write() as conn:
            hold = repo.load_hold(conn, hold_id, lock=True)
            self._authorise_hold(conn, actor, hold)
            if hold.status not in ACTIVE_HOLDS:
                raise ShelfwiseError("circ.hold_closed", hold=hold_id, status=hold.status)
            check_hold(hold.status, HoldStatus.CANCELLED, "cancel")
            conn.execute(
                update(holds)
                .where(holds.c.id == hold_id)
                .values(status=str(HoldStatus.CANCELLED), trapped_item_id=None, closed_at=now)
            )
            return repo.load_hold(conn, hold_id)

    def change_pickup(self, hold_id: int, pickup_branch: str, *, actor: Actor) -> Hold:
        """Move a waiting hold's pickup branch (a reader only their own hold; staff from and
        to their branches).

        Only while no copy is trapped: a trapped copy is already travelling to,
        or sitting at, the old pickup branch.
        """
        with self._db.write() as conn:
            hold = repo.load_hold(conn, hold_id, lock=True)
            self._authorise_hold(conn, actor, hold, also_at=pickup_branch)
            if hold.status is not HoldStatus.WAITING:
                raise ShelfwiseError("circ.pickup_fixed", hold=hold_id, status=hold.status)
            pickup = repo.branch_id(conn, pickup_branch)
            conn.execute(
                update(holds)
                .where(holds.c.id == hold_id, holds.c.status == HoldStatus.WAITING)
                .values(pickup_branch_id=pickup)
            )
            return repo.load_hold(conn, hold_id)

    def expire_holds(self) -> int:
        """Holds left on the shelf past their expiry; the copy is trapped anew at its next scan."""
        now = self._clock.now()
        with self._db.write() as conn:
            ids = (
                conn.execute(
                    select(holds.c.id).where(
                        holds.c.status == HoldStatus.READY, holds.c.shelf_expires_on < now.date()
                    )
                )
                .scalars()
                .all()
            )
            for hold_id in ids:
                check_hold(HoldStatus.READY, HoldStatus.EXPIRED, "expire")
                conn.execute(
                    update(holds)
                    .where(holds.c.id == hold_id, holds.c.status == HoldStatus.READY)
                    .values(status=str(HoldStatus.EXPIRED), trapped_item_id=None, closed_at=now)
                )
            return len(ids)

    def get_hold(self, hold_id: int, *, actor: Actor) -> Hold:
        """One hold: the reader's own, or any for staff (reading a reader's holds is not
        branch-bound: any desk serves any reader)."""
        with self._db.read() as conn:
            hold = repo.load_hold(conn, hold_id)
            authorise(actor, reader_card=self._card_of(conn, hold))
            return hold

    def _authorise_hold(
        self, conn: Connection, actor: Actor, hold: Hold, *, also_at: str | None = None
    ) -> None:
        """Acting on a hold: its reader, or staff of its pickup branch (and of ``also_at``)."""
        at = codes_at(conn, actor, [hold.pickup_branch_id])
        if also_at is not None:
            at.append(also_at)
        authorise(actor, at=at, reader_card=self._card_of(conn, hold))

    def _card_of(self, conn: Connection, hold: Hold) -> str | None:
        return None if hold.reader_id is None else reader_by_id(conn, hold.reader_id).card_number

    def pull_list(self, branch: str, *, actor: Actor) -> list[PullListEntry]:
        """Copies on this branch's shelves that waiting holds want, oldest hold first."""
        authorise(actor, at=[branch], desk_only=True)
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch)
            waiting = conn.execute(
                select(holds).where(holds.c.status == HoldStatus.WAITING).order_by(holds.c.id)
            ).all()
            taken: set[int] = set()
            entries: list[PullListEntry] = []
            for hold in waiting:
                for copy in conn.execute(
                    select(items)
                    .where(items.c.record_id == hold.record_id, items.c.home_branch_id == branch_id)
                    .order_by(items.c.id)
                ).all():
                    if copy.id in taken or (hold.item_id not in (None, copy.id)):
                        continue
                    if self._availability(conn, copy).availability is Availability.ON_SHELF:
                        taken.add(copy.id)
                        entries.append(
                            PullListEntry(
                                hold.id,
                                hold.record_id,
                                copy.barcode,
                                copy.call_number,
                                hold.pickup_branch_id,
                                hold.placed_at,
                            )
                        )
                        break
            return entries

    def hold_shelf(self, branch: str, *, actor: Actor) -> list[HoldSlip]:
        """Holds trapped for pickup at this branch: ready on its shelf, or in transit to it."""
        authorise(actor, at=[branch], desk_only=True)
        with self._db.read() as conn:
            return repo.hold_slips(conn, pickup_branch_id=repo.branch_id(conn, branch))

    def hold_slip(self, hold_id: int, *, actor: Actor) -> HoldSlip:
        """The slip of one hold (who it is for, where it is picked up). Any desk: the copy
        trapped at a check-in travels with its slip to another branch's pickup shelf."""
        authorise(actor, desk_only=True)
        with self._db.read() as conn:
            found = repo.hold_slips(conn, hold_id=hold_id)
        if not found:
            raise ShelfwiseError("circ.hold_not_found", hold=hold_id)
        return found[0]

    # --- reading -------------------------------------------------------------------------

    def loans_of(self, card_number: str) -> list[Loan]:
        with self._db.read() as conn:
            return repo.loans_of(conn, reader_id_of(conn, card_number), open_only=True)

    def history_of(self, card_number: str) -> list[Loan]:
        with self._db.read() as conn:
            return repo.loans_of(conn, reader_id_of(conn, card_number), open_only=False)

    def holds_of(self, card_number: str) -> list[Hold]:
        with self._db.read() as conn:
            return repo.holds_of(conn, reader_id_of(conn, card_number))

    def item_status(self, barcode: str) -> ItemStatus:
        with self._db.read() as conn:
            return self._availability(conn, repo.item_row(conn, barcode))

    def availability(
        self, record_ids: list[int], *, branch: str | None = None
    ) -> dict[int, dict[int, int]]:
        """Copies on the shelf per record and branch (for search: availability facets)."""
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch) if branch else None
            return repo.available_counts(conn, record_ids, branch_id)

    def record_status(self, record_id: int) -> list[ItemStatus]:
        with self._db.read() as conn:
            rows = conn.execute(
                select(items).where(items.c.record_id == record_id).order_by(items.c.id)
            ).all()
            return [self._availability(conn, r) for r in rows]

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

    def calendar(self, branch: str) -> Calendar:
        with self._db.read() as conn:
            return repo.calendar(conn, repo.branch_id(conn, branch))


def _nothing(conn: Connection, result: dict[str, Any]) -> None:
    return None


def _loaded(
    into: list[Loan], prepare: Callable[[Loan], object] | None
) -> Callable[[Connection, dict[str, Any]], None]:
    """A ``ready`` hook that reads the loan a result names (kept in ``into``) and prepares."""

    def ready(conn: Connection, result: dict[str, Any]) -> None:
        loan = repo.load_loan(conn, int(result["loan_id"]))
        into.append(loan)
        if prepare is not None:
            prepare(loan)

    return ready


def _checked_in(
    prepare: Callable[[CheckinResult], object] | None,
) -> Callable[[Connection, dict[str, Any]], None] | None:
    if prepare is None:
        return None
    hook = prepare

    def ready(conn: Connection, result: dict[str, Any]) -> None:
        hook(CheckinResult(**result))

    return ready
