"""Opening hours per branch and weekday, with exceptions by date (issue 12, item 4), beside
the closed days of the branch calendar: the pure rules, the service and the API."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from circ_helpers import LendingLibrary
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.circulation.rules import Calendar, Hours, parse_hours
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.errors import ShelfwiseError
from shelfwise.testing.access import staff_headers


def test_opening_hours_per_weekday_with_exceptions() -> None:
    weekly, special = parse_hours(
        "1 09:00-12:00 13:30-21:00\n2 09:00-21:00\n7 10:00-16:00\n2026-10-01 10:00-14:00"
    )
    calendar = Calendar(
        closed_weekdays=frozenset({6}),  # Sunday closed...
        closed_days=frozenset({date(2026, 10, 5)}),
        weekly_hours={k: v for k, v in weekly.items() if k != 6},
        special_hours={date(2026, 10, 4): weekly[6], **special},  # ...but this Sunday opens
    )
    monday = date(2026, 9, 28)
    assert calendar.hours_on(monday) == (Hours(540, 720), Hours(810, 1260))
    assert calendar.is_open_at(datetime(2026, 9, 28, 12, 30)) is False  # the midday break
    assert calendar.is_open_at(datetime(2026, 9, 28, 13, 30)) is True
    assert calendar.hours_on(date(2026, 10, 1)) == (Hours(600, 840),)  # a Thursday exception
    assert calendar.hours_on(date(2026, 9, 30)) is None  # Wednesday: not published
    assert calendar.is_open(date(2026, 10, 4))  # the special Sunday opening
    assert calendar.next_open_day(date(2026, 10, 4)) == date(2026, 10, 4)
    assert calendar.hours_on(date(2026, 10, 11)) == ()  # an ordinary Sunday: closed
    assert calendar.hours_on(date(2026, 10, 5)) == ()  # a closed Monday
    for bad in ("1 09:00-08:00", "8 09:00-10:00", "1 09:00-12:00 11:00-13:00", "1", "x 9-10"):
        with pytest.raises(ValueError, match="line 1"):
            parse_hours(bad)


def test_hours_are_kept_per_branch_and_set_over_http(library: LendingLibrary) -> None:
    weekly, special = parse_hours("1 09:00-21:00\n2026-10-01 10:00-14:00")
    saved = library.services.calendars.set_hours(
        "CEN", weekly_hours=weekly, special_hours=special, actor=SYSTEM
    )
    assert saved == library.services.calendars.calendar("CEN")
    assert library.services.calendars.calendar("BR1").weekly_hours == {}
    with pytest.raises(ShelfwiseError) as clash:
        library.services.calendars.set_calendar(
            "CEN",
            closed_weekdays=[0],
            closed_days=[],
            weekly_hours=weekly,
            special_hours={},
            actor=SYSTEM,
        )
    assert clash.value.code == "circ.hours_invalid"
    assert library.services.calendars.calendar("CEN").closed_weekdays == frozenset()  # rolled back
    app = composition.asgi_app(library.services)
    with TestClient(app, headers=staff_headers(library.services, "admin")) as client:
        got = client.get("/api/v1/branches/CEN/calendar").json()
        assert got["hours"] == [
            {"weekday": 0, "day": None, "opens": "09:00", "closes": "21:00"},
            {"weekday": None, "day": "2026-10-01", "opens": "10:00", "closes": "14:00"},
        ]
        body = {
            "closed_weekdays": [6],
            "closed_days": [],
            "hours": [
                {"weekday": 0, "opens": "08:30", "closes": "12:00"},
                {"weekday": 0, "opens": "13:00", "closes": "24:00"},
            ],
        }
        put = client.put("/api/v1/branches/BR1/calendar", json=body)
        assert put.status_code == 200, put.text
        assert [h["closes"] for h in put.json()["hours"]] == ["12:00", "24:00"]
        assert library.services.calendars.calendar("BR1").is_open_at(datetime(2026, 9, 28, 23, 59))
        # Without "hours" a PUT leaves them as they are.
        kept = client.put(
            "/api/v1/branches/BR1/calendar", json={"closed_weekdays": [], "closed_days": []}
        )
        assert len(kept.json()["hours"]) == 2
        bad = client.put(
            "/api/v1/branches/BR1/calendar",
            json=body | {"hours": [{"weekday": 1, "opens": "12:00", "closes": "09:00"}]},
        )
        assert (bad.status_code, bad.json()["error"]["code"]) == (422, "circ.hours_invalid")
