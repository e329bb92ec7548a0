"""What a reader meets on the seat pages beyond the plain booking (issue 19): a suspension
for no-shows says why and until when, on the list and when booking is refused; a free
seat's QR link books it now (walk-in); a temporary leave and the way back; and the
library's day in Asia/Shanghai while the server's own zone is UTC. Both engines."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.errors import ShelfwiseError
from shelfwise.spaces.models import BookingRule
from shelfwise.web import i18n
from spaces.spaces_helpers import SHANGHAI, SpacesLibrary, local
from spaces.test_spaces_pages import _csrf, _signed_in


def _no_shows(lib: SpacesLibrary, card: str, days: tuple[int, ...]) -> None:
    """One booking a day at 10:00 that nobody checks in: released 15 minutes later."""
    spaces = lib.services.spaces
    seat = lib.unit(lib.reading, "B5")
    for day in days:
        lib.clock.set(local(day, 8))
        spaces.book(card, seat, local(day, 10), local(day, 11), actor=SYSTEM)
        lib.clock.set(local(day, 10, 15))
        assert spaces.sweep().no_shows == 1


def test_a_suspended_reader_sees_why_and_until_when(spaces_library: SpacesLibrary) -> None:
    lib = spaces_library
    client, card = _signed_in(lib)
    _no_shows(lib, card, (1, 2, 3))
    lib.clock.set(local(4, 9))
    until = i18n.format_datetime(local(10, 10), "zh", SHANGHAI)  # the third + 7 days
    said = i18n.catalogue().format(
        "spaces.suspended", "zh", {"count": 3, "days": 30, "until": until}
    )
    mine = client.get("/spaces/mine")
    assert mine.status_code == 200
    assert f'<p class="notice no" role="alert">{said}</p>' in mine.text
    # Trying to book anyway: refused on the booking page with the same why and until.
    seat = lib.unit(lib.reading, "A1")
    refused = client.post(
        "/spaces/book",
        data={
            "unit": str(seat),
            "starts_at": local(4, 10).isoformat(),
            "ends_at": local(4, 11).isoformat(),
            "csrf": _csrf(client, "/spaces"),
        },
    )
    assert refused.status_code == 403
    assert "近 30 天内您有 3 次预约未签到，预约功能暂停至 2026-09-10 10:00。" in refused.text
    assert [b.state for b in lib.services.spaces.bookings_of(card, actor=SYSTEM)] == [
        "no_show",
        "no_show",
        "no_show",
    ]
    # When it has run out, the notice is gone and booking works again.
    lib.clock.set(local(10, 10))
    assert "notice no" not in client.get("/spaces/mine").text
    client.__exit__(None, None, None)


def test_a_free_seat_s_qr_link_books_it_now_and_a_leave_holds_it(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    spaces = lib.services.spaces
    client, card = _signed_in(lib)
    lib.clock.set(local(1, 14, 10))
    token = spaces.unit_token(lib.unit(lib.reading, "A4"))
    csrf = _csrf(client, "/spaces")
    walked = client.post(f"/spaces/s/{token}", data={"csrf": csrf})
    assert walked.headers["location"] == "/spaces/mine?done=walk_in"
    (booking,) = spaces.bookings_of(card, actor=SYSTEM)
    # From the current slot, for the walk-in length (two hours), checked in at once.
    assert (booking.starts_at, booking.ends_at) == (local(1, 14), local(1, 16))
    assert (booking.state, booking.walk_in) == ("checked_in", True)
    mine = client.get("/spaces/mine?done=walk_in").text
    assert i18n.catalogue().text("spaces.done.walk_in", "zh") in mine
    assert f'action="/spaces/bookings/{booking.id}/leave"' in mine

    left = client.post(f"/spaces/bookings/{booking.id}/leave", data={"csrf": csrf})
    assert left.headers["location"] == "/spaces/mine?done=away"
    away = spaces.bookings_of(card, actor=SYSTEM)[0]
    assert (away.state, away.away_until) == ("away", local(1, 14, 40))
    back_by = i18n.catalogue().format("spaces.away_until", "zh", {"time": "14:40"})
    assert back_by in client.get("/spaces/mine").text
    # Scanning the seat again within the leave: back in the seat.
    lib.clock.set(local(1, 14, 35))
    returned = client.post(f"/spaces/s/{token}", data={"csrf": csrf})
    assert returned.headers["location"] == "/spaces/mine?done=returned"
    back = spaces.bookings_of(card, actor=SYSTEM)[0]
    assert (back.state, back.away_until) == ("checked_in", None)
    # The same seat scanned by someone else while it is held: taken, said clearly.
    other, _ = _signed_in(lib, "1357")
    taken = other.post(f"/spaces/s/{token}", data={"csrf": _csrf(other, "/spaces")})
    assert taken.status_code == 409
    assert "该座位在所选时段已被预约" in taken.text
    client.__exit__(None, None, None)
    other.__exit__(None, None, None)


@pytest.fixture
def server_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own zone is UTC (a server as deployed), whatever this machine's is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_utc")
def test_the_library_s_day_is_shanghai_s_while_the_server_runs_in_utc(
    spaces_library: SpacesLibrary,
) -> None:
    lib, services = spaces_library, spaces_library.services
    spaces, rooms = services.spaces, services.rooms
    assert time.strftime("%Z") == "UTC"
    services.rooms.set_rule(BookingRule("*", 600, 0, 3), actor=SYSTEM)  # today only
    card = lib.reader().card_number
    a1, a2 = lib.unit(lib.all_day, "A1"), lib.unit(lib.all_day, "A2")
    # 23:00 on the 1st in Shanghai, booked that evening.
    lib.clock.set(local(1, 22))
    late = spaces.book(card, a1, local(1, 23), local(1, 23, 30), actor=SYSTEM)
    # 07:30 on the 2nd in Shanghai is 23:30 on the 1st in UTC: the server's date is
    # still the 1st, the library's is the 2nd.
    lib.clock.set(datetime(2026, 9, 1, 23, 30, tzinfo=UTC))
    assert services.clock.today().day == 2
    assert datetime.now().astimezone().utcoffset() == UTC.utcoffset(None)
    # Today (the 2nd) may be booked with days ahead 0; the 3rd is too far ahead.
    mine = spaces.book(card, a2, local(2, 10), local(2, 11), actor=SYSTEM)
    with pytest.raises(ShelfwiseError) as caught:
        spaces.book(card, a2, local(3, 10), local(3, 11), actor=SYSTEM)
    assert caught.value.code == "spaces.too_far_ahead"
    # The staff's "today" is the library's day: this morning's booking, not last night's.
    today = [b.id for b in rooms.day_bookings(lib.all_day.id, services.clock.now(), actor=SYSTEM)]
    assert today == [mine.id]
    assert late.id not in today
    # The live map starts at the library's current slot: 07:30 on the 2nd.
    assert rooms.now_window()[0] == local(2, 7, 30)
    client, _ = _signed_in(lib)
    page = client.get(f"/spaces/rooms/{lib.all_day.id}").text
    assert 'value="2026-09-02"' in page
    assert "<option selected>07:30</option>" in page
    # A time asked in the form is the library's wall clock: 10:00 on the 2nd is taken.
    asked = client.get(f"/spaces/rooms/{lib.all_day.id}?day=2026-09-02&start=10:00&slots=2")
    assert asked.text.count('class="seat taken"') == 1
    client.__exit__(None, None, None)
