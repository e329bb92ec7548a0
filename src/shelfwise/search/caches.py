"""What a search keeps between queries: facet counts and shown records, per index generation.

Both are pure functions of the index content: the facet counts of a (query,
filters) pair, and the displayed fields of a record.  So each is cached under
the *generation* of the searcher it was read from (:attr:`LiveIndex.generation`,
a number taken again after every reload), and a commit — the follower applying
the change feed, a rebuild publishing a new folder, another process's commit
seen by the next search — starts a new generation, in which nothing cached
before is ever answered.

The generation is read *before* the searcher is taken and bumped only *after*
the reload (:meth:`LiveIndex.snapshot`), so an entry filed under generation
``g`` was read from a searcher at least as new as ``g``: a search never files
old counts under a new generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

FACET_ENTRIES = 2048  # facet value lists (one per facet of a query): ~256 queries × 7 facets
RECORD_ENTRIES = 8192  # shown records: a few hundred pages of works


class GenerationCache(Generic[K, V]):
    """A small LRU of one index generation: a newer generation empties it, and an
    older one (a search that began before the commit) neither reads nor fills it."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._generation = -1
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _current(self, generation: int) -> bool:
        """Whether ``generation`` is the cache's own (emptying it for a newer one)."""
        if generation > self._generation:
            self._generation = generation
            self._entries.clear()
        return generation == self._generation

    def get(self, generation: int, key: K) -> V | None:
        with self._lock:
            if not self._current(generation):
                return None
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, generation: int, key: K, value: V) -> None:
        with self._lock:
            if not self._current(generation):
                return
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
