"""Booking seats: the rules, the hours in the library's zone, check-in by QR, leave,
release, no-shows and the suspension they bring, walk-ins (issue 19, both engines)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import inspect

from shelfwise.circulation.scope import SYSTEM, Acting, reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.spaces.models import BookingRule
from spaces.spaces_helpers import SpacesLibrary, local


def _refused(code: str, call: object, *args: object, **kw: object) -> ShelfwiseError:
    with pytest.raises(ShelfwiseError) as caught:
        call(*args, **kw)  # type: ignore[operator]
    assert caught.value.code == code, caught.value
    return caught.value


def test_a_reader_books_checks_in_by_qr_steps_away_and_releases(
    spaces_library: SpacesLibrary,
) -> None:
    lib, spaces = spaces_library, spaces_library.services.spaces
    reader = lib.reader()
    me = reader_self(reader.card_number)
    seat = lib.unit(lib.reading, "A1")
    booking = spaces.book(reader.card_number, seat, local(1, 9), local(1, 11), actor=me)
    assert booking.state == "booked"
    assert booking.unit_code == "A1"
    assert booking.branch == "CEN"
    # Stored in UTC, meant in Shanghai: 09:00 there is 01:00 UTC.
    assert booking.starts_at.hour == 1
    assert booking.starts_at.utcoffset() == timedelta(0)
    lib.clock.set(local(1, 8, 50))
    token = spaces.unit_token(seat)
    scan = spaces.scan(token, reader.card_number, actor=me)
    assert scan.outcome == "checked_in"
    assert scan.booking.state == "checked_in"
    _refused("spaces.already_checked_in", spaces.scan, token, reader.card_number, actor=me)
    away = spaces.step_away(booking.id, actor=me)
    assert away.state == "away"
    assert away.away_until == local(1, 9, 20)
    back = spaces.scan(token, reader.card_number, actor=me)
    assert back.outcome == "returned"
    assert back.booking.away_until is None
    lib.clock.set(local(1, 9, 40))
    released = spaces.release(booking.id, actor=me)
    assert released.state == "released"
    # The seat is free again from the current slot (09:30) on: another reader books it.
    other = lib.reader()
    again = spaces.book(
        other.card_number, seat, local(1, 9, 30), local(1, 10), actor=reader_self(other.card_number)
    )
    assert again.state == "booked"
    assert spaces.overlapping_pairs() == 0


def test_a_second_booking_of_a_taken_slot_is_refused_and_leaves_nothing(
    spaces_library: SpacesLibrary,
) -> None:
    lib, spaces = spaces_library, spaces_library.services.spaces
    first, second = lib.reader(), lib.reader()
    seat = lib.unit(lib.reading, "B2")
    spaces.book(first.card_number, seat, local(1, 10), local(1, 12), actor=SYSTEM)
    _refused(
        "spaces.unit_taken",
        spaces.book,
        second.card_number,
        seat,
        local(1, 11, 30),
        local(1, 13),
        actor=SYSTEM,
    )
    assert spaces.bookings_of(second.card_number, actor=SYSTEM) == []
    # Touching is not overlapping: 12:00-13:00 follows 10:00-12:00.
    spaces.book(second.card_number, seat, local(1, 12), local(1, 13), actor=SYSTEM)


def test_bad_input_is_refused_with_a_clear_code(spaces_library: SpacesLibrary) -> None:
    lib, spaces = spaces_library, spaces_library.services.spaces
    card = lib.reader().card_number
    seat = lib.unit(lib.reading, "A2")
    lib.clock.set(local(1, 10, 5))
    # In the past (the current slot, 10:00, may still be booked).
    _refused(
        "spaces.in_past", spaces.book, card, seat, local(1, 9, 30), local(1, 10, 30), actor=SYSTEM
    )
    # Not on a slot boundary; the end before the start.
    _refused(
        "spaces.not_on_slot", spaces.book, card, seat, local(1, 11, 10), local(1, 12), actor=SYSTEM
    )
    _refused("request.invalid", spaces.book, card, seat, local(1, 12), local(1, 11), actor=SYSTEM)
    # Longer than the day allows (default rule: 240 minutes).
    error = _refused(
        "spaces.too_long", spaces.book, card, seat, local(1, 11), local(1, 15, 30), actor=SYSTEM
    )
    assert "240" in error.message("en")
    # Outside the hours (the branch closes at 22:00), said in local time.
    error = _refused(
        "spaces.closed", spaces.book, card, seat, local(1, 21), local(1, 22, 30), actor=SYSTEM
    )
    assert "2026-09-01 22:00" in error.message("en")
    # A unit that does not exist.
    _refused(
        "spaces.unit_not_found",
        spaces.book,
        card,
        999_999,
        local(1, 11),
        local(1, 12),
        actor=SYSTEM,
    )
    assert spaces.bookings_of(card, actor=SYSTEM) == []
    spaces.book(card, seat, local(1, 10), local(1, 11), actor=SYSTEM)  # the current slot: fine


def test_another_branch_s_closed_room_and_scope(spaces_library: SpacesLibrary) -> None:
    lib, services = spaces_library, spaces_library.services
    card = lib.reader().card_number
    room_unit = lib.unit(lib.study, "A1")
    # BR1 closes on 3 September (a holiday): its study room cannot be booked that day.
    services.calendars.set_calendar(
        "BR1", closed_weekdays=[], closed_days=[date(2026, 9, 3)], actor=SYSTEM
    )
    _refused(
        "spaces.closed",
        services.spaces.book,
        card,
        room_unit,
        local(3, 10),
        local(3, 11),
        actor=SYSTEM,
    )
    services.spaces.book(card, room_unit, local(2, 10), local(2, 11), actor=SYSTEM)
    # A desk bound to CEN books nothing at BR1; a reader books only for themselves.
    _refused(
        "access.branch_forbidden",
        services.spaces.book,
        card,
        room_unit,
        local(2, 12),
        local(2, 13),
        actor=Acting("staff", ("CEN",)),
    )
    _refused(
        "access.not_yours",
        services.spaces.book,
        card,
        room_unit,
        local(2, 12),
        local(2, 13),
        actor=reader_self("SOMEONE-ELSE"),
    )
    # A closed room is out of use.
    services.rooms.update_room(
        lib.study.id, name="研讨间", kind="study", enabled=False, grid="R", actor=SYSTEM
    )
    _refused(
        "spaces.unit_disabled",
        services.spaces.book,
        card,
        room_unit,
        local(2, 14),
        local(2, 15),
        actor=SYSTEM,
    )


def test_a_24_hour_room_books_across_midnight_but_not_into_a_holiday(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    services.rooms.set_rule(BookingRule("*", 600, 7, 2), actor=SYSTEM)
    card = lib.reader().card_number
    seat = lib.unit(lib.all_day, "A1")
    # 22:00 on the 1st to 02:00 on the 2nd, Shanghai: 14:00-18:00 UTC, all on the 1st in UTC.
    night = services.spaces.book(card, seat, local(1, 22), local(2, 2), actor=SYSTEM)
    assert (night.starts_at.day, night.ends_at.day) == (1, 1)
    assert night.ends_at.astimezone(local(1, 0).tzinfo).day == 2
    # The reading room closes at 22:00: the same hours are refused there.
    _refused(
        "spaces.closed",
        services.spaces.book,
        card,
        lib.unit(lib.reading, "A1"),
        local(1, 21),
        local(1, 23),
        actor=SYSTEM,
    )
    # A holiday on the 5th closes even the 24-hour room, from local midnight.
    services.calendars.set_calendar(
        "CEN", closed_weekdays=[], closed_days=[date(2026, 9, 5)], actor=SYSTEM
    )
    error = _refused(
        "spaces.closed", services.spaces.book, card, seat, local(4, 23), local(5, 1), actor=SYSTEM
    )
    assert "2026-09-05 00:00" in error.message("en")


def test_minutes_a_day_count_each_local_day_a_night_booking_touches(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    services.rooms.set_rule(BookingRule("*", 180, 7, 5), actor=SYSTEM)
    card = lib.reader().card_number
    a1, a2 = lib.unit(lib.all_day, "A1"), lib.unit(lib.all_day, "A2")
    services.spaces.book(card, a1, local(1, 22), local(2, 1), actor=SYSTEM)  # 120 + 60
    services.spaces.book(card, a2, local(2, 10), local(2, 12), actor=SYSTEM)  # 60 + 120 on the 2nd
    error = _refused(
        "spaces.too_long",
        services.spaces.book,
        card,
        a2,
        local(2, 14),
        local(2, 14, 30),
        actor=SYSTEM,
    )
    assert error.params == {"minutes": "180", "used": "180"}
    services.spaces.book(card, a2, local(1, 10), local(1, 11), actor=SYSTEM)  # the 1st: 180


def test_rules_per_category_days_ahead_and_bookings_at_once(spaces_library: SpacesLibrary) -> None:
    lib, services = spaces_library, spaces_library.services
    services.rooms.set_rule(BookingRule("student", 240, 2, 1), actor=SYSTEM)
    student, adult = lib.reader("student").card_number, lib.reader("adult").card_number
    seat = lib.unit(lib.reading, "A3")
    _refused(
        "spaces.too_far_ahead",
        services.spaces.book,
        student,
        seat,
        local(4, 10),
        local(4, 11),
        actor=SYSTEM,
    )
    services.spaces.book(student, seat, local(3, 10), local(3, 11), actor=SYSTEM)
    error = _refused(
        "spaces.at_once",
        services.spaces.book,
        student,
        seat,
        local(3, 12),
        local(3, 13),
        actor=SYSTEM,
    )
    assert error.params["count"] == "1"
    # Adults fall back to the built-in rule: a week ahead, two at once.
    services.spaces.book(adult, seat, local(8, 10), local(8, 11), actor=SYSTEM)
    services.spaces.book(adult, seat, local(8, 11), local(8, 12), actor=SYSTEM)
    _refused(
        "spaces.at_once",
        services.spaces.book,
        adult,
        seat,
        local(8, 12),
        local(8, 13),
        actor=SYSTEM,
    )
    _refused(
        "spaces.rule_invalid", services.rooms.set_rule, BookingRule("*", 45, 1, 1), actor=SYSTEM
    )
    _refused(
        "access.network_forbidden",
        services.rooms.set_rule,
        BookingRule("*", 60, 1, 1),
        actor=Acting("staff", ("CEN",)),
    )


def test_forged_expired_and_early_qr_codes_check_nobody_in(spaces_library: SpacesLibrary) -> None:
    lib, services = spaces_library, spaces_library.services
    spaces = services.spaces
    card = lib.reader().card_number
    seat = lib.unit(lib.reading, "A4")
    booking = spaces.book(card, seat, local(1, 10), local(1, 11), actor=SYSTEM)
    token = spaces.unit_token(seat)
    unit_id, epoch, signature = token.split(".")
    other_seat = lib.unit(lib.reading, "A5")
    for forged in (
        f"{other_seat}.{epoch}.{signature}",  # another seat's number under this signature
        f"{unit_id}.{int(epoch) + 1}.{signature}",
        f"{unit_id}.{epoch}.{signature[:-2]}AA",
        "garbage",
        "",
    ):
        _refused("spaces.qr_invalid", spaces.scan, forged, card, actor=SYSTEM)
    # Too early: check-in opens 15 minutes before the start.
    lib.clock.set(local(1, 9, 30))
    error = _refused("spaces.checkin_window", spaces.scan, token, card, actor=SYSTEM)
    assert error.params == {"opens": "2026-09-01 09:45", "closes": "2026-09-01 10:15"}
    # A reprinted code: the old one has expired.
    services.rooms.reprint(seat, actor=SYSTEM)
    lib.clock.set(local(1, 10, 5))
    _refused("spaces.qr_expired", spaces.scan, token, card, actor=SYSTEM)
    fresh = spaces.unit_token(seat)
    assert spaces.scan(fresh, card, actor=SYSTEM).booking.id == booking.id


def test_no_shows_are_released_counted_and_suspend_booking_until_a_date(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    spaces = services.spaces
    card = lib.reader().card_number
    seat = lib.unit(lib.reading, "B1")
    for day in (1, 2, 3):
        lib.clock.set(local(day, 8))
        spaces.book(card, seat, local(day, 10), local(day, 11), actor=SYSTEM)
        lib.clock.set(local(day, 10, 14))
        assert spaces.sweep().no_shows == 0  # still within the grace period
        lib.clock.set(local(day, 10, 15))
        assert spaces.sweep().no_shows == 1
        # Released at once: someone else takes the seat for the rest of the hour.
        walker = lib.reader().card_number
        walk = spaces.scan(spaces.unit_token(seat), walker, actor=SYSTEM)
        assert walk.outcome == "walk_in"
        assert walk.booking.starts_at == local(day, 10)
    suspension = spaces.suspension(card)
    assert suspension is not None
    assert suspension.no_shows == 3
    assert suspension.until == local(10, 10)  # the third no-show's start + 7 days
    error = _refused(
        "spaces.suspended", spaces.book, card, seat, local(4, 10), local(4, 11), actor=SYSTEM
    )
    assert "2026-09-10 10:00" in error.message("en")
    assert "3" in error.message("zh")
    lib.clock.set(local(10, 10))
    assert spaces.suspension(card) is None
    spaces.book(card, seat, local(10, 12), local(10, 13), actor=SYSTEM)


def test_a_leave_that_runs_out_releases_the_seat_and_sat_out_bookings_complete(
    spaces_library: SpacesLibrary,
) -> None:
    lib, spaces = spaces_library, spaces_library.services.spaces
    card, other = lib.reader().card_number, lib.reader().card_number
    a1, a2 = lib.unit(lib.reading, "A1"), lib.unit(lib.reading, "A2")
    lib.clock.set(local(1, 9))
    first = spaces.scan(spaces.unit_token(a1), card, actor=SYSTEM).booking  # walk-in
    assert (first.state, first.starts_at, first.ends_at) == (
        "checked_in",
        local(1, 9),
        local(1, 11),
    )
    second = spaces.book(other, a2, local(1, 9), local(1, 10), actor=SYSTEM)
    spaces.scan(spaces.unit_token(a2), other, actor=SYSTEM)
    spaces.step_away(first.id, actor=SYSTEM)
    lib.clock.set(local(1, 10))
    done = spaces.sweep()
    assert (done.leaves_expired, done.completed) == (1, 1)
    assert spaces.bookings_of(card, actor=SYSTEM)[0].state == "released"
    assert spaces.bookings_of(other, actor=SYSTEM)[0].id == second.id
    assert spaces.bookings_of(other, actor=SYSTEM)[0].state == "completed"
    _refused("spaces.booking_state", spaces.release, first.id, actor=SYSTEM)


def test_a_walk_in_near_closing_is_cut_at_closing(spaces_library: SpacesLibrary) -> None:
    lib, spaces = spaces_library, spaces_library.services.spaces
    lib.clock.set(local(1, 21, 10))
    booking = spaces.scan(
        spaces.unit_token(lib.unit(lib.reading, "B3")), lib.reader().card_number, actor=SYSTEM
    ).booking
    assert (booking.starts_at, booking.ends_at, booking.walk_in) == (
        local(1, 21),
        local(1, 22),
        True,
    )
    lib.clock.set(local(1, 22, 5))
    _refused(
        "spaces.closed",
        spaces.scan,
        spaces.unit_token(lib.unit(lib.reading, "B4")),
        lib.reader().card_number,
        actor=SYSTEM,
    )


def test_visits_are_counts_per_hour_and_name_nobody(spaces_library: SpacesLibrary) -> None:
    lib, services = spaces_library, spaces_library.services
    spaces = services.spaces
    door = spaces.door_token(lib.all_day.id)
    lib.clock.set(local(1, 23, 10))
    for _ in range(3):
        assert spaces.count_entry(door) == lib.all_day.id
    spaces.add_visits(lib.all_day.id, local(1, 23, 59), 40, actor=Acting("terminal", ("CEN",)))
    _refused("spaces.qr_invalid", spaces.count_entry, door + "x")
    _refused(
        "access.branch_forbidden",
        spaces.add_visits,
        lib.all_day.id,
        local(1, 23),
        5,
        actor=Acting("terminal", ("BR1",)),
    )
    assert spaces.visits(lib.all_day.id, local(1, 12)) == [(local(1, 23), 43)]
    columns = {c["name"] for c in inspect(services.db.engine).get_columns("space_visits")}
    assert columns == {"room_id", "hour", "entries"}


def test_ended_bookings_are_purged_after_the_retention_and_erased_with_the_reader(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    spaces = services.spaces
    reader = lib.reader()
    seat = lib.unit(lib.reading, "A1")
    old = spaces.book(reader.card_number, seat, local(1, 10), local(1, 11), actor=SYSTEM)
    spaces.release(old.id, actor=SYSTEM)
    lib.clock.set(local(2, 8))
    live = spaces.book(reader.card_number, seat, local(3, 10), local(3, 11), actor=SYSTEM)
    export = services.reader_rights.export(reader.card_number)
    assert [b["state"] for b in export["space_bookings"]] == ["cancelled", "booked"]
    lib.clock.set(local(1, 11) + timedelta(days=90, minutes=-1))
    assert spaces.prune() == 0
    lib.clock.set(local(1, 11) + timedelta(days=90, minutes=1))
    assert spaces.prune() == 1
    assert [b.id for b in spaces.bookings_of(reader.card_number, actor=SYSTEM, days=400)] == [
        live.id
    ]
    services.reader_rights.erase(reader.card_number)
    assert spaces.overlapping_pairs() == 0
    with services.db.read() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM space_bookings")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM space_slots")).scalar_one() == 0
