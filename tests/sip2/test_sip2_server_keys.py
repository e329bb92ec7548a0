"""Kiosk resends across reconnects: fee payments paid once, keys that hold no PIN, and
keys that are purged (S-8; issue 12)."""

from __future__ import annotations

import hashlib
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TD,
    Kiosk,
    KioskLibrary,
    checkout,
    live_sip2,
    make_library,
)
from sqlalchemy import insert, select, text

from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import render
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.sip2 import Message
from shelfwise.storage.tables import idempotency_keys, job_runs

WEAK_PIN = "4831"


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path, language="en")


def _fee_paid(
    kiosk: Kiosk, card: str, amount: str, *, bk: str | None, seq: int, td: str = TD
) -> Message:
    fixed = {"transaction_date": td, "fee_type": "01", "payment_type": "00", "currency_type": "CNY"}
    fields = [("BV", amount), ("AO", INSTITUTION), ("AA", card), ("AC", ""), ("AD", PIN)]
    if bk is not None:
        fields.append(("BK", bk))
    return kiosk.ask("37", fixed, fields, seq=seq)


def _open_balances(library: KioskLibrary, card: str) -> list[int]:
    """What the reader still owes, fee by fee (a paid fee leaves the reader, P2)."""
    fees = library.services.fees.fees_of(card)
    return [f.balance_cents for f in sorted(fees, key=lambda f: f.id) if f.status == "open"]


@pytest.mark.parametrize("bk", ["PAY-7731", None], ids=["transaction-id", "message"])
def test_a_fee_payment_resent_after_a_reconnect_is_paid_once(
    library: KioskLibrary, bk: str | None
) -> None:
    """37 Fee Paid resent after a reconnect paid a second fee (issue 12)."""
    card = library.reader("付款")
    library.services.fees.charge(card, "damaged", 300, "water")
    library.services.fees.charge(card, "manual", 500, "card")
    with live_sip2(library.services) as server:
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            first = _fee_paid(kiosk, card, "3.00", bk=bk, seq=4)
            assert first.fixed["payment_accepted"] == "Y"
        # The payment machine lost the answer, reconnected and sends the payment again:
        # its sequence number started over.
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            again = _fee_paid(kiosk, card, "3.00", bk=bk, seq=1)
            assert again.fixed["payment_accepted"] == "Y"
            assert again.get("BK") == bk
        assert _open_balances(library, card) == [500]  # on main: [200]
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            if bk is not None:
                # The same transaction id for another payment is refused, not replayed.
                reused = _fee_paid(kiosk, card, "2.00", bk=bk, seq=2)
                assert reused.fixed["payment_accepted"] == "N"
                assert list(reused.get_all("AF")) == [
                    render("circ.idempotency_mismatch", "en", {"operation": "pay_fees"})
                ]
            # A new payment (another transaction id, or another time) is paid.
            later = "20260901    093500"
            paid = _fee_paid(kiosk, card, "2.00", bk=None if bk is None else "PAY-7732",
                             seq=3, td=later)  # fmt: skip
            assert paid.fixed["payment_accepted"] == "Y"
    assert _open_balances(library, card) == [300]


def test_a_payment_over_several_fees_applies_whole_or_not_at_all(library: KioskLibrary) -> None:
    card = library.reader("整付")
    library.services.fees.charge(card, "damaged", 300, "a")
    library.services.fees.charge(card, "manual", 500, "b")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        too_much = _fee_paid(kiosk, card, "9.00", bk="PAY-1", seq=1)
        assert too_much.fixed["payment_accepted"] == "N"
        assert _open_balances(library, card) == [300, 500]  # nothing paid in part
        both = _fee_paid(kiosk, card, "8.00", bk="PAY-2", seq=2)
        assert both.fixed["payment_accepted"] == "Y"
    assert _open_balances(library, card) == []


def test_a_checkout_resent_after_a_reconnect_and_a_cancel_then_a_new_one(
    library: KioskLibrary,
) -> None:
    (barcode,) = library.title("倾城之恋")
    card = library.reader("流苏")
    circulation = library.services.circulation
    with live_sip2(library.services) as server:
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            first = checkout(kiosk, card, barcode, seq=7)
        with Kiosk(server.port) as kiosk:  # another sequence number after the reconnect
            kiosk.login()
            assert checkout(kiosk, card, barcode, seq=0) == first  # on main: ok 0
            (loan,) = circulation.loans_of(card)
            fixed = {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": TD,
                     "nb_due_date": " " * 18}  # fmt: skip
            fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", ""),
                      ("AD", PIN), ("BI", "Y")]  # fmt: skip
            assert kiosk.ask("11", fixed, fields).fixed["ok"] == "1"  # cancelled
            # The same checkout again, in the same second: a new loan, not the old answer.
            redo = checkout(kiosk, card, barcode)
            assert redo.fixed["ok"] == "1"
            (new_loan,) = circulation.loans_of(card)
            assert new_loan.id != loan.id


def test_a_stored_key_gives_away_no_pin(library: KioskLibrary, services: Services) -> None:
    """Keys were an unsalted SHA-256 of the raw message: a PIN came back in 1.7 s."""
    (barcode,) = library.title("密码")
    card = services.readers.register(name="弱密码", category="adult", pin=WEAK_PIN).reader
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert checkout(kiosk, card.card_number, barcode, pin=WEAK_PIN, seq=3).fixed["ok"] == "1"
        with services.db.read() as conn:
            stored = set(conn.execute(select(idempotency_keys.c.key)).scalars())

        def candidates() -> set[str]:
            """Every key the old scheme could have stored, one per possible 4-digit PIN."""
            made = set()
            for n in range(10000):
                fields = [("AO", INSTITUTION), ("AA", card.card_number), ("AB", barcode),
                          ("AC", ""), ("AD", f"{n:04d}")]  # fmt: skip
                fixed = {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": TD,
                         "nb_due_date": " " * 18}  # fmt: skip
                body = kiosk.wire("11", fixed, fields, 3).rstrip(b"\r")
                made.add(hashlib.sha256(body).hexdigest())
            return made

        guesses = candidates()
    assert len(stored) == 1
    # The old scheme stored "sip2:<terminal>:" and the first 40 hex digits of the digest.
    assert not any(guess[:40] in key for key in stored for guess in guesses)
    # The key is an HMAC under a secret of the data folder that only the server may read.
    secret = services.settings.data_dir / "keys" / "idempotency_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700


def test_keys_are_purged_after_the_retention_window(
    library: KioskLibrary, services: Services, clock: FrozenClock
) -> None:
    (barcode,) = library.title("旧账")
    card = library.reader("清理")
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
    with services.db.write() as conn:  # a migrated loan's row: not a request, kept for ever
        conn.execute(
            insert(idempotency_keys).values(
                key="migrate-in:loan:1", operation="migrate_in_loan", result="{}",
                created_at=clock.now(),
            )
        )  # fmt: skip
    days = services.settings.idempotency_retention_days
    clock.advance(timedelta(days=days) - timedelta(minutes=1))
    scheduler = Runtime(services).scheduler()
    scheduler.run_due()
    assert _operations(services) == ["checkout", "migrate_in_loan"]  # not yet
    clock.advance(timedelta(hours=1))
    assert "retention" in scheduler.run_due()
    assert _operations(services) == ["migrate_in_loan"]
    with services.db.read() as conn:
        detail = (
            conn.execute(
                select(job_runs.c.detail)
                .where(job_runs.c.job == "retention")
                .order_by(job_runs.c.slot.desc())
            )
            .scalars()
            .first()
        )
    assert detail is not None
    assert "idempotency keys 1," in detail


def _operations(services: Services) -> list[str]:
    with services.db.read() as conn:
        return sorted(conn.execute(text("SELECT operation FROM idempotency_keys")).scalars())
