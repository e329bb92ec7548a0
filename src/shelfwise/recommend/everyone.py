"""Suggestions for everyone, with no consent and no reader kept (P11's "a non-personalised
view is always there"): popular at my branch this month, new arrivals in the classes my
reader category borrows most, and the stories and events around a record.

Each is an aggregate over loans (counts, never a reader: P1) or catalogue and story data.
A record lent fewer than k times (``analytics_min_readers``) is not "popular", and a class
read fewer than k times by a category does not speak for it: a title one reader borrowed
a few times at a small branch is not shown as that branch's taste. The answers are kept in
the process for :data:`FRESH_SECONDS`, so a page view does not count loans each time.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from shelfwise.catalogue.classes import NO_CLASS, main_classes
from shelfwise.catalogue.service import CatalogueService
from shelfwise.circulation.popularity import LoanPopularity
from shelfwise.events.service import EventService
from shelfwise.recommend.models import NEW_IN_CLASS, POPULAR_AT_BRANCH, Suggestion
from shelfwise.storage.database import Database
from shelfwise.stories.models import Story
from shelfwise.stories.service import StoryService

FRESH_SECONDS = 600
POPULAR_DAYS = 30  # "this month"
CLASS_DAYS = 90  # what a category reads: a season of loans
CLASSES = 3  # the classes a category reads most
ARRIVALS_LOOKED_AT = 300  # the newest records in service searched for those classes

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RelatedEvent:
    id: int
    title: str
    story: str  # the slug of the story that links the record and the event


class Everyone:
    def __init__(
        self,
        db: Database,
        min_readers: int,
        popularity: LoanPopularity,
        catalogue: CatalogueService,
        stories: StoryService,
        events: EventService,
    ) -> None:
        self._db = db
        self._k = min_readers
        self._popularity = popularity
        self._catalogue = catalogue
        self._stories = stories
        self._events = events
        self._cache: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def _kept(self, key: Hashable, make: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < FRESH_SECONDS:
            return hit[1]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._cache[key] = (now, value)
        return value

    def branch_code(self, branch_id: int | None) -> str | None:
        codes = {b.id: b.code for b in self._catalogue.list_branches()}
        return None if branch_id is None else codes.get(branch_id)

    def popular_at(self, branch: str, taken: set[int], limit: int = 6) -> list[Suggestion]:
        """Lent most at ``branch`` (a code) in the last 30 days, k loans or more."""
        ids = {b.code: b.id for b in self._catalogue.list_branches()}
        if branch not in ids:
            return []
        found = self._kept(
            ("popular", branch),
            lambda: self._popularity.popular(
                limit + 50, POPULAR_DAYS, branch_id=ids[branch], min_loans=self._k
            ),
        )
        picked = [r for r, _ in found if r not in taken][:limit]
        return [Suggestion(r, POPULAR_AT_BRANCH, detail=branch) for r in picked]

    def classes_of(self, category: str) -> list[str]:
        """The main classes readers of ``category`` borrowed most (k loans or more each)."""

        def count() -> list[str]:
            lent = self._popularity.popular(2000, CLASS_DAYS, category=category, min_loans=1)
            with self._db.read() as conn:
                classes = main_classes(conn, [r for r, _ in lent])
            per: Counter[str] = Counter()
            for record, n in lent:
                if classes[record] != NO_CLASS:
                    per[classes[record]] += n
            return [c for c, n in per.most_common(CLASSES) if n >= self._k]

        return self._kept(("classes", category), count)

    def new_in_classes(self, category: str, taken: set[int], limit: int = 6) -> list[Suggestion]:
        """New arrivals in the classes readers of ``category`` borrow most."""
        wanted = self.classes_of(category)
        if not wanted:
            return []

        def newest() -> dict[int, str]:
            ids = self._catalogue.new_arrivals(ARRIVALS_LOOKED_AT)
            with self._db.read() as conn:
                classes = main_classes(conn, ids)
            return {r: classes[r] for r in ids}  # newest first

        arrivals = self._kept("arrivals", newest)
        picked = [(r, c) for r, c in arrivals.items() if c in wanted and r not in taken][:limit]
        return [Suggestion(r, NEW_IN_CLASS, detail=c) for r, c in picked]

    def around(self, record_id: int, limit: int = 6) -> tuple[list[Story], list[RelatedEvent]]:
        """Stories that show the record, and the coming events those stories announce."""
        stories = self._stories.featured_in(record_id)[:limit]
        slugs = {s.slug for s in stories}
        events = [
            RelatedEvent(e.id, e.title, e.story_ref or "")
            for e in self._events.upcoming(None)
            if e.story_ref in slugs and e.state == "published"
        ][:limit]
        return stories, events
