"""What the recommend domain answers: suggestions that each say why (issue 21, P11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Why a record is suggested; the page words each one (recommend.why.* in the catalogue).
BECAUSE_YOU_BORROWED = "because_you_borrowed"  # for you (ALS): names the record that led to it
ALSO_BORROWED = "also_borrowed"  # readers who borrowed this also borrowed (k or more readers)
POPULAR_AT_BRANCH = "popular_at_branch"  # for everyone: lent most at my branch this month
NEW_IN_CLASS = "new_in_class"  # for everyone: new arrival in a class my reader category reads


@dataclass(frozen=True, slots=True)
class RecommendPolicy:
    """``min_readers``: k (``analytics_min_readers``) — a co-borrowing pair of fewer
    different consenting readers is not kept. ``factors``, ``iterations``,
    ``regularization`` and ``alpha`` are the ALS model's; ``recent`` is how many of a
    reader's latest borrowings "for you" starts from; ``pairs_per_record`` how many
    co-borrowed records are kept per record."""

    min_readers: int = 5
    factors: int = 32
    iterations: int = 10
    regularization: float = 0.05
    alpha: float = 20.0
    recent: int = 50
    pairs_per_record: int = 20


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested record and why: ``reason`` one of the constants above; ``because``
    the record behind it (the reader's own borrowing, or the record page's record);
    ``detail`` a word of the reason (the branch code, the class, the story's slug)."""

    record_id: int
    reason: str
    because: int | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ForReader:
    """What one signed-in reader is offered. ``for_you`` is None when they do not consent
    (then it is not computed at all); the other two are for everyone, from aggregates:
    ``branch`` and ``category`` say whose (the reader's home branch, their category)."""

    consents: bool
    for_you: list[Suggestion] | None
    popular: list[Suggestion]
    new_in_class: list[Suggestion]
    branch: str | None
    category: str


@dataclass(frozen=True, slots=True)
class Training:
    """What one training did (``recommend_models`` keeps the same figures)."""

    model_id: int
    trained_at: datetime
    engine: str
    readers: int
    records: int
    borrowings: int
    pairs: int
    factors: int
    seconds: float
    forgotten: int  # borrowings of readers who withdrew, deleted before training
