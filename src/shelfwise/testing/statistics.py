"""Generated statistics for demos, browser tests and the dashboard benchmark (issue 21): the
counters a library of a given size would have, made directly — not by lending — so a year
of a 10M-loan network can be had in a minute. What is generated is the counters' shape (one
row per day, branch, act and dimension value, reader-mark sets of about as many bits as
readers), not any reader: there are none.

Loans per day follow the week (busier at weekends) and a slow drift; returns, renewals and
holds follow the loans; the values of each dimension share a day's acts by fixed weights.
Visits by hour follow opening hours, with a 24-hour room through the night; wishes, terminal
sessions and events come a few a day.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

CATEGORIES = {"adult": 0.58, "child": 0.24, "senior": 0.12, "student": 0.06}
AGE_BANDS = {
    "0-6": 0.06, "7-12": 0.18, "13-17": 0.08, "18-29": 0.17,
    "30-44": 0.22, "45-59": 0.15, "60+": 0.12, "unknown": 0.02,
}  # fmt: skip
ITEM_TYPES = {"book": 0.86, "periodical": 0.08, "av": 0.06}
CLASSES: dict[str, float] = {
    f"clc:{c}": w
    for c, w in zip(
        "ABCDEFGHIJKNOPQRSTUVXZ",
        (1, 4, 3, 6, 2, 6, 9, 8, 30, 12, 10, 2, 3, 2, 4, 5, 11, 4, 1, 1, 1, 2),
        strict=True,
    )
}
ACT_SHARE = {"checkout": 1.0, "return": 0.97, "renewal": 0.22, "hold": 0.08}
# Entries per hour of the day (local), as a share of the day's visits.
HOURS = [0.002] * 7 + [0.02, 0.07, 0.09, 0.09, 0.08, 0.07, 0.08, 0.09, 0.09, 0.08, 0.07, 0.06]
HOURS += [0.04, 0.03, 0.01, 0.004, 0.002]
WEEK = (0.9, 0.85, 0.85, 0.9, 1.0, 1.35, 1.3)  # Monday first


@dataclass(frozen=True, slots=True)
class Shape:
    """The library generated: its branches (ids), its days and how much it lends."""

    branch_ids: Sequence[int]
    until: date
    days: int
    loans: int  # over all the days and branches
    seed: int = 21


def _marks(rng: random.Random, readers: int) -> dict[str, int]:
    if readers >= 180:  # about as full as a set of that many readers gets
        bits = rng.getrandbits(256) | rng.getrandbits(256) & rng.getrandbits(256)
    else:
        bits = 0
        for bit in rng.sample(range(256), readers):
            bits |= 1 << bit
    words = [(bits >> (64 * i)) & ((1 << 64) - 1) for i in range(4)]
    return {f"marks_{i}": w - (1 << 64) if w >= 1 << 63 else w for i, w in enumerate(words)}


def _share(n: int, weights: dict[str, float]) -> Iterator[tuple[str, int]]:
    total = sum(weights.values())
    for value, weight in weights.items():
        part = round(n * weight / total)
        if part > 0:
            yield value, part


def activity_rows(shape: Shape) -> Iterator[dict[str, Any]]:
    """The loan counters' rows (``analytics_activity``) of the shape."""
    rng = random.Random(shape.seed)
    per_day = shape.loans / max(1, shape.days * len(shape.branch_ids))
    dimensions: dict[str, dict[str, float]] = {
        "category": CATEGORIES,
        "age_band": AGE_BANDS,
        "item_type": ITEM_TYPES,
        "main_class": CLASSES,
    }
    for back in range(shape.days):
        day = shape.until - timedelta(days=back)
        for n_branch, branch_id in enumerate(shape.branch_ids):
            scale = WEEK[day.weekday()] * (1.4 if n_branch == 0 else 0.8)
            for kind, share in ACT_SHARE.items():
                n = max(0, round(rng.gauss(per_day * share * scale, per_day * share * 0.1)))
                if n == 0:
                    continue
                key = {"day": day, "branch_id": branch_id, "kind": kind}
                readers = max(1, round(n * 0.8))
                yield {**key, "dimension": "all", "value": "all", "events": n,
                       **_marks(rng, min(256, readers))}  # fmt: skip
                for dimension, weights in dimensions.items():
                    if kind == "hold" and dimension == "item_type":
                        weights = {"-": 1.0}
                    for value, part in _share(n, weights):
                        yield {**key, "dimension": dimension, "value": value, "events": part,
                               **_marks(rng, min(256, max(1, round(part * 0.8))))}  # fmt: skip


def tally_rows(shape: Shape, visits_per_day: int = 600) -> Iterator[dict[str, Any]]:
    """Visits by hour (a 24-hour room at the first branch), wishes, terminal sessions and
    events of the shape (``analytics_tallies``)."""
    rng = random.Random(shape.seed + 1)
    empty = {f"marks_{i}": 0 for i in range(4)}
    for back in range(shape.days):
        day = shape.until - timedelta(days=back)
        for n_branch, branch_id in enumerate(shape.branch_ids):
            base = {"day": day, "branch_id": branch_id, "amount": 0, **empty}
            scale = WEEK[day.weekday()] * (1.5 if n_branch == 0 else 0.7)
            for hour, share in enumerate(HOURS):
                n = round(visits_per_day * share * scale * rng.uniform(0.8, 1.2))
                if n:
                    yield {**base, "kind": "visit", "value": f"{hour:02d}", "events": n}
                    if n_branch == 0 and (hour < 8 or hour > 20 or rng.random() < 0.3):
                        night = max(1, n // 3) if hour < 8 or hour > 20 else n // 5
                        if night:
                            yield {**base, "kind": "visit_24h", "value": f"{hour:02d}",
                                   "events": night}  # fmt: skip
            sessions = round(40 * scale)
            for terminal in (f"kiosk-{branch_id}-1", f"kiosk-{branch_id}-2"):
                failed = rng.choice((0, 0, 1, 2, 5))
                yield {**base, "kind": "sip2", "value": terminal, "events": sessions,
                       "amount": failed}  # fmt: skip
            wishes = rng.randint(5, 12)
            marks = _marks(rng, wishes)
            yield {**base, **marks, "kind": "wish_moved", "value": "submitted", "events": wishes}
            answered = rng.randint(5, 10)
            for state, amount in (("accepted", 0.7), ("declined", 0.3)):
                part = max(5, round(answered * amount))
                yield {**base, **_marks(rng, part), "kind": "wish_moved", "value": state,
                       "events": part}  # fmt: skip
                yield {**base, **_marks(rng, part), "kind": "wish_answered", "value": state,
                       "events": part, "amount": part * rng.randint(2, 9) * 86400}  # fmt: skip
