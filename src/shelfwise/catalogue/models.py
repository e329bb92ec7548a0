"""Catalogue values handed out by the service (plain dataclasses, no database handles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

RECORD_ID_MAX = 2**63 - 1  # record ids are BIGINT: a larger one names no record (doors refuse it)


class BranchKind(StrEnum):
    CENTRAL = "central"
    BRANCH = "branch"
    UNATTENDED = "unattended"  # a 24-hour reading room with no staff
    KIOSK = "kiosk"  # a street self-service lending machine


class Lifecycle(StrEnum):
    """Where an item is in its life. On the shelf vs on loan is circulation's to compute."""

    ON_ORDER = "on_order"
    IN_PROCESSING = "in_processing"
    IN_SERVICE = "in_service"
    MISSING = "missing"
    LOST = "lost"
    DAMAGED = "damaged"
    IN_REPAIR = "in_repair"
    WITHDRAWN = "withdrawn"


# The allowed lifecycle moves, in one place. Withdrawn is final.
LIFECYCLE_TRANSITIONS: dict[Lifecycle, frozenset[Lifecycle]] = {
    Lifecycle.ON_ORDER: frozenset({Lifecycle.IN_PROCESSING, Lifecycle.WITHDRAWN}),
    Lifecycle.IN_PROCESSING: frozenset({Lifecycle.IN_SERVICE, Lifecycle.WITHDRAWN}),
    Lifecycle.IN_SERVICE: frozenset(
        {
            Lifecycle.MISSING,
            Lifecycle.LOST,
            Lifecycle.DAMAGED,
            Lifecycle.IN_REPAIR,
            Lifecycle.WITHDRAWN,
        }
    ),
    Lifecycle.MISSING: frozenset({Lifecycle.IN_SERVICE, Lifecycle.LOST, Lifecycle.WITHDRAWN}),
    Lifecycle.LOST: frozenset({Lifecycle.IN_SERVICE, Lifecycle.WITHDRAWN}),
    Lifecycle.DAMAGED: frozenset({Lifecycle.IN_REPAIR, Lifecycle.IN_SERVICE, Lifecycle.WITHDRAWN}),
    Lifecycle.IN_REPAIR: frozenset({Lifecycle.IN_SERVICE, Lifecycle.DAMAGED, Lifecycle.WITHDRAWN}),
    Lifecycle.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Branch:
    id: int
    code: str
    kind: BranchKind
    name_zh: str
    name_ko: str
    name_en: str
    address: str = ""  # as readers write it to find the door; "" when not given


# What a location is for (the page names each in the reader's language).
LOCATION_KINDS = (
    "stacks",
    "children",
    "reference",
    "periodicals",
    "korean",
    "foreign",
    "24h",
    "kiosk-shelf",
)


@dataclass(frozen=True, slots=True)
class Location:
    id: int
    branch_id: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    record_id: int
    barcode: str
    rfid: str | None
    call_number: str
    home_branch_id: int
    location_id: int | None
    lifecycle: Lifecycle
    item_type: str
    price_cents: int | None
    currency: str | None
    acquired_on: date | None
    version: int


@dataclass(frozen=True, slots=True)
class RecordSummary:
    id: int
    state: str
    title: str
    main_author: str | None
    publisher: str | None
    year: int | None
    languages: list[str]
    isbns: list[str]
    dialect: str
    material_type: str
    merged_into_id: int | None
    updated_at: datetime
    item_count: int = 0


@dataclass(slots=True)
class ImportSummary:
    path: str
    format: str = ""
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # duplicates attached to an existing record (by ISBN or title key)
    rejected: int = 0
    items_added: int = 0
    items_skipped: int = 0  # holdings without a barcode, or whose barcode exists
    # Holdings at a branch the library does not have (an import never creates one):
    # in the rejects file, and added by importing again once the branch exists.
    items_rejected: int = 0
    unknown_branches: list[str] = field(default_factory=list)  # "" = none named, no central
    encodings: dict[str, int] = field(default_factory=dict)
    dialects: dict[str, int] = field(default_factory=dict)
    matched_on: dict[str, int] = field(default_factory=dict)
    repairs: int = 0
    rejects_path: str | None = None
    report_path: str | None = None


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    role: str | None  # as catalogued: "主编", "지음", "edt"


@dataclass(frozen=True, slots=True)
class OnlineLink:
    """An electronic location (856 $u) with the words a reader sees for it."""

    url: str
    text: str  # $y link text (UNIMARC $2), else $3 materials specified, else the host
    note: str | None  # $z public note


@dataclass(frozen=True, slots=True)
class RecordDetail:
    id: int
    state: str
    merged_into_id: int | None
    title: str
    subtitles: tuple[str, ...]
    parallel_titles: tuple[str, ...]
    contributors: tuple[Contributor, ...]
    responsibility: str | None
    series: tuple[str, ...]
    edition: str | None
    publisher: str | None
    place: str | None
    year: int | None
    extent: str | None  # "312 p. ; 23 cm"
    contents: str | None
    summary: str | None
    notes: tuple[str, ...]
    subjects: tuple[str, ...]
    isbns: tuple[str, ...]
    languages: tuple[str, ...]
    material_type: str
    class_number: str | None  # "clc:K928.6", the first classification
    links: tuple[OnlineLink, ...] = ()  # 856: http(s) addresses only


@dataclass(frozen=True, slots=True)
class RecordVersion:
    """One saved version of a record's master MARC: who saved it (``staff_name`` None:
    the record as imported, kept when the editor first saved over it) and when."""

    version: int
    staff_id: int | None
    staff_name: str | None
    restored_from: int | None
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class Cataloguer:
    """The staff member saving a record (the catalogue keeps their id and name)."""

    staff_id: int
    name: str


# The item types the staff pages offer (a loan rule may name any of them); an item
# imported with another keeps it, and the pages show that one too.
ITEM_TYPES = ("book", "periodical", "reference", "children", "dvd", "audio", "map", "kit")


@dataclass(frozen=True, slots=True)
class ItemChange:
    """What a bulk edit changes on each copy (None: left as it is). ``location_code`` ""
    takes the copy off any location at its branch."""

    branch_code: str | None = None
    location_code: str | None = None
    lifecycle: Lifecycle | None = None
    item_type: str | None = None


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    changed: list[str]
    refused: list[tuple[str, str, dict[str, str]]]  # barcode, error code, its parameters
