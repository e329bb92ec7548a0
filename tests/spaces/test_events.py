"""Events: rooms booked through spaces, registration with a waitlist promoted in arrival
order, attendance by QR, reminders and promotions through the outbox, iCalendar feeds
(issue 19 item 2, both engines)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import text

from shelfwise.circulation.scope import SYSTEM, Acting, reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.events import ical
from shelfwise.events.mailer import EventMailer
from shelfwise.events.models import LibraryEvent, NewEvent
from shelfwise.events.service import EVENT_PUBLISHED, PROMOTED_TOPIC, REMINDER_TOPIC
from shelfwise.services import Services
from shelfwise.storage.outbox import Event
from spaces.spaces_helpers import SpacesLibrary, local


def new_event(lib: SpacesLibrary, capacity: int = 3, **kw: object) -> LibraryEvent:
    values: dict[str, object] = {
        "branch": "CEN",
        "kind": "lecture",
        "title": "城市的记忆",
        "starts_at": local(5, 14),
        "ends_at": local(5, 16),
        "capacity": capacity,
        "registration_opens_at": local(1, 0),
        "registration_closes_at": local(5, 12),
        "audience": ("adults",),
        "languages": ("zh", "en"),
    }
    values.update(kw)
    return lib.services.events.create(NewEvent(**values), actor=SYSTEM)  # type: ignore[arg-type]


def _outbox(services: Services, topic: str) -> list[dict[str, object]]:
    with services.db.read() as conn:
        rows = conn.execute(
            text("SELECT payload FROM outbox WHERE topic = :t ORDER BY id"), {"t": topic}
        ).all()
    return [json.loads(r[0]) for r in rows]


def _code(call: object, *args: object, **kw: object) -> str:
    with pytest.raises(ShelfwiseError) as caught:
        call(*args, **kw)  # type: ignore[operator]
    return caught.value.code


def test_an_event_books_its_room_through_spaces_and_gives_it_back_when_called_off(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    event = new_event(lib, room_id=lib.reading.id, story_ref="story-7", wish_ref=42)
    assert (event.room_name, event.places_left, event.state) == ("阅览室", 3, "published")
    card = lib.reader().card_number
    seat = lib.unit(lib.reading, "A1")
    assert (
        _code(services.spaces.book, card, seat, local(5, 15), local(5, 17), actor=SYSTEM)
        == "spaces.unit_taken"
    )
    # Another event in the same room at an overlapping time: refused, nothing created.
    assert (
        _code(new_event, lib, room_id=lib.reading.id, starts_at=local(5, 15), ends_at=local(5, 17))
        == "spaces.room_busy"
    )
    assert [e.id for e in services.events.upcoming()] == [event.id]
    # A room of another branch.
    assert _code(new_event, lib, room_id=lib.study.id) == "events.invalid"
    assert _outbox(services, EVENT_PUBLISHED) == [
        {
            "branch": "CEN",
            "event_id": event.id,
            "kind": "lecture",
            "starts_at": local(5, 14).astimezone(UTC).isoformat(),
            "story_ref": "story-7",
            "wish_ref": 42,
        }
    ]
    services.events.cancel_event(event.id, actor=SYSTEM)
    services.spaces.book(card, seat, local(5, 15), local(5, 17), actor=SYSTEM)
    assert _code(services.events.register, event.id, card, actor=SYSTEM) == "events.cancelled"


def test_bad_events_are_refused_with_what_they_need(spaces_library: SpacesLibrary) -> None:
    lib = spaces_library
    code = _code(new_event, lib, starts_at=local(5, 16), ends_at=local(5, 14))
    assert code == "events.invalid"
    assert _code(new_event, lib, kind="party") == "events.invalid"
    assert _code(new_event, lib, registration_closes_at=local(6, 0)) == "events.invalid"
    assert _code(new_event, lib, starts_at=local(1, 7), ends_at=local(1, 9)) == "events.invalid"
    assert _code(new_event, lib, capacity=-1) == "events.invalid"
    assert _code(new_event, lib, languages=("fr",)) == "events.invalid"


def test_registration_fills_places_then_the_waitlist_promotes_in_arrival_order(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    events = services.events
    event = new_event(lib, capacity=2)
    cards = [lib.reader().card_number for _ in range(5)]
    states = [events.register(event.id, c, actor=reader_self(c)) for c in cards]
    assert [s.state for s in states] == ["registered"] * 2 + ["waitlisted"] * 3
    assert [s.waitlist_position for s in states] == [None, None, 1, 2, 3]
    assert (
        _code(events.register, event.id, cards[0], actor=reader_self(cards[0]))
        == "events.already_registered"
    )
    # The fourth leaves the waitlist: nobody is promoted, the fifth moves up.
    events.cancel(event.id, cards[3], actor=reader_self(cards[3]))
    position = events.registration_of(event.id, cards[4])
    assert position is not None
    assert position.waitlist_position == 2
    # The first gives up their place: the third (first waiting) gets it, once.
    events.cancel(event.id, cards[0], actor=reader_self(cards[0]))
    promoted = events.registration_of(event.id, cards[2])
    assert promoted is not None
    assert promoted.state == "registered"
    assert promoted.promoted_at == lib.clock.now()
    assert _outbox(services, PROMOTED_TOPIC) == [
        {"event_id": event.id, "reader_id": promoted.reader_id}
    ]
    # The first comes back: to the end of the waitlist, behind the fifth.
    again = events.register(event.id, cards[0], actor=reader_self(cards[0]))
    assert (again.state, again.waitlist_position) == ("waitlisted", 2)
    assert events.event(event.id).registered == 2
    assert events.event(event.id).waitlisted == 2
    # Someone else cannot cancel for them; a branch desk elsewhere cannot either.
    assert (
        _code(events.cancel, event.id, cards[1], actor=reader_self(cards[2])) == "access.not_yours"
    )
    assert (
        _code(events.cancel, event.id, cards[1], actor=Acting("staff", ("BR1",)))
        == "access.branch_forbidden"
    )


def test_registration_only_within_its_window(spaces_library: SpacesLibrary) -> None:
    lib, events = spaces_library, spaces_library.services.events
    event = new_event(lib, registration_opens_at=local(2, 9))
    card = lib.reader().card_number
    assert _code(events.register, event.id, card, actor=SYSTEM) == "events.registration_closed"
    lib.clock.set(local(2, 9))
    events.register(event.id, card, actor=SYSTEM)
    lib.clock.set(local(5, 12))
    other = lib.reader().card_number
    with pytest.raises(ShelfwiseError) as caught:
        events.register(event.id, other, actor=SYSTEM)
    assert caught.value.params == {"opens": "2026-09-02 09:00", "closes": "2026-09-05 12:00"}


def test_attendance_by_the_event_s_door_code(spaces_library: SpacesLibrary) -> None:
    lib, events = spaces_library, spaces_library.services.events
    event = new_event(lib, capacity=1)
    came, waiting = lib.reader().card_number, lib.reader().card_number
    events.register(event.id, came, actor=SYSTEM)
    events.register(event.id, waiting, actor=SYSTEM)
    token = events.door_token(event.id)
    assert _code(events.attend, token, came, actor=SYSTEM) == "events.not_now"
    lib.clock.set(local(5, 13, 30))
    assert _code(events.attend, token[:-1] + "x", came, actor=SYSTEM) == "spaces.qr_invalid"
    other = new_event(lib, title="另一个", starts_at=local(6, 14), ends_at=local(6, 15))
    assert _code(events.attend, events.door_token(other.id), came, actor=SYSTEM) == "events.not_now"
    assert _code(events.attend, token, waiting, actor=SYSTEM) == "events.not_registered"
    assert events.attend(token, came, actor=reader_self(came)).state == "attended"
    assert _code(events.attend, token, came, actor=SYSTEM) == "events.already_attended"
    listed = events.attendance(event.id, actor=Acting("staff", ("CEN",)))
    assert [(a.card_number, a.registration.state) for a in listed] == [
        (came, "attended"),
        (waiting, "waitlisted"),
    ]
    assert _code(events.attendance, event.id, actor=reader_self(came)) == "access.not_yours"


class _Inbox:
    name = "test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def test_reminders_go_once_through_the_outbox_to_those_who_want_mail(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    event = new_event(lib, capacity=1)
    wants = services.readers.register(
        name="王芳", category="adult", email="wang@example.org"
    ).reader
    wants = services.readers.set_consent(wants.card_number, "email_notices", True)
    waiting = lib.reader().card_number
    services.events.register(event.id, wants.card_number, actor=SYSTEM)
    services.events.register(event.id, waiting, actor=SYSTEM)
    assert services.events.remind() == 0  # four days ahead
    lib.clock.set(local(4, 14, 30))
    assert services.events.remind() == 1  # the registered one; the waitlist is not reminded
    assert services.events.remind() == 0
    payloads = _outbox(services, REMINDER_TOPIC)
    assert payloads == [{"event_id": event.id, "reader_id": wants.id}]
    inbox = _Inbox()
    mailer = EventMailer(services.events, inbox, "市图书馆", lib.clock)
    mailer(Event(1, REMINDER_TOPIC, payloads[0], 0))
    mailer(Event(2, PROMOTED_TOPIC, {"event_id": event.id, "reader_id": 999_999}, 0))
    assert len(inbox.sent) == 1
    to, subject, body = inbox.sent[0]
    assert to == "wang@example.org"
    assert "活动提醒" in subject
    assert "2026-09-05 14:00" in body


def test_the_ical_feed_has_each_event_once_in_utc_with_a_stable_uid(
    spaces_library: SpacesLibrary,
) -> None:
    lib, events = spaces_library, spaces_library.services.events
    first = new_event(lib, room_id=lib.reading.id, description="第一讲；含逗号, 和分号")
    second = new_event(
        lib, title="Story time", kind="story_time", starts_at=local(6, 10), ends_at=local(6, 11)
    )
    events.cancel_event(second.id, actor=SYSTEM)
    body = ical.feed(
        events.upcoming("CEN"),
        name="CEN",
        link=lambda e: f"https://lib.example/events/{e.id}",
        host="lib.example",
    )
    parsed = Calendar.from_ical(body)
    entries = parsed.walk("VEVENT")
    assert [str(e["uid"]) for e in entries] == [
        f"event-{first.id}@lib.example",
        f"event-{second.id}@lib.example",
    ]
    assert entries[0].decoded("dtstart") == datetime(2026, 9, 5, 6, 0, tzinfo=UTC)
    assert str(entries[0]["description"]) == "第一讲；含逗号, 和分号"
    assert str(entries[0]["location"]) == "CEN · 阅览室"
    assert [str(e["status"]) for e in entries] == ["CONFIRMED", "CANCELLED"]
    assert b"DTSTART:20260905T060000Z" in body


def test_erasure_gives_the_place_back_and_the_export_lists_registrations(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    event = new_event(lib, capacity=1)
    reader = lib.reader()
    services.events.register(event.id, reader.card_number, actor=SYSTEM)
    export = services.reader_rights.export(reader.card_number)
    assert export["event_registrations"] == [
        {"event": "城市的记忆", "state": "registered", "registered_at": lib.clock.now().isoformat()}
    ]
    services.reader_rights.erase(reader.card_number)
    assert services.events.event(event.id).registered == 0
    lib.clock.advance(timedelta(days=1))
    other = lib.reader().card_number
    assert services.events.register(event.id, other, actor=SYSTEM).state == "registered"
