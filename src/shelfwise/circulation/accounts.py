"""Fees (charge, pay, waive), rules and calendars, and a reader's rights: export and deletion.

Privacy (P1, P2, P5, P6): a closed fee or returned loan keeps its reader link
only while the reader keeps a reading history; deletion refuses while loans or
fees are open, then cuts every link and removes the reader, leaving counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation import repo
from shelfwise.circulation.availability import shelf_changed
from shelfwise.circulation.deposits import (
    DepositPolicy,
    deposits_of,
    erase_refunded,
    held_count,
)
from shelfwise.circulation.idempotency import Idempotency, RequestKey
from shelfwise.circulation.models import Fee, Payment, RuleView
from shelfwise.circulation.rules import (
    RULE_FIELDS,
    Calendar,
    Hours,
    LoanRule,
    ordered_spans,
    resolve,
)
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.circulation.states import ACTIVE_HOLDS, HoldStatus
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.privacy import erase, export_profile
from shelfwise.readers.reading import lock_reader, reader_by_id
from shelfwise.storage.database import Database
from shelfwise.storage.tables import (
    branch_closures,
    branch_hours,
    fees,
    holds,
    loan_rules,
    loans,
    notices,
)

MANUAL_FEE_KINDS = ("damaged", "manual", "deposit")


class AccountService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        deposits: DepositPolicy | None = None,
        idempotency: Idempotency | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._deposits = deposits or DepositPolicy()
        # The composition root passes the library's; a stand-alone service (a test's
        # second clock) gets its own, whose keys only it can find.
        self._idempotency = idempotency or Idempotency.private(db, clock)

    # --- fees -----------------------------------------------------------------------

    def fees_of(self, card_number: str) -> list[Fee]:
        with self._db.read() as conn:
            reader = lock_reader(conn, card_number)
            return repo.fees_of(conn, reader.id)

    def charge(self, card_number: str, kind: str, amount_cents: int, note: str = "") -> Fee:
        if kind not in MANUAL_FEE_KINDS:
            raise ShelfwiseError("circ.fee_kind", kind=kind)
        if amount_cents <= 0:
            raise ShelfwiseError("circ.fee_amount", amount=amount_cents)
        with self._db.write() as conn:
            reader = lock_reader(conn, card_number)
            fee_id = conn.execute(
                insert(fees)
                .values(
                    reader_id=reader.id,
                    kind=kind,
                    amount_cents=amount_cents,
                    note=note,
                    created_at=self._clock.now(),
                )
                .returning(fees.c.id)
            ).scalar_one()
            return repo.load_fee(conn, int(fee_id))

    def pay(self, fee_id: int, amount_cents: int) -> Fee:
        return self._settle(fee_id, amount_cents, waive=False, note="")

    def waive(self, fee_id: int, note: str) -> Fee:
        return self._settle(fee_id, None, waive=True, note=note)

    def pay_fees(
        self,
        card_number: str,
        amount_cents: int,
        *,
        fee_id: int | None = None,
        idempotency_key: RequestKey | None = None,
        prepare: Callable[[Payment], object] | None = None,
    ) -> Payment:
        """One payment against a reader's open fees, in one transaction, once per key.

        ``fee_id``: that fee only; else the oldest open fees first, as far as the amount
        goes. All of it applies or none (a fee closed meanwhile refuses the whole
        payment). A payment machine that resends its payment — after a reconnect, with
        another sequence number — under the same key (its transaction id, or the
        message) gets the first payment back instead of paying twice; the same key with
        another amount, fee or reader is refused (``circ.idempotency_mismatch``).
        ``prepare`` sees the payment before the transaction commits (a kiosk's reply).
        """

        def work(conn: Connection) -> dict[str, Any]:
            return self._pay_fees(conn, card_number, amount_cents, fee_id)

        def ready(conn: Connection, result: dict[str, Any]) -> None:
            made.append(_payment(result))
            if prepare is not None:
                prepare(made[-1])

        made: list[Payment] = []
        request = {"card": card_number, "amount": amount_cents, "fee": fee_id}
        self._idempotency.once(idempotency_key, "pay_fees", request, work, ready)
        return made[-1]

    def _pay_fees(
        self, conn: Connection, card_number: str, amount: int, fee_id: int | None
    ) -> dict[str, Any]:
        reader = lock_reader(conn, card_number)
        owed = [f for f in repo.fees_of(conn, reader.id, lock=True) if f.status == "open"]
        owed.sort(key=lambda f: (f.created_at, f.id))
        if fee_id is not None:
            owed = [f for f in owed if f.id == fee_id]
            if not owed:
                raise ShelfwiseError("circ.fee_not_found", fee=fee_id)
        if amount <= 0 or amount > sum(f.balance_cents for f in owed):
            raise ShelfwiseError("circ.fee_amount", amount=f"{max(amount, 0) / 100:.2f}")
        parts: list[list[int]] = []
        remaining = amount
        for fee in owed:
            part = min(fee.balance_cents, remaining)
            if part <= 0:
                break
            self._settle_in(conn, fee, part, waive=False, note="")
            parts.append([fee.id, part])
            remaining -= part
        return {"card_number": card_number, "amount_cents": amount, "parts": parts}

    def _settle(self, fee_id: int, amount: int | None, *, waive: bool, note: str) -> Fee:
        with self._db.write() as conn:
            fee = repo.load_fee(conn, fee_id, lock=True)
            self._settle_in(conn, fee, amount, waive=waive, note=note)
            return repo.load_fee(conn, fee_id)

    def _settle_in(
        self, conn: Connection, fee: Fee, amount: int | None, *, waive: bool, note: str
    ) -> None:
        if fee.status != "open":
            raise ShelfwiseError("circ.fee_closed", fee=fee.id)
        amount = fee.balance_cents if amount is None else amount
        if amount <= 0 or amount > fee.balance_cents:
            raise ShelfwiseError("circ.fee_amount", amount=amount)
        values: dict[str, Any] = (
            {"waived_cents": fee.waived_cents + amount, "note": note}
            if waive
            else {"paid_cents": fee.paid_cents + amount}
        )
        if amount == fee.balance_cents:
            values["status"] = "waived" if waive else "paid"
            values["closed_at"] = self._clock.now()
        conn.execute(update(fees).where(fees.c.id == fee.id).values(**values))
        if "closed_at" in values:
            self._unlink_closed(conn, fee)

    def _unlink_closed(self, conn: Connection, fee: Fee) -> None:
        """P2: once a fee closes, neither it nor its returned loan keeps the reader."""
        if fee.reader_id is None or reader_by_id(conn, fee.reader_id).history_opt_in:
            return
        conn.execute(update(fees).where(fees.c.id == fee.id).values(reader_id=None))
        if fee.loan_id is not None:
            still_open = conn.execute(
                select(fees.c.id).where(fees.c.loan_id == fee.loan_id, fees.c.status == "open")
            ).first()
            if still_open is None:
                conn.execute(
                    update(loans)
                    .where(loans.c.id == fee.loan_id, loans.c.returned_at.is_not(None))
                    .values(reader_id=None)
                )

    # --- rules and calendars -----------------------------------------------------------

    def rules(self) -> list[LoanRule]:
        with self._db.read() as conn:
            return repo.all_rules(conn)

    def set_rule(
        self,
        *,
        reader_category: str | None,
        item_type: str | None,
        branch: str | None,
        values: dict[str, int],
        actor: Actor,
    ) -> LoanRule:
        """Create or replace the rule of (category, item type, branch); a rule without a
        branch holds at every branch, so only an account bound to none may set it."""
        authorise(actor, at=[branch] if branch else [], everywhere=branch is None)
        unknown = set(values) - set(RULE_FIELDS)
        if unknown or any(v < 0 for v in values.values()):
            raise ShelfwiseError("circ.rule_invalid", fields=",".join(sorted(unknown)) or "<0")
        full = {f: values.get(f, getattr(LoanRule(None, None, None, None), f)) for f in RULE_FIELDS}
        now = self._clock.now()
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch) if branch else None
            key = (
                (
                    loan_rules.c.reader_category.is_(None)
                    if reader_category is None
                    else loan_rules.c.reader_category == reader_category
                ),
                (
                    loan_rules.c.item_type.is_(None)
                    if item_type is None
                    else loan_rules.c.item_type == item_type
                ),
                (
                    loan_rules.c.branch_id.is_(None)
                    if branch_id is None
                    else loan_rules.c.branch_id == branch_id
                ),
            )
            existing = conn.execute(select(loan_rules.c.id).where(*key)).scalar()
            if existing is None:
                existing = conn.execute(
                    insert(loan_rules)
                    .values(
                        reader_category=reader_category,
                        item_type=item_type,
                        branch_id=branch_id,
                        updated_at=now,
                        **full,
                    )
                    .returning(loan_rules.c.id)
                ).scalar_one()
            else:
                conn.execute(
                    update(loan_rules)
                    .where(loan_rules.c.id == existing)
                    .values(updated_at=now, **full)
                )
            row = conn.execute(select(loan_rules).where(loan_rules.c.id == existing)).one()
            return repo.rule_from(row)

    def delete_rule(self, rule_id: int, *, actor: Actor) -> None:
        with self._db.write() as conn:
            branch_id = conn.execute(
                select(loan_rules.c.branch_id).where(loan_rules.c.id == rule_id)
            ).first()
            if branch_id is None:
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)
            everywhere = branch_id[0] is None
            at = [] if everywhere else codes_at(conn, actor, [int(branch_id[0])])
            authorise(actor, at=at, everywhere=everywhere)
            if conn.execute(delete(loan_rules).where(loan_rules.c.id == rule_id)).rowcount != 1:
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)

    def explain(self, category: str, item_type: str, branch: str) -> RuleView:
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch)
            match = resolve(
                repo.rules_for(conn, category, item_type, branch_id), category, item_type, branch_id
            )
            deposit = self._deposits.describe(category)
            return RuleView(match.rule, f"{match.explanation}; {deposit}")

    def calendar(self, branch: str) -> Calendar:
        with self._db.read() as conn:
            return repo.calendar(conn, repo.branch_id(conn, branch))

    def set_calendar(
        self,
        branch: str,
        *,
        closed_weekdays: list[int],
        closed_days: list[date],
        actor: Actor,
        reason: str = "",
        weekly_hours: Mapping[int, Iterable[Hours]] | None = None,
        special_hours: Mapping[date, Iterable[Hours]] | None = None,
    ) -> Calendar:
        """Replace a branch's closures (weekly closed days and single closed dates) and, when
        given, its opening hours (weekday 0 = Monday; dates whose hours differ), at once."""
        authorise(actor, at=[branch])
        if any(not 0 <= d <= 6 for d in closed_weekdays) or len(set(closed_weekdays)) == 7:
            raise ShelfwiseError("circ.calendar_invalid")
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch)
            conn.execute(delete(branch_closures).where(branch_closures.c.branch_id == branch_id))
            rows: list[dict[str, Any]] = [
                {"branch_id": branch_id, "weekday": d, "day": None, "reason": reason}
                for d in sorted(set(closed_weekdays))
            ]
            rows += [
                {"branch_id": branch_id, "weekday": None, "day": d, "reason": reason}
                for d in sorted(set(closed_days))
            ]
            if rows:
                conn.execute(insert(branch_closures), rows)
            if weekly_hours is not None or special_hours is not None:
                self._replace_hours(conn, branch_id, weekly_hours or {}, special_hours or {})
            return self._checked(repo.calendar(conn, branch_id))

    def set_hours(
        self,
        branch: str,
        *,
        weekly_hours: Mapping[int, Iterable[Hours]],
        special_hours: Mapping[date, Iterable[Hours]],
        actor: Actor,
    ) -> Calendar:
        """Replace a branch's opening hours; its closed days stay as they are."""
        authorise(actor, at=[branch])
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch)
            self._replace_hours(conn, branch_id, weekly_hours, special_hours)
            return self._checked(repo.calendar(conn, branch_id))

    def _replace_hours(
        self,
        conn: Connection,
        branch_id: int,
        weekly: Mapping[int, Iterable[Hours]],
        special: Mapping[date, Iterable[Hours]],
    ) -> None:
        if any(not 0 <= d <= 6 for d in weekly):
            raise ShelfwiseError("circ.hours_invalid", detail="weekday outside 0-6")
        keyed: list[tuple[int | None, date | None, Iterable[Hours]]] = [
            (d, None, h) for d, h in weekly.items()
        ]
        keyed += [(None, d, h) for d, h in special.items()]
        try:
            rows = [
                {
                    "branch_id": branch_id,
                    "weekday": weekday,
                    "day": day,
                    "opens_minute": h.opens,
                    "closes_minute": h.closes,
                }
                for weekday, day, hours in keyed
                for h in ordered_spans(hours)
            ]
        except ValueError as exc:
            raise ShelfwiseError("circ.hours_invalid", detail=str(exc)) from None
        conn.execute(delete(branch_hours).where(branch_hours.c.branch_id == branch_id))
        if rows:
            conn.execute(insert(branch_hours), rows)

    @staticmethod
    def _checked(calendar: Calendar) -> Calendar:
        """Refuse (rolling back) hours on a closed weekday or a closed date: say one thing."""
        clash = sorted(set(calendar.weekly_hours) & calendar.closed_weekdays)
        days = sorted(set(calendar.special_hours) & calendar.closed_days)
        if clash or days:
            where = ", ".join([f"weekday {d + 1}" for d in clash] + [d.isoformat() for d in days])
            raise ShelfwiseError("circ.hours_invalid", detail=f"hours on a closed day: {where}")
        return calendar

    # --- a reader's rights ---------------------------------------------------------------

    def forget_old_late_returns(self, lookback_days: int) -> int:
        """The daily retention job: month counts the credit look-back can no longer reach."""
        before = (self._clock.today() - timedelta(days=lookback_days)).replace(day=1)
        with self._db.write() as conn:
            return repo.forget_late_returns(conn, before=before)

    def export(self, card_number: str) -> dict[str, Any]:
        """Everything held about the reader (P5), as JSON-able data."""
        with self._db.read() as conn:
            reader = lock_reader(conn, card_number)
            data = export_profile(conn, reader)
            data["loans"] = [
                {
                    "barcode": loan.barcode,
                    "record_id": loan.record_id,
                    "status": str(loan.status),
                    "loaned_at": loan.loaned_at.isoformat(),
                    "due_on": loan.due_on.isoformat(),
                    "renewals": loan.renewals,
                    "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
                }
                for loan in repo.loans_of(conn, reader.id, open_only=False)
            ]
            data["holds"] = [
                {
                    "id": h.id,
                    "record_id": h.record_id,
                    "status": str(h.status),
                    "placed_at": h.placed_at.isoformat(),
                    "queue_position": h.queue_position,
                }
                for h in repo.holds_of(conn, reader.id)
            ]
            data["fees"] = [
                {
                    "id": f.id,
                    "kind": f.kind,
                    "status": f.status,
                    "amount_cents": f.amount_cents,
                    "paid_cents": f.paid_cents,
                    "waived_cents": f.waived_cents,
                    "created_at": f.created_at.isoformat(),
                }
                for f in repo.fees_of(conn, reader.id)
            ]
            data["deposits"] = [
                {
                    "id": d.id,
                    "amount_cents": d.amount_cents,
                    "status": d.status,
                    "method": d.method,
                    "note": d.note,
                    "created_at": d.created_at.isoformat(),
                    "closed_at": d.closed_at.isoformat() if d.closed_at else None,
                }
                for d in deposits_of(conn, reader.id)
            ]
            # What credit borrowing counts, without titles (P1, P2): late returns per month.
            data["late_returns"] = [
                {"month": month.isoformat()[:7], "returns": returns}
                for month, returns in repo.late_returns_of(conn, reader.id)
            ]
            data["notices"] = [
                {"kind": n.kind, "channel": n.channel, "sent_at": n.sent_at.isoformat()}
                for n in conn.execute(
                    select(notices).where(notices.c.reader_id == reader.id).order_by(notices.c.id)
                )
            ]
            return data

    def delete_reader(self, card_number: str) -> None:
        """P6: refuse while loans or fees are open; otherwise leave only counts."""
        now = self._clock.now()
        with self._db.write() as conn:
            reader = lock_reader(conn, card_number)
            open_loans, open_fees = repo.exists_open_for_reader(conn, reader.id)
            if open_loans:
                raise ShelfwiseError("circ.reader_has_loans", count=open_loans)
            if open_fees:
                raise ShelfwiseError("circ.reader_has_fees", count=open_fees)
            held = held_count(conn, reader.id)
            if held:
                raise ShelfwiseError("circ.reader_has_deposit", count=held)
            erase_refunded(conn, reader.id)
            repo.forget_late_returns(conn, reader_id=reader.id)
            total = conn.execute(
                select(func.count()).select_from(loans).where(loans.c.reader_id == reader.id)
            ).scalar_one()
            shelf_changed(
                conn, self._clock, repo.trapped_records(conn, holds.c.reader_id == reader.id)
            )
            conn.execute(
                update(holds)
                .where(
                    holds.c.reader_id == reader.id,
                    holds.c.status.in_([str(s) for s in ACTIVE_HOLDS]),
                )
                .values(status=str(HoldStatus.CANCELLED), trapped_item_id=None, closed_at=now)
            )
            for table in (holds, loans, fees, notices):
                conn.execute(
                    update(table).where(table.c.reader_id == reader.id).values(reader_id=None)
                )
            try:
                erase(conn, reader, loans=int(total), at=now)
            except IntegrityError as exc:  # pragma: no cover - a table forgot above
                raise RuntimeError("a table still refers to the reader") from exc


def _payment(result: dict[str, Any]) -> Payment:
    return Payment(
        card_number=str(result["card_number"]),
        amount_cents=int(result["amount_cents"]),
        parts=tuple((int(fee), int(cents)) for fee, cents in result["parts"]),
    )
