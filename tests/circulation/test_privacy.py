"""Privacy with a canary reader (P1, P2, P5, P6, P9, P13).

The canary has a unique name, e-mail, phone, identity-card number, PIN and
password. Their export must hold every data class; after deletion none of
those strings may appear anywhere in a dump of the whole database, and no log
line written during the test may hold the PIN, password or identity-card number.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from circ_helpers import LendingLibrary
from sqlalchemy import MetaData, select, text

from shelfwise.circulation.notices import SmtpChannel
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.runtime import Runtime

NAME = "金丝雀Zq8x"
EMAIL = "canary.zq8x@example.org"
PHONE = "13907310042"
ID_CARD = "44030019900101731X"
PIN = "7391"
PASSWORD = "canary-Pw-Zq8x"


class _Sent:
    name = "email"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


CATALOGUE = {"records", "sources", "record_isbns", "record_classes"}


def _dump(library: LendingLibrary, *, skip: frozenset[str] = frozenset()) -> str:
    meta = MetaData()
    meta.reflect(library.services.db.engine)
    parts: list[str] = []
    with library.services.db.read() as conn:
        for table in meta.sorted_tables:
            if table.name in skip:
                continue
            for row in conn.execute(select(table)):
                parts.extend(repr(v) for v in row)
    return "\n".join(parts)


def test_reading_history_is_cut_at_checkin_unless_opted_in(library: LendingLibrary) -> None:
    circ = library.services.circulation
    _, (b1, b2) = library.title(copies=2)
    reader = library.reader()
    circ.checkout(reader.card_number, b1, "CEN", actor=SYSTEM)
    circ.checkin(b1, "CEN", actor=SYSTEM)
    with library.services.db.read() as conn:
        linked = conn.execute(
            text("SELECT count(*) FROM loans WHERE reader_id = :r AND returned_at IS NOT NULL"),
            {"r": reader.id},
        ).scalar_one()
    assert linked == 0
    library.services.readers.set_consent(reader.card_number, "reading_history", True)
    circ.checkout(reader.card_number, b2, "CEN", actor=SYSTEM)
    circ.checkin(b2, "CEN", actor=SYSTEM)
    assert [loan.barcode for loan in circ.history_of(reader.card_number)] == [b2]


def test_canary_export_then_deletion_leaves_no_trace(
    library: LendingLibrary, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    services, circ = library.services, library.services.circulation
    channel = _Sent()
    services.notice_channel = channel
    canary = services.readers.register(
        name=NAME,
        category="adult",
        email=EMAIL,
        phone=PHONE,
        id_card=ID_CARD,
        pin=PIN,
        password=PASSWORD,
        home_branch="CEN",
    ).reader
    services.readers.authenticate(canary.card_number, PIN)
    services.readers.set_consent(canary.card_number, "reading_history", True)
    _, (b1, b2) = library.title(copies=2)
    other_record, (b3,) = library.title()
    other = library.reader("别人")
    circ.checkout(canary.card_number, b1, "CEN", actor=SYSTEM)
    circ.checkout(other.card_number, b3, "CEN", actor=SYSTEM)
    circ.place_hold(canary.card_number, other_record, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=40))
    circ.checkin(b1, "CEN", actor=SYSTEM)  # late: an overdue fine
    circ.checkin(b3, "CEN", actor=SYSTEM)  # traps the canary's hold: a notice
    Runtime(services).outbox_relay().drain()
    assert [to for to, _, _ in channel.sent] == [EMAIL]
    circ.checkout(canary.card_number, b2, "CEN", actor=SYSTEM)
    deposit = services.deposits.take(canary.card_number, 10000, "wechat", f"receipt for {NAME}")

    exported = library.services.reader_rights.export(canary.card_number)
    assert exported["profile"]["name"] == NAME
    assert exported["profile"]["id_card_last4"] == ID_CARD[-4:]
    assert {"profile", "consents", "loans", "holds", "fees", "notices", "deposits"} <= set(exported)
    assert [d["amount_cents"] for d in exported["deposits"]] == [10000]
    assert {loan["barcode"] for loan in exported["loans"]} == {b1, b2}
    assert [h["record_id"] for h in exported["holds"]] == [other_record]
    assert [f["kind"] for f in exported["fees"]] == ["overdue"]
    assert [n["kind"] for n in exported["notices"]] == ["hold_ready"]
    assert len(exported["consents"]) == 2
    assert b3 not in repr(exported)  # no other reader's data
    assert ID_CARD not in repr(exported)
    assert PIN not in repr(exported)

    with pytest.raises(ShelfwiseError) as loans_open:
        library.services.reader_rights.erase(canary.card_number)
    assert loans_open.value.code == "circ.reader_has_loans"
    circ.checkin(b2, "CEN", actor=SYSTEM)
    with pytest.raises(ShelfwiseError) as fees_open:
        library.services.reader_rights.erase(canary.card_number)
    assert fees_open.value.code == "circ.reader_has_fees"
    (fee,) = library.services.fees.fees_of(canary.card_number)
    library.services.fees.pay(fee.id, fee.balance_cents)
    with pytest.raises(ShelfwiseError) as deposit_held:
        library.services.reader_rights.erase(canary.card_number)
    assert deposit_held.value.code == "circ.reader_has_deposit"
    services.deposits.refund(deposit.id)

    with services.db.read() as conn:
        loans_before = conn.execute(text("SELECT count(*) FROM loans")).scalar_one()
    library.services.reader_rights.erase(canary.card_number)

    dump = _dump(library)
    for secret in (NAME, EMAIL, PHONE, ID_CARD, canary.card_number, PASSWORD):
        assert secret not in dump, secret
    # P9: no identity-card number at all outside bibliographic data (MARC holds long digit runs).
    people = _dump(library, skip=frozenset(CATALOGUE))
    assert re.search(r"(?<!\d)\d{17}[\dX](?!\d)", people) is None
    with services.db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM loans")).scalar_one() == loans_before
        assert conn.execute(text("SELECT loans FROM reader_deletions")).scalar_one() == 2
    with pytest.raises(ShelfwiseError):
        services.readers.get(canary.card_number)

    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (PIN, PASSWORD, ID_CARD, NAME, EMAIL):
        assert secret not in logged


def test_smtp_channel_is_the_default(library: LendingLibrary) -> None:
    handlers = Runtime(library.services).outbox_handlers()
    assert "circulation.notice" in handlers
    assert isinstance(SmtpChannel("h", 25, "s"), SmtpChannel)
