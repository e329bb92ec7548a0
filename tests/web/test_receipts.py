"""Receipts at the desk as print views (issue 20): the checkout receipt lists what the
reader borrowed today at this branch and what else they have, with due dates, the card's
last four digits only, and is an audited read (P7); the check-in receipt lists the copies
of the session that were returns, with their fines, and names no reader. Both engines."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from shelfwise.catalogue.models import Lifecycle
from shelfwise.services import Services
from shelfwise.storage.tables import branches, holds, items, loans, outbox, transits

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
SESSION = re.compile(r'name="session" value="([^"]*)"')
ARTICLE = re.compile(r'<article class="receipt".*?</article>', re.S)
PASSWORD = "staff-pass-1234"


def _sign_in(client: TestClient, services: Services) -> str:
    services.access.create_staff("receipt-desk", "Desk", PASSWORD, "desk", ["CEN"])
    token = CSRF.search(client.get("/staff/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/staff/login",
        data={"username": "receipt-desk", "password": PASSWORD, "next": "/staff", "csrf": token},
    )
    assert done.status_code == 303
    client.cookies.set("sw_lang", "en")
    return token


def _free_copies(services: Services, n: int) -> list[str]:
    with services.db.read() as conn:
        lent = select(loans.c.item_id).where(loans.c.returned_at.is_(None))
        trapped = select(holds.c.trapped_item_id).where(holds.c.trapped_item_id.is_not(None))
        moving = select(transits.c.item_id)
        return list(
            conn.execute(
                select(items.c.barcode)
                .join(branches, branches.c.id == items.c.home_branch_id)
                .where(
                    branches.c.code == "CEN",
                    items.c.lifecycle == str(Lifecycle.IN_SERVICE),
                    items.c.id.not_in(lent),
                    items.c.id.not_in(trapped),
                    items.c.id.not_in(moving),
                )
                .order_by(items.c.id)
                .limit(n)
            ).scalars()
        )


def test_the_checkout_receipt_lists_todays_loans_and_is_audited(
    client: TestClient, services: Services
) -> None:
    token = _sign_in(client, services)
    reader = services.readers.register(name="收据读者", category="adult").reader
    card = reader.card_number
    first, second = _free_copies(services, 2)
    for barcode in (first, second):
        lent = client.post(
            "/staff/desk/checkout", data={"csrf": token, "card": card, "barcode": barcode}
        )
        assert lent.status_code == 200, lent.text[:300]
    desk = client.get("/staff/desk", params={"card": card}).text
    assert f'href="/staff/desk/receipt?card={card}"' in desk

    receipt = client.get("/staff/desk/receipt", params={"card": card})
    assert receipt.status_code == 200
    article = html.unescape(ARTICLE.search(receipt.text).group(0))  # type: ignore[union-attr]
    assert "Checkout receipt" in article
    assert "Borrowed today: 2" in article
    assert first in article
    assert second in article
    assert f"card ending {card[-4:]}" in article
    assert card not in article  # the last four digits only
    assert "收据读者" in article
    (latest, *_) = services.access.audit_trail(limit=1)
    assert (latest.reader_id, set(latest.fields)) == (reader.id, {"name", "card_number", "loans"})


def test_the_checkin_receipt_lists_the_sessions_returns(
    client: TestClient, services: Services
) -> None:
    token = _sign_in(client, services)
    card = services.readers.register(name="还书读者", category="adult").reader.card_number
    (barcode,) = _free_copies(services, 1)
    client.post("/staff/desk/checkout", data={"csrf": token, "card": card, "barcode": barcode})
    back = client.post("/staff/checkin", data={"csrf": token, "barcode": barcode})
    assert back.status_code == 200
    session = html.unescape(SESSION.search(back.text).group(1))  # type: ignore[union-attr]
    again = client.post(
        "/staff/checkin", data={"csrf": token, "barcode": "NO-SUCH", "session": session}
    )
    session = html.unescape(SESSION.search(again.text).group(1))  # type: ignore[union-attr]

    receipt = client.post("/staff/checkin/receipt", data={"csrf": token, "session": session})
    assert receipt.status_code == 200
    article = html.unescape(ARTICLE.search(receipt.text).group(0))  # type: ignore[union-attr]
    assert "Check-in receipt" in article
    assert "Returned: 1" in article  # the refused scan is no return
    assert barcode in article
    assert "NO-SUCH" not in article
    assert "还书读者" not in article  # a return names no reader


def test_the_desk_asks_for_an_e_mailed_receipt_after_each_loan(
    client: TestClient, services: Services
) -> None:
    """Whether one goes is the service's answer (tests/circulation/test_notice_templates.py):
    here, that a desk checkout of a reader who asked queues it, and of one who did not, not."""
    token = _sign_in(client, services)
    asked = services.readers.register(
        name="要凭条", category="adult", email="asked@example.org"
    ).reader.card_number
    services.readers.set_consent(asked, "email_receipts", True)
    quiet = services.readers.register(
        name="不要", category="adult", email="quiet@example.org"
    ).reader.card_number
    first, second = _free_copies(services, 2)
    for card, barcode in ((asked, first), (quiet, second)):
        done = client.post(
            "/staff/desk/checkout", data={"csrf": token, "card": card, "barcode": barcode}
        )
        assert done.status_code == 200
    with services.db.read() as conn:
        payloads = [json.loads(p) for p in conn.execute(select(outbox.c.payload)).scalars()]
    receipts = [p for p in payloads if p.get("kind") == "checkout_receipt"]
    assert len(receipts) == 1
    assert receipts[0]["dedup"].startswith("checkout_receipt:")
