"""Storms on the wall: many readers at once, each alone allowed, the constraint decides."""

from __future__ import annotations

import threading
from collections import Counter

from shelfwise.circulation.scope import reader_self
from shelfwise.core.errors import ShelfwiseError
from wishes.wish_helpers import WishLibrary

SUPPORTERS = 64


def _storm(work: list[object]) -> Counter[str]:
    barrier = threading.Barrier(len(work))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def body(call: object) -> None:
        barrier.wait()
        try:
            call()  # type: ignore[operator]
            outcome = "ok"
        except ShelfwiseError as exc:
            outcome = exc.code
        except Exception as exc:  # an engine error is a failure of the storm
            outcome = f"error:{type(exc).__name__}:{exc}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=body, args=(w,)) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def test_64_readers_support_one_wish_at_once(lib: WishLibrary) -> None:
    wish_id = lib.post(lib.reader())
    fans = [lib.reader() for _ in range(SUPPORTERS)]
    wishes = lib.services.wishes

    def support(card: str) -> object:
        return lambda: wishes.support(wish_id, actor=reader_self(card), notify=True)

    outcomes = _storm([support(f.card_number) for f in fans])
    assert outcomes == Counter({"ok": SUPPORTERS})
    assert wishes.get(wish_id).supporters == SUPPORTERS
    assert lib.count("SELECT count(*) FROM wish_supports") == SUPPORTERS
    assert lib.count("SELECT count(DISTINCT reader_id) FROM wish_supports") == SUPPORTERS


def test_one_reader_supporting_many_times_at_once_counts_once(lib: WishLibrary) -> None:
    wish_id = lib.post(lib.reader())
    fan = lib.reader()
    wishes = lib.services.wishes
    outcomes = _storm([lambda: wishes.support(wish_id, actor=reader_self(fan.card_number))] * 8)
    assert outcomes == Counter({"ok": 1, "wishes.already_supported": 7})
    assert wishes.get(wish_id).supporters == 1


def test_one_reader_posting_at_once_stays_within_the_monthly_limit(lib: WishLibrary) -> None:
    reader = lib.reader()
    limit = lib.services.wishes.policy.per_month
    outcomes = _storm([lambda n=n: lib.post(reader, f"书 {n}") for n in range(limit + 4)])
    assert outcomes == Counter({"ok": limit, "wishes.over_limit": 4})
    assert lib.count("SELECT count(*) FROM wishes") == limit
