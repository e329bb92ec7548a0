"""Search values handed out by the service, and the hooks the composition root wires.

Plain dataclasses; no index or database handles.  Facet counts count *records*
(one index document per record), while hits are grouped into *works*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"  # Chinese by pinyin, Korean in Hangul order, Latin alphabetical
    AUTHOR = "author"


FACETS = ("lang", "material", "decade", "year", "branch", "available", "subject")


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


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    size: int = 20
    group: bool = True  # editions/translations of one work shown as one hit
    facets: bool = True
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


class EveryCopyAvailable:
    """Until circulation exists: every copy counts as available, except copies that
    are gone (withdrawn, lost, missing)."""

    def availability(
        self, copies: Mapping[int, Iterable[tuple[str, str]]]
    ) -> Mapping[int, Availability]:
        out: dict[int, Availability] = {}
        for record_id, held in copies.items():
            pairs = list(held)
            out[record_id] = Availability(
                held_at=frozenset(b for b, life in pairs if life not in _GONE),
                available_at=frozenset(b for b, life in pairs if life not in _GONE),
            )
        return out


class PopularityProvider(Protocol):
    """Loans per record (recent, weighted as the provider sees fit); 0 when unknown."""

    def popularity(self, record_ids: Iterable[int]) -> Mapping[int, int]: ...


class NoPopularity:
    def popularity(self, record_ids: Iterable[int]) -> Mapping[int, int]:
        return {}
