"""The CPU-bound half of indexing: catalogue rows → index documents, in worker processes.

Language analysis (jieba, OpenCC, pypinyin, the Korean folds) is pure Python
and holds the GIL, so a rebuild or a bulk catch-up runs it in spawned worker
processes, the way the MARC import decodes records (``catalogue/preparing.py``):
the parent reads pages of rows and asks the availability and popularity
providers (they may hold database handles, so they stay in the parent), sends
chunks of rows to the workers, and writes the returned field dicts to Tantivy
in the order it read them.  Small batches (the follower's usual few records)
are built in-process: starting a worker costs about a second (jieba's dictionary).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from shelfwise.search.models import Availability, AvailabilityProvider, PopularityProvider
from shelfwise.search.schema import document
from shelfwise.search.source import IndexRow

# Below this many rows in one call a worker pool costs more to start than it saves.
PARALLEL_MIN_ROWS = 4000
_CHUNK = 250  # rows per task sent to a worker
_AHEAD = 4  # tasks in flight per worker: workers stay busy, memory stays bounded
_NONE = Availability()

Fields = dict[str, list[Any]]


def default_workers() -> int:
    return os.cpu_count() or 1


def _build_chunk(
    rows: list[IndexRow], available: Mapping[int, Availability], loans: Mapping[int, int]
) -> list[Fields]:
    return [document(r, available.get(r.id) or _NONE, loans.get(r.id, 0)) for r in rows]


class DocumentBuilder:
    """Builds documents for pages of rows; a worker pool is started on the first large page.

    Use as a context manager so the pool (if any) is shut down.
    """

    def __init__(
        self,
        availability: AvailabilityProvider,
        popularity: PopularityProvider,
        *,
        workers: int,
        parallel_min: int | None = None,
    ) -> None:
        self._availability = availability
        self._popularity = popularity
        self._workers = workers
        self._parallel_min = PARALLEL_MIN_ROWS if parallel_min is None else parallel_min
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> DocumentBuilder:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _hooks(
        self, page: Sequence[IndexRow]
    ) -> tuple[Mapping[int, Availability], Mapping[int, int]]:
        copies = {r.id: r.copies for r in page}
        return self._availability.availability(copies), self._popularity.popularity(copies)

    def documents(self, rows: Sequence[IndexRow]) -> list[Fields]:
        """The documents of one batch of active rows, in order."""
        return [doc for chunk in self.pages([rows]) for doc in chunk]

    def pages(
        self, pages: Iterable[Sequence[IndexRow]], *, expected: int = 0
    ) -> Iterator[list[Fields]]:
        """Documents of every page's rows, in order, a chunk at a time (pipelined).

        ``expected``: rows in all pages (a rebuild's total), so that a pool is
        started for many small pages too.
        """
        pending: deque[Future[list[Fields]]] = deque()
        for page in pages:
            available, loans = self._hooks(page)
            pool = self._pool_for(max(len(page), expected))
            if pool is None:
                while pending:
                    yield pending.popleft().result()
                yield _build_chunk(list(page), available, loans)
                continue
            for start in range(0, len(page), _CHUNK):
                chunk = list(page[start : start + _CHUNK])
                ids = [r.id for r in chunk]
                part_available = {i: available[i] for i in ids if i in available}
                part_loans = {i: loans[i] for i in ids if i in loans}
                pending.append(pool.submit(_build_chunk, chunk, part_available, part_loans))
                while len(pending) >= self._workers * _AHEAD:
                    yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def _pool_for(self, rows: int) -> ProcessPoolExecutor | None:
        if self._pool is None and self._workers > 0 and rows >= self._parallel_min:
            # spawn, not fork: the parent holds database connections and threads.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self._workers, mp_context=context)
        return self._pool
