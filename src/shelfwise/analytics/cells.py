"""The arithmetic of the counters, pure: which cells an act adds to, and how cells roll up.

Each act adds one to a cell per dimension (``all``, its reader category, its age band, its
item type, its record's main class) and sets its reader mark's bit in that cell's 256-bit
set. Rolling cells up (days into months, values into a total) adds the counts and ORs the
sets. The population of a set is never more than the number of different readers behind
it (two readers may share a mark, one reader never sets two bits), so hiding a cell whose
set has fewer than k bits hides every cell of fewer than k readers — and some cells of k or
more, the price of keeping no reader id (P17, docs/analytics.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shelfwise.analytics.models import AGE_BANDS, UNKNOWN, Cell
from shelfwise.storage.tables.analytics import MARK_WORDS

WORD = 64
_MASK = (1 << WORD) - 1


def age_band(birth_year: int | None, day: date) -> str:
    """The reader's age band on ``day`` from the birth year alone (the year is all the
    library keeps: an age at most one year high)."""
    if birth_year is None or birth_year > day.year:
        return UNKNOWN
    age = day.year - birth_year
    for first, last, label in AGE_BANDS:
        if age >= first and (last is None or age <= last):
            return label
    return UNKNOWN


def mark_words(mark: int | None) -> tuple[int, ...]:
    """The set holding one reader mark, as the four signed 64-bit words the table stores."""
    words = [0] * MARK_WORDS
    if mark is not None:
        words[mark // WORD] = 1 << (mark % WORD)
    return tuple(_signed(w) for w in words)


def _signed(word: int) -> int:
    return word - (1 << WORD) if word >= 1 << (WORD - 1) else word


def _unsigned(word: int) -> int:
    return int(word) & _MASK


def acted_cells(act: Mapping[str, Any], main_class: str) -> list[dict[str, Any]]:
    """The rows one act adds to (one per dimension), each with one event and its mark."""
    day = date.fromisoformat(str(act["day"]))
    values = {
        "all": "all",
        "category": str(act["category"] or UNKNOWN),
        "age_band": age_band(act.get("birth_year"), day),
        "item_type": str(act["item_type"] or "-"),
        "main_class": main_class,
    }
    words = mark_words(act.get("reader_mark"))
    return [
        {
            "day": day,
            "branch_id": int(act["branch_id"]),
            "kind": str(act["kind"]),
            "dimension": dimension,
            "value": value[:32],
            "events": 1,
            **{f"marks_{i}": w for i, w in enumerate(words)},
        }
        for dimension, value in values.items()
    ]


@dataclass(slots=True)
class Tally:
    events: int = 0
    marks: list[int] = field(default_factory=lambda: [0] * MARK_WORDS)

    def add(self, events: int, words: Iterable[int]) -> None:
        self.events += events
        for i, w in enumerate(words):
            self.marks[i] |= _unsigned(w)

    @property
    def readers_at_least(self) -> int:
        return sum(w.bit_count() for w in self.marks)


@dataclass(slots=True)
class ActTally(Tally):
    """A count of acts that name nobody (a gate count, a story view): each act is at least
    one person, and nothing bounds them better, so the k rule reads the count itself."""

    @property
    def readers_at_least(self) -> int:
        return self.events


@dataclass(slots=True)
class FactTally(Tally):
    """A figure that is not people (an event's seats): never hidden."""

    @property
    def readers_at_least(self) -> int:
        return 1 << 30


Key = tuple[str | None, str | None, str | None]  # (period, branch, value)


def suppress(tallies: Mapping[Key, Tally], min_readers: int) -> list[Cell]:
    """Cells in key order, those of fewer than ``min_readers`` marks hidden (P17).

    Hiding one cell of a breakdown whose other cells are shown would let anyone with the
    breakdown's total (another question without it) subtract their way to the hidden count,
    so a breakdown with exactly one hidden cell hides its smallest shown cell too (secondary
    suppression). A breakdown is the cells that differ only in the broken-down part: the
    dimension's value when one is asked, else the branch."""
    hidden = {key for key, t in tallies.items() if t.readers_at_least < min_readers}
    varying = 2 if any(k[2] is not None for k in tallies) else 1
    groups: dict[tuple[str | None, ...], list[Key]] = {}
    for key in tallies:
        groups.setdefault(key[:varying] + key[varying + 1 :], []).append(key)
    for keys in groups.values():
        alone = [k for k in keys if k in hidden]
        shown = [k for k in keys if k not in hidden]
        if len(alone) == 1 and shown:
            hidden.add(min(shown, key=lambda k: (tallies[k].events, tuple(x or "" for x in k))))
    return [
        Cell(key[0], key[1], key[2], None if key in hidden else tallies[key].events)
        for key in sorted(tallies, key=lambda k: tuple(x or "" for x in k))
    ]
