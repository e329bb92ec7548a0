"""Acquisitions' rules: vendors and funds, ordering (a fund never overcommitted),
receiving copies by scanning, putting them in service, invoices closing orders.

Copies are the catalogue's: made "on order" with a line (so the record shows on order
and takes holds), "in processing" when received, "in service" when shelved. A line
from a wish writes an outbox event at each step; the wish wall listens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from shelfwise.acquisitions import repo
from shelfwise.acquisitions.models import (
    ITEM_IN_SERVICE,
    LINE_ORDERED,
    LINE_RECEIVED,
    TYPICAL_PRICE_CENTS,
    Brief,
    Fund,
    Line,
    LineDraft,
    Order,
    Proposal,
    Received,
    Vendor,
    Waiting,
)
from shelfwise.catalogue.models import Lifecycle
from shelfwise.catalogue.service import CatalogueService
from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core import isbn as isbns
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue

MAX_QUANTITY = 500
MAX_PRICE_CENTS = 100_000_000  # one million yuan a copy: anything above is a typing slip
LISTED = 200  # lines and copies a receiving page lists
# An order line's number as printed on the order ("L" and the line's id), scanned or typed.
LINE_REF = re.compile(r"[Ll](\d{1,12})")


class AcquisitionService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        catalogue: CatalogueService,
        brief_record: Callable[[Brief], int],
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalogue = catalogue
        self._brief_record = brief_record

    # --- vendors and funds ------------------------------------------------------------

    def save_vendor(
        self, code: str, name: str, email: str | None = None, *, actor: Actor
    ) -> Vendor:
        """A vendor of the whole network (a network account)."""
        authorise(actor, everywhere=True)
        code, name = _text(code, "code", 32), _text(name, "name", 200)
        with self._db.write() as conn:
            row = repo.vendor_row(conn, code)
            if row is None:
                repo.insert_vendor(
                    conn, code=code, name=name, email=email or None, created_at=self._clock.now()
                )
            else:
                repo.update_vendor(conn, row.id, name=name, email=email or None)
            found = repo.vendor_row(conn, code)
            assert found is not None
            return Vendor(found.id, found.code, found.name, found.email)

    def vendors(self) -> list[Vendor]:
        with self._db.read() as conn:
            return [Vendor(r.id, r.code, r.name, r.email) for r in repo.vendor_rows(conn)]

    def save_fund(
        self, code: str, year: int, branch: str, name: str, allocated_cents: int, *, actor: Actor
    ) -> Fund:
        """A fund's budget for a year at a branch; a new allocation may not fall below
        what is already committed and spent."""
        authorise(actor, at=[branch])
        code, name = _text(code, "code", 32), _text(name, "name", 200)
        if allocated_cents < 0 or not 2000 <= year <= 2200:
            raise ShelfwiseError("acq.amount_invalid", value=allocated_cents)
        with self._db.write() as conn:
            branch_id = _branch(conn, branch)
            row = repo.fund_row(conn, code, year)
            if row is None:
                repo.insert_fund(
                    conn,
                    code=code,
                    year=year,
                    branch_id=branch_id,
                    name=name,
                    allocated_cents=allocated_cents,
                    created_at=self._clock.now(),
                )
            elif not repo.set_allocation(conn, row.id, allocated_cents):
                raise ShelfwiseError("acq.fund_below_use", fund=code)
            found = repo.fund_row(conn, code, year)
            assert found is not None
            return _fund(found)

    def funds(self, year: int | None = None, branch: str | None = None) -> list[Fund]:
        """The year's funds (this year's by default), of every branch or of ``branch``."""
        with self._db.read() as conn:
            rows = repo.fund_rows(conn, year or self._clock.today().year)
        return [_fund(r) for r in rows if branch is None or r.branch_code == branch]

    def proposal(self, branch: str | None) -> Proposal:
        """Where an order of one copy for ``branch`` (None: the network, received at the
        central branch) most likely goes; see :class:`Proposal`. Nothing is checked here:
        :meth:`order` checks what is finally sent."""
        year = self._clock.today().year
        with self._db.read() as conn:
            code = branch or repo.central_code(conn) or ""
            here = repo.branch_id(conn, code)
            vendor = repo.latest_vendor_at(conn, here) if here is not None else None
            if vendor is None:
                vendor = next((str(v.code) for v in repo.vendor_rows(conn)), None)
            price = (repo.latest_price_at(conn, here) if here is not None else None) or (
                TYPICAL_PRICE_CENTS
            )
            funds = sorted(
                (_fund(r) for r in repo.fund_rows(conn, year) if r.branch_code == code),
                key=lambda f: (-f.available_cents, f.code),
            )
        covering = [f for f in funds if f.available_cents >= price]
        fund = covering[0] if covering else (funds[0] if funds else None)
        return Proposal(code, vendor, fund.code if fund else None, price)

    def waiting_lines(self, branch: str, *, actor: Actor) -> list[Waiting]:
        """Lines still waiting for copies at ``branch``, oldest first."""
        authorise(actor, at=[branch])
        with self._db.read() as conn:
            rows = repo.waiting_lines_at(conn, _branch(conn, branch), LISTED)
        return [
            Waiting(r.id, r.order_id, r.vendor_code, r.record_id, r.wish_id, r.quantity, r.received)
            for r in rows
        ]

    def in_processing(self, branch: str, *, actor: Actor) -> list[Received]:
        """Copies received at ``branch`` that are not yet on the shelf, latest first."""
        authorise(actor, at=[branch])
        with self._db.read() as conn:
            rows = repo.in_processing_at(conn, _branch(conn, branch), LISTED)
        return [Received(r.line_id, r.record_id, r.barcode, r.wish_id) for r in rows]

    def on_order(self, record_id: int) -> int:
        """Copies of the record ordered and not yet received."""
        with self._db.read() as conn:
            return repo.on_order(conn, record_id)

    # --- orders -----------------------------------------------------------------------

    def order(self, vendor: str, drafts: list[LineDraft], *, actor: Actor, by: str) -> Order:
        """An order of ``drafts``: each line's price times quantity is committed from its
        fund in the order's transaction, or the whole order is refused."""
        if not drafts:
            raise ShelfwiseError("acq.order_empty")
        for d in drafts:
            authorise(actor, at=[d.branch])
            if not 0 < d.quantity <= MAX_QUANTITY or not 0 <= d.price_cents <= MAX_PRICE_CENTS:
                raise ShelfwiseError("acq.amount_invalid", value=f"{d.quantity} x {d.price_cents}")
        records = [self._record_of(d) for d in drafts]
        year = self._clock.today().year
        with self._db.write() as conn:
            vendor_row = repo.vendor_row(conn, vendor)
            if vendor_row is None:
                raise ShelfwiseError("acq.unknown_vendor", vendor=vendor)
            order_id = repo.insert_order(
                conn, vendor_id=vendor_row.id, placed_by=by[:64], created_at=self._clock.now()
            )
            lines: list[tuple[int, LineDraft]] = []
            for draft, record_id in zip(drafts, records, strict=True):
                fund = repo.fund_row(conn, draft.fund, year)
                if fund is None:
                    raise ShelfwiseError("acq.unknown_fund", fund=draft.fund, year=year)
                authorise(actor, at=[fund.branch_code])
                cost = draft.quantity * draft.price_cents
                if not repo.commit(conn, fund.id, cost):
                    raise ShelfwiseError(
                        "acq.fund_exhausted", fund=draft.fund, available=_avail(fund)
                    )
                line_id = repo.insert_line(
                    conn,
                    order_id=order_id,
                    record_id=record_id,
                    wish_id=draft.wish_id,
                    fund_id=fund.id,
                    branch_id=_branch(conn, draft.branch),
                    quantity=draft.quantity,
                    price_cents=draft.price_cents,
                    created_at=self._clock.now(),
                )
                lines.append((line_id, draft))
                if draft.wish_id is not None:
                    enqueue(
                        conn, self._clock, LINE_ORDERED, _event(draft.wish_id, record_id, line_id)
                    )
        for (line_id, draft), record_id in zip(lines, records, strict=True):
            self._copies_on_order(line_id, record_id, draft)
        return self.get_order(order_id)

    def _record_of(self, draft: LineDraft) -> int:
        if draft.record_id is not None:
            return self._catalogue.get_record(draft.record_id).id
        if draft.brief is None or not draft.brief.title.strip():
            raise ShelfwiseError("acq.record_required")
        if draft.brief.isbn:
            held = self._catalogue.record_with_isbn(draft.brief.isbn)
            if held is not None:
                return held
        return self._brief_record(draft.brief)

    def _copies_on_order(self, line_id: int, record_id: int, draft: LineDraft) -> None:
        """The line's copies, on order at the receiving branch (the record takes holds)."""
        for k in range(draft.quantity):
            item = self._catalogue.add_item(
                record_id=record_id,
                barcode=f"ACQ{line_id:07d}{k + 1:03d}",
                branch_code=draft.branch,
                lifecycle=Lifecycle.ON_ORDER,
                price_cents=draft.price_cents,
                currency="CNY",
            )
            with self._db.write() as conn:
                repo.insert_line_item(conn, line_id, item.id)

    def get_order(self, order_id: int) -> Order:
        with self._db.read() as conn:
            row = repo.order_row(conn, order_id)
            if row is None:
                raise ShelfwiseError("acq.unknown_order", order=order_id)
            lines = tuple(
                Line(
                    ln.id,
                    ln.order_id,
                    ln.record_id,
                    ln.wish_id,
                    ln.fund_code,
                    ln.branch_code,
                    ln.quantity,
                    ln.price_cents,
                    ln.received,
                    ln.status,
                    tuple(repo.barcodes_of(conn, ln.id)),
                )
                for ln in repo.lines_of(conn, order_id)
            )
            return Order(row.id, row.vendor_code, row.status, row.created_at, lines)

    def orders(self, status: str | None = "open", limit: int = 100) -> list[Order]:
        with self._db.read() as conn:
            ids = repo.order_ids(conn, status, limit)
        return [self.get_order(i) for i in ids]

    # --- receiving --------------------------------------------------------------------

    def receive(self, scanned: str, branch: str, *, actor: Actor) -> Received:
        """One copy received at ``branch``: ``scanned`` is the copy's barcode, the order
        line's number (``L`` and its id, as the order prints it) or the book's ISBN (the
        oldest open line of that book at the branch). Its price moves from
        committed to spent; the copy goes "in processing"."""
        authorise(actor, at=[branch])
        now = self._clock.now()
        with self._db.write() as conn:
            here = _branch(conn, branch)
            line, copy = self._line_and_copy(conn, scanned.strip(), here)
            if copy is None or not repo.mark_received(conn, copy.id, now):
                raise ShelfwiseError("acq.nothing_to_receive", scanned=scanned)
            repo.count_received(conn, line.id)
            repo.spend(conn, line.fund_id, line.price_cents)
            got = Received(line.id, line.record_id, copy.barcode, line.wish_id)
            if line.wish_id is not None:
                payload = _event(line.wish_id, line.record_id, line.id) | {"barcode": copy.barcode}
                enqueue(conn, self._clock, LINE_RECEIVED, payload)
        self._catalogue.set_lifecycle(got.barcode, Lifecycle.IN_PROCESSING)
        return got

    def _line_and_copy(
        self, conn: Connection, scanned: str, here: int
    ) -> tuple[Row[Any], Row[Any] | None]:
        by_barcode = repo.copy_by_barcode(conn, scanned)
        if by_barcode is not None:
            line = repo.line_by_id(conn, by_barcode.line_id)
            if line is None or line.branch_id != here or line.status != "ordered":
                raise ShelfwiseError("acq.nothing_to_receive", scanned=scanned)
            return line, by_barcode
        by_line = LINE_REF.fullmatch(scanned)
        if by_line is not None:
            line = repo.line_by_id(conn, int(by_line.group(1)))
            if line is None or line.branch_id != here or line.status != "ordered":
                raise ShelfwiseError("acq.nothing_to_receive", scanned=scanned)
            return line, repo.waiting_copy(conn, line.id)
        isbn13 = isbns.to_isbn13(scanned)
        if isbn13 is None:
            raise ShelfwiseError("acq.nothing_to_receive", scanned=scanned)
        record_id = self._catalogue.record_with_isbn(isbn13)
        line = None if record_id is None else repo.open_line_for(conn, record_id, here)
        if line is None:
            raise ShelfwiseError("acq.nothing_to_receive", scanned=scanned)
        return line, repo.waiting_copy(conn, line.id)

    def put_in_service(self, barcode: str, *, actor: Actor) -> None:
        """A received copy, processed, goes on the shelf; a wish's line says so to the wall
        (which places the holds)."""
        with self._db.read() as conn:
            copy = repo.copy_by_barcode(conn, barcode)
            line = None if copy is None else repo.line_by_id(conn, copy.line_id)
        if copy is None or line is None or copy.received_at is None:
            raise ShelfwiseError("acq.not_received", barcode=barcode)
        authorise(actor, at=[line.branch_code])
        if self._catalogue.get_item(barcode).lifecycle is Lifecycle.ON_ORDER:
            self._catalogue.set_lifecycle(barcode, Lifecycle.IN_PROCESSING)
        self._catalogue.set_lifecycle(barcode, Lifecycle.IN_SERVICE)
        if line.wish_id is not None:
            with self._db.write() as conn:
                payload = _event(line.wish_id, line.record_id, line.id)
                payload |= {"barcode": barcode, "branch": line.branch_code}
                enqueue(conn, self._clock, ITEM_IN_SERVICE, payload)

    # --- invoices ---------------------------------------------------------------------

    def invoice(self, order_id: int, number: str, total_cents: int, *, actor: Actor) -> Order:
        """The vendor's invoice closes the order: copies never delivered are cancelled
        (their commitment released), and the spent amount follows the invoice."""
        number = _text(number, "number", 64)
        if not 0 <= total_cents <= MAX_PRICE_CENTS * MAX_QUANTITY:
            raise ShelfwiseError("acq.amount_invalid", value=total_cents)
        withdraw: list[str] = []
        try:
            with self._db.write() as conn:
                order = repo.order_row(conn, order_id, lock=True)
                if order is None:
                    raise ShelfwiseError("acq.unknown_order", order=order_id)
                if order.status != "open":
                    raise ShelfwiseError("acq.order_closed", order=order_id)
                lines = repo.lines_of(conn, order_id)
                for line in lines:
                    authorise(actor, at=[line.branch_code])
                received = sum(line.received * line.price_cents for line in lines)
                for line in lines:
                    if line.status == "ordered":
                        missing = line.quantity - line.received
                        repo.release(conn, line.fund_id, missing * line.price_cents)
                        repo.cancel_line(conn, line.id)
                        withdraw += repo.unreceived_barcodes(conn, line.id)
                # What the invoice says beyond (or below) the copies' prices is shared among
                # the funds the copies were paid from, in proportion to what each paid.
                paid: dict[int, int] = {}
                for line in lines:
                    paid[line.fund_id] = (
                        paid.get(line.fund_id, 0) + line.received * line.price_cents
                    )
                for fund_id, delta in shares(total_cents - received, paid).items():
                    if not repo.adjust_spent(conn, fund_id, delta):
                        fund = repo.fund_by_id(conn, fund_id)
                        raise ShelfwiseError(
                            "acq.fund_exhausted", fund=fund.code, available=_avail(fund)
                        )
                repo.insert_invoice(
                    conn,
                    order_id=order_id,
                    number=number,
                    total_cents=total_cents,
                    created_at=self._clock.now(),
                )
                repo.close_order(conn, order_id, "closed", self._clock.now())
        except IntegrityError as exc:
            raise ShelfwiseError("acq.order_closed", order=order_id) from exc
        for barcode in withdraw:
            self._catalogue.set_lifecycle(barcode, Lifecycle.WITHDRAWN)
        return self.get_order(order_id)


def shares(amount: int, weights: dict[int, int]) -> dict[int, int]:
    """``amount`` split in proportion to ``weights`` (equal shares when all weigh nothing),
    in whole fen that add up to it exactly: largest remainders get the odd fen."""
    if not weights or amount == 0:
        return {}
    keys = sorted(weights)
    total = sum(weights.values())
    parts = {k: (weights[k] if total else 1) for k in keys}
    whole = sum(parts.values())
    sign, rest = (1 if amount > 0 else -1), abs(amount)
    out = {k: rest * parts[k] // whole for k in keys}
    left = rest - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(rest * parts[k] % whole), k))[:left]:
        out[k] += 1
    return {k: sign * v for k, v in out.items() if v}


def _text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text or len(text) > limit or any(ord(c) < 32 for c in text):
        raise ShelfwiseError("acq.text_invalid", field=field, limit=limit)
    return text


def _branch(conn: Connection, code: str) -> int:
    found = repo.branch_id(conn, code)
    if found is None:
        raise ShelfwiseError("acq.unknown_branch", branch=code)
    return found


def _fund(r: Row[Any]) -> Fund:
    return Fund(
        r.id,
        r.code,
        r.year,
        r.branch_code,
        r.name,
        r.allocated_cents,
        r.committed_cents,
        r.spent_cents,
    )


def _avail(f: Row[Any]) -> str:
    return f"{(f.allocated_cents - f.committed_cents - f.spent_cents) / 100:.2f}"


def _event(wish_id: int, record_id: int, line_id: int) -> dict[str, object]:
    return {"wish_id": wish_id, "record_id": record_id, "line_id": line_id}
