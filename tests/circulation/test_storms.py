"""Storms D1–D3 (docs/requirements.md) on SQLite and PostgreSQL, through the service and REST.

Per-commit tier: 20 trials of each storm through the service (D1 with 16 readers) and 5
through a live HTTP server; ``--runslow`` runs 100 trials of each with 64 readers.
``bench/circulation_storms.py`` records the 100-trial run in docs/circulation.md.
Every trial checks the invariants in the database; the assertion lists every
violating trial.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from circ_helpers import LendingLibrary
from storms import StormResult, storm_holds, storm_limit, storm_one_item

from shelfwise.circulation.scope import SYSTEM
from shelfwise.testing.servers import live_server


@pytest.fixture(params=["service", "rest"])
def door(request: pytest.FixtureRequest, library: LendingLibrary) -> Iterator[str | None]:
    if request.param == "service":
        yield None
        return
    with live_server(library.services) as base:
        yield base


def _slow(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--runslow"))


def _trials(request: pytest.FixtureRequest, door: str | None) -> int:
    if _slow(request):
        return 100
    return 20 if door is None else 5


def _check(results: list[StormResult]) -> None:
    bad = [
        (i, r.violations, r.errors[:3]) for i, r in enumerate(results) if r.violations or r.errors
    ]
    assert bad == []


def test_d1_one_item_many_readers(
    library: LendingLibrary, door: str | None, request: pytest.FixtureRequest
) -> None:
    n = 64 if _slow(request) else 16
    cards = [library.reader(f"r{i}").card_number for i in range(n)]
    _check([storm_one_item(library, cards, door) for _ in range(_trials(request, door))])


def test_d2_limit_under_parallel_checkouts(
    library: LendingLibrary, door: str | None, request: pytest.FixtureRequest
) -> None:
    library.services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"loan_limit": 15}, actor=SYSTEM
    )
    card = library.reader("limit").card_number
    _check([storm_limit(library, card, 20, 15, door) for _ in range(_trials(request, door))])


def test_d3_concurrent_checkins_with_holds(
    library: LendingLibrary, door: str | None, request: pytest.FixtureRequest
) -> None:
    borrower = library.reader("borrower").card_number
    holders = [library.reader(f"h{i}").card_number for i in range(6)]
    _check(
        [storm_holds(library, borrower, holders, 8, door) for _ in range(_trials(request, door))]
    )
