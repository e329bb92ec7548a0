"""The check-in session list (issue 20 item 2), on both backends: a run of check-ins keeps
each copy with what the desk must do (to the shelf, send to a branch, hold trapped, not on
loan, refused), newest first, alerts counted and marked for the audible cue; the list
travels with the form, names no reader, and a tampered list is dropped, not trusted."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from shelfwise.circulation.scope import SYSTEM
from shelfwise.services import Services
from shelfwise.web.staff.checkin import Checked, read_session, write_session
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_staff import csrf, on_shelf, sign_in

SESSION = re.compile(r'name="session" value="([^"]*)"')


def _checkin(client: TestClient, barcode: str, session: str) -> tuple[str, str]:
    page = client.post(
        "/staff/checkin",
        data={"barcode": barcode, "session": session, "csrf": csrf(client, "/staff/checkin")},
    )
    found = SESSION.search(page.text)
    assert found
    return html.unescape(page.text), html.unescape(found.group(1))


def test_a_run_of_checkins_keeps_the_session_list_with_its_alerts(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    circ = services.circulation
    reader = services.readers.register(name="还书人", category="adult").reader.card_number
    waiting = services.readers.register(name="等书人", category="adult").reader.card_number
    plain, travelling, trapped = (on_shelf(services, "CEN", k) for k in (0, 1, 2))
    for barcode in (plain, trapped):
        circ.checkout(reader, barcode, "CEN", actor=SYSTEM)
    circ.checkout(reader, travelling, "CEN", actor=SYSTEM)
    circ.place_hold(waiting, services.catalogue.get_item(trapped).record_id, "CEN", actor=SYSTEM)
    sign_in(client, services)
    client.cookies.set("sw_branch", "NGQ")  # returned at another branch: CEN's copies travel
    page, session = _checkin(client, plain, "")
    page, session = _checkin(client, trapped, session)
    page, session = _checkin(client, "NO-SUCH-COPY", session)
    page, session = _checkin(client, travelling, session)
    lines = read_session(session)
    assert [c.barcode for c in lines] == [travelling, "NO-SUCH-COPY", trapped, plain]
    assert [c.kind for c in lines] == ["transit", "refused", "hold_transit", "transit"]
    assert all(c.alert for c in lines)
    assert "This session: 4 checked in, 4 to act on" in page
    assert "Hold trapped: send to City Library (Central)" in page
    assert "data-alert" in page
    assert "等书人" not in session
    assert waiting not in session


def test_a_quiet_checkin_has_no_alert_and_a_tampered_list_is_dropped(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    reader = services.readers.register(name="安静", category="adult").reader.card_number
    barcode = on_shelf(services, "CEN", 4)
    services.circulation.checkout(reader, barcode, "CEN", actor=SYSTEM)
    sign_in(client, services)
    client.cookies.set("sw_branch", "CEN")
    page, session = _checkin(client, barcode, '[{"barcode": 1, "evil": true}, "x"]{')
    assert [c.kind for c in read_session(session)] == ["shelf"]
    assert "This session: 1 checked in, 0 to act on" in page
    assert "data-alert" not in page
    page, session = _checkin(client, barcode, session)  # again: it is not on loan any more
    assert [c.kind for c in read_session(session)] == ["not_on_loan", "shelf"]
    assert "This session: 2 checked in, 1 to act on" in page
    assert "data-alert" in page
    assert read_session("not json") == []
    many = [Checked(f"B{n}", "t", "shelf") for n in range(100)]
    assert len(read_session(write_session(many))) == 60
