"""A model-based test across branches: checkouts, check-ins, holds and cancellations at three
branches, so that copies travel — trapped for a hold at another branch, sent home, received
at the pickup branch and collected — against a reference model of where each copy should go.

After every step the service's view (open loans per reader, each hold's state) must equal the
model's, and the database invariant of one open loan per copy must hold. Each check-in's
answer (the hold it trapped, that hold's state, the branch the copy is sent to) must be the
one the model predicts. The run counts what happened, and the test fails if no transit, no
trap at the pickup branch, no receipt of a copy in transit or no pickup of a trapped copy
happened in it: a run that never exercises them proves nothing about them.

Renewals are left to test_model.py. Runs on SQLite (a fresh database per example); the
storms cover PostgreSQL.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from circ_helpers import LendingLibrary, make_library
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from storms import open_loan_violations

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError

BRANCHES = ("CEN", "BR1", "BR2")
READERS, TITLES, COPIES = 3, 2, 2
EVENTS = ("trap", "transit_to_pickup", "received", "transit_home", "pickup")


@dataclass
class ModelHold:
    reader: int
    title: int
    pickup: str
    status: str = "waiting"
    trapped: str | None = None  # barcode


@dataclass
class Model:
    loans: dict[str, int] = field(default_factory=dict)  # barcode -> reader
    holds: dict[int, ModelHold] = field(default_factory=dict)


class Branches(RuleBasedStateMachine):
    seen: ClassVar[Counter[str]] = Counter()

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        path = Path(self.tmp.name)
        settings_ = Settings.load(
            {"data_dir": path / "data", "database_url": f"sqlite:///{path / 'b.sqlite'}"},
            environ={},
        )
        self.services = composition.build(
            settings_, clock=FrozenClock(datetime(2026, 9, 1, tzinfo=UTC))
        )
        self.lib: LendingLibrary = make_library(self.services, path)
        self.services.catalogue.add_branch(code="BR2", kind=BranchKind.BRANCH, name_zh="BR2")
        self.branch_id = {b.code: b.id for b in self.services.catalogue.list_branches()}
        # Copies of one title live at different branches, so a check-in is often away from home.
        self.records: list[int] = []
        self.copies: list[list[str]] = []
        self.home: dict[str, str] = {}
        for t in range(TITLES):
            record_id, _ = self.lib.title(copies=0)
            barcodes = []
            for c in range(COPIES):
                barcode = f"T{t}C{c}-{record_id}"
                self.home[barcode] = BRANCHES[(t + c) % len(BRANCHES)]
                self.services.catalogue.add_item(
                    record_id=record_id,
                    barcode=barcode,
                    branch_code=self.home[barcode],
                    lifecycle=Lifecycle.IN_SERVICE,
                    price_cents=3000,
                )
                barcodes.append(barcode)
            self.records.append(record_id)
            self.copies.append(barcodes)
        self.cards = [self.lib.reader(f"b{i}").card_number for i in range(READERS)]
        self.model = Model()

    def teardown(self) -> None:
        self.services.close()
        self.tmp.cleanup()

    def _trapped(self, barcode: str) -> int | None:
        for hid, h in self.model.holds.items():
            if h.trapped == barcode and h.status in ("ready", "in_transit"):
                return hid
        return None

    @rule(
        r=st.integers(0, READERS - 1),
        t=st.integers(0, TITLES - 1),
        c=st.integers(0, COPIES - 1),
        b=st.sampled_from(BRANCHES),
    )
    def checkout(self, r: int, t: int, c: int, b: str) -> None:
        barcode = self.copies[t][c]
        trapped = self._trapped(barcode)
        held = self.model.holds[trapped] if trapped is not None else None
        mine_in_transit = held and held.status == "in_transit" and held.reader == r
        if mine_in_transit and barcode not in self.model.loans:
            # Not modelled: the holder borrowing their copy before it reaches the pickup
            # branch is refused with circ.transition (in_transit -> fulfilled is not an
            # allowed transition), though checkout() ends the copy's journey for anyone
            # else. Reported to the circulation owner; expect "ok" once it is decided.
            return
        if barcode in self.model.loans:
            mine = self.model.loans[barcode] == r
            expected = "circ.item_already_yours" if mine else "circ.item_on_loan"
        elif trapped is not None and self.model.holds[trapped].reader != r:
            expected = "circ.item_on_hold"
        else:
            expected = "ok"
        try:
            self.services.circulation.checkout(self.cards[r], barcode, b, actor=SYSTEM)
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        assert outcome == expected
        if outcome != "ok":
            return
        self.model.loans[barcode] = r
        if trapped is not None:
            hold = self.model.holds[trapped]
            if hold.status == "ready":
                self.seen["pickup"] += 1
            hold.status, hold.trapped = "fulfilled", None
            return
        own = sorted(
            hid
            for hid, h in self.model.holds.items()
            if (h.reader, h.title, h.status) == (r, t, "waiting")
        )
        if own:
            self.model.holds[own[0]].status = "fulfilled"

    @rule(t=st.integers(0, TITLES - 1), c=st.integers(0, COPIES - 1), b=st.sampled_from(BRANCHES))
    def checkin(self, t: int, c: int, b: str) -> None:
        barcode = self.copies[t][c]
        result = self.services.circulation.checkin(barcode, b, actor=SYSTEM)
        self.model.loans.pop(barcode, None)
        expected = self._route(barcode, t, b)
        got = (result.hold_id, result.hold_status, result.transit_to_branch_id)
        assert got == expected

    def _route(self, barcode: str, t: int, here: str) -> tuple[int | None, str | None, int | None]:
        """Where the model says a copy checked in at ``here`` goes: (hold, its state, sent to)."""
        trapped = self._trapped(barcode)
        if trapped is not None:
            hold = self.model.holds[trapped]
            if hold.pickup == here:
                if hold.status == "in_transit":
                    self.seen["received"] += 1
                hold.status = "ready"
                return trapped, "ready", None
            return trapped, hold.status, self.branch_id[hold.pickup]
        waiting = sorted(
            hid for hid, h in self.model.holds.items() if h.title == t and h.status == "waiting"
        )
        if waiting:
            hold = self.model.holds[waiting[0]]
            hold.trapped = barcode
            if hold.pickup == here:
                hold.status = "ready"
                self.seen["trap"] += 1
                return waiting[0], "ready", None
            hold.status = "in_transit"
            self.seen["transit_to_pickup"] += 1
            return waiting[0], "in_transit", self.branch_id[hold.pickup]
        if here != self.home[barcode]:
            self.seen["transit_home"] += 1
            return None, None, self.branch_id[self.home[barcode]]
        return None, None, None

    # Steps aimed at the journeys a hold makes; they call the same service methods through
    # the rules above, so the model checks them the same way.

    @rule(data=st.data(), b=st.sampled_from(BRANCHES))
    def return_a_copy_someone_waits_for(self, data: st.DataObject, b: str) -> None:
        waiting = sorted({h.title for h in self.model.holds.values() if h.status == "waiting"})
        if waiting:
            t = data.draw(st.sampled_from(waiting))
            c = data.draw(st.integers(0, COPIES - 1))
            barcode = self.copies[t][c]
            self.checkin(t, c, b)
            hid = self._trapped(barcode)
            if hid is not None and data.draw(st.booleans()):
                # It travels on to the pickup branch, and perhaps is collected there.
                self.checkin(t, c, self.model.holds[hid].pickup)
            if data.draw(st.booleans()):
                self._collect(barcode)

    @rule(data=st.data())
    def receive_at_the_pickup_branch(self, data: st.DataObject) -> None:
        travelling = sorted(hid for hid, h in self.model.holds.items() if h.status == "in_transit")
        if travelling:
            hold = self.model.holds[data.draw(st.sampled_from(travelling))]
            assert hold.trapped is not None
            barcode = hold.trapped
            self.checkin(hold.title, self.copies[hold.title].index(barcode), hold.pickup)
            if data.draw(st.booleans()):
                self._collect(barcode)

    def _collect(self, barcode: str) -> None:
        """The reader a copy waits for on the hold shelf comes and borrows it."""
        hid = self._trapped(barcode)
        if hid is not None and self.model.holds[hid].status == "ready":
            hold = self.model.holds[hid]
            self.checkout(
                hold.reader, hold.title, self.copies[hold.title].index(barcode), hold.pickup
            )

    @rule(data=st.data())
    def collect_from_the_hold_shelf(self, data: st.DataObject) -> None:
        ready = sorted(hid for hid, h in self.model.holds.items() if h.status == "ready")
        if ready:
            hold = self.model.holds[data.draw(st.sampled_from(ready))]
            assert hold.trapped is not None
            c = self.copies[hold.title].index(hold.trapped)
            self.checkout(hold.reader, hold.title, c, hold.pickup)

    @rule(r=st.integers(0, READERS - 1), t=st.integers(0, TITLES - 1), p=st.sampled_from(BRANCHES))
    def place_hold(self, r: int, t: int, p: str) -> None:
        active = [
            h
            for h in self.model.holds.values()
            if h.reader == r and h.status in ("waiting", "in_transit", "ready")
        ]
        expected = "circ.hold_exists" if any(h.title == t for h in active) else "ok"
        if any(self.model.loans.get(b) == r for b in self.copies[t]):
            expected = "circ.hold_on_loan"  # a reader does not hold a title she has on loan
        try:
            hold = self.services.circulation.place_hold(
                self.cards[r], self.records[t], p, actor=SYSTEM
            )
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        assert outcome == expected
        self.seen["hold:" + outcome] += 1
        if outcome == "ok":
            self.model.holds[hold.id] = ModelHold(r, t, p)

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        active = sorted(
            hid
            for hid, h in self.model.holds.items()
            if h.status in ("waiting", "in_transit", "ready")
        )
        if not active:
            return
        hid = data.draw(st.sampled_from(active))
        assert str(self.services.circulation.cancel_hold(hid, actor=SYSTEM).status) == "cancelled"
        self.model.holds[hid].status, self.model.holds[hid].trapped = "cancelled", None

    @invariant()
    def matches_the_model(self) -> None:
        for r, card in enumerate(self.cards):
            loans = {loan.barcode for loan in self.services.circulation.loans_of(card)}
            assert loans == {b for b, who in self.model.loans.items() if who == r}
            for hold in self.services.circulation.holds_of(card):
                assert str(hold.status) == self.model.holds[hold.id].status, hold
        assert open_loan_violations(self.lib) == []


def _run(examples: int, steps: int) -> None:
    Branches.seen = Counter()
    run_state_machine_as_test(
        Branches,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same sequences every run: the counts below cannot flake
        ),
    )
    missing = [event for event in EVENTS if not Branches.seen[event]]
    assert not missing, f"never happened in the run: {missing} (seen: {dict(Branches.seen)})"


def test_copies_travel_between_branches_as_the_model_says() -> None:
    _run(examples=12, steps=40)


@pytest.mark.slow
def test_copies_travel_between_branches_many_runs() -> None:
    _run(examples=150, steps=60)
