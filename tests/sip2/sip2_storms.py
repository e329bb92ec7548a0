"""D4 (docs/requirements.md): kiosk resend and cancel sequences against the live SIP2 server.

Several kiosks, each on its own connection, run at once. Per trial:

* every kiosk checks out its own copy, sends the same checkout (same bytes, same
  sequence number) again four times, then a 97, and one kiosk of the trial
  reconnects and sends it once more: each resend must be answered with the first
  response and no second loan made;
* the kiosk cancels the checkout (BI=Y): exactly that loan is closed and its copy
  is on the shelf again; a 97 repeats the cancel's answer;
* it checks the copy out again and checks it in seconds later (a rollback);
* meanwhile all kiosks race for one contested copy, each with two resends: one
  loan in all, every resend answered like its first send; the winner cancels.

A reader waits with a hold on the title throughout: a cancel or rollback must never
trap a copy for it (Evergreen #1503903). After each trial the database is checked:
no copy with two open loans, no open loan left (no lost check-in), exactly two
loans per kiosk copy and one for the contested copy made in the trial.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sip2_server_helpers import BLANK, INSTITUTION, Kiosk, KioskLibrary
from sqlalchemy import text

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.states import HoldStatus
from shelfwise.sip2 import Decoded, Message, decode, encode

RESENDS = 4


@dataclass
class D4Result:
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class D4Setup:
    cards: list[str]  # one reader per kiosk
    copies: list[str]  # one copy per kiosk
    contested: str
    hold_id: int


def prepare(library: KioskLibrary, kiosks: int) -> D4Setup:
    *copies, contested = library.title("重发与撤销", copies=kiosks + 1)
    cards = [library.reader(f"D4 读者{k}") for k in range(kiosks)]
    holder = library.reader("D4 预约者")
    record_id = library.services.circulation.item_status(contested).record_id
    hold = library.services.circulation.place_hold(holder, record_id, "CEN", actor=SYSTEM)
    return D4Setup(cards, copies, contested, hold.id)


def _stamp(trial: int) -> str:
    """A transaction date per trial: a kiosk's real requests never repeat one exactly."""
    return f"20260901    {10 + trial // 60:02d}{trial % 60:02d}00"


def _checkout_bytes(
    card: str, barcode: str, seq: int, trial: int, *, cancel: bool = False
) -> bytes:
    fixed = {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": _stamp(trial),
             "nb_due_date": BLANK}  # fmt: skip
    fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", "")]
    if cancel:
        fields.append(("BI", "Y"))
    return encode(Message.of("11", fixed, fields), sequence=seq % 10)


def _checkin_bytes(barcode: str, seq: int, trial: int) -> bytes:
    fixed = {"no_block": "N", "transaction_date": _stamp(trial), "return_date": _stamp(trial)}
    fields = [("AP", "desk-1"), ("AO", INSTITUTION), ("AB", barcode), ("AC", "")]
    return encode(Message.of("09", fixed, fields), sequence=seq % 10)


def _ok(raw: bytes) -> str:
    result = decode(raw)
    if not isinstance(result, Decoded):
        return f"undecodable {raw[:20]!r}"
    return result.message.fixed.get("ok", "?")


@dataclass
class _Step:
    """One kiosk in one trial."""

    kiosk: Kiosk
    port: int
    card: str
    barcode: str
    seq: int
    trial: int
    reconnect: bool
    problems: list[str] = field(default_factory=list)

    def expect(self, condition: bool, what: str) -> None:
        if not condition:
            self.problems.append(f"{self.barcode}: {what}")

    def sequence(self) -> None:
        """Checkout, four resends and a 97, maybe a resend after a reconnect, cancel, redo, rollback."""
        kiosk, seq, trial = self.kiosk, self.seq, self.trial
        request = _checkout_bytes(self.card, self.barcode, seq, trial)
        first = kiosk.send_raw(request)
        self.expect(_ok(first) == "1", f"checkout refused {first[:60]!r}")
        for n in range(RESENDS):
            self.expect(kiosk.send_raw(request) == first, f"resend {n + 1} got another answer")
        self.expect(kiosk.send_raw(b"97\r") == first, "97 did not repeat the checkout's answer")
        if self.reconnect:  # the kiosk lost its connection and sends the checkout again
            with Kiosk(self.port) as again:
                again.login()
                self.expect(again.send_raw(request) == first, "resend after a reconnect differs")
        cancel = kiosk.send_raw(
            _checkout_bytes(self.card, self.barcode, seq + 1, trial, cancel=True)
        )
        self.expect(_ok(cancel) == "1", f"cancel refused {cancel[:60]!r}")
        self.expect(kiosk.send_raw(b"97\r") == cancel, "97 did not repeat the cancel's answer")
        redo = kiosk.send_raw(_checkout_bytes(self.card, self.barcode, seq + 2, trial))
        self.expect(_ok(redo) == "1", f"second checkout refused {redo[:60]!r}")
        back = kiosk.send_raw(_checkin_bytes(self.barcode, seq + 3, trial))
        self.expect(_ok(back) == "1", f"rollback check-in refused {back[:60]!r}")

    def race(self, contested: str, barrier: threading.Barrier) -> str:
        """Check out the contested copy with everyone else, two resends; the winner cancels."""
        kiosk, seq, trial = self.kiosk, self.seq + 4, self.trial
        request = _checkout_bytes(self.card, contested, seq, trial)
        barrier.wait(60)
        first = kiosk.send_raw(request)
        for _ in range(2):
            self.expect(kiosk.send_raw(request) == first, "a resend in the race got another answer")
        barrier.wait(60)  # everyone has tried before the winner gives the copy back
        won = _ok(first)
        if won == "1":
            undo = kiosk.send_raw(
                _checkout_bytes(self.card, contested, seq + 1, trial, cancel=True)
            )
            self.expect(_ok(undo) == "1", "the race winner's cancel was refused")
        return won


def d4_trial(
    library: KioskLibrary, port: int, kiosks: list[Kiosk], setup: D4Setup, trial: int
) -> D4Result:
    """One trial with every kiosk (logged-in connections) at once; invariants checked after."""
    start = time.perf_counter()
    before = _max_loan_id(library)
    n = len(kiosks)
    barrier = threading.Barrier(n)
    races: list[str] = []
    steps = [
        _Step(kiosks[k], port, setup.cards[k], setup.copies[k], trial + k, trial, k == trial % n)
        for k in range(n)
    ]

    def run(step: _Step) -> None:
        try:
            step.sequence()
            races.append(step.race(setup.contested, barrier))
        except Exception as exc:  # a dropped connection is a violation, not a crash
            step.problems.append(f"{type(exc).__name__}: {exc}")
            barrier.abort()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    violations = [p for step in steps for p in step.problems]
    if races.count("1") != 1:
        violations.append(f"contested copy: {races.count('1')} checkouts succeeded ({races})")
    violations += _invariants(library, setup, before)
    return D4Result(violations, time.perf_counter() - start)


def _max_loan_id(library: KioskLibrary) -> int:
    with library.services.db.read() as conn:
        return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM loans")).scalar_one())


def _invariants(library: KioskLibrary, setup: D4Setup, before: int) -> list[str]:
    problems: list[str] = []
    with library.services.db.read() as conn:
        doubled = conn.execute(
            text(
                "SELECT item_id FROM loans WHERE returned_at IS NULL "
                "GROUP BY item_id HAVING count(*) > 1"
            )
        ).all()
        still_open = conn.execute(
            text("SELECT count(*) FROM loans WHERE returned_at IS NULL")
        ).scalar_one()
        made: dict[str, int] = dict(
            conn.execute(
                text(
                    "SELECT i.barcode, count(*) FROM loans l JOIN items i ON i.id = l.item_id "
                    "WHERE l.id > :before GROUP BY i.barcode"
                ),
                {"before": before},
            ).all()
        )
    if doubled:
        problems.append(f"double loans on items {[r[0] for r in doubled]}")
    if still_open:
        problems.append(f"{still_open} loans left open (a lost check-in or cancel)")
    for barcode in setup.copies:
        if made.get(barcode) != 2:
            problems.append(f"{barcode}: {made.get(barcode, 0)} loans made, expected 2")
    if made.get(setup.contested) != 1:
        problems.append(f"contested copy: {made.get(setup.contested, 0)} loans made, expected 1")
    hold = library.services.circulation.get_hold(setup.hold_id, actor=SYSTEM)
    if hold.status is not HoldStatus.WAITING or hold.trapped_item_id is not None:
        problems.append(f"the waiting hold was touched: {hold.status}, item {hold.trapped_item_id}")
    return problems
