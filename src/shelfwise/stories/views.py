"""Story views for the statistics (issue 21), counted without a write per page view.

A reader's view of a published story adds one to a count in this process's memory
(per local day, the story's branch and the story); :meth:`StoryViews.flush`, run every
minute by the runtime's ``stories.views`` job, writes what was counted as one
``stories.views`` outbox event per cell in one transaction, and the analytics domain adds
them to its counters. Who viewed is never known here: the count names nobody. A process
that dies loses at most the minute it had not flushed (said in docs/analytics.md).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from shelfwise.core.clock import Clock
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue_many
from shelfwise.stories.models import Story

VIEWS_TOPIC = "stories.views"

Cell = tuple[str, str | None, int]  # local day, branch code (None: the network), story id


class StoryViews:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[Cell] = Counter()

    def viewed(self, story: Story) -> None:
        """One view of a story a reader may read (drafts and staff previews are not)."""
        if not story.visible(self._clock.now()):
            return
        cell = (self._clock.today().isoformat(), story.featured_branch, story.id)
        with self._lock:
            self._counts[cell] += 1

    def flush(self) -> int:
        """Write the counts kept since the last flush to the outbox; how many views."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return 0
        payloads: list[Mapping[str, Any]] = [
            {"day": day, "branch": branch, "story_id": story_id, "views": n}
            for (day, branch, story_id), n in sorted(counts.items(), key=str)
        ]
        try:
            with self._db.write() as conn:
                enqueue_many(conn, self._clock, VIEWS_TOPIC, payloads)
        except Exception:
            with self._lock:  # kept for the next flush rather than lost
                self._counts.update(counts)
            raise
        return sum(counts.values())
