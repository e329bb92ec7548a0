"""What a reader sees on their account pages: each loan with its title and due date, each
hold with its title, queue position or collection date and pickup branch, each fee with its
amount — checked row by row against a state the test makes, in English (the other three
page languages are checked by test_i18n.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import lxml.html
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.service import CirculationService
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.storage.tables import branches, items, readers
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

CSRF = re.compile(r'name="csrf" value="([^"]+)"')

MONTHS = "January February March April May June July August September October November December"


def english_date(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Copy:
    barcode: str
    record_id: int
    branch: str


def _single_copies(services: Services, n: int) -> list[Copy]:
    """Copies that are the only copy of their record and are on the shelf."""
    on_loan = {
        loan.item_id
        for card in _all_cards(services)
        for loan in services.circulation.loans_of(card)
    }
    with services.db.read() as conn:
        only = (
            select(items.c.record_id)
            .group_by(items.c.record_id)
            .having(func.count() == 1)
            .scalar_subquery()
        )
        rows = conn.execute(
            select(items.c.id, items.c.barcode, items.c.record_id, branches.c.code)
            .join(branches, branches.c.id == items.c.home_branch_id)
            .where(items.c.lifecycle == "in_service", items.c.record_id.in_(only))
            .order_by(items.c.id.desc())
        ).all()
    copies = [Copy(r.barcode, r.record_id, r.code) for r in rows if r.id not in on_loan]
    assert len(copies) >= n
    return copies[:n]


def _all_cards(services: Services) -> list[str]:
    with services.db.read() as conn:
        return list(conn.execute(select(readers.c.card_number)).scalars())


def _find(html: str, xpath: str) -> list[Any]:
    found = lxml.html.fromstring(html).xpath(xpath)
    assert isinstance(found, list)
    return found


def _text(element: Any) -> str:
    return " ".join(str(element.text_content()).split())


def _rows(html: str) -> list[str]:
    return [_text(li) for li in _find(html, '//li[@class="row"]')]


def _row_with(rows: list[str], title: str) -> str:
    found = [row for row in rows if title in row]
    assert len(found) == 1, (title, rows)
    return found[0]


def _title(services: Services, record_id: int) -> str:
    return " ".join(services.catalogue.get_record(record_id).title.split())


def test_account_pages_show_loans_holds_and_fees(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    me = services.readers.register(
        name="Kim Ye-jin", category="adult", pin="2468"
    ).reader.card_number
    # Demo readers may have overdue loans, which stop new loans (circ.overdue_loans).
    other = services.readers.register(name="Lee Min-ho", category="adult").reader.card_number
    third = demo[1]
    loan_now, loan_old, held, ready = _single_copies(services, 4)
    today = services.clock.now().date()
    # One loan made today, one made 45 days ago (so overdue), through the service.
    services.circulation.checkout(me, loan_now.barcode, loan_now.branch, actor=SYSTEM)
    past = FrozenClock(services.clock.now() - timedelta(days=45))
    CirculationService(services.db, past, services.circulation.policy).checkout(
        me, loan_old.barcode, loan_old.branch, actor=SYSTEM
    )
    # A hold second in the queue behind another reader, on a copy someone has out.
    services.circulation.checkout(other, held.barcode, held.branch, actor=SYSTEM)
    services.circulation.place_hold(third, held.record_id, held.branch, actor=SYSTEM)
    services.circulation.place_hold(me, held.record_id, "CEN", actor=SYSTEM)
    # A hold that is ready: its copy comes back at the pickup branch and is trapped for me.
    services.circulation.checkout(other, ready.barcode, ready.branch, actor=SYSTEM)
    services.circulation.place_hold(me, ready.record_id, ready.branch, actor=SYSTEM)
    services.circulation.checkin(ready.barcode, ready.branch, actor=SYSTEM)
    services.fees.charge(me, "damaged", 1250, "water damage")

    loans = {loan.barcode: loan for loan in services.circulation.loans_of(me)}
    holds = {h.record_id: h for h in services.circulation.holds_of(me)}
    assert set(loans) == {loan_now.barcode, loan_old.barcode}
    assert holds[held.record_id].queue_position == 2
    assert holds[ready.record_id].status == "ready"
    expires = holds[ready.record_id].shelf_expires_on
    assert expires is not None
    assert loans[loan_old.barcode].due_on < today <= loans[loan_now.barcode].due_on

    client.headers["Accept-Language"] = "en"
    found = CSRF.search(client.get("/login").text)
    assert found
    response = client.post(
        "/login", data={"card": me, "secret": "2468", "next": "/account", "csrf": found.group(1)}
    )
    assert response.status_code == 303

    overview = _text(lxml.html.fromstring(client.get("/account").text))
    assert "2 on loan" in overview
    assert "1 overdue" in overview
    assert "2 holds" in overview
    assert "1 ready to collect" in overview
    assert "¥12.50 owed" in overview

    rows = _rows(client.get("/account/loans").text)
    assert len(rows) == 2
    fresh = _row_with(rows, _title(services, loan_now.record_id))
    assert f"Due {english_date(loans[loan_now.barcode].due_on)}" in fresh
    assert "Overdue" not in fresh
    assert loan_now.barcode in fresh
    late = _row_with(rows, _title(services, loan_old.record_id))
    assert f"Due {english_date(loans[loan_old.barcode].due_on)} Overdue" in late

    branch_names = {b.code: b for b in services.catalogue.list_branches()}
    rows = _rows(client.get("/account/holds").text)
    assert len(rows) == 2
    waiting = _row_with(rows, _title(services, held.record_id))
    assert "Waiting · number 2 in the queue" in waiting
    assert f"pick up at {branch_names['CEN'].name_en}" in waiting
    collect = _row_with(rows, _title(services, ready.record_id))
    assert "Ready to collect" in collect
    assert f"desk by {english_date(expires)}" in collect
    assert "Pickup code" in collect
    assert "in the queue" not in collect

    cells = [
        [_text(td) for td in tr.xpath("./td")]
        for tr in _find(client.get("/account/fees").text, "//table//tbody/tr")
    ]
    assert cells == [[english_date(today), "Damage water damage", "¥12.50", "¥12.50", "Open"]]
