"""The reader's pages of seats and events (issue 19 item 4): the live seat map, booking,
check-in by the seat's QR link, release; an event's page with register, waitlist and
cancel; the iCalendar feeds; the four page languages. Both engines, through TestClient."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from shelfwise.app import asgi_app
from shelfwise.circulation.scope import SYSTEM
from spaces.spaces_helpers import SpacesLibrary, local
from spaces.test_events import new_event

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def _csrf(client: TestClient, path: str) -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def _signed_in(lib: SpacesLibrary, pin: str = "2468") -> tuple[TestClient, str]:
    card = lib.services.readers.register(name="读者", category="adult", pin=pin).reader.card_number
    client = lib.opened.enter_context(TestClient(asgi_app(lib.services), follow_redirects=False))
    done = client.post(
        "/login",
        data={"card": card, "secret": pin, "next": "/spaces", "csrf": _csrf(client, "/login")},
    )
    assert done.status_code == 303, done.text
    return client, card


def test_a_reader_books_a_seat_on_the_map_checks_in_by_its_link_and_releases(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    client, card = _signed_in(lib)
    rooms = client.get("/spaces")
    assert rooms.status_code == 200
    assert "阅览室" in rooms.text
    room = client.get(f"/spaces/rooms/{lib.reading.id}")
    assert room.text.count('class="seat free"') == 10
    booking_link = re.search(r'href="(/spaces/book\?unit=\d+[^"]+)"', room.text)
    assert booking_link is not None
    form = client.get(booking_link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    fields = dict(re.findall(r'name="(unit|starts_at|ends_at)" value="([^"]+)"', form.text))
    token = _csrf(client, "/spaces")
    booked = client.post("/spaces/book", data={**fields, "csrf": token})
    assert booked.headers["location"] == "/spaces/mine?done=booked"
    room = client.get(f"/spaces/rooms/{lib.reading.id}")
    assert room.text.count('class="seat free"') == 9
    assert room.text.count('class="seat mine"') == 1
    mine = client.get("/spaces/mine?done=booked")
    check_in = re.search(r'action="(/spaces/s/[^"]+)"', mine.text)
    assert check_in is not None
    # The seat's QR link asks for a press (a link preview checks nobody in).
    assert client.get(check_in.group(1)).status_code == 200
    assert lib.services.spaces.bookings_of(card, actor=SYSTEM)[0].state == "booked"
    scanned = client.post(check_in.group(1), data={"csrf": token})
    assert scanned.headers["location"] == "/spaces/mine?done=checked_in"
    booking = lib.services.spaces.bookings_of(card, actor=SYSTEM)[0]
    assert booking.state == "checked_in"
    released = client.post(f"/spaces/bookings/{booking.id}/release", data={"csrf": token})
    assert released.headers["location"] == "/spaces/mine?done=released"
    # A forged seat link is a clear page, not a crash.
    forged = client.post("/spaces/s/1.1.forged", data={"csrf": token})
    assert forged.status_code == 403
    assert "二维码无效" in forged.text


def test_signed_out_the_seat_link_goes_to_the_login_and_back(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    token = lib.services.spaces.unit_token(lib.unit(lib.reading, "A1"))
    with TestClient(asgi_app(lib.services), follow_redirects=False) as client:
        answer = client.get(f"/spaces/s/{token}")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next=%2Fspaces%2Fs%2F{token}"


def test_register_get_waitlisted_and_promoted_on_the_event_page(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    event = new_event(lib, capacity=1)
    first, first_card = _signed_in(lib, "1111")
    second, _ = _signed_in(lib, "2222")
    for client in (first, second):
        page = client.get(f"/events/{event.id}")
        assert page.status_code == 200
        assert "og:title" in page.text
        assert f"/events/{event.id}.ics" in page.text
    token1, token2 = _csrf(first, "/events"), _csrf(second, "/events")
    assert (
        first.post(f"/events/{event.id}/register", data={"csrf": token1})
        .headers["location"]
        .endswith("done=registered")
    )
    assert (
        second.post(f"/events/{event.id}/register", data={"csrf": token2})
        .headers["location"]
        .endswith("done=waitlisted")
    )
    assert "候补名单第 1 位" in second.get(f"/events/{event.id}").text
    first.post(f"/events/{event.id}/cancel", data={"csrf": token1})
    assert "您已报名" in second.get(f"/events/{event.id}").text
    assert lib.services.events.registration_of(event.id, first_card).state == "cancelled"  # type: ignore[union-attr]


def test_ical_feeds_per_event_and_per_branch(spaces_library: SpacesLibrary) -> None:
    lib = spaces_library
    event = new_event(lib)
    with TestClient(asgi_app(lib.services)) as client:
        one = client.get(f"/events/{event.id}.ics")
        branch = client.get("/events/branch/CEN.ics")
        missing = client.get("/events/branch/NOPE.ics")
        calendar_page = client.get("/events?branch=CEN")
    assert one.headers["content-type"] == "text/calendar; charset=utf-8"
    assert [str(e["summary"]) for e in Calendar.from_ical(one.content).walk("VEVENT")] == [
        "城市的记忆"
    ]
    assert len(Calendar.from_ical(branch.content).walk("VEVENT")) == 1
    assert missing.status_code == 404
    assert "/events/branch/CEN.ics" in calendar_page.text


@pytest.mark.parametrize(
    ("lang", "seats", "events"),
    [
        ("zh", "座位与研讨间", "活动"),
        ("zh-Hant", "座位與研討間", "活動"),
        ("ko", "좌석과 스터디룸", "행사"),
        ("en", "Seats and rooms", "Events"),
    ],
)
def test_the_pages_speak_four_languages(
    spaces_library: SpacesLibrary, lang: str, seats: str, events: str
) -> None:
    lib = spaces_library
    new_event(lib)
    with TestClient(asgi_app(lib.services)) as client:
        client.get(f"/lang/{lang}?next=/")
        assert f"<h1>{seats}</h1>" in client.get("/spaces").text
        assert f"<h1>{events}</h1>" in client.get("/events").text
        assert client.get(f"/spaces/rooms/{lib.reading.id}").status_code == 200


def test_staff_see_today_s_bookings_edit_the_grid_and_print_attendance(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    services = lib.services
    reader = lib.reader()
    services.spaces.book(
        reader.card_number, lib.unit(lib.reading, "B1"), local(1, 10), local(1, 11), actor=SYSTEM
    )
    event = new_event(lib)
    services.events.register(event.id, reader.card_number, actor=SYSTEM)
    services.access.create_staff("sp-admin", "馆员", "a-long-password", "admin", ["CEN"])
    with TestClient(asgi_app(services), follow_redirects=False) as client:
        token = _csrf(client, "/staff/login")
        client.post(
            "/staff/login",
            data={"username": "sp-admin", "password": "a-long-password", "csrf": token},
        )
        overview = client.get("/staff/spaces?branch=CEN")
        assert overview.status_code == 200
        assert "<td>B1</td>" in overview.text
        assert reader.name not in overview.text  # who sits where is not shown
        assert client.get("/staff/spaces?branch=BR1").status_code == 403
        editor = client.get(f"/staff/spaces/rooms/{lib.reading.id}")
        assert "sssss\nSSSSS" in editor.text
        assert editor.text.count("<svg") >= 12  # the map, the door and ten seats' codes
        token = _csrf(client, "/staff/spaces?branch=CEN")
        saved = client.post(
            f"/staff/spaces/rooms/{lib.reading.id}",
            data={
                "name": "阅览室",
                "kind": "reading",
                "enabled": "yes",
                "grid": "SSS",
                "csrf": token,
            },
        )
        assert saved.status_code == 303
        _, units = services.rooms.room(lib.reading.id)
        # B1 was booked: kept out of use; the other dropped seats are gone.
        assert sorted((u.code, u.enabled) for u in units) == [
            ("A1", True), ("A2", True), ("A3", True), ("B1", False)
        ]  # fmt: skip
        listed = client.get(f"/staff/events/{event.id}")
        assert reader.name in listed.text
    trail = services.access.audit_trail(card_number=reader.card_number)
    assert [e.fields for e in trail][:1] == [("card_number", "name")]
