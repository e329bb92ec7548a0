"""Storms on acquisitions: orders racing for one fund; receiving racing hold cancellations."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text

from acquisitions.conftest import BUDGET
from shelfwise.acquisitions.models import LineDraft
from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.wishes.models import WishStatus
from wishes.test_wish_storms import _storm
from wishes.wish_helpers import STAFF, WishLibrary

STAFF_AT_ONCE = 16


def test_16_staff_ordering_against_one_fund_never_overcommit_it(lib: WishLibrary) -> None:
    acq = lib.services.acquisitions
    record_id = lib.title("平凡的世界", "9787020049295")
    price = BUDGET // 10  # the fund has room for exactly 10 of the 16 orders

    def order(n: int) -> object:
        draft = LineDraft("BOOKS", "CEN", price, record_id=record_id)
        return lambda: acq.order("XH", [draft], actor=STAFF, by=f"staff{n}")

    outcomes = _storm([order(n) for n in range(STAFF_AT_ONCE)])
    assert outcomes == Counter({"ok": 10, "acq.fund_exhausted": STAFF_AT_ONCE - 10})
    (fund,) = acq.funds()
    assert fund.committed_cents == 10 * price
    assert fund.available_cents == 0
    assert lib.count("SELECT count(*) FROM order_lines") == 10
    assert lib.count("SELECT count(*) FROM orders") == 10  # a refused order left nothing


def _hold_violations(lib: WishLibrary) -> list[str]:
    with lib.services.db.read() as conn:
        closed_trapping = conn.execute(
            text(
                "SELECT count(*) FROM holds WHERE status NOT IN ('in_transit', 'ready') "
                "AND trapped_item_id IS NOT NULL"
            )
        ).scalar_one()
        trapped_twice = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT trapped_item_id FROM holds WHERE status IN "
                "('in_transit', 'ready') GROUP BY trapped_item_id HAVING count(*) > 1) t"
            )
        ).scalar_one()
    found = []
    if closed_trapping:
        found.append(f"{closed_trapping} closed holds still trap a copy (orphans)")
    if trapped_twice:
        found.append(f"{trapped_twice} copies trapped for several holds")
    return found


def test_receiving_racing_hold_cancellations_leaves_no_orphan_and_loses_no_hold(
    lib: WishLibrary,
) -> None:
    """Readers wait on the wished-for book (the wisher, supporters who asked, readers who
    pressed the hold button on the record "on order") while some of them cancel just as
    the copy is received and put in service."""
    wishes, acq, circ = lib.services.wishes, lib.services.acquisitions, lib.services.circulation
    wisher = lib.reader()
    wish_id = lib.post(wisher, "白鹿原", isbn="9787020090006")
    fans = [lib.reader() for _ in range(4)]
    for fan in fans:
        wishes.support(wish_id, actor=reader_self(fan.card_number), wants_hold=True)
    wishes.move(wish_id, WishStatus.ACCEPTED, actor=STAFF)
    wish = wishes.get(wish_id)
    from shelfwise.acquisitions.models import Brief

    order = acq.order(
        "XH",
        [
            LineDraft(
                "BOOKS", "CEN", 3_000, brief=Brief(wish.title, isbn=wish.isbn), wish_id=wish_id
            )
        ],
        actor=STAFF,
        by="staff",
    )
    lib.deliver()
    (line,) = order.lines
    early = [lib.reader() for _ in range(4)]  # holds on the record while it is on order
    placed = [circ.place_hold(r.card_number, line.record_id, "CEN", actor=SYSTEM) for r in early]
    acq.receive(line.barcodes[0], "CEN", actor=STAFF)

    def arrive() -> None:
        acq.put_in_service(line.barcodes[0], actor=STAFF)
        lib.deliver()

    cancels = [lambda h=h: circ.cancel_hold(h.id, actor=SYSTEM) for h in placed[:3]]
    outcomes = _storm([arrive, *cancels])
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    lib.deliver()
    assert _hold_violations(lib) == []
    holds = circ.holds_of(wisher.card_number) + [
        h for f in fans for h in circ.holds_of(f.card_number)
    ]
    active = [h for h in holds if str(h.status) in ("waiting", "in_transit", "ready")]
    # Every wanted hold exists (none lost): the wisher and each supporter who asked.
    assert len(active) == 1 + len(fans)
    # The copy went to exactly one active hold, the first in the title's queue left.
    with lib.services.db.read() as conn:
        ready = (
            conn.execute(
                text("SELECT id FROM holds WHERE status = 'ready' AND record_id = :r"),
                {"r": line.record_id},
            )
            .scalars()
            .all()
        )
        first_active = conn.execute(
            text(
                "SELECT min(id) FROM holds WHERE record_id = :r AND status IN "
                "('waiting', 'in_transit', 'ready')"
            ),
            {"r": line.record_id},
        ).scalar_one()
    # The copy went to the first hold left in the title's queue, or, when that hold was
    # cancelled after the copy was trapped for it, the copy is free and the next
    # check-in gives it to the next hold: nothing is lost either way.
    assert ready in ([first_active], [])
    if not ready:
        circ.checkin(line.barcodes[0], "CEN", actor=SYSTEM)
        assert str(circ.get_hold(first_active, actor=SYSTEM).status) == "ready"
    assert wishes.get(wish_id).status is WishStatus.FULFILLED
