"""Values of the wish wall: kinds, statuses and their allowed moves, a wish as shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shelfwise.core.errors import ShelfwiseError

TITLE_MAX = 200
AUTHOR_MAX = 200
REASON_MAX = 1000
DISPLAY_NAME_MAX = 40
NOTE_MAX = 1000
REPORT_MAX = 500
WORD_MAX = 64

# The outbox topics the wall writes and listens to.
NOTICE_TOPIC = "wishes.notice"  # one per change a reader is told of
# Written by acquisitions (the wishes domain listens; neither imports the other).
LINE_ORDERED = "acquisitions.line_ordered"
LINE_RECEIVED = "acquisitions.line_received"
ITEM_IN_SERVICE = "acquisitions.item_in_service"
# Written by the events domain for each event published; one with a ``wish_ref``
# answers that wish.
EVENT_PUBLISHED = "events.published"


class WishKind(StrEnum):
    BOOK = "book"
    EVENT = "event"
    SERVICE = "service"


class WishStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    ORDERED = "ordered"
    RECEIVED = "received"
    FULFILLED = "fulfilled"
    DECLINED = "declined"


class Moderation(StrEnum):
    PENDING = "pending"  # waiting for a moderator
    SHOWN = "shown"
    HIDDEN = "hidden"
    MERGED = "merged"


class Actor(StrEnum):
    READER = "reader"
    STAFF = "staff"
    SYSTEM = "system"


S = WishStatus
# The one table of allowed moves. Ordered and received come from acquisitions (a book
# moves with its order); fulfilled and declined are final.
TRANSITIONS: dict[WishKind, dict[WishStatus, frozenset[WishStatus]]] = {
    WishKind.BOOK: {
        S.SUBMITTED: frozenset({S.IN_REVIEW, S.ACCEPTED, S.DECLINED}),
        S.IN_REVIEW: frozenset({S.ACCEPTED, S.DECLINED}),
        S.ACCEPTED: frozenset({S.ORDERED, S.FULFILLED, S.DECLINED}),
        S.ORDERED: frozenset({S.RECEIVED}),
        S.RECEIVED: frozenset({S.FULFILLED}),
        S.FULFILLED: frozenset(),
        S.DECLINED: frozenset(),
    },
}
_OTHER = {
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.ACCEPTED, S.DECLINED}),
    S.IN_REVIEW: frozenset({S.ACCEPTED, S.DECLINED}),
    S.ACCEPTED: frozenset({S.FULFILLED, S.DECLINED}),
    S.ORDERED: frozenset(),
    S.RECEIVED: frozenset(),
    S.FULFILLED: frozenset(),
    S.DECLINED: frozenset(),
}
TRANSITIONS[WishKind.EVENT] = _OTHER
TRANSITIONS[WishKind.SERVICE] = _OTHER
# What staff may set by hand; ordered and received follow the order in acquisitions.
STAFF_TARGETS = frozenset({S.IN_REVIEW, S.ACCEPTED, S.FULFILLED, S.DECLINED})
FINAL = frozenset({S.FULFILLED, S.DECLINED})


def check_move(kind: WishKind, current: WishStatus, target: WishStatus) -> None:
    if target not in TRANSITIONS[kind][current]:
        raise ShelfwiseError("wishes.transition", current=current, target=target)


class WallOrder(StrEnum):
    NEWEST = "newest"
    SUPPORTED = "supported"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class WishDraft:
    """What a reader posts."""

    kind: WishKind
    title: str
    display_name: str
    author: str = ""
    isbn: str = ""
    reason: str = ""
    branch: str | None = None  # None: the whole network
    pickup_branch: str | None = None  # where a hold waits when the book arrives
    notify: bool = True


@dataclass(frozen=True, slots=True)
class Wish:
    id: int
    kind: WishKind
    branch: str | None
    display_name: str
    title: str
    author: str
    isbn: str | None
    reason: str
    status: WishStatus
    moderation: Moderation
    moderation_note: str | None
    answer: str | None
    record_id: int | None
    merged_into_id: int | None
    supporters: int
    reports: int
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class WallFilter:
    branch: str | None = None
    kind: WishKind | None = None
    status: WishStatus | None = None
    order: WallOrder = WallOrder.NEWEST
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class WishPolicy:
    """The library's moderation choices (settings ``wishes_*``)."""

    premoderate: bool = False
    per_month: int = 5
    reports_to_queue: int = 3


@dataclass(frozen=True, slots=True)
class WishStats:
    """Aggregates only: counts by status and kind, never a reader."""

    by_status: dict[str, int]
    by_kind: dict[str, int]
    supports: int
