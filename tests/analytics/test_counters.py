"""The statistics' counters (issue 21 item 1): kept from circulation's acts through the
outbox, equal to a recount from the loans and holds themselves after a storm, holding no
reader id, and hiding every cell of fewer than k readers (P17)."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import inspect, text

from analytics.helpers import StatsLibrary
from shelfwise.analytics.cells import age_band
from shelfwise.circulation.activity import LOAN_ACTIVITY, reader_mark
from shelfwise.circulation.scope import SYSTEM, Acting, reader_self
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.runtime import Runtime
from shelfwise.storage.outbox import OutboxRelay

Key = tuple[str, int, str, str, str]  # day, branch id, kind, dimension, value


def deliver(stats: StatsLibrary, relays: int = 2) -> None:
    """Deliver the acts with the runtime's own handler, by several relays at once (each
    claims its events; a redelivery must not count twice)."""
    services = stats.services
    handler = Runtime(services).outbox_handlers()[LOAN_ACTIVITY]
    workers = [
        OutboxRelay(services.db, services.clock, {LOAN_ACTIVITY: handler}, batch_size=7)
        for _ in range(relays)
    ]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert OutboxRelay(services.db, services.clock, {LOAN_ACTIVITY: handler}).drain() == 0


def storm(work: list[Callable[[], object]]) -> Counter[str]:
    """Run every piece of work at once; the outcome of each ('ok' or a refusal code)."""
    barrier = threading.Barrier(len(work))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def body(job: Callable[[], object]) -> None:
        barrier.wait()
        try:
            job()
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=body, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def stored(stats: StatsLibrary) -> dict[Key, tuple[int, int]]:
    """The counters as kept: (events, the reader-mark set as one 256-bit number)."""
    with stats.services.db.read() as conn:
        rows = conn.execute(text("SELECT * FROM analytics_activity")).mappings().all()
    found: dict[Key, tuple[int, int]] = {}
    for r in rows:
        marks = sum((int(r[f"marks_{i}"]) & (2**64 - 1)) << (64 * i) for i in range(4))
        key = (_day(r["day"]), int(r["branch_id"]), r["kind"], r["dimension"], r["value"])
        found[key] = (int(r["events"]), marks)
    return found


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _local(stats: StatsLibrary, moment: Any) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return str(moment.astimezone(stats.services.clock.zone).date().isoformat())


def recount(stats: StatsLibrary, renewed_on: dict[int, list[str]]) -> dict[Key, tuple[int, int]]:
    """The same counters recomputed from the loans, holds, readers and records."""
    with stats.services.db.read() as conn:
        loans = conn.execute(
            text(
                "SELECT l.id, l.reader_id, l.branch_id, l.returned_branch_id, l.item_type,"
                " l.reader_category, l.loaned_at, l.returned_at, l.renewals, i.record_id,"
                " r.birth_year FROM loans l JOIN items i ON i.id = l.item_id"
                " JOIN readers r ON r.id = l.reader_id"
            )
        ).all()
        holds = conn.execute(
            text(
                "SELECT h.reader_id, h.pickup_branch_id, h.record_id, h.placed_at, r.category,"
                " r.birth_year FROM holds h JOIN readers r ON r.id = h.reader_id"
            )
        ).all()
    acts: list[tuple[str, str, int, str, str, int, int, int | None]] = []
    for loan in loans:
        common = (loan.item_type, loan.reader_category, loan.record_id, loan.reader_id)
        acts.append(
            ("checkout", _local(stats, loan.loaned_at), loan.branch_id, *common, loan.birth_year)
        )
        if loan.returned_at is not None:
            day = _local(stats, loan.returned_at)
            acts.append(("return", day, loan.returned_branch_id, *common, loan.birth_year))
        assert len(renewed_on.get(loan.id, [])) == loan.renewals
        for day in renewed_on.get(loan.id, []):
            acts.append(("renewal", day, loan.branch_id, *common, loan.birth_year))
    for hold in holds:
        day = _local(stats, hold.placed_at)
        common = ("", hold.category, hold.record_id, hold.reader_id)
        acts.append(("hold", day, hold.pickup_branch_id, *common, hold.birth_year))
    expected: dict[Key, tuple[int, int]] = {}
    for kind, day, branch, item_type, category, record, reader, born in acts:
        values = {
            "all": "all",
            "category": category,
            "age_band": age_band(born, date.fromisoformat(day)),
            "item_type": item_type or "-",
            "main_class": stats.titles[record],
        }
        mark = reader_mark(reader)
        assert mark is not None  # every loan here keeps its reader (they keep a history)
        for dimension, value in values.items():
            key = (day, int(branch), kind, dimension, value)
            events, marks = expected.get(key, (0, 0))
            expected[key] = (events + 1, marks | (1 << mark))
    return expected


def test_counters_equal_a_recount_after_a_storm_of_loans_returns_renewals_and_holds(
    stats: StatsLibrary, clock: FrozenClock
) -> None:
    circulation = stats.services.circulation
    rng = random.Random(21)
    shelves = {
        "CEN": [b for c in ("clc:K", "clc:T", "ddc:900", None) for b in stats.title(c, 3)],
        "BR1": [b for c in ("kdc:800", "clc:K") for b in stats.title(c, 3, "BR1")],
    }
    people = [
        (f"r{i}", rng.choice(["adult", "child"]), rng.choice([1950, 1990, 2015])) for i in range(10)
    ]
    cards = [stats.reader(n, c, y).card_number for n, c, y in people]
    copies = [(branch, b) for branch, barcodes in shelves.items() for b in barcodes]

    # Day one: every reader grabs at three copies at once (contended: some are refused).
    first = storm(
        [
            (partial(circulation.checkout, card, b, br, actor=SYSTEM))
            for card in cards
            for br, b in rng.sample(copies, 3)
        ]
    )
    assert first["ok"] >= 10
    assert first.get("circ.item_on_loan", 0) + first["ok"] == 30
    clock.advance(timedelta(days=1))
    day_two = clock.today().isoformat()

    with stats.services.db.read() as conn:
        open_loans = conn.execute(
            text(
                "SELECT l.id, i.barcode, r.card_number FROM loans l JOIN items i ON i.id = l.item_id"
                " JOIN readers r ON r.id = l.reader_id WHERE l.returned_at IS NULL"
            )
        ).all()
        record_ids = [int(i) for i in conn.execute(text("SELECT id FROM records")).scalars()]
    renewed_on: dict[int, list[str]] = {}
    lock = threading.Lock()

    def renew(loan_id: int, card: str, barcode: str) -> None:
        circulation.renew(card, barcode, actor=reader_self(card))
        with lock:
            renewed_on.setdefault(loan_id, []).append(day_two)

    # Day two: returns at either branch, renewals, holds and new loans, all at once.
    work: list[Callable[[], object]] = []
    for n, loan in enumerate(open_loans):
        if n % 2 == 0:
            here = "BR1" if n % 4 == 0 else "CEN"
            work.append(partial(circulation.checkin, loan.barcode, here, actor=SYSTEM))
        else:
            work.append(partial(renew, int(loan.id), loan.card_number, loan.barcode))
    for card in cards[:6]:
        record = rng.choice(record_ids)
        work.append(partial(circulation.place_hold, card, record, "CEN", actor=SYSTEM))
    for card in cards[6:]:
        br, b = rng.choice(copies)
        work.append(partial(circulation.checkout, card, b, br, actor=SYSTEM))
    second = storm(work)
    assert second["ok"] >= len(open_loans) // 2

    deliver(stats)
    expected = recount(stats, renewed_on)
    kept = stored(stats)
    assert {k[2] for k in expected} >= {"checkout", "return", "renewal"}
    assert kept == expected


def test_a_redelivered_act_counts_once_and_the_wiring_is_the_runtimes(
    stats: StatsLibrary,
) -> None:
    (barcode,) = stats.title("clc:K", 1)
    card = stats.reader("once").card_number
    stats.services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
    handler = Runtime(stats.services).outbox_handlers()[LOAN_ACTIVITY]
    relay = OutboxRelay(stats.services.db, stats.services.clock, {LOAN_ACTIVITY: handler})
    events = relay._claim_batch()
    assert [e.payload["kind"] for e in events] == ["checkout"]
    assert "reader_id" not in events[0].payload  # the outbox carries no reader id either
    handler(events[0])
    handler(events[0])  # at least once: a second delivery of the same event
    rows = stored(stats)
    assert {k[3]: v[0] for k, v in rows.items()} == {
        "all": 1,
        "category": 1,
        "age_band": 1,
        "item_type": 1,
        "main_class": 1,
    }


def test_no_analytics_table_holds_a_reader_id(stats: StatsLibrary) -> None:
    """P17: the schema as migrated, read from the database itself."""
    schema = inspect(stats.services.db.engine)
    # The recommend tables are not statistics: recommend_borrowings keeps consenting readers'
    # borrowings by design (P11, docs/recommendations.md); tests/recommend holds the rest.
    tables = [t for t in schema.get_table_names() if t.startswith("analytics")]
    assert "analytics_activity" in tables
    personal = ("reader", "card", "patron", "name", "borrower", "user", "email", "phone")
    for table in tables:
        columns = [c["name"] for c in schema.get_columns(table)]
        assert not [c for c in columns if any(p in c for p in personal)], (table, columns)
        targets = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not targets & {"readers", "loans", "holds", "staff"}, (table, targets)


def _canary_library(stats: StatsLibrary) -> str:
    """Six ordinary adults borrow one book each; a canary reader (no consent to anything,
    the only one of their category and age) borrows six; one adult borrows six more at BR1;
    five more adults borrow one each at BR2."""
    barcodes = stats.title("clc:K", 23)
    services = stats.services
    adults = [
        services.readers.register(name=f"a{i}", category="adult", birth_year=1990).reader
        for i in range(6)
    ]
    canary = services.readers.register(name="canary", category="senior", birth_year=1931).reader
    for i, reader in enumerate(adults):
        services.circulation.checkout(reader.card_number, barcodes[i], "CEN", actor=SYSTEM)
    for barcode in barcodes[6:12]:
        services.circulation.checkout(canary.card_number, barcode, "CEN", actor=SYSTEM)
    for barcode in barcodes[12:18]:
        services.circulation.checkout(adults[0].card_number, barcode, "BR1", actor=SYSTEM)
    for i, barcode in enumerate(barcodes[18:23]):
        card = services.readers.register(name=f"d{i}", category="adult", birth_year=1990)
        services.circulation.checkout(card.reader.card_number, barcode, "BR2", actor=SYSTEM)
    deliver(stats, relays=1)
    return canary.category


def test_a_canary_reader_never_shows_in_a_cell_below_k(stats: StatsLibrary) -> None:
    category = _canary_library(stats)
    analytics = stats.services.analytics
    assert analytics.policy.min_readers == 5
    today = stats.services.clock.today()

    def cells(by: str) -> dict[tuple[str | None, str | None], int | None]:
        report = analytics.report(analytics.question("checkout", by, today, today), actor=SYSTEM)
        return {(c.branch, c.value): c.events for c in report.cells}

    by_category = cells("branch,category")
    assert by_category[("CEN", category)] is None  # the canary's own cell: 6 loans, 1 reader
    # and the adults' cell beside it, or the total would give the canary's count away
    assert by_category[("CEN", "adult")] is None
    assert cells("branch,age_band")[("CEN", "60+")] is None
    by_branch = cells("branch")
    assert by_branch[("CEN", None)] == 12  # seven different readers: shown
    # Six loans of one reader at BR1: as many loans as k, one reader: hidden; and BR2, the
    # smallest beside it, or the network's total would give BR1's count away.
    assert by_branch[("BR1", None)] is None
    assert by_branch[("BR2", None)] is None


def test_questions_are_checked_and_staff_see_their_branches(stats: StatsLibrary) -> None:
    _canary_library(stats)
    analytics = stats.services.analytics
    today = stats.services.clock.today()
    for args, code in (
        (("loans", "day"), "analytics.bad_kind"),
        (("checkout", "week"), "analytics.bad_grouping"),
        (("checkout", "day,month"), "analytics.bad_grouping"),
        (("checkout", "category,age_band"), "analytics.bad_grouping"),
    ):
        with pytest.raises(ShelfwiseError) as refused:
            analytics.question(*args, today, today)
        assert refused.value.code == code
    with pytest.raises(ShelfwiseError) as refused:
        analytics.question("checkout", "day", today, today - timedelta(days=1))
    assert refused.value.code == "analytics.bad_period"

    question = analytics.question("checkout", "branch", today, today)
    everything = analytics.report(question, actor=Acting("staff"))
    assert {c.branch for c in everything.cells} == {"CEN", "BR1", "BR2"}
    mine = analytics.report(question, actor=Acting("staff", ("BR1",)))
    assert {c.branch for c in mine.cells} == {"BR1"}
    other = analytics.question("checkout", "branch", today, today, "CEN")
    with pytest.raises(ShelfwiseError) as refused:
        analytics.report(other, actor=Acting("staff", ("BR1",)))
    assert refused.value.code == "access.branch_forbidden"
    with pytest.raises(ShelfwiseError) as refused:
        analytics.report(question, actor=reader_self("X"))
    assert refused.value.code == "access.not_yours"
