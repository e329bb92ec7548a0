"""The one staff search box (web/staff/finding.py) on both backends: ``/staff/`` lands on
the home; a reader is found by pinyin, phone and identity card and each listed reader is
an audited read (field names only); records by title and ISBN; a copy by barcode with
where it is and its latest loans without the reader; copies by call number; a cataloguer
finds no readers."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import select

from shelfwise.circulation.scope import SYSTEM
from shelfwise.services import Services
from shelfwise.storage.tables import items, records
from shelfwise.web.staff.finding import LISTED_FIELDS
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_staff import on_shelf, sign_in

ID_CARD = "11010519491231002X"


def test_staff_with_and_without_a_slash_lands_on_the_home(
    client: TestClient, services: Services
) -> None:
    anonymous = client.get("/staff/")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/staff/login")
    sign_in(client, services)
    slash = client.get("/staff/")
    assert slash.status_code == 303
    assert slash.headers["location"] == "/staff"
    home = client.get("/staff")
    assert home.status_code == 200
    assert 'action="/staff/search"' in home.text


def test_readers_by_pinyin_phone_and_id_card_each_an_audited_read(
    client: TestClient, services: Services
) -> None:
    sign_in(client, services)
    found = services.readers.register(
        name="欧阳明月", category="adult", phone="13612345678", id_card=ID_CARD
    ).reader
    services.readers.register(name="欧阳修", category="adult")
    for typed in ("ouyangmingyue", "oymy", "1361234", ID_CARD, "歐陽明"):
        page = client.get("/staff/search", params={"q": typed})
        assert page.status_code == 200, typed
        assert "欧阳明月" in page.text, typed
        assert found.card_number in page.text
        assert "欧阳修" not in page.text, typed
    both = client.get("/staff/search", params={"q": "ouyang"})
    assert "欧阳明月" in both.text
    assert "欧阳修" in both.text
    trail = services.access.audit_trail(card_number=found.card_number)
    assert len(trail) == 6  # five searches that listed this reader, and "ouyang"
    assert all(e.action == "read" and e.actor_kind == "staff" for e in trail)
    assert {e.fields for e in trail} == {tuple(sorted(LISTED_FIELDS))}
    none = client.get("/staff/search", params={"q": "zzzqqq"})
    assert "zzzqqq" in html.unescape(none.text)
    assert 'id="readers-h"' not in none.text


def test_records_by_title_and_isbn_and_a_copy_with_its_latest_loans(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services)
    with services.db.read() as conn:
        record_id, title = conn.execute(
            select(records.c.id, records.c.title).where(records.c.state == "active").limit(1)
        ).one()
    by_title = client.get("/staff/search", params={"q": title})
    assert f"/staff/catalogue/records/{record_id}" in by_title.text
    isbn = services.catalogue.get_record(record_id).isbns
    if isbn:
        by_isbn = client.get("/staff/search", params={"q": isbn[0]})
        assert f"/staff/catalogue/records/{record_id}" in by_isbn.text
    barcode = on_shelf(services)
    reader = services.readers.register(name="借书人甲", category="adult").reader.card_number
    services.circulation.checkout(reader, barcode, "CEN", actor=SYSTEM)
    services.circulation.checkin(barcode, "CEN", actor=SYSTEM)
    other = services.readers.register(name="借书人乙", category="adult").reader.card_number
    services.circulation.checkout(other, barcode, "CEN", actor=SYSTEM)
    copy = client.get("/staff/search", params={"q": barcode})
    assert copy.status_code == 200
    assert "On loan" in copy.text
    assert copy.text.count("lent ") == 2
    assert "returned " in copy.text
    assert "借书人甲" not in copy.text
    assert reader not in copy.text
    assert "借书人乙" not in copy.text


def test_copies_by_call_number_and_a_cataloguer_finds_no_reader(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    record_id = services.catalogue.get_item(on_shelf(services)).record_id
    for n in (1, 2):
        services.catalogue.add_item(
            record_id=record_id, barcode=f"CALL{n}", branch_code="CEN", call_number=f"Q987.{n}/5"
        )
    sign_in(client, services, role="cataloguer")
    page = client.get("/staff/search", params={"q": "q987"})
    assert "CALL1" in page.text
    assert "CALL2" in page.text
    with services.db.read() as conn:
        assert conn.execute(select(items.c.id).where(items.c.barcode == "CALL1")).scalar()
    name = services.readers.get(demo[0]).name
    hidden = client.get("/staff/search", params={"q": demo[0]})
    assert name not in hidden.text
    assert services.access.audit_trail(card_number=demo[0]) == []


def test_what_the_search_box_was_given_is_masked_in_logs() -> None:
    from shelfwise.core.log_masking import mask

    line = f'"GET /staff/search?q={ID_CARD} HTTP/1.1" 200'
    assert ID_CARD not in mask(line)
    assert (
        mask("GET /staff/search?x=1&q=%E6%AC%A7 HTTP/1.1") == "GET /staff/search?x=1&q=*** HTTP/1.1"
    )
    assert mask("GET /search?q=%E6%AC%A7") == "GET /search?q=%E6%AC%A7"  # P16: no reader in it
