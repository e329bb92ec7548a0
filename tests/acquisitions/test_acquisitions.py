"""Acquisitions through the real services on both engines: funds, orders, receiving,
invoices, and a book wish that arrives as a hold for its wisher."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from acquisitions.conftest import BUDGET
from shelfwise.acquisitions import models as acq_models
from shelfwise.acquisitions.models import Brief, LineDraft, yuan
from shelfwise.acquisitions.service import shares
from shelfwise.catalogue.models import Lifecycle
from shelfwise.circulation.scope import reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes import models as wish_models
from shelfwise.wishes.models import WishStatus
from wishes.wish_helpers import STAFF, WishLibrary


def _fund(lib: WishLibrary) -> tuple[int, int, int]:
    (fund,) = lib.services.acquisitions.funds()
    return fund.allocated_cents, fund.committed_cents, fund.spent_cents


def test_the_topics_both_sides_name_agree() -> None:
    for name in ("LINE_ORDERED", "LINE_RECEIVED", "ITEM_IN_SERVICE"):
        assert getattr(acq_models, name) == getattr(wish_models, name)


def test_money_is_kept_in_fen_and_shown_in_yuan() -> None:
    assert (yuan(12345), yuan(5), yuan(100_000_000)) == ("123.45", "0.05", "1,000,000.00")


def test_an_order_commits_receiving_spends_and_the_invoice_closes(lib: WishLibrary) -> None:
    acq = lib.services.acquisitions
    record_id = lib.title("活着", "9787506365437")
    order = acq.order(
        "XH",
        [LineDraft("BOOKS", "CEN", 2_850, quantity=2, record_id=record_id)],
        actor=STAFF,
        by="staff1",
    )
    (line,) = order.lines
    assert _fund(lib) == (BUDGET, 5_700, 0)
    items = lib.services.catalogue.items_of(record_id)
    assert sorted(i.lifecycle for i in items) == [Lifecycle.ON_ORDER] * 2
    assert acq.on_order(record_id) == 2
    got = acq.receive("978-7-5063-6543-7", "CEN", actor=STAFF)  # scanned ISBN
    assert got.barcode == line.barcodes[0]
    assert lib.services.catalogue.get_item(got.barcode).lifecycle is Lifecycle.IN_PROCESSING
    assert _fund(lib) == (BUDGET, 2_850, 2_850)
    closed = acq.invoice(order.id, "INV-1", 2_850, actor=STAFF)
    assert closed.status == "closed"
    assert closed.lines[0].status == "cancelled"
    assert _fund(lib) == (BUDGET, 0, 2_850)  # the copy never delivered is released
    assert lib.services.catalogue.get_item(line.barcodes[1]).lifecycle is Lifecycle.WITHDRAWN
    with pytest.raises(ShelfwiseError) as again:
        acq.invoice(order.id, "INV-1", 2_850, actor=STAFF)
    assert again.value.code == "acq.order_closed"


def test_a_fund_is_never_overcommitted_and_a_refused_order_leaves_nothing(
    lib: WishLibrary,
) -> None:
    acq = lib.services.acquisitions
    record_id = lib.title("围城", "9787020024759")
    with pytest.raises(ShelfwiseError) as exc:
        acq.order(
            "XH",
            [LineDraft("BOOKS", "CEN", BUDGET // 2 + 1, quantity=2, record_id=record_id)],
            actor=STAFF,
            by="staff1",
        )
    assert exc.value.code == "acq.fund_exhausted"
    assert "1000.00 yuan available" in exc.value.message("en")
    assert lib.count("SELECT count(*) FROM orders") == 0
    assert _fund(lib) == (BUDGET, 0, 0)
    # The constraint stands behind the service.
    with pytest.raises(IntegrityError), lib.services.db.write() as conn:
        conn.execute(text(f"UPDATE funds SET committed_cents = {BUDGET + 1}"))
    with pytest.raises(IntegrityError), lib.services.db.write() as conn:
        conn.execute(text("UPDATE funds SET spent_cents = -1"))


def test_bad_orders_are_refused_clearly(lib: WishLibrary) -> None:
    acq = lib.services.acquisitions
    record_id = lib.title("家", "9787020024766")
    cases = [
        (LineDraft("BOOKS", "CEN", 100, quantity=0, record_id=record_id), "acq.amount_invalid"),
        (LineDraft("BOOKS", "CEN", -1, record_id=record_id), "acq.amount_invalid"),
        (LineDraft("NOPE", "CEN", 100, record_id=record_id), "acq.unknown_fund"),
        (LineDraft("BOOKS", "CEN", 100), "acq.record_required"),
    ]
    for draft, code in cases:
        with pytest.raises(ShelfwiseError) as exc:
            acq.order("XH", [draft], actor=STAFF, by="s")
        assert exc.value.code == code
    with pytest.raises(ShelfwiseError) as vendor:
        acq.order(
            "ZZ",
            [cases[0][0].__class__("BOOKS", "CEN", 1, record_id=record_id)],
            actor=STAFF,
            by="s",
        )
    assert vendor.value.code == "acq.unknown_vendor"
    assert lib.count("SELECT count(*) FROM order_lines") == 0
    with pytest.raises(ShelfwiseError) as nothing:
        acq.receive("9787020024766", "CEN", actor=STAFF)
    assert nothing.value.code == "acq.nothing_to_receive"


def test_an_invoice_shares_its_difference_among_the_funds_that_paid(lib: WishLibrary) -> None:
    """Two lines paid from two funds; the invoice says 1.00 yuan more than the copies'
    prices: each fund carries its share (3:1 here), not the first line's fund alone."""
    acq = lib.services.acquisitions
    year = lib.services.clock.today().year
    acq.save_fund("KIDS", year, "CEN", "少儿图书", BUDGET, actor=STAFF)
    one, two = lib.title("草房子", "9787534656713"), lib.title("城南旧事", "9787020090006")
    order = acq.order(
        "XH",
        [
            LineDraft("BOOKS", "CEN", 3_000, record_id=one),
            LineDraft("KIDS", "CEN", 1_000, record_id=two),
        ],
        actor=STAFF,
        by="s",
    )
    for line in order.lines:
        acq.receive(line.barcodes[0], "CEN", actor=STAFF)
    acq.invoice(order.id, "INV-2", 4_100, actor=STAFF)
    spent = {f.code: f.spent_cents for f in acq.funds()}
    assert spent == {"BOOKS": 3_075, "KIDS": 1_025}
    assert sum(f.committed_cents for f in acq.funds()) == 0


@given(
    amount=st.integers(-(10**9), 10**9),
    weights=st.dictionaries(st.integers(1, 50), st.integers(0, 10**7), min_size=1, max_size=6),
)
def test_shares_add_up_and_follow_the_weights(amount: int, weights: dict[int, int]) -> None:
    got = shares(amount, weights)
    assert sum(got.values()) == amount
    assert set(got) <= set(weights)
    total = sum(weights.values())
    for key, part in got.items():
        exact = amount * weights[key] / total if total else amount / len(weights)
        assert abs(part - exact) < 1  # never off by a whole fen


def _order_the_wish(lib: WishLibrary, wish_id: int) -> int:
    """What the staff page's two clicks do: accept, then order with a brief record."""
    wish = lib.services.wishes.get(wish_id)
    if wish.status is not WishStatus.ACCEPTED:
        lib.services.wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF, note="已订购")
    brief = Brief(wish.title, wish.author, wish.isbn)
    draft = LineDraft("BOOKS", "CEN", 4_500, brief=brief, wish_id=wish_id)
    order = lib.services.acquisitions.order("XH", [draft], actor=STAFF, by="staff1")
    return order.id


def test_a_book_wish_arrives_as_a_hold_for_the_wisher_and_the_supporters_who_asked(
    lib: WishLibrary,
) -> None:
    wisher, fan, quiet = lib.reader(), lib.reader(), lib.reader()
    wishes, acq = lib.services.wishes, lib.services.acquisitions
    wish_id = lib.post(wisher, "球状闪电", author="刘慈欣", isbn="9787536692350")
    wishes.support(wish_id, actor=reader_self(fan.card_number), notify=True, wants_hold=True)
    wishes.support(wish_id, actor=reader_self(quiet.card_number))
    order_id = _order_the_wish(lib, wish_id)
    lib.deliver()
    wish = wishes.get(wish_id)
    assert wish.status is WishStatus.ORDERED
    assert wish.record_id is not None
    assert lib.services.catalogue.get_record(wish.record_id).title.startswith("球状闪电")
    (line,) = acq.get_order(order_id).lines
    got = acq.receive(line.barcodes[0], "CEN", actor=STAFF)
    lib.deliver()
    assert wishes.get(wish_id).status is WishStatus.RECEIVED
    acq.put_in_service(got.barcode, actor=STAFF)
    lib.deliver()
    lib.deliver()  # the hold-ready notice the check-in wrote
    assert wishes.get(wish_id).status is WishStatus.FULFILLED
    circ = lib.services.circulation
    (first,) = circ.holds_of(wisher.card_number)
    (second,) = circ.holds_of(fan.card_number)
    assert circ.holds_of(quiet.card_number) == []
    assert (str(first.status), str(second.status)) == ("ready", "waiting")
    assert first.id < second.id  # in wish order: the wisher first
    kinds = [h.kind for h in wishes.history(wish_id, public_only=False)]
    assert kinds.count("hold_placed") == 2
    told = [m[0] for m in lib.channel.sent]
    assert told.count(str(wisher.email)) >= 4  # accepted, ordered, received, hold, fulfilled...
    assert any("预约" in m[2] or "hold" in m[2].lower() for m in lib.channel.sent)


def test_a_refused_hold_is_kept_on_the_wish_and_the_reader_told(lib: WishLibrary) -> None:
    wisher = lib.reader()
    wishes, acq = lib.services.wishes, lib.services.acquisitions
    wish_id = lib.post(wisher, "三体Ⅱ", isbn="9787536693968")
    order_id = _order_the_wish(lib, wish_id)
    lib.services.readers.block(wisher.card_number, "证件待核实")
    (line,) = acq.get_order(order_id).lines
    acq.receive(line.barcodes[0], "CEN", actor=STAFF)
    acq.put_in_service(line.barcodes[0], actor=STAFF)
    lib.deliver()
    assert lib.services.circulation.holds_of(wisher.card_number) == []
    (refused,) = [h for h in wishes.history(wish_id, public_only=False) if h.kind == "hold_refused"]
    assert refused.note
    assert refused.note.startswith("circ.")
    assert any("No hold could be placed" in m[2] for m in lib.channel.sent if m[0] == wisher.email)
    assert wishes.get(wish_id).status is WishStatus.FULFILLED


def test_a_hold_the_wisher_placed_while_on_order_is_no_refusal(lib: WishLibrary) -> None:
    """The record shows 'on order' with a hold button: a wisher who used it is told the
    hold is there when the copy arrives, not that a hold was refused."""
    wisher = lib.reader()
    wishes, acq = lib.services.wishes, lib.services.acquisitions
    wish_id = lib.post(wisher, "白鹿原", isbn="9787531714255")
    order_id = _order_the_wish(lib, wish_id)
    lib.deliver()
    record_id = wishes.get(wish_id).record_id
    assert record_id is not None
    lib.services.circulation.place_hold(
        wisher.card_number, record_id, "CEN", actor=reader_self(wisher.card_number)
    )
    (line,) = acq.get_order(order_id).lines
    acq.receive(line.barcodes[0], "CEN", actor=STAFF)
    acq.put_in_service(line.barcodes[0], actor=STAFF)
    lib.deliver()
    lib.deliver()
    kinds = [h.kind for h in wishes.history(wish_id, public_only=False)]
    assert "hold_refused" not in kinds
    assert kinds.count("hold_placed") == 1
    assert not any("No hold could be placed" in m[2] for m in lib.channel.sent)
    (hold,) = lib.services.circulation.holds_of(wisher.card_number)
    assert str(hold.status) == "ready"


def test_an_event_wish_is_answered_by_a_published_event(lib: WishLibrary) -> None:
    from shelfwise.storage.outbox import enqueue
    from shelfwise.wishes.models import EVENT_PUBLISHED, WishKind

    wish_id = lib.post(lib.reader(), "亲子阅读会", kind=WishKind.EVENT)
    with lib.services.db.write() as conn:  # what the events domain will write
        enqueue(
            conn,
            lib.services.clock,
            EVENT_PUBLISHED,
            {"event_id": 7, "wish_ref": wish_id, "starts_at": "2026-10-01T02:00:00+00:00"},
        )
    lib.deliver()
    wish = lib.services.wishes.get(wish_id)
    assert wish.status is WishStatus.FULFILLED
    assert wish.answer == "event 7 2026-10-01T02:00:00+00:00"


def test_an_event_the_events_domain_publishes_for_a_wish_answers_it(lib: WishLibrary) -> None:
    """The contract with the real events domain: its events.published with a wish_ref."""
    from datetime import timedelta

    from shelfwise.circulation.scope import SYSTEM
    from shelfwise.events.models import NewEvent
    from shelfwise.wishes.models import WishKind

    wish_id = lib.post(lib.reader(), "家长读书会", kind=WishKind.EVENT)
    now = lib.services.clock.now()
    start = now + timedelta(days=3)
    new = NewEvent(
        branch="CEN",
        kind="lecture",
        title="家长读书会",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=30,
        registration_opens_at=now,
        registration_closes_at=start,
        wish_ref=wish_id,
    )
    event = lib.services.events.create(new, actor=SYSTEM)
    lib.deliver()
    wish = lib.services.wishes.get(wish_id)
    assert wish.status is WishStatus.FULFILLED
    assert wish.answer is not None
    assert wish.answer.startswith(f"event {event.id} ")
