"""The other counters of issue 21: wishes by state and the time to answer them, visits by
hour (gate counts, 24-hour rooms), story views, events' seats, registrations and attendance,
and kiosk sessions — each kept from its domain's outbox event, read with the k rule (P17),
and equal to the domain's own figures after a storm of registrations and cancellations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from sqlalchemy import text

from analytics.test_counters import storm
from shelfwise.analytics.models import TallyCell
from shelfwise.analytics.tallies import TOPICS
from shelfwise.circulation.scope import SYSTEM, Acting, reader_self
from shelfwise.core.clock import FrozenClock
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.wishes.models import WishDraft, WishKind, WishStatus
from spaces.spaces_helpers import SpacesLibrary, local, make_spaces_library
from spaces.test_events import new_event

NETWORK_STAFF = Acting("staff")


def deliver(services: Services) -> None:
    handlers = Runtime(services, follow_search=False).outbox_handlers()
    relay = Runtime(services, follow_search=False).outbox_relay({t: handlers[t] for t in TOPICS})
    relay.drain()


def figures(cells: tuple[TallyCell, ...], kind: str) -> dict[str, tuple[int | None, int | None]]:
    return {c.value: (c.events, c.amount) for c in cells if c.kind == kind}


def _post_and_answer(lib: SpacesLibrary, clock: FrozenClock, n: int) -> None:
    services = lib.services
    ids = []
    for i in range(n):
        card = lib.reader().card_number
        draft = WishDraft(WishKind.BOOK, f"想读的书 {i}", "读者", branch="CEN")
        ids.append(services.wishes.post(draft, actor=reader_self(card)).id)
    clock.advance(timedelta(hours=50))
    for wish_id in ids:
        services.wishes.move(wish_id, WishStatus.ACCEPTED, actor=SYSTEM)


def test_each_domain_counts_through_the_outbox_and_small_cells_are_hidden(
    services: Services, clock: FrozenClock
) -> None:
    lib = make_spaces_library(services, clock)
    spaces = services.spaces
    spaces.add_visits(lib.all_day.id, local(1, 9, 10), 7, actor=None)
    spaces.add_visits(lib.reading.id, local(1, 9, 40), 3, actor=None)
    spaces.add_visits(lib.reading.id, local(1, 10, 5), 2, actor=None)  # 2 < k: hidden
    spaces.add_visits(lib.study.id, local(1, 11, 0), 9, actor=None)  # BR1
    _post_and_answer(lib, clock, 6)

    event = new_event(lib, capacity=8)
    cards = [lib.reader().card_number for _ in range(7)]
    for card in cards:
        services.events.register(event.id, card, actor=reader_self(card))
    services.events.cancel(event.id, cards[0], actor=reader_self(cards[0]))
    clock.set(local(5, 13, 30))
    token = services.events.door_token(event.id)
    for card in cards[1:]:
        services.events.attend(token, card, actor=reader_self(card))

    story = services.stories.create("stats", documents.from_data({"title": {"zh": "故事"}}), "e")
    story = services.stories.act(story.id, "publish", "e")
    for _ in range(6):
        services.stories.views.viewed(story)
    draft = services.stories.create("draft", documents.from_data({"title": {"zh": "草稿"}}), "e")
    services.stories.views.viewed(draft)  # not readable: not counted
    assert services.stories.views.flush() == 6

    services.terminals.create(name="kiosk-1", password="pw-kiosk-1", branch="CEN", institution="SW")
    terminal = services.terminals.get("kiosk-1")
    assert terminal is not None
    services.terminals.record(terminal.id, transactions=40, failures=3)
    services.terminals.record(terminal.id, transactions=2, failures=1)

    deliver(services)
    deliver(services)  # nothing counted twice
    cells = services.analytics.tallies(
        (
            "visit",
            "visit_24h",
            "wish_posted",
            "wish_moved",
            "wish_answered",
            "event_seats",
            "event_registered",
            "event_attended",
            "story_view",
            "sip2",
        ),
        since=local(1, 0).date(),
        until=clock.today() + timedelta(days=5),
        branches="",
        actor=NETWORK_STAFF,
    )
    # 09:00 at CEN: 7 + 3; the 10:00 cell is hidden, and so is the smallest shown one with
    # it (secondary suppression), else the day's total would give it away.
    assert figures(cells, "visit") == {"09": (10, 0), "10": (None, None), "11": (None, None)}
    assert figures(cells, "visit_24h") == {"09": (7, 0)}
    assert figures(cells, "wish_posted") == {"book": (6, 0)}
    assert figures(cells, "wish_moved") == {"submitted": (6, 0), "accepted": (6, 0)}
    assert figures(cells, "wish_answered") == {"accepted": (6, 6 * 50 * 3600)}
    seats = figures(cells, "event_seats")
    assert seats == {str(event.id): (8, 0)}
    assert figures(cells, "event_registered") == {str(event.id): (6, 0)}
    assert figures(cells, "event_attended") == {str(event.id): (6, 0)}
    assert figures(cells, "story_view") == {str(story.id): (6, 0)}
    assert figures(cells, "sip2") == {"kiosk-1": (42, 4)}

    # The big screen's total: every entry of the day, hidden hours and all (7+3+2+9); at
    # the reading room's 10:00 alone 2 < k, hidden.
    day = local(1, 0).date()
    total = partial(services.analytics.tally_total, since=day, until=day, actor=NETWORK_STAFF)
    assert total("visit", branches="") == 21
    assert total("visit_24h", branches="BR1") is None
    # A manager of BR1 sees BR1 only: its 9 entries at 11:00, nothing of CEN.
    mine = services.analytics.tallies(
        ("visit",),
        since=local(1, 0).date(),
        until=clock.today(),
        branches="",
        actor=Acting("staff", ("BR1",)),
        by_branch=True,
    )
    assert [(c.branch, c.value, c.events) for c in mine] == [("BR1", "11", 9)]


def test_registrations_counted_equal_the_events_own_after_a_storm(
    services: Services, clock: FrozenClock
) -> None:
    """Registrations and cancellations racing (each cancellation promotes a waiting
    reader): the counters, delivered by the runtime's handler, equal the registrations."""
    lib = make_spaces_library(services, clock)
    events = services.events
    event = new_event(lib, capacity=10)
    early = [lib.reader().card_number for _ in range(12)]
    for card in early:
        events.register(event.id, card, actor=reader_self(card))
    late = [lib.reader().card_number for _ in range(12)]
    work: list[Callable[[], object]] = [
        partial(events.register, event.id, c, actor=reader_self(c)) for c in late
    ]
    work += [partial(events.cancel, event.id, c, actor=reader_self(c)) for c in early[:8]]
    work += [
        partial(services.spaces.add_visits, r, local(1, 9), 1, actor=None)
        for r in (lib.reading.id, lib.all_day.id) * 6
    ]
    outcomes = storm(work)
    assert outcomes["ok"] == len(work)
    deliver(services)
    with services.db.read() as conn:
        held = conn.execute(
            text(
                "SELECT count(*) FROM event_registrations WHERE event_id = :e"
                " AND state IN ('registered', 'attended')"
            ),
            {"e": event.id},
        ).scalar_one()
        entries = conn.execute(text("SELECT sum(entries) FROM space_visits")).scalar_one()
    cells = services.analytics.tallies(
        ("event_registered", "visit", "visit_24h"),
        since=local(1, 0).date(),
        until=local(6, 0).date(),
        branches="CEN",
        actor=NETWORK_STAFF,
    )
    assert held == 10
    assert figures(cells, "event_registered") == {str(event.id): (held, 0)}
    assert figures(cells, "visit") == {"09": (entries, 0)}
    assert figures(cells, "visit_24h") == {"09": (6, 0)}
