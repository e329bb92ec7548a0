"""A model-based test: random checkout/checkin/renew/hold/cancel sequences against a reference.

The reference model is a few dictionaries; after every step the service's view
(open loans, hold states, queue order) must equal the model's, and the database
invariants (one open loan per item, one trapped hold per item) must hold.
Runs on SQLite (a fresh database per example); the storms cover PostgreSQL.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from circ_helpers import LendingLibrary, make_library
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from storms import open_loan_violations

from shelfwise import app as composition
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError

READERS, TITLES, COPIES = 3, 2, 2


@dataclass
class Model:
    loans: dict[str, int] = field(default_factory=dict)  # barcode -> reader
    renewals: dict[str, int] = field(default_factory=dict)
    holds: dict[int, tuple[int, int, str, str | None]] = field(default_factory=dict)
    # hold id -> (reader, title, status, trapped barcode)


class Circulation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        path = Path(self.tmp.name)
        settings_ = Settings.load(
            {"data_dir": path / "data", "database_url": f"sqlite:///{path / 'm.sqlite'}"},
            environ={},
        )
        self.services = composition.build(
            settings_, clock=FrozenClock(datetime(2026, 9, 1, tzinfo=UTC))
        )
        self.lib: LendingLibrary = make_library(self.services, path)
        self.titles = [self.lib.title(copies=COPIES) for _ in range(TITLES)]
        self.cards = [self.lib.reader(f"m{i}").card_number for i in range(READERS)]
        self.title_of = {b: t for t, (_, bs) in enumerate(self.titles) for b in bs}
        self.model = Model()

    def teardown(self) -> None:
        self.services.close()
        self.tmp.cleanup()

    def _trapped_for(self, barcode: str) -> int | None:
        for hid, (_, _, status, trapped) in self.model.holds.items():
            if trapped == barcode and status == "ready":
                return hid
        return None

    @rule(r=st.integers(0, READERS - 1), t=st.integers(0, TITLES - 1), c=st.integers(0, COPIES - 1))
    def checkout(self, r: int, t: int, c: int) -> None:
        barcode = self.titles[t][1][c]
        held = self._trapped_for(barcode)
        if barcode in self.model.loans:
            expected = (
                "circ.item_already_yours" if self.model.loans[barcode] == r else "circ.item_on_loan"
            )
        elif held is not None and self.model.holds[held][0] != r:
            expected = "circ.item_on_hold"
        else:
            expected = "ok"
        try:
            self.services.circulation.checkout(self.cards[r], barcode, "CEN", actor=SYSTEM)
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        assert outcome == expected
        if outcome == "ok":
            self.model.loans[barcode] = r
            self.model.renewals[barcode] = 0
            if held is not None:
                self.model.holds[held] = (r, t, "fulfilled", None)
            else:
                own = [h for h, v in sorted(self.model.holds.items()) if v[:3] == (r, t, "waiting")]
                if own:
                    self.model.holds[own[0]] = (r, t, "fulfilled", None)

    @rule(t=st.integers(0, TITLES - 1), c=st.integers(0, COPIES - 1))
    def checkin(self, t: int, c: int) -> None:
        barcode = self.titles[t][1][c]
        result = self.services.circulation.checkin(barcode, "CEN", actor=SYSTEM)
        self.model.loans.pop(barcode, None)
        if self._trapped_for(barcode) is None:
            waiting = [
                h for h, v in sorted(self.model.holds.items()) if v[1] == t and v[2] == "waiting"
            ]
            if waiting:
                reader, _, _, _ = self.model.holds[waiting[0]]
                self.model.holds[waiting[0]] = (reader, t, "ready", barcode)
                assert result.hold_id == waiting[0]
                return
        assert result.hold_id == self._trapped_for(barcode)

    @rule(r=st.integers(0, READERS - 1), t=st.integers(0, TITLES - 1), c=st.integers(0, COPIES - 1))
    def renew(self, r: int, t: int, c: int) -> None:
        barcode = self.titles[t][1][c]
        waiting = any(v[1] == t and v[2] == "waiting" for v in self.model.holds.values())
        if self.model.loans.get(barcode) != r:
            expected = "circ.not_your_loan"
        elif self.model.renewals[barcode] >= 2:
            expected = "circ.renew_limit"
        elif waiting:
            expected = "circ.renew_on_hold"
        else:
            expected = "ok"
        try:
            self.services.circulation.renew(self.cards[r], barcode, actor=SYSTEM)
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        assert outcome == expected
        if outcome == "ok":
            self.model.renewals[barcode] += 1

    @rule(r=st.integers(0, READERS - 1), t=st.integers(0, TITLES - 1))
    def place_hold(self, r: int, t: int) -> None:
        active = [
            v for v in self.model.holds.values() if v[0] == r and v[2] in ("waiting", "ready")
        ]
        expected = "circ.hold_exists" if any(v[1] == t for v in active) else "ok"
        if any(who == r and self.title_of[b] == t for b, who in self.model.loans.items()):
            expected = "circ.hold_on_loan"  # a reader does not hold a title she has on loan
        try:
            hold = self.services.circulation.place_hold(
                self.cards[r], self.titles[t][0], "CEN", actor=SYSTEM
            )
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        assert outcome == expected
        if outcome == "ok":
            self.model.holds[hold.id] = (r, t, "waiting", None)

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        active = sorted(h for h, v in self.model.holds.items() if v[2] in ("waiting", "ready"))
        if not active:
            return
        hid = data.draw(st.sampled_from(active))
        self.services.circulation.cancel_hold(hid, actor=SYSTEM)
        r, t, _, _ = self.model.holds[hid]
        self.model.holds[hid] = (r, t, "cancelled", None)

    @invariant()
    def matches_the_model(self) -> None:
        for r, card in enumerate(self.cards):
            loans = {loan.barcode for loan in self.services.circulation.loans_of(card)}
            assert loans == {b for b, who in self.model.loans.items() if who == r}
            for hold in self.services.circulation.holds_of(card):
                assert str(hold.status) == self.model.holds[hold.id][2]
        assert open_loan_violations(self.lib) == []


Circulation.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
TestCirculationModel = Circulation.TestCase
