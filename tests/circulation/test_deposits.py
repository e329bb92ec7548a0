"""Deposits (押金) and the deposit-free credit mode (信用借阅), on both backends.

The library here asks adults for a 100-yuan deposit; children borrow without one;
credit needs a card 30 days old and nothing late in the last 365 days.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from circ_helpers import LendingLibrary, make_library
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from shelfwise import app as composition
from shelfwise.app import asgi_app
from shelfwise.circulation.deposits import DepositPolicy, parse_requirements
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.tables import deposits, fees, loans
from shelfwise.testing.access import staff_headers


@pytest.fixture
def lib(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[LendingLibrary]:
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "circulation_deposit_cents": "adult=10000",
            "credit_min_card_days": 30,
            "credit_overdue_lookback_days": 365,
        },
        environ={},
    )
    services = composition.build(settings, clock=clock)
    yield make_library(services, tmp_path)
    services.close()


def _code(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(ShelfwiseError) as refused:
        call(*args, **kwargs)
    return refused.value.code


def test_requirements_are_read_per_category() -> None:
    policy = DepositPolicy(required=parse_requirements("adult=10000, *=5000"))
    assert policy.required_for("adult") == 10000
    assert policy.required_for("senior") == 5000
    assert DepositPolicy().required_for("adult") == 0
    with pytest.raises(ValueError, match="category=fen"):
        parse_requirements("adult:100")


def test_checkout_needs_the_deposit_unless_the_category_needs_none(lib: LendingLibrary) -> None:
    circ, deps = lib.services.circulation, lib.services.deposits
    _, (b1, b2) = lib.title(copies=2)
    adult, child = lib.reader("成人"), lib.reader("儿童", category="child")
    with pytest.raises(ShelfwiseError) as refused:
        circ.checkout(adult.card_number, b1, "CEN", actor=SYSTEM)
    assert refused.value.code == "circ.deposit_required"
    assert refused.value.params == {"required": "100.00", "held": "0.00", "reasons": "card_age"}
    assert "100.00" in refused.value.message("zh")
    deps.take(adult.card_number, 5000, "wechat", "first half")
    assert (
        _code(circ.checkout, adult.card_number, b1, "CEN", actor=SYSTEM) == "circ.deposit_required"
    )
    deps.take(adult.card_number, 5000, "cash")  # two deposits add up
    assert circ.checkout(adult.card_number, b1, "CEN", actor=SYSTEM).barcode == b1
    assert circ.checkout(child.card_number, b2, "CEN", actor=SYSTEM).barcode == b2
    standing = deps.standing(adult.card_number)
    assert (standing.required_cents, standing.held_cents, standing.may_borrow) == (
        10000,
        10000,
        True,
    )


def test_credit_lets_a_reader_in_good_standing_borrow_without_a_deposit(
    lib: LendingLibrary, clock: FrozenClock
) -> None:
    circ, deps = lib.services.circulation, lib.services.deposits
    _, (b1, b2) = lib.title(copies=2)
    reader = lib.reader("老读者")
    assert deps.standing(reader.card_number).credit.reasons == ("card_age",)
    clock.advance(timedelta(days=31))
    assert deps.standing(reader.card_number).credit.eligible
    loan = circ.checkout(reader.card_number, b1, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=(loan.due_on - clock.now().date()).days + 3))
    # Overdue now: no credit for a second book (and the overdue loan stops new loans anyway).
    assert deps.standing(reader.card_number).credit.reasons == ("overdue",)
    blocks = circ.standing(reader.card_number).borrow_blocks
    assert [b.code for b in blocks] == ["circ.overdue_loans", "circ.deposit_required"]
    assert _code(circ.checkout, reader.card_number, b2, "CEN", actor=SYSTEM) == "circ.overdue_loans"
    result = circ.checkin(b1, "CEN", actor=SYSTEM)
    assert result.fine_cents > 0
    assert deps.standing(reader.card_number).credit.reasons == ("overdue", "open_fees")
    # A held deposit still lets them borrow, credit or not.
    deps.take(reader.card_number, 10000, "alipay")
    assert circ.checkout(reader.card_number, b2, "CEN", actor=SYSTEM).barcode == b2
    explained = lib.services.loan_rules.explain("adult", "book", "CEN").explanation
    assert "deposit of 100.00 yuan" in explained
    assert "30 days" in explained
    assert (
        "without a deposit" in lib.services.loan_rules.explain("child", "book", "CEN").explanation
    )


def test_refund_is_refused_while_loans_or_fees_are_open(lib: LendingLibrary) -> None:
    circ, deps = lib.services.circulation, lib.services.deposits
    _, (barcode,) = lib.title()
    reader = lib.reader()
    deposit = deps.take(reader.card_number, 10000, "card", "收据 0001")
    assert deposit.status == "held"
    circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    assert _code(deps.refund, deposit.id) == "circ.deposit_refund_loans"
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    fee = lib.services.fees.charge(reader.card_number, "damaged", 500, "water damage")
    assert _code(deps.refund, deposit.id) == "circ.deposit_refund_fees"
    lib.services.fees.pay(fee.id, 500)
    refunded = deps.refund(deposit.id)
    assert refunded.status == "refunded"
    assert refunded.closed_at is not None
    assert _code(deps.refund, deposit.id) == "circ.deposit_refunded"
    assert _code(deps.refund, 999999) == "circ.deposit_not_found"
    assert _code(deps.take, reader.card_number, 100, "bitcoin") == "circ.deposit_method"
    assert _code(deps.take, reader.card_number, 0, "cash") == "circ.deposit_amount"
    assert [d.status for d in deps.of(reader.card_number)] == ["refunded"]


def test_a_reader_with_a_held_deposit_cannot_be_deleted(lib: LendingLibrary) -> None:
    deps, db = lib.services.deposits, lib.services.db
    reader = lib.reader("要走的人")
    deposit = deps.take(reader.card_number, 10000, "transfer")
    exported = lib.services.reader_rights.export(reader.card_number)
    assert [d["amount_cents"] for d in exported["deposits"]] == [10000]
    assert _code(lib.services.reader_rights.erase, reader.card_number) == "circ.reader_has_deposit"
    deps.refund(deposit.id)
    lib.services.reader_rights.erase(reader.card_number)
    with db.read() as conn:  # P6: the refunded deposit went with the reader
        assert conn.execute(select(func.count()).select_from(deposits)).scalar_one() == 0


def test_two_refunds_of_one_deposit_refund_once(lib: LendingLibrary) -> None:
    deps = lib.services.deposits
    reader = lib.reader()
    deposit = deps.take(reader.card_number, 10000, "cash")
    n = 8
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def refund() -> None:
        barrier.wait()
        try:
            deps.refund(deposit.id)
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=refund) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["circ.deposit_refunded"] * (n - 1) + ["ok"]
    with lib.services.db.read() as conn:
        row = conn.execute(select(deposits).where(deposits.c.id == deposit.id)).one()
    assert row.status == "refunded"


def test_deposits_over_http(lib: LendingLibrary) -> None:
    reader = lib.reader()
    card = reader.card_number
    with TestClient(asgi_app(lib.services), headers=staff_headers(lib.services, "desk")) as client:
        taken = client.post(
            f"/api/v1/readers/{card}/deposits",
            json={"amount_cents": 10000, "method": "wechat", "note": "押金"},
        )
        assert taken.status_code == 201, taken.text
        assert taken.json()["status"] == "held"
        bad = client.post(
            f"/api/v1/readers/{card}/deposits", json={"amount_cents": 100, "method": "gold"}
        )
        assert bad.json()["error"]["code"] == "circ.deposit_method"
        listed = client.get(f"/api/v1/readers/{card}/deposits").json()
        assert [d["amount_cents"] for d in listed] == [10000]
        standing = client.get(f"/api/v1/readers/{card}/deposit-standing").json()
        assert standing["may_borrow"]
        assert standing["credit_reasons"] == ["card_age"]
        refund = client.post(f"/api/v1/deposits/{taken.json()['id']}/refund")
        assert refund.json()["status"] == "refunded"
        again = client.post(f"/api/v1/deposits/{taken.json()['id']}/refund")
        assert (again.status_code, again.json()["error"]["code"]) == (409, "circ.deposit_refunded")


def _race(calls: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Run the calls at once (threads released by a barrier): "ok" or the refusal code each."""
    barrier = threading.Barrier(len(calls))
    results: dict[str, str] = {}

    def run(name: str, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            call()
            results[name] = "ok"
        except ShelfwiseError as exc:
            results[name] = exc.code

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_checkout_and_a_refund_of_the_only_deposit_never_both_pass(lib: LendingLibrary) -> None:
    """The reader lock orders them: either the loan stands and the refund is refused, or the
    refund stands and the checkout is refused; never a loan without its deposit."""
    circ, deps = lib.services.circulation, lib.services.deposits
    for _ in range(6):
        _, (barcode,) = lib.title()
        card = lib.reader().card_number
        deposit = deps.take(card, 10000, "cash")
        results = _race(
            {
                "checkout": lambda: circ.checkout(card, barcode, "CEN", actor=SYSTEM),  # noqa: B023
                "refund": lambda: deps.refund(deposit.id),  # noqa: B023
            }
        )
        pair = (results["checkout"], results["refund"])
        assert pair in {("ok", "circ.deposit_refund_loans"), ("circ.deposit_required", "ok")}


def _linked(lib: LendingLibrary, reader_id: int) -> tuple[int, int]:
    """(loans, fees) still linked to the reader."""
    with lib.services.db.read() as conn:
        return (
            conn.execute(
                select(func.count()).select_from(loans).where(loans.c.reader_id == reader_id)
            ).scalar_one(),
            conn.execute(
                select(func.count()).select_from(fees).where(fees.c.reader_id == reader_id)
            ).scalar_one(),
        )


def test_credit_remembers_a_late_return_after_privacy_unlinks_it(
    lib: LendingLibrary, clock: FrozenClock
) -> None:
    """Item 8: unlinking (P1, P2) must not make credit forget a late return, and the count
    that remembers it must not undo the unlinking: no loan, no fee, no title stays linked."""
    circ, deps = lib.services.circulation, lib.services.deposits
    _, (b1, b2) = lib.title(copies=2)
    reader = lib.reader("守信读者")  # no reading history (the default)
    clock.advance(timedelta(days=31))
    loan = circ.checkout(reader.card_number, b1, "CEN", actor=SYSTEM)  # on credit
    clock.advance(timedelta(days=(loan.due_on - clock.now().date()).days + 3))
    fine = circ.checkin(b1, "CEN", actor=SYSTEM).fine_cents
    (fee,) = [f for f in lib.services.fees.fees_of(reader.card_number) if f.status == "open"]
    lib.services.fees.pay(fee.id, fine)
    assert _linked(lib, reader.id) == (0, 0)  # P1, P2 hold: nothing links back
    assert deps.standing(reader.card_number).credit.reasons == ("overdue",)
    assert _code(circ.checkout, reader.card_number, b2, "CEN", actor=SYSTEM) == (
        "circ.deposit_required"
    )
    exported = lib.services.reader_rights.export(reader.card_number)["late_returns"]
    assert exported == [{"month": clock.now().date().isoformat()[:7], "returns": 1}]
    # A year and a month on, the look-back no longer reaches that month: credit again,
    # and the retention job forgets the count.
    clock.advance(timedelta(days=365 + 31))
    assert deps.standing(reader.card_number).credit.eligible
    assert lib.services.deposits.forget_old_late_returns(365) == 1
    assert lib.services.reader_rights.export(reader.card_number)["late_returns"] == []


def test_a_late_return_within_the_grace_days_still_counts_for_credit(
    lib: LendingLibrary, clock: FrozenClock
) -> None:
    """No fine (grace days), so the loan is unlinked at check-in at once: before the count,
    this reader looked spotless the moment the book came back."""
    circ, deps = lib.services.circulation, lib.services.deposits
    lib.services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"grace_days": 5}, actor=SYSTEM
    )
    _, (barcode,) = lib.title()
    reader = lib.reader()
    clock.advance(timedelta(days=31))
    loan = circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=(loan.due_on - clock.now().date()).days + 2))
    assert circ.checkin(barcode, "CEN", actor=SYSTEM).fine_cents == 0
    assert _linked(lib, reader.id) == (0, 0)
    assert deps.standing(reader.card_number).credit.reasons == ("overdue",)


def test_late_returns_go_with_a_deleted_reader(lib: LendingLibrary, clock: FrozenClock) -> None:
    circ = lib.services.circulation
    lib.services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"grace_days": 5}, actor=SYSTEM
    )
    _, (barcode,) = lib.title()
    reader = lib.reader()
    lib.services.deposits.take(reader.card_number, 10000, "cash")
    loan = circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=(loan.due_on - clock.now().date()).days + 1))
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    (deposit,) = lib.services.deposits.of(reader.card_number)
    lib.services.deposits.refund(deposit.id)
    lib.services.reader_rights.erase(reader.card_number)
    with lib.services.db.read() as conn:  # P6: the month counts went with the reader
        assert conn.execute(text("SELECT count(*) FROM late_returns")).scalar_one() == 0
