"""The normalised description derived from a MARC record, whatever its dialect.

The MARC record is the master; this is what the catalogue stores in columns and
what search indexes. Each dialect mapping (``dialects.py``) fills it from the
fields its dialect uses; see ``docs/marc-mapping.md`` for the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shelfwise.core.classification import ClassScheme

__all__ = ["Agent", "ClassScheme", "Classification", "Description", "Dialect", "HoldingCopy"]


class Dialect(StrEnum):
    MARC21 = "marc21"
    UNIMARC = "unimarc"  # includes CNMARC, the Chinese profile of UNIMARC
    KORMARC = "kormarc"


@dataclass(slots=True, frozen=True)
class Agent:
    """A person or body responsible for the work, with its role as the record states it."""

    name: str
    role: str | None = None  # relator term or code as catalogued ("主编", "edt", "지음")
    kind: str = "person"  # person | corporate | meeting
    romanised: str | None = None  # pinyin (CNMARC $9/$A) or other romanised form
    primary: bool = False


@dataclass(slots=True, frozen=True)
class Classification:
    scheme: ClassScheme
    number: str
    edition: str | None = None


@dataclass(slots=True, frozen=True)
class HoldingCopy:
    """A copy described inside the bibliographic record (852, Koha 952, CNMARC 905, KORMARC 049)."""

    barcode: str | None
    call_number: str | None = None
    branch: str | None = None  # library / sub-location code as the source gives it
    location: str | None = None
    price: str | None = None
    rfid: str | None = None


@dataclass(slots=True)
class Description:
    title: str = ""
    # The tag the title was read from: the title proper's own (245, 200) or, when
    # that gives none, a fallback such as 246 or 500, which the importer notes as a repair.
    title_source: str | None = None
    title_romanised: str | None = None  # pinyin or other romanised title
    other_titles: list[str] = field(default_factory=list)  # subtitles, variant titles
    parallel_titles: list[str] = field(default_factory=list)
    responsibility: str | None = None
    agents: list[Agent] = field(default_factory=list)
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    edition: str | None = None
    languages: list[str] = field(default_factory=list)  # ISO 639-2/B codes as catalogued
    isbns: list[str] = field(default_factory=list)  # normalised ISBN-13, no hyphens
    classifications: list[Classification] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    material_type: str = "book"
    control_number: str | None = None
    control_agency: str | None = None
    holdings: list[HoldingCopy] = field(default_factory=list)
