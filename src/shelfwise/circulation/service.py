"""Checkout and check-in, loss, a reader's standing, and reading circulation's state.

Every operation locks what it decides on before deciding: the reader row and
the item row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN
IMMEDIATE`` already serialises writers). Limits are therefore counted under the
same lock as the insert, and the partial unique indexes (one open loan per
item, one trapped hold per item) stand behind the code as the last word.

:class:`CirculationService` is the one service the doors call; holds and
transits (``holds.py``) and renewals (``renewals.py``) are its other halves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation import repo, repo_desk, repo_holds, repo_loans
from shelfwise.circulation.activity import activity, borrowed, shelf_changed_with
from shelfwise.circulation.availability import on_shelf
from shelfwise.circulation.base import availability_after_checkin, loaded_hook
from shelfwise.circulation.holds import NOTICE_TOPIC, HoldOperations
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.lending_settings import LendingSnapshot
from shelfwise.circulation.models import CheckinResult, ItemStatus, Loan
from shelfwise.circulation.renewals import RenewalOperations
from shelfwise.circulation.rules import Calendar, due_date, overdue_fine
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.circulation.standing import Standing, assess, standing_of
from shelfwise.circulation.states import LoanStatus, check_loan
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.readers.reading import lock_reader, reader_by_id, reader_id_of

__all__ = ["MY_BRANCH", "NOTICE_TOPIC", "CirculationService"]

MY_BRANCH = "mine"  # in place of a branch code: the asker's own branch (shelf_branch)


class CirculationService(HoldOperations, RenewalOperations):
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

        fresh: list[Loan] = []  # the loan as inserted: no statement to read it back

        def work(conn: Connection) -> dict[str, Any]:
            fresh.append(self._checkout(conn, card_number, barcode, branch))
            return {"loan_id": fresh[-1].id}

        loaded: list[Loan] = []
        try:
            self._once(
                idempotency_key,
                "checkout",
                {"card": card_number, "barcode": barcode, "branch": branch},
                work,
                loaded_hook(loaded, prepare, fresh),
            )
        except IntegrityError as exc:
            # The partial unique index caught a second open loan the lock did not.
            if "uq_loans_open_item" in str(exc.orig) or "loans.item_id" in str(exc.orig):
                raise ShelfwiseError("circ.item_on_loan", barcode=barcode) from exc
            raise
        return loaded[-1]

    def _checkout(self, conn: Connection, card_number: str, barcode: str, branch: str) -> Loan:
        now, today = self._clock.now(), self._clock.today()
        try:
            reader = lock_reader(conn, card_number)
        except ShelfwiseError:
            repo_desk.require_branch(conn, branch)  # an unknown branch is said first
            raise
        # One statement: the copy, its loan, hold and transit, the branch, the settings
        # version, the reader's figures and own waiting hold, the copy's stale keys.
        seen = repo_desk.checkout_read(conn, barcode, branch, reader.id, today)
        item, branch_id = seen.item, seen.branch_id
        standing = standing_of(conn, reader, seen.figures, today, self.policy, self.deposits)
        standing.require_borrow()
        _require_lendable(seen, reader.id, barcode)
        trapped = seen.trapped
        lending = self._lending.at(conn, seen.version)
        rule = lending.rule(reader.category, item.item_type, branch_id).rule
        if rule.loan_days == 0:
            raise ShelfwiseError("circ.not_loanable_by_rule", barcode=barcode)
        if standing.loans.open >= rule.loan_limit:
            raise ShelfwiseError("circ.loan_limit", limit=rule.loan_limit)
        check_loan(None, LoanStatus.ON_LOAN, "checkout")
        loan = repo_loans.insert_loan_as_stored(
            conn,
            barcode=item.barcode,
            record_id=item.record_id,
            title=seen.title,
            item_id=item.id,
            reader_id=reader.id,
            status=str(LoanStatus.ON_LOAN),
            branch_id=branch_id,
            item_type=item.item_type,
            reader_category=reader.category,
            rule_id=rule.id,
            loaned_at=now,
            due_on=due_date(lending.calendar(conn, branch_id), today, rule.loan_days),
        )
        self._fill_own_hold(conn, trapped, seen.own_hold)
        if seen.stale_keys:
            self.idempotency.release(conn, barcode, keep="checkout")
        if seen.transit is not None:  # handed over before it arrived: the journey ends here
            repo_holds.receive(conn, seen.transit.id, now)
        act = activity(
            "checkout",
            day=today,
            branch_id=branch_id,
            item_type=item.item_type,
            category=reader.category,
            record_id=item.record_id,
            reader_id=reader.id,
            birth_year=reader.birth_year,
        )
        # P11: the recommend domain hears of the loan only while the reader consents
        also = [borrowed(reader.id, item.record_id, today)] if reader.recommend_opt_in else []
        # last: a refusal writes no event
        shelf_changed_with(conn, self._clock, [item.record_id], act, also)
        return loan

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
        # One statement: the copy, its loan, hold and transit (read once, under the lock:
        # closing the loan and receiving the transit change neither the trapped hold nor
        # each other), the branch, the settings version, the loan's open fee, whether a
        # hold waits for the copy and whether it has stale request keys.
        seen = repo_desk.checkin_read(conn, barcode, branch)
        item, loan, here = seen.item, seen.loan, seen.branch_id
        fine, act = 0, None
        if loan is not None:
            lending = self._lending.at(conn, seen.version)
            fine, act = self._close_loan(
                conn, loan, here, lending, item.record_id, open_fee=seen.open_fee
            )
        if loan is not None and seen.stale_keys:
            self.idempotency.release(conn, barcode, keep="checkin")
        if seen.transit is not None:
            repo_holds.receive(conn, seen.transit.id, now)
        hold_id, hold_status, transit_to = self._route(
            conn, item, here, seen.trapped, waiting=seen.waiting
        )
        shelf_changed_with(conn, self._clock, [item.record_id], act)
        return CheckinResult(
            barcode=barcode,
            loan_id=None if loan is None else int(loan.id),
            fine_cents=fine,
            hold_id=hold_id,
            hold_status=hold_status,
            transit_to_branch_id=transit_to,
            # What this transaction just did decides it: no loan, no transit but the
            # one sent, the hold just trapped (no second read of the copy's state).
            availability=str(availability_after_checkin(item.lifecycle, hold_status, transit_to)),
            record_id=int(item.record_id),
            home_branch_id=int(item.home_branch_id),
            title=seen.title,
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
            here = repo.branch_id(conn, branch)
            reader = self._reader_of(conn, loan.reader_id)
            repo_loans.close_loan(
                conn,
                loan.id,
                at=self._clock.now(),
                branch_id=here,
                reader_id=loan.reader_id if reader and reader.history_opt_in else None,
            )
            status = self._availability(conn, item)
            act = self._return_act(loan, here, item.record_id, reader)
            shelf_changed_with(conn, self._clock, [item.record_id], act)
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

    def _close_loan(
        self,
        conn: Connection,
        loan: Any,
        here: int,
        lending: LendingSnapshot,
        record_id: int,
        *,
        open_fee: bool | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Close the loan: (the overdue fine, the return's activity event). ``open_fee``:
        whether the loan has an open fee, when the caller has read it already (None: read
        it here)."""
        now = self._clock.now()
        status = LoanStatus(loan.status)
        check_loan(status, LoanStatus.RETURNED, "checkin")
        fine = 0
        if status is LoanStatus.ON_LOAN and loan.reader_id is not None:
            calendar = lending.calendar(conn, loan.branch_id)
            match = lending.rule(loan.reader_category, loan.item_type, loan.branch_id)
            fine = overdue_fine(calendar, match.rule, loan.due_on, self._clock.today())
        if fine:
            repo_loans.insert_fee(
                conn,
                reader_id=loan.reader_id,
                loan_id=loan.id,
                kind="overdue",
                item_type=loan.item_type,
                amount_cents=fine,
                created_at=now,
            )
        if status is LoanStatus.LOST:  # found: the unpaid part of the lost fee is waived
            self._waive_lost_fee(conn, loan.id)
        today = self._clock.today()
        if loan.reader_id is not None and today > loan.due_on:
            # What credit borrowing needs once the loan forgets its reader (P1, P2).
            repo.count_late_return(conn, loan.reader_id, today.replace(day=1))
        # Read once: whether the reader keeps a history, and their birth year for the return's
        # activity (the read the history check always made, so no statement more).
        reader = self._reader_of(conn, loan.reader_id)
        has_fee = self._has_open_fee(conn, loan.id) if open_fee is None else open_fee
        keep_link = fine > 0 or has_fee or (reader is not None and reader.history_opt_in)
        repo_loans.close_loan(
            conn, loan.id, at=now, branch_id=here, reader_id=loan.reader_id if keep_link else None
        )
        return fine, self._return_act(loan, here, record_id, reader)

    def _reader_of(self, conn: Connection, reader_id: int | None) -> Reader | None:
        return None if reader_id is None else reader_by_id(conn, reader_id)

    def _return_act(
        self, loan: Any, here: int, record_id: int, reader: Reader | None
    ) -> dict[str, Any]:
        return activity(
            "return",
            day=self._clock.today(),
            branch_id=here,
            item_type=loan.item_type,
            category=loan.reader_category,
            record_id=record_id,
            reader_id=loan.reader_id,
            birth_year=None if reader is None else reader.birth_year,
        )

    def _has_open_fee(self, conn: Connection, loan_id: int) -> bool:
        return repo_loans.has_open_fee(conn, loan_id)

    def _waive_lost_fee(self, conn: Connection, loan_id: int) -> None:
        repo_loans.waive_lost_fee(
            conn, loan_id, at=self._clock.now(), note="item found and returned"
        )

    # --- standing and loss ---------------------------------------------------------------

    def standing(self, card_number: str) -> Standing:
        """Whether the reader may borrow, renew and place holds now, and why not (one rule)."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            return assess(conn, reader, self._clock.today(), self.policy, self.deposits)

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
            repo_loans.mark_lost(conn, loan.id)
            repo_loans.insert_fee(
                conn,
                reader_id=loan.reader_id,
                loan_id=loan.id,
                kind="lost",
                item_type=loan.item_type,
                amount_cents=item.price_cents or rule.lost_fee_cents,
                created_at=now,
            )
            return repo.load_loan(conn, loan.id)

    # --- reading -------------------------------------------------------------------------

    def loans_of(self, card_number: str) -> list[Loan]:
        with self._db.read() as conn:
            return repo.loans_of(conn, reader_id_of(conn, card_number), open_only=True)

    def history_of(self, card_number: str) -> list[Loan]:
        with self._db.read() as conn:
            return repo.loans_of(conn, reader_id_of(conn, card_number), open_only=False)

    def item_history(self, barcode: str, *, limit: int = 5) -> list[Loan]:
        """The copy's latest loans without their readers (P1, P8)."""
        with self._db.read() as conn:
            return repo_loans.item_loans(conn, repo.item_row(conn, barcode).id, limit)

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

    def on_shelf(self, record_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        """Branch codes where each record has a copy on the shelf now, in bulk: search's
        availability source (records with none are left out)."""
        with self._db.read() as conn:
            return on_shelf(conn, record_ids)

    def shelf_branch(self, code: str, *, actor: Actor | None) -> str:
        """The branch an "on the shelf at" choice names: a branch code (it must exist), or
        :data:`MY_BRANCH` — a reader's home branch, or the one branch a staff account or
        kiosk is bound to. Every door asks here, so "mine" means one thing everywhere."""
        if code != MY_BRANCH:
            with self._db.read() as conn:
                repo.branch_id(conn, code)
            return code
        if actor is None:
            raise ShelfwiseError("access.unauthenticated")
        if actor.kind == "reader" and actor.card_number is not None:
            with self._db.read() as conn:
                home = reader_by_id(conn, reader_id_of(conn, actor.card_number)).home_branch_id
                found = repo.branch_codes(conn, {home}) if home is not None else []
        else:
            found = list(actor.branches)
        if len(found) != 1:
            raise ShelfwiseError("circ.no_home_branch")
        return found[0]

    def record_status(self, record_id: int) -> list[ItemStatus]:
        with self._db.read() as conn:
            return [self._availability(conn, r) for r in repo_loans.copies_of(conn, record_id)]

    def calendar(self, branch: str) -> Calendar:
        with self._db.read() as conn:
            return repo.calendar(conn, repo.branch_id(conn, branch))


def _checked_in(
    prepare: Callable[[CheckinResult], object] | None,
) -> Callable[[Connection, dict[str, Any]], None] | None:
    if prepare is None:
        return None
    hook = prepare

    def ready(conn: Connection, result: dict[str, Any]) -> None:
        hook(CheckinResult(**result))

    return ready


def _require_lendable(seen: repo_desk.CheckoutRead, reader_id: int, barcode: str) -> None:
    """The copy itself may go out to this reader: in service, not on loan, not held for another."""
    item = seen.item
    if item.lifecycle != "in_service":
        raise ShelfwiseError("circ.item_not_loanable", barcode=barcode, state=item.lifecycle)
    current = seen.loan
    if current is not None:
        code = "circ.item_already_yours" if current.reader_id == reader_id else "circ.item_on_loan"
        raise ShelfwiseError(code, barcode=barcode)
    trapped = seen.trapped
    if trapped is not None and trapped.reader_id != reader_id:
        raise ShelfwiseError("circ.item_on_hold", barcode=barcode)
