"""The staff forms of seats and events that the authorization matrix only sends valid
requests to (issue 19): a booking rule saved from the page and shown in the rules table,
a bad one refused with what is wrong and nothing stored; an event created from the page
at the library's wall-clock time with its room held through spaces, a bad start refused
with nothing created. Both engines."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.spaces.models import BookingRule
from spaces.spaces_helpers import SpacesLibrary, local

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def _admin(lib: SpacesLibrary) -> tuple[TestClient, str]:
    lib.services.access.create_staff("sp-net", "馆员", "a-long-password", "admin", [])
    client = lib.opened.enter_context(TestClient(asgi_app(lib.services), follow_redirects=False))
    token = CSRF.search(client.get("/staff/login").text)
    assert token is not None
    done = client.post(
        "/staff/login",
        data={"username": "sp-net", "password": "a-long-password", "csrf": token.group(1)},
    )
    assert done.status_code == 303
    found = CSRF.search(client.get("/staff/spaces?branch=CEN").text)
    assert found is not None
    return client, found.group(1)


def test_a_booking_rule_from_the_page_and_a_bad_one_refused(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    client, csrf = _admin(lib)
    saved = client.post(
        "/staff/spaces/rules",
        data={
            "category": "student",
            "minutes_per_day": "120",
            "days_ahead": "3",
            "at_once": "1",
            "csrf": csrf,
        },
    )
    assert saved.headers["location"] == "/staff/spaces?done=rule"
    assert BookingRule("student", 120, 3, 1) in lib.services.rooms.rules()
    shown = client.get("/staff/spaces?branch=CEN").text
    assert "<tr><td>student</td><td>120</td><td>3</td><td>1</td></tr>" in shown
    # Not whole numbers; not in 30-minute slots: the page says what is wrong, nothing stored.
    for minutes, detail in (("two hours", "whole numbers"), ("45", "30-minute slots")):
        refused = client.post(
            "/staff/spaces/rules",
            data={
                "category": "child",
                "minutes_per_day": minutes,
                "days_ahead": "3",
                "at_once": "1",
                "csrf": csrf,
            },
        )
        assert refused.status_code == 422
        assert detail in refused.text
    assert [r.category for r in lib.services.rooms.rules()] == ["student"]
    client.__exit__(None, None, None)


def test_an_event_from_the_page_holds_its_room_and_a_bad_start_is_refused(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    services = lib.services
    client, csrf = _admin(lib)
    made = client.post(
        "/staff/events",
        data={
            "branch": "CEN",
            "title": "城市的记忆：讲座",
            "kind": "lecture",
            "starts_at": "2026-09-03T18:00",  # <input type=datetime-local>: Shanghai's clock
            "minutes": "90",
            "capacity": "25",
            "room_id": str(lib.reading.id),
            "audience": ["adults", "seniors"],
            "languages": ["zh"],
            "description": "",
            "csrf": csrf,
        },
    )
    assert made.status_code == 303
    event_id = int(made.headers["location"].split("/")[-1].split("?")[0])
    event = services.events.event(event_id)
    assert (event.starts_at, event.ends_at) == (local(3, 18), local(3, 19, 30))
    assert (event.capacity, event.audience) == (25, ("adults", "seniors"))
    # The room is held for the event through spaces: every seat is taken then.
    held = services.rooms.seat_map(lib.reading.id, local(3, 18), local(3, 19, 30))
    assert all(s.taken for s in held.seats)
    assert services.rooms.seat_map(lib.reading.id, local(3, 16), local(3, 17)).free == 10
    listed = client.get(f"/staff/events/{event_id}")
    assert "城市的记忆：讲座" in listed.text
    # A start that is no date and time: refused, no second event.
    refused = client.post(
        "/staff/events",
        data={
            "branch": "CEN",
            "title": "另一场",
            "kind": "lecture",
            "starts_at": "next Friday",
            "minutes": "90",
            "capacity": "25",
            "csrf": csrf,
        },
    )
    assert refused.status_code == 422
    assert "活动信息有误" in refused.text
    assert [e.id for e in services.events.upcoming("CEN", days=60)] == [event_id]
    client.__exit__(None, None, None)
