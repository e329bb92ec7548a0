"""Search values handed out by the service, and the hooks the composition root wires.

Plain dataclasses; no index or database handles.  Facet counts count *records*
(one index document per record), while hits are grouped into *works*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from shelfwise.core.errors import ShelfwiseError


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"  # Chinese by pinyin, Korean in Hangul order, Latin alphabetical
    AUTHOR = "author"


FACETS = ("lang", "material", "decade", "year", "branch", "available", "subject")
# What a results page shows (web/opac.py), so what a search counts unless told:
# counting a facet is a pass over every match, so "year" only when asked by name.
SHOWN_FACETS = ("lang", "material", "decade", "branch", "available", "subject")


def facet_names(asked: bool | Iterable[str]) -> tuple[str, ...]:
    """The facets to count, in ``FACETS`` order: True, the shown ones; False, none;
    else the ones named (an unknown name is refused)."""
    if asked is True:
        return SHOWN_FACETS
    if asked is False:
        return ()
    named = set(asked)
    unknown = sorted(named - set(FACETS))
    if unknown:
        raise ShelfwiseError("search.unknown_facet", facet=unknown[0], known=", ".join(FACETS))
    return tuple(f for f in FACETS if f in named)


@dataclass(frozen=True, slots=True)
class Filters:
    """Facet filters: every given value must hold (values of one facet are OR-ed)."""

    lang: tuple[str, ...] = ()
    material: tuple[str, ...] = ()
    decade: tuple[int, ...] = ()
    year: tuple[int, ...] = ()
    branch: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    available: bool | None = None  # True: a copy is available now (at `branch`, if given)
    # A copy on the shelf now at one of these branches (whatever `branch` and `available` say)
    available_at: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    size: int = 20
    group: bool = True  # editions/translations of one work shown as one hit
    # The facets to count: True the shown ones (SHOWN_FACETS), False none, or their names
    facets: bool | tuple[str, ...] = True
    reverse: bool = False  # a sort the other way round (oldest first, titles Z-A); not relevance


@dataclass(frozen=True, slots=True)
class RecordHit:
    record_id: int
    score: float
    title: str
    author: str | None
    publisher: str | None
    year: int | None
    languages: tuple[str, ...]
    material_type: str
    isbns: tuple[str, ...]
    branches: tuple[str, ...]
    available_at: tuple[str, ...]
    work_key: str
    class_number: str | None = None  # the first classification, "clc:K928.6"; None: none


@dataclass(frozen=True, slots=True)
class WorkHit:
    """One work: its best record first, then its other editions/translations."""

    work_key: str
    score: float
    records: tuple[RecordHit, ...]


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    q: str
    total_records: int  # records matching (facet counts count records too)
    works: tuple[WorkHit, ...]
    facets: Mapping[str, tuple[FacetValue, ...]]
    page: int
    size: int
    sort: Sort
    did_you_mean: str | None = None
    message: str | None = None  # a helpful note instead of an error (empty query, ...)
    grouped_over: int = 0  # how many top records were grouped into works
    total_works: int | None = None  # hits counted as shown (works or records) when all were read


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    kind: str  # "title" | "author"
    record_id: int


# --- hooks wired by the composition root ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Availability:
    """Copies of one record by branch code: where it is held, and where one is on the shelf."""

    held_at: frozenset[str] = frozenset()
    available_at: frozenset[str] = frozenset()


class AvailabilityProvider(Protocol):
    """Computes availability for many records at once (circulation will implement it).

    ``copies`` maps record id to (branch code, item lifecycle) of every copy the
    catalogue knows; the provider decides which are on the shelf now.
    """

    def availability(
        self, copies: Mapping[int, Iterable[tuple[str, str]]]
    ) -> Mapping[int, Availability]: ...


_GONE = frozenset({"withdrawn", "lost", "missing"})


def held_at(copies: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The branches holding a copy that is not gone (withdrawn, lost, missing)."""
    return frozenset(branch for branch, life in copies if life not in _GONE)


class EveryCopyAvailable:
    """Without an availability source (an index built alone, in tests): every copy that
    is not gone counts as available."""

    def availability(
        self, copies: Mapping[int, Iterable[tuple[str, str]]]
    ) -> Mapping[int, Availability]:
        out: dict[int, Availability] = {}
        for record_id, held in copies.items():
            where = held_at(held)
            out[record_id] = Availability(held_at=where, available_at=where)
        return out


class ShelfAvailability:
    """Availability from a source that knows the shelves (circulation, wired by the
    composition root): ``on_shelf`` gives, for many records at once, the branch codes
    where a copy is on the shelf now. A branch counts only while it also holds the copy
    in the catalogue's eyes (a copy gone from the catalogue is on no shelf)."""

    def __init__(self, on_shelf: Callable[[list[int]], Mapping[int, frozenset[str]]]) -> None:
        self._on_shelf = on_shelf

    def availability(
        self, copies: Mapping[int, Iterable[tuple[str, str]]]
    ) -> Mapping[int, Availability]:
        shelves = self._on_shelf(list(copies))
        out: dict[int, Availability] = {}
        for record_id, held in copies.items():
            where = held_at(held)
            out[record_id] = Availability(
                held_at=where, available_at=where & shelves.get(record_id, frozenset())
            )
        return out


class PopularityProvider(Protocol):
    """Loans per record (recent, weighted as the provider sees fit); 0 when unknown."""

    def popularity(self, record_ids: Iterable[int]) -> Mapping[int, int]: ...


class NoPopularity:
    def popularity(self, record_ids: Iterable[int]) -> Mapping[int, int]:
        return {}
