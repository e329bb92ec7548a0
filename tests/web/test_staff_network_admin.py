"""Branches, locations and closed days from the staff pages (issue 20 item 4), on both
backends: a location is added with its purpose named in words (no raw code on the page),
a bad one is refused with the reason and nothing stored; a closed day is added with a
date picker and removed by unticking it."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient

from shelfwise.services import Services
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_staff import csrf, sign_in


def test_a_location_is_added_and_a_bad_one_refused(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services, role="admin")
    before = len(services.catalogue.list_locations())
    page = client.get("/staff/admin/branches")
    assert page.status_code == 200
    bad = client.post(
        "/staff/admin/branches/CEN/locations",
        data={"code": "bad code!", "name": "新区", "kind": "stacks", "csrf": csrf(client)},
    )
    assert bad.status_code == 422
    assert "must be 1-32 letters" in html.unescape(bad.text)
    assert len(services.catalogue.list_locations()) == before
    done = client.post(
        "/staff/admin/branches/CEN/locations",
        data={"code": "CEN-NEW", "name": "新书展示区", "kind": "reference", "csrf": csrf(client)},
    )
    assert done.status_code == 303
    shown = html.unescape(re.sub(r"<[^>]+>", "", client.get(done.headers["location"]).text))
    assert "Location added." in shown
    assert "新书展示区 · Reference" in shown
    assert "· reference" not in shown  # the kind in words, not its code
    [added] = [x for x in services.catalogue.list_locations() if x.code == "CEN-NEW"]
    assert (added.name, added.kind) == ("新书展示区", "reference")


def test_a_closed_day_is_picked_by_date_and_removed_by_unticking(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services, role="admin")
    rules = client.get("/staff/rules").text
    assert 'type="date" id="add-day-CEN" name="add_day"' in rules
    added = client.post(
        "/staff/calendars/CEN", data={"add_day": "2026-10-01", "csrf": csrf(client)}
    )
    assert added.status_code == 303
    assert date(2026, 10, 1) in services.circulation.calendar("CEN").closed_days
    page = client.get("/staff/rules").text
    assert 'name="days" value="2026-10-01" checked' in page
    both = client.post(
        "/staff/calendars/CEN",
        data={"days": "2026-10-01", "add_day": "2026-10-02", "csrf": csrf(client)},
    )
    assert both.status_code == 303
    assert services.circulation.calendar("CEN").closed_days == {
        date(2026, 10, 1),
        date(2026, 10, 2),
    }
    cleared = client.post("/staff/calendars/CEN", data={"csrf": csrf(client)})
    assert cleared.status_code == 303
    assert services.circulation.calendar("CEN").closed_days == frozenset()
    wrong = client.post(
        "/staff/calendars/CEN", data={"add_day": "2026-02-30", "csrf": csrf(client)}
    )
    assert wrong.status_code == 422
    assert services.circulation.calendar("CEN").closed_days == frozenset()
