"""Fees: charge, pay (one payment across open fees, once per key), waive.

Privacy (P2): a closed fee keeps its reader link only while the reader keeps a reading
history; otherwise the link is cut when it closes, and from its returned loan too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo, repo_loans
from shelfwise.circulation.idempotency import Idempotency, RequestKey
from shelfwise.circulation.models import Fee, Payment
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.reading import lock_reader, reader_by_id
from shelfwise.storage.database import Database

MANUAL_FEE_KINDS = ("damaged", "manual", "deposit")


class FeeService:
    def __init__(
        self, db: Database, clock: Clock, *, idempotency: Idempotency | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        # The composition root passes the library's; a stand-alone service (a test's
        # second clock) gets its own, whose keys only it can find.
        self._idempotency = idempotency or Idempotency.private(db, clock)

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
            fee_id = repo_loans.insert_fee(
                conn,
                reader_id=reader.id,
                kind=kind,
                amount_cents=amount_cents,
                note=note,
                created_at=self._clock.now(),
            )
            return repo.load_fee(conn, fee_id)

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
        repo_loans.update_fee(conn, fee.id, **values)
        if "closed_at" in values:
            self._unlink_closed(conn, fee)

    def _unlink_closed(self, conn: Connection, fee: Fee) -> None:
        """P2: once a fee closes, neither it nor its returned loan keeps the reader."""
        if fee.reader_id is None or reader_by_id(conn, fee.reader_id).history_opt_in:
            return
        repo_loans.update_fee(conn, fee.id, reader_id=None)
        if fee.loan_id is not None and not repo_loans.has_open_fee(conn, fee.loan_id):
            repo_loans.unlink_returned_loan(conn, fee.loan_id)


def _payment(result: dict[str, Any]) -> Payment:
    return Payment(
        card_number=str(result["card_number"]),
        amount_cents=int(result["amount_cents"]),
        parts=tuple((int(fee), int(cents)) for fee, cents in result["parts"]),
    )
