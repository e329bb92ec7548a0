"""The counters rolled up by the database (issue 21, the dashboards at 10M loans): on
generated counters, the wishes' cells summed and mark-ORed in SQL equal the day-by-day
computation in Python (the reader count of a cell is the union of its days' marks, so the
same cells are hidden below k), and the collection's one read of loans by branch and class
gives the same two reports as asking by class and by branch."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from shelfwise.analytics.cells import ActTally, Key, Tally, acted_cells, mark_words, suppress
from shelfwise.analytics.tallies import COUNTED, NETWORK
from shelfwise.catalogue.models import BranchKind
from shelfwise.circulation.scope import Acting
from shelfwise.services import Services

STAFF = Acting("staff")
UNTIL = date(2026, 3, 10)
DAYS = 90
RARE = ("av", "ordered")
KINDS = ("wish_posted", "wish_moved", "wish_answered", "visit")
VALUES = {
    "wish_posted": ("book", "av"),
    "wish_moved": ("submitted", "accepted", "declined", "ordered"),
    "wish_answered": ("accepted", "declined"),
    "visit": ("09", "10", "11"),
}


def _branches(services: Services) -> dict[int, str]:
    for code in ("CEN", "EAS", "WES"):
        kind = BranchKind.CENTRAL if code == "CEN" else BranchKind.BRANCH
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    with services.db.read() as conn:
        rows = conn.execute(text("SELECT id, code FROM branches")).all()
    return {int(r.id): str(r.code) for r in rows}


def _marks(rng: random.Random, readers: int, pool: range) -> dict[str, int]:
    """The set of ``readers`` marks of a small pool (so days share readers), as words."""
    words = [0, 0, 0, 0]
    for mark in rng.sample(pool, readers):
        for i, w in enumerate(mark_words(mark)):
            words[i] |= w
    return {f"marks_{i}": w for i, w in enumerate(words)}


def _tally_rows(rng: random.Random, branch_ids: list[int]) -> list[dict[str, Any]]:
    """A few wishes and visits a day at each branch and the network, many cells of fewer
    than k readers on a day and not over a month."""
    rows = []
    for back in range(DAYS):
        day = UNTIL - timedelta(days=back)
        for branch_id in [NETWORK, *branch_ids]:
            for kind, values in VALUES.items():
                for value in values:
                    if rng.random() < 0.5:
                        continue
                    # Few readers want AV or see a wish ordered: hidden over any period.
                    pool = range(0, 111, 37) if value in RARE else range(0, 256, 23)
                    readers = rng.randint(1, 3)
                    counted = kind in COUNTED
                    rows.append(
                        {
                            "day": day,
                            "branch_id": branch_id,
                            "kind": kind,
                            "value": value,
                            "events": readers + rng.randint(0, 3),
                            "amount": rng.randint(0, 9) * 3600,
                            **_marks(rng, 0 if counted else readers, pool),
                        }
                    )
    return rows


def _by_hand(
    rows: list[dict[str, Any]],
    names: dict[int, str],
    grain: str | None,
    by_branch: bool,
    only: int | None,
) -> list[tuple[Any, ...]]:
    """The cells as the dashboards read them before the roll-up: every day's row ORed in."""
    found: dict[str, dict[Key, Tally]] = {}
    amounts: dict[tuple[str, Key], int] = {}
    for row in rows:
        if only is not None and row["branch_id"] != only:
            continue
        day: date = row["day"]
        period = {None: None, "day": day.isoformat(), "month": day.strftime("%Y-%m")}[grain]
        key = (period, names[row["branch_id"]] if by_branch else None, row["value"])
        kind = row["kind"]
        tally = found.setdefault(kind, {}).setdefault(
            key, ActTally() if kind in COUNTED else Tally()
        )
        tally.add(row["events"], [row[f"marks_{i}"] for i in range(4)])
        amounts[(kind, key)] = amounts.get((kind, key), 0) + row["amount"]
    out = []
    for kind in KINDS:
        for cell in suppress(found.get(kind, {}), 5):
            key = (cell.period, cell.branch, cell.value)
            amount = None if cell.events is None else amounts[(kind, key)]
            out.append((kind, cell.period, cell.branch, cell.value, cell.events, amount))
    return out


@pytest.mark.parametrize("grain", [None, "day", "month"])
def test_wishes_rolled_up_by_the_database_equal_the_day_by_day_cells(
    services: Services, grain: str | None
) -> None:
    ids = _branches(services)
    names = {**ids, NETWORK: ""}
    rows = _tally_rows(random.Random(21), sorted(ids))
    services.analytics.load_counters([], rows)
    since = UNTIL - timedelta(days=69)  # the first days are outside the question
    asked = [r for r in rows if r["day"] >= since]
    assert services.analytics.policy.min_readers == 5
    seen_hidden = seen_shown = False
    for branches, only in (("", None), ("EAS", next(i for i, c in ids.items() if c == "EAS"))):
        for by_branch in (False, True):
            cells = services.analytics.tallies(
                KINDS,
                since=since,
                until=UNTIL,
                branches=branches,
                actor=STAFF,
                grain=grain,
                by_branch=by_branch,
            )
            got = [(c.kind, c.period, c.branch, c.value, c.events, c.amount) for c in cells]
            assert got == _by_hand(asked, names, grain, by_branch, only), (branches, by_branch)
            marked = [c for c in cells if c.kind != "visit"]
            seen_hidden |= any(c.events is None for c in marked)
            seen_shown |= any(c.events is not None for c in marked)
    assert seen_hidden  # the marks decided, both ways
    assert seen_shown


def _loan_rows(rng: random.Random, branch_ids: list[int]) -> list[dict[str, Any]]:
    """Generated loans, each counted as circulation counts it (a cell per dimension), the
    cells of one key added up (one batch may not upsert a key twice)."""
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    for back in range(40):
        day = UNTIL - timedelta(days=back)
        for _ in range(rng.randint(0, 6)):
            branch_id = rng.choice(branch_ids[:2]) if rng.random() < 0.9 else branch_ids[2]
            main_class = rng.choice(("clc:I", "clc:K", "clc:TP", "clc:Z"))
            # Three readers borrow at the third branch or from class Z: hidden below k.
            rare = branch_id == branch_ids[2] or main_class == "clc:Z"
            act = {
                "day": day.isoformat(),
                "branch_id": branch_id,
                "kind": "checkout",
                "category": rng.choice(("adult", "child")),
                "birth_year": 1990,
                "item_type": "book",
                "reader_mark": rng.choice((0, 11, 22)) if rare else rng.randrange(33, 256, 11),
            }
            for row in acted_cells(act, main_class):
                key = tuple(row[k] for k in ("day", "branch_id", "kind", "dimension", "value"))
                if key in cells:
                    cells[key]["events"] += 1
                    for i in range(4):
                        cells[key][f"marks_{i}"] |= row[f"marks_{i}"]
                else:
                    cells[key] = row
    return list(cells.values())


@pytest.mark.parametrize("branches", ["", "EAS"])
def test_loans_by_class_and_branch_read_once_equal_the_two_questions(
    services: Services, branches: str
) -> None:
    ids = _branches(services)
    services.analytics.load_counters(_loan_rows(random.Random(7), sorted(ids)), [])
    analytics = services.analytics
    since = UNTIL - timedelta(days=29)
    by_class, by_branch = analytics.two_ways(
        "checkout", "main_class", since=since, until=UNTIL, branches=branches, actor=STAFF
    )
    for by, got in (("main_class", by_class), ("branch", by_branch)):
        asked = analytics.question("checkout", by, since, UNTIL, branches)
        assert got.cells == analytics.report(asked, actor=STAFF).cells, by
        assert got.question.by == (by,)
    shown = [c.events for c in by_class.cells + by_branch.cells]
    assert None in shown  # some hidden below k, some not
    assert any(shown)
