"""Issue 12 item 3: branch scope is decided once, in circulation (``circulation/scope.py``),
for every operation and every kind of actor; the doors only pass who is asking."""

from __future__ import annotations

import pytest
from circ_helpers import LendingLibrary

from shelfwise.access.models import Principal
from shelfwise.circulation.scope import SYSTEM, Acting, authorise, reader_self, terminal_at
from shelfwise.core.errors import ShelfwiseError


def desk(*branches: str) -> Principal:
    return Principal(kind="staff", id=1, name="desk", role="desk", branches=branches)


def refused(code: str, call: object) -> None:
    assert callable(call)
    with pytest.raises(ShelfwiseError) as caught:
        call()
    assert caught.value.code == code


def test_the_rule_for_each_kind_of_actor() -> None:
    authorise(SYSTEM, at=["CEN"], everywhere=True, desk_only=True)
    authorise(desk(), at=["CEN", "BR1"], everywhere=True)  # bound to no branch
    authorise(desk("CEN"), at=["CEN"], reader_card="anyone")
    refused("access.branch_forbidden", lambda: authorise(desk("CEN"), at=["CEN", "BR1"]))
    refused("access.network_forbidden", lambda: authorise(desk("CEN"), everywhere=True))
    authorise(terminal_at("K01"), at=["K01"], desk_only=True)
    refused("access.branch_forbidden", lambda: authorise(terminal_at("K01"), at=["CEN"]))
    authorise(reader_self("SW1"), at=["BR1"], reader_card="SW1")  # any pickup branch
    refused("access.not_yours", lambda: authorise(reader_self("SW1"), reader_card="SW2"))
    refused("access.not_yours", lambda: authorise(reader_self("SW1"), reader_card=None))
    refused(
        "access.not_yours",
        lambda: authorise(reader_self("SW1"), at=["CEN"], reader_card="SW1", desk_only=True),
    )
    refused("access.not_yours", lambda: authorise(Acting("robot", ("CEN",)), at=["CEN"]))


def test_every_operation_asks_the_same_question(library: LendingLibrary) -> None:
    services = library.services
    circ = services.circulation
    record, (lent, spare, other) = library.title("馆藏", copies=3)
    reader = library.reader("读者").card_number
    br1 = desk("BR1")
    circ.checkout(reader, lent, "CEN", actor=SYSTEM)
    refused("access.branch_forbidden", lambda: circ.checkout(reader, spare, "CEN", actor=br1))
    refused("access.branch_forbidden", lambda: circ.checkin(lent, "CEN", actor=br1))
    refused("access.branch_forbidden", lambda: circ.declare_lost(lent, actor=br1))
    refused("access.branch_forbidden", lambda: circ.renew(reader, lent, actor=br1))
    refused("access.branch_forbidden", lambda: circ.renew(reader, lent, actor=br1, branch="CEN"))
    # At its own branch the same account works: a reader's loan renewed at the BR1 desk.
    assert circ.renew(reader, lent, actor=br1, branch="BR1").renewals == 1
    refused("access.branch_forbidden", lambda: circ.pull_list("CEN", actor=br1))
    refused("access.branch_forbidden", lambda: circ.hold_shelf("CEN", actor=br1))
    holder = library.reader("预约者").card_number  # not the borrower: no hold on one's own loan
    refused("access.branch_forbidden", lambda: circ.place_hold(holder, record, "CEN", actor=br1))
    hold = circ.place_hold(holder, record, "CEN", actor=SYSTEM)
    refused("access.branch_forbidden", lambda: circ.cancel_hold(hold.id, actor=br1))
    refused("access.branch_forbidden", lambda: circ.change_pickup(hold.id, "BR1", actor=br1))
    # Moving a hold needs both ends: a CEN desk cannot send it to BR1's shelf either.
    refused(
        "access.branch_forbidden", lambda: circ.change_pickup(hold.id, "BR1", actor=desk("CEN"))
    )
    assert circ.get_hold(hold.id, actor=br1).id == hold.id  # reading a reader's hold: any desk
    refused(
        "access.not_yours", lambda: circ.checkout(reader, other, "CEN", actor=reader_self(reader))
    )
    refused("access.not_yours", lambda: circ.cancel_hold(hold.id, actor=reader_self("SW-someone")))
    assert circ.cancel_hold(hold.id, actor=reader_self(holder)).status == "cancelled"


def test_rules_and_calendars_are_scoped_by_their_branch(library: LendingLibrary) -> None:
    br1 = Principal(kind="staff", id=1, name="admin", role="admin", branches=("BR1",))
    refused(
        "access.network_forbidden",
        lambda: library.services.loan_rules.set_rule(
            reader_category=None, item_type=None, branch=None, values={}, actor=br1
        ),
    )
    cen = library.services.loan_rules.set_rule(
        reader_category=None, item_type="dvd", branch="CEN", values={}, actor=SYSTEM
    )
    refused(
        "access.branch_forbidden",
        lambda: library.services.loan_rules.delete_rule(cen.id or 0, actor=br1),
    )
    own = library.services.loan_rules.set_rule(
        reader_category=None, item_type="dvd", branch="BR1", values={}, actor=br1
    )
    library.services.loan_rules.delete_rule(own.id or 0, actor=br1)
    refused(
        "access.branch_forbidden",
        lambda: library.services.calendars.set_calendar(
            "CEN", closed_weekdays=[0], closed_days=[], actor=br1
        ),
    )
    assert library.services.calendars.set_calendar(
        "BR1", closed_weekdays=[0], closed_days=[], actor=br1
    )
