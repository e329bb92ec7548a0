"""Orders as a state machine, driven by hypothesis on both engines: orders, receipts,
shelving and invoices in any order; the fund's figures always equal what the lines say,
never overcommitted, and each wish follows its line, told once per change."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import text

from acquisitions.conftest import BUDGET
from shelfwise.acquisitions.models import Brief, Fund, Line, LineDraft
from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes.models import WishPolicy, WishStatus
from wishes.wish_helpers import STAFF, WishLibrary

_names = itertools.count(1)


@dataclass
class LineModel:
    order: int
    line: Line
    wish: int
    got: list[str] = field(default_factory=list)
    shelved: bool = False
    open: bool = True

    @property
    def expected_wish(self) -> WishStatus:
        if self.shelved:
            return WishStatus.FULFILLED
        return WishStatus.RECEIVED if self.got else WishStatus.ORDERED


class OrderMachine(RuleBasedStateMachine):
    lib: WishLibrary  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[LineModel] = []
        self.spent_adjust = 0
        # A fund of its own per example: what one example spends, the next never sees.
        self.fund = f"F{next(_names)}"
        acq = self.lib.services.acquisitions
        year = self.lib.services.clock.today().year
        acq.save_fund(self.fund, year, "CEN", "machine", BUDGET, actor=STAFF)
        self.wisher = self.lib.reader()

    def _fund(self) -> Fund:
        return next(f for f in self.lib.services.acquisitions.funds() if f.code == self.fund)

    def _refused(self, call: object) -> str | None:
        try:
            call()  # type: ignore[operator]
        except ShelfwiseError as exc:
            return exc.code
        return None

    @rule(quantity=st.integers(1, 3), price=st.integers(0, BUDGET // 4))
    def order(self, quantity: int, price: int) -> None:
        n = next(_names)
        wishes, acq = self.lib.services.wishes, self.lib.services.acquisitions
        wish_id = self.lib.post(self.wisher, f"书 {n}")
        wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF)
        draft = LineDraft(
            self.fund, "CEN", price, quantity, brief=Brief(f"书 {n}"), wish_id=wish_id
        )
        before = self._fund()
        placed: list[int] = []
        refused = self._refused(
            lambda: placed.append(acq.order("XH", [draft], actor=STAFF, by="s").id)
        )
        if refused is not None:
            assert refused == "acq.fund_exhausted"
            assert before.available_cents < quantity * price
            return
        (line,) = acq.get_order(placed[0]).lines
        self.lines.append(LineModel(placed[0], line, wish_id))

    @rule(data=st.data())
    def receive(self, data: st.DataObject) -> None:
        waiting = [m for m in self.lines if m.open and len(m.got) < m.line.quantity]
        if waiting:
            m = data.draw(st.sampled_from(waiting))
            acq = self.lib.services.acquisitions
            m.got.append(acq.receive(m.line.barcodes[len(m.got)], "CEN", actor=STAFF).barcode)

    @rule(data=st.data())
    def shelve(self, data: st.DataObject) -> None:
        ready = [m for m in self.lines if m.got and not m.shelved]
        if ready:
            m = data.draw(st.sampled_from(ready))
            self.lib.services.acquisitions.put_in_service(m.got[0], actor=STAFF)
            m.shelved = True

    @rule(data=st.data(), extra=st.integers(-100, 100))
    def invoice(self, data: st.DataObject, extra: int) -> None:
        open_ = [m for m in self.lines if m.open]
        if not open_:
            return
        m = data.draw(st.sampled_from(open_))
        received = len(m.got) * m.line.price_cents
        total = max(0, received + extra)
        acq = self.lib.services.acquisitions
        refused = self._refused(lambda: acq.invoice(m.order, "INV", total, actor=STAFF))
        if refused is None:
            m.open = False
            self.spent_adjust += total - received
        else:
            assert refused == "acq.fund_exhausted"

    @invariant()
    def the_fund_is_what_the_lines_say(self) -> None:
        fund = self._fund()
        committed = sum(
            (m.line.quantity - len(m.got)) * m.line.price_cents for m in self.lines if m.open
        )
        spent = sum(len(m.got) * m.line.price_cents for m in self.lines)
        assert fund.committed_cents == committed
        assert fund.spent_cents == spent + self.spent_adjust
        assert fund.available_cents >= 0

    @invariant()
    def each_wish_follows_its_line_and_is_told_once(self) -> None:
        self.lib.deliver()
        for m in self.lines:
            assert self.lib.services.wishes.get(m.wish).status is m.expected_wish
        with self.lib.services.db.read() as conn:
            payloads = conn.execute(
                text("SELECT payload FROM outbox WHERE topic = 'wishes.notice'")
            ).scalars()
            ids = [json.loads(p)["history_id"] for p in payloads]
        assert len(ids) == len(set(ids))


def test_the_order_state_machine(lib: WishLibrary) -> None:
    lib.services.wishes.policy = WishPolicy(per_month=10_000)
    OrderMachine.lib = lib
    run_state_machine_as_test(
        OrderMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
