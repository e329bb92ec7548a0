"""Renewal: the rule, and the new due date, in one place for every door.

A renewal extends the loan from its current due date (``renewal_period_base =
due_date``, the default, as Koha's RenewalPeriodBase): renewing early never
shortens the loan nor uses up a renewal for nothing. An overdue loan counts
from today instead, so a renewal never ends on a date already past (Koha's
"combination"). With ``renewal_period_base = today`` the period counts from
today; a renewal that would not move the due date is refused
(``circ.renew_too_soon``) rather than spending a renewal.

:func:`refusal` is the whole rule. The service asks it before renewing one loan
(raising its answer), for each loan of a "renew all", and for the account pages,
which show the reason in place of a renew button. Refusals name the title as
well as the barcode: a reader knows their books by title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo, repo_loans
from shelfwise.circulation.activity import LOAN_ACTIVITY, activity, record_activity
from shelfwise.circulation.base import CirculationCore, loaded_hook
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import Loan
from shelfwise.circulation.rules import Calendar, LoanRule, due_date
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.circulation.states import LoanStatus, check_loan
from shelfwise.config import RenewalBase
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.readers.reading import lock_reader, reader_by_id, reader_id_of
from shelfwise.storage.outbox import enqueue_events


@dataclass(frozen=True, slots=True)
class LoanRenewal:
    """A loan as a renewal sees it: its title, and the refusal or the date renewing gives."""

    loan: Loan
    title: str
    refusal: ShelfwiseError | None
    renewed_due_on: date | None  # the due date after renewing (None when refused)


@dataclass(frozen=True, slots=True)
class RenewAllResult:
    renewed: tuple[LoanRenewal, ...]  # loan: after renewing
    refused: tuple[LoanRenewal, ...]  # loan: unchanged, refusal: why


def new_due_date(
    calendar: Calendar, due_on: date, today: date, loan_days: int, base: RenewalBase
) -> date:
    """The due date a renewal gives (the next open day at the lending branch)."""
    start = due_on if base is RenewalBase.DUE_DATE and due_on >= today else today
    return due_date(calendar, start, loan_days)


def refusal(
    loan: Any,
    *,
    title: Callable[[], str],
    barcode: str,
    rule: LoanRule,
    account_blocks: list[ShelfwiseError],
    waiting_holds: bool,
    renewed_due_on: date,
) -> ShelfwiseError | None:
    """Why this open loan (a ``loans`` row of the reader's) cannot be renewed now; ``None``: it can.

    ``account_blocks``: the reader's own (standing.account_blocks), which stop every renewal.
    ``title`` is asked only for a refusal (a statement the renewal itself does not need).
    """
    if loan.status != LoanStatus.ON_LOAN:
        return ShelfwiseError("circ.renew_lost", title=title(), barcode=barcode)
    if account_blocks:
        return account_blocks[0]
    if loan.renewals >= rule.renewals:
        return ShelfwiseError(
            "circ.renew_limit", limit=rule.renewals, title=title(), barcode=barcode
        )
    if waiting_holds:
        return ShelfwiseError("circ.renew_on_hold", title=title(), barcode=barcode)
    if renewed_due_on <= loan.due_on:
        return ShelfwiseError(
            "circ.renew_too_soon", due=loan.due_on.isoformat(), title=title(), barcode=barcode
        )
    return None


def apply(conn: Connection, loan: Any, renewed_due_on: date) -> bool:
    """Write the renewal; ``False`` when the loan closed meanwhile (a concurrent check-in)."""
    check_loan(LoanStatus.ON_LOAN, LoanStatus.ON_LOAN, "renew")
    return repo_loans.renew(conn, loan.id, renewed_due_on, loan.renewals + 1)


def to_result(renewed: list[int], refused: list[tuple[int, ShelfwiseError]]) -> dict[str, Any]:
    """A "renew all" as stored for an idempotent retry (JSON)."""
    return {
        "renewed": renewed,
        "refused": [[loan_id, exc.code, exc.params] for loan_id, exc in refused],
    }


def from_result(stored: dict[str, Any]) -> tuple[list[int], list[tuple[int, ShelfwiseError]]]:
    refused = [(int(i), ShelfwiseError(code, **params)) for i, code, params in stored["refused"]]
    return [int(i) for i in stored["renewed"]], refused


def load_result(
    conn: Connection, renewed: list[int], refused: list[tuple[int, ShelfwiseError]]
) -> RenewAllResult:
    ids = renewed + [i for i, _ in refused]
    titles = repo.titles_of_loans(conn, ids)
    return RenewAllResult(
        renewed=tuple(
            LoanRenewal(repo.load_loan(conn, i), titles.get(i, ""), None, None) for i in renewed
        ),
        refused=tuple(
            LoanRenewal(repo.load_loan(conn, i), titles.get(i, ""), exc, None) for i, exc in refused
        ),
    )


class RenewalOperations(CirculationCore):
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
        """Renew one loan: by the reader, or by staff at ``branch`` (default: where it was
        lent). The answer carries the new due date; ``prepare`` sees the renewed loan before
        the transaction commits."""
        authorise(actor, at=[] if branch is None else [branch], reader_card=card_number)

        def work(conn: Connection) -> dict[str, Any]:
            return {"loan_id": self._renew(conn, card_number, barcode, actor, branch)}

        loaded: list[Loan] = []
        request = {"card": card_number, "barcode": barcode}
        self._once(idempotency_key, "renew", request, work, loaded_hook(loaded, prepare))
        return loaded[-1]

    def _renew(
        self, conn: Connection, card_number: str, barcode: str, actor: Actor, branch: str | None
    ) -> int:
        reader = lock_reader(conn, card_number)
        item = repo.item_row(conn, barcode, lock=True)
        loan = repo.open_loan(conn, item.id)
        if branch is None and loan is not None:
            at = codes_at(conn, actor, [loan.branch_id])
            authorise(actor, at=at, reader_card=card_number)
        if loan is None or loan.reader_id != reader.id:
            raise ShelfwiseError("circ.not_your_loan", barcode=barcode)
        blocks = self._account_blocks(conn, reader)
        refused, renewed_due_on = self._renewal(
            conn,
            loan,
            item.record_id,
            barcode,
            blocks,
            lambda: repo.record_title(conn, item.record_id),
        )
        if refused is not None:
            raise refused
        apply(conn, loan, renewed_due_on)
        record_activity(conn, self._clock, self._renewal_act(loan, item.record_id, reader))
        return int(loan.id)

    def _renewal_act(self, loan: Any, record_id: int, reader: Reader) -> dict[str, Any]:
        """A renewal counts where the loan was lent (a reader's renewal has no branch)."""
        return activity(
            "renewal",
            day=self._clock.today(),
            branch_id=loan.branch_id,
            item_type=loan.item_type,
            category=loan.reader_category,
            record_id=record_id,
            reader_id=reader.id,
            birth_year=reader.birth_year,
        )

    def _renewal(
        self,
        conn: Connection,
        loan: Any,
        record_id: int,
        barcode: str,
        blocks: list[ShelfwiseError],
        title: Callable[[], str],
    ) -> tuple[ShelfwiseError | None, date]:
        """(why not, or None; the due date renewing gives) for one open loan of the reader."""
        rule = self._rule(conn, loan.reader_category, loan.item_type, loan.branch_id).rule
        renewed_due_on = new_due_date(
            repo.calendar(conn, loan.branch_id),
            loan.due_on,
            self._clock.today(),
            rule.loan_days,
            self.policy.renewal_base,
        )
        refused = refusal(
            loan,
            title=title,
            barcode=barcode,
            rule=rule,
            account_blocks=blocks,
            waiting_holds=bool(repo.waiting_holds_for(conn, record_id, loan.item_id)),
            renewed_due_on=renewed_due_on,
        )
        return refused, renewed_due_on

    def renew_all(
        self,
        card_number: str,
        *,
        actor: Actor,
        branch: str | None = None,
        idempotency_key: RequestKey | None = None,
    ) -> RenewAllResult:
        """Renew every open loan of a reader that may be renewed; the others say why not.

        One transaction under the reader lock; a retry with the same key answers the
        stored outcome without renewing again. Staff renew at ``branch``, or else each loan
        where it was lent: a loan lent at a branch not theirs is refused with the reason.
        """
        authorise(actor, at=[] if branch is None else [branch], reader_card=card_number)

        def work(conn: Connection) -> dict[str, Any]:
            reader = lock_reader(conn, card_number)
            blocks = self._account_blocks(conn, reader)
            done: list[int] = []
            refused: list[tuple[int, ShelfwiseError]] = []
            acts: list[dict[str, Any]] = []
            rows = repo.open_loan_rows(conn, reader.id)
            titles = repo.titles_of_loans(conn, [r.id for r in rows])
            for loan in rows:
                why, due = self._renewal(
                    conn,
                    loan,
                    loan.record_id,
                    loan.barcode,
                    blocks,
                    partial(titles.__getitem__, loan.id),
                )
                if why is None and branch is None:
                    why = _scope_refusal(conn, actor, card_number, loan.branch_id)
                if why is None and not apply(conn, loan, due):
                    why = ShelfwiseError("circ.not_your_loan", barcode=loan.barcode)
                if why is None:
                    done.append(int(loan.id))
                    acts.append(self._renewal_act(loan, loan.record_id, reader))
                else:
                    refused.append((int(loan.id), why))
            enqueue_events(conn, self._clock, [(LOAN_ACTIVITY, act) for act in acts])
            return to_result(done, refused)

        request = {"card": card_number, "branch": branch or ""}
        result, _ = self._once(idempotency_key, "renew_all", request, work)
        with self._db.read() as conn:
            return load_result(conn, *from_result(result))

    def renewals_of(self, card_number: str) -> list[LoanRenewal]:
        """Each open loan with its title, and why it cannot be renewed or the date renewing gives."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            blocks = self._account_blocks(conn, reader)
            rows = repo.open_loan_rows(conn, reader.id)
            titles = repo.titles_of_loans(conn, [r.id for r in rows])
            out = []
            for loan in rows:
                why, due = self._renewal(
                    conn,
                    loan,
                    loan.record_id,
                    loan.barcode,
                    blocks,
                    partial(titles.__getitem__, loan.id),
                )
                out.append(
                    LoanRenewal(repo.loan_from(loan), titles[loan.id], why, None if why else due)
                )
            return out


def _scope_refusal(
    conn: Connection, actor: Actor, card_number: str, branch_id: int
) -> ShelfwiseError | None:
    """Staff renewing a reader's loans without naming a branch renew where each was lent."""
    try:
        authorise(actor, at=codes_at(conn, actor, [branch_id]), reader_card=card_number)
    except ShelfwiseError as exc:
        return exc
    return None
