"""The search service: the index follows the catalogue, readers query it.

* :meth:`SearchService.sync` applies the change feed (outbox rows above the
  index's high-water mark) to the live index: re-read each changed record,
  replace its document, drop it when the record is merged, withdrawn or gone.
  The feed holds the catalogue's record changes and the availability source's
  shelf changes (``follows``); the records one read of the feed names are
  re-documented together, in one index commit, however many events name them.
  It is idempotent, and it is what the outbox handler and the follower thread
  (every half second) call, so a change is searchable within about a second.
* :meth:`SearchService.rebuild` builds a new generation beside the live one and
  swaps the pointer atomically; searches keep using the old one until then.
* :meth:`SearchService.start` checks the index against the database (missing,
  wrong schema, or a record count that disagrees → rebuild; else catch up) and
  starts the follower.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tantivy
from tantivy import Occur, Query

from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.core.clock import Clock, SystemClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.search import headings, ordering, results, source
from shelfwise.search.building import DocumentBuilder, default_workers
from shelfwise.search.compile import Compiler
from shelfwise.search.index import IndexStore, LiveIndex, Meta
from shelfwise.search.models import (
    AvailabilityProvider,
    EveryCopyAvailable,
    NoPopularity,
    PopularityProvider,
    SearchRequest,
    SearchResult,
    Sort,
    Suggestion,
    facet_names,
)
from shelfwise.search.query import ParsedQuery, parse
from shelfwise.search.schema import SCHEMA_VERSION, to_document
from shelfwise.search.suggest import autocomplete, did_you_mean
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event, mark_consumed

log = logging.getLogger(__name__)

GAP_SETTLE_SECONDS = 10.0  # an id gap older than this is a rolled-back transaction
REBUILD_LOOKBACK = 1000  # events replayed after a rebuild, for transactions in flight
DEFAULT_RETRY_SECONDS = 30  # Retry-After while the index is built, before a rate is known
RELAX_BELOW = 3  # fewer records than this with every word: also show those with all but one
EVERYTHING = ("*", "*:*")  # a query of every record (newest first, as browsing)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True, slots=True)
class RebuildReport:
    records: int
    seconds: float
    size_bytes: int
    generation: str


class SearchService:
    def __init__(
        self,
        db: Database,
        index_dir: Path,
        *,
        availability: AvailabilityProvider | None = None,
        popularity: PopularityProvider | None = None,
        workers: int | None = None,
        follows: Iterable[str] = (),
        clock: Clock | None = None,
    ) -> None:
        self._db = db
        # Processes that analyse records for a rebuild or a bulk catch-up (0: in-process).
        self.workers = default_workers() if workers is None else workers
        self.store = IndexStore(index_dir)
        self.availability: AvailabilityProvider = availability or EveryCopyAvailable()
        self.popularity: PopularityProvider = popularity or NoPopularity()
        # Outbox topics whose events name a record to re-document: the catalogue's (also
        # delivered by the relay, to ``handle_event``), and ``follows``: those only this
        # follower consumes (circulation's shelves, wired in app.py), which it marks
        # delivered itself, one UPDATE per batch applied, not one transaction per event.
        self.topics = frozenset({RECORD_CHANGED, *follows})
        self._consumes = frozenset(follows) - {RECORD_CHANGED}
        self._clock: Clock = clock or SystemClock()
        self._applied = threading.Condition()  # notified whenever the cursor moves
        self._live: LiveIndex | None = None
        self._cursor = 0
        self._gap_since: dict[int, float] = {}
        self._sync_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._building: _Building | None = None  # a first build in progress (no live index)
        # Kept per index generation (search/caches.py): a commit starts afresh.
        self.facet_counter = results.FacetCounter()
        self.record_reader = results.RecordReader()

    # --- the live generation -----------------------------------------------------------

    def _open_current(self) -> LiveIndex | None:
        """Follow the pointer: (re)open the live generation if it changed."""
        path = self.store.current()
        live = self._live
        if path is None:
            return live
        if live is None or live.path != path:
            meta = self.store.read_meta(path)
            if meta is None or meta.schema != SCHEMA_VERSION:
                return live
            fresh = LiveIndex(path)
            self._live, self._cursor = fresh, meta.high_water
            self._gap_since.clear()
            if live is not None:
                live.close()
            live = fresh
        return live

    def ready(self) -> bool:
        return self._open_current() is not None

    def require_ready(self) -> None:
        """Refuse as a search would while the index is being built (pages that show no
        search results still tell the reader, with the build's progress)."""
        self._live_or_unavailable()

    def live_state(self) -> tuple[str, int, int] | None:
        """The live generation's name, its records and its size on disk (for /metrics)."""
        live = self._open_current()
        if live is None:
            return None
        return live.path.name, int(live.searcher().num_docs), self.store.size_bytes(live.path)

    def _live_or_unavailable(self) -> LiveIndex:
        """The live index; while there is none (the first build, or a rebuild after a
        schema change), a refusal that says how far the build is and when to come back."""
        live = self._open_current()
        if live is not None:
            return live
        building = self._building
        done, total, retry = building.estimate() if building else (0, 0, DEFAULT_RETRY_SECONDS)
        raise ShelfwiseError("search.index_building", done=done, total=total, retry_after=retry)

    # --- following the catalogue --------------------------------------------------------

    def _builder(self) -> DocumentBuilder:
        return DocumentBuilder(self.availability, self.popularity, workers=self.workers)

    def apply(
        self,
        record_ids: Iterable[int],
        live: LiveIndex | None = None,
        builder: DocumentBuilder | None = None,
    ) -> int:
        """Re-index these records now (delete, then add if active); returns documents written."""
        live = live or self._open_current()
        ids = sorted(set(record_ids))
        if live is None or not ids:
            return 0
        rows, _missing = source.rows_for(self._db, ids)
        active = [r for r in rows if r.state == "active"]
        if builder is None:
            with self._builder() as fresh:
                fields = fresh.documents(active)
        else:
            fields = builder.documents(active)
        docs = [to_document(f, live.schema) for f in fields]
        with live.lock:
            writer = live.writer()
            if writer is None:
                return 0
            for record_id in ids:
                # by query: delete_documents_by_term reads a Python int as i64 and misses u64
                writer.delete_documents_by_query(
                    Query.term_query(live.schema, "record_id", record_id)
                )
            for doc in docs:
                writer.add_document(doc)
            writer.commit()
        live.reload()
        return len(docs)

    def sync(self, *, settle_gaps: bool = False) -> int:
        """Apply the change feed to the live index; returns how many events were applied.

        Events are applied in id order up to the first id gap (a transaction that
        has not committed yet); a gap older than ``GAP_SETTLE_SECONDS`` — or any
        gap with ``settle_gaps`` — is taken as a rollback and passed.
        """
        with self._sync_lock:
            live = self._open_current()
            if live is None or live.read_only:
                return 0
            with self._builder() as builder:  # a pool only if a batch is large (catch-up)
                return self._sync_feed(live, builder, settle_gaps=settle_gaps)

    def _sync_feed(self, live: LiveIndex, builder: DocumentBuilder, *, settle_gaps: bool) -> int:
        applied = 0
        while True:
            events = source.feed_after(self._db, self._cursor, topics=self.topics)
            ready = self._contiguous(events, settle_gaps=settle_gaps)
            if not ready:
                return applied
            changed = [e.record_id for e in ready if e.record_id is not None]
            self.apply(changed, live, builder)
            previous, self._cursor = self._cursor, ready[-1].id
            mark_consumed(self._db, self._clock, self._consumes, after=previous, up_to=self._cursor)
            applied += len(changed)
            meta = self.store.read_meta(live.path)
            self.store.write_meta(
                live.path,
                Meta(
                    SCHEMA_VERSION,
                    self._cursor,
                    meta.built_at if meta else _now(),
                    live.searcher().num_docs,
                ),
            )
            with self._applied:
                self._applied.notify_all()
            if len(ready) < len(events) or len(events) < 5000:
                return applied

    def _contiguous(
        self, events: list[source.FeedEvent], *, settle_gaps: bool
    ) -> list[source.FeedEvent]:
        expected = self._cursor + 1
        now = time.monotonic()
        for index, event in enumerate(events):
            if event.id != expected and not settle_gaps:
                since = self._gap_since.setdefault(expected, now)
                if now - since < GAP_SETTLE_SECONDS:
                    return events[:index]
            expected = event.id + 1
        self._gap_since.clear()
        return events

    def handle_event(self, event: Event) -> None:
        """Outbox handler for the followed topics: the feed up to now, indexed.  An event
        the follower already applied costs nothing: after a bulk import the relay delivers
        tens of thousands that the follower indexed in a few batches, and a read of the
        feed for each kept a server busy for minutes."""
        if event.id <= self._cursor:
            return
        self.sync()

    @property
    def applied_through(self) -> int:
        """The outbox id up to which the live index has applied the change feed."""
        return self._cursor

    def wait_for(self, event_id: int, timeout: float) -> bool:
        """Wait until the feed is applied up to ``event_id`` (by the follower thread, a
        relay's delivery or a ``sync``); False if ``timeout`` seconds pass first."""
        with self._applied:
            return self._applied.wait_for(lambda: self._cursor >= event_id, timeout)

    # --- rebuilding ----------------------------------------------------------------------

    def rebuild(
        self, progress: Progress | None = None, *, batch: int = 2000, workers: int | None = None
    ) -> RebuildReport:
        """Build a new generation from the database and publish it; searches go on meanwhile.

        Records are analysed in ``workers`` processes (default: the service's) once
        the catalogue is large enough to pay for starting them.
        """
        started = time.monotonic()
        high_water = max(0, source.feed_head(self._db) - REBUILD_LOOKBACK)
        total = source.active_count(self._db)
        generation = self.store.new_generation()
        target = LiveIndex(generation)
        writer = target.writer(heap=256_000_000, threads=2)
        done = 0
        building = _Building(total, time.monotonic())
        if self._open_current() is None:
            self._building = building  # searches get a 503 with this progress meanwhile
        builder = DocumentBuilder(
            self.availability, self.popularity, workers=self.workers if workers is None else workers
        )
        with builder:
            for chunk in builder.pages(source.iter_active(self._db, batch=batch), expected=total):
                for fields in chunk:
                    writer.add_document(to_document(fields, target.schema))
                done += len(chunk)
                building.done = done
                if progress is not None:
                    progress(done, max(total, done))
        writer.commit()
        target.close()
        self.store.write_meta(generation, Meta(SCHEMA_VERSION, high_water, _now(), done))
        self.store.publish(generation)
        self._building = None
        self.sync(settle_gaps=True)
        return RebuildReport(
            done, time.monotonic() - started, self.store.size_bytes(generation), generation.name
        )

    def check(self) -> str:
        """On start: rebuild a missing/stale index, else catch up and compare counts."""
        live = self._open_current()
        if live is None:
            report = self.rebuild()
            return f"built a new index of {report.records} records"
        applied = self.sync(settle_gaps=True)
        if live.read_only:
            return "index followed by another process"
        indexed = live.searcher().num_docs
        expected = source.active_count(self._db)
        if indexed != expected or source.feed_floor(self._db) > self._cursor + 1:
            log.warning("search index has %s records, database %s: rebuilding", indexed, expected)
            report = self.rebuild()
            return f"rebuilt ({indexed} indexed vs {expected} active): {report.records} records"
        return f"caught up {applied} changes; {indexed} records indexed"

    def start(self, interval: float = 0.5) -> None:
        """Check the index, then follow the feed in a background thread."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            try:
                log.info("search index: %s", self.check())
            except Exception:
                log.exception("search index check failed")
            while not self._stop.wait(interval):
                try:
                    self.sync()
                except Exception:  # the follower must outlive a database hiccup
                    log.exception("search index sync failed")

        self._thread = threading.Thread(target=loop, name="shelfwise-search", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def close(self) -> None:
        self.stop()
        if self._live is not None:
            self._live.close()
            self._live = None

    # --- searching -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        facets = facet_names(request.facets)
        parsed = parse(request.q)
        live = self._live_or_unavailable()
        size = max(1, min(request.size, 100))
        page = max(1, min(request.page, 100))
        compiler = Compiler(live.schema)
        filters = compiler.filters(request.filters)
        main = compiler.query(parsed)
        # "*" alone (beside exclusions): every record, browsed newest first
        everything = main is None and any(w in EVERYTHING for w in request.q.split())
        if main is None and not filters and not everything:
            note = "Only exclusions were given." if parsed.clauses else "Type a word to search."
            empty = SearchResult(request.q, 0, (), {}, page, size, request.sort)
            return _with(empty, message=note)
        parts = [(Occur.Must, q) for q in ([main] if main is not None else []) + filters]
        query = Query.boolean_query(parts) if main is not None else _browse(filters)
        if everything:
            query = Query.boolean_query(
                [(Occur.Must, query), *((Occur.MustNot, q) for q in compiler.exclusions(parsed))]
            )
        generation, searcher = live.snapshot()
        order = _order(request.sort, browsing=main is None, codes_only=compiler.codes_only(parsed))
        if request.reverse and request.sort is not Sort.RELEVANCE:
            order = ordering.reversed_order(order)
        notes = list(parsed.notes)
        ranking, shown_works = self._page(searcher, live.schema, query, order, request, page, size)
        if main is not None and ranking.total < RELAX_BELOW:
            relaxed = _relaxed(live.schema, parsed, filters)
            if relaxed is not None:
                query = relaxed
                notes.append("few records have every word: those with all but one follow them")
                ranking, shown_works = self._page(
                    searcher, live.schema, query, order, request, page, size
                )
        found = _Found(generation, searcher, query, ranking, shown_works, notes)
        return self._result(request, parsed, found, facets, page, size)

    def _result(
        self,
        request: SearchRequest,
        parsed: ParsedQuery,
        found: _Found,
        facets: tuple[str, ...],
        page: int,
        size: int,
    ) -> SearchResult:
        """The page of works, its facets, a "did you mean" and the message of a search."""
        searcher, ranking, generation = found.searcher, found.ranking, found.generation
        shown = tuple(self.record_reader.works(searcher, generation, found.works))
        # the query is a function of (q, filters) within a generation, relaxed or not
        key = (request.q, request.filters)
        counts = self.facet_counter.counts(searcher, generation, key, found.query, facets)
        total = ranking.total
        # "Did you mean" reads the top records of page 1 (pinyin → Han) or, when
        # almost nothing matched, scans the term dictionary (misspellings).
        top = [r for w in shown for r in w.records] if page == 1 else []
        suggestion = did_you_mean(searcher, parsed, top, total)
        message = "; ".join(found.notes) or None
        if not total:
            message = "No records found." + (f" Did you mean: {suggestion}?" if suggestion else "")
        return SearchResult(
            request.q,
            int(total),
            shown,
            counts,
            page,
            size,
            request.sort,
            did_you_mean=suggestion,
            message=message,
            grouped_over=len(ranking.hits),
            total_works=self._works_total(ranking, request.group),
        )

    @staticmethod
    def _page(
        searcher: tantivy.Searcher,
        schema: tantivy.Schema,
        query: Query,
        order: ordering.Order,
        request: SearchRequest,
        page: int,
        size: int,
    ) -> tuple[ordering.Ranking, list[list[ordering.Ranked]]]:
        """The ranked hits read, and the page's works (each with all its matching records)."""
        start, end = (page - 1) * size, min(page * size, ordering.RANK_DEPTH)
        need = max(end, 1)
        if request.group:
            # editions: a few more records than works (a field order reads no more than asked)
            first = 2 * need if order.field is None else need + need // 4 + 5
            ranking = ordering.collect(
                searcher, query, order, lambda hs: ordering.distinct_works(hs) >= need, first=first
            )
        else:
            first = 2 * need if order.field is None else need
            ranking = ordering.collect(
                searcher, query, order, lambda hs: len(hs) >= need, first=first
            )
        works = results.group(ranking.hits, enabled=request.group)[start:end] if start < end else []
        if request.group and not ranking.complete:
            works = ordering.with_members(searcher, schema, query, order, works)
        return ranking, works

    @staticmethod
    def _works_total(ranking: ordering.Ranking, grouped: bool) -> int | None:
        if not ranking.complete:
            return None
        return ordering.distinct_works(ranking.hits) if grouped else len(ranking.hits)

    def count(self, q: str) -> int:
        """How many records a query matches (what ``search`` gives as ``total_records``)."""
        live = self._live_or_unavailable()
        main = Compiler(live.schema).query(parse(q))
        if main is None:
            return 0
        return ordering.count(live.searcher(), main)

    def headings(self, kind: str, start: str, *, preceding: int = 0, count: int = 20) -> list[str]:
        """Title (``kind`` "title") or main-author headings in reading order, from ``start``
        (SRU scan): case-insensitive, Chinese by pinyin, Korean in 가나다 order."""
        live = self._live_or_unavailable()
        found = headings.browse(
            live.searcher(), live.schema, kind, start, preceding=preceding, count=count
        )
        return [h.text for h in found]

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        live = self._live_or_unavailable()
        if not text.strip():
            return []
        return autocomplete(live.searcher(), Compiler(live.schema), text[:100], limit=limit)

    def indexed_count(self) -> int:
        live = self._open_current()
        return live.searcher().num_docs if live is not None else 0


@dataclass(slots=True)
class _Building:
    """A first build's progress, for the refusal searches get meanwhile."""

    total: int
    started: float
    done: int = 0

    def estimate(self) -> tuple[int, int, int]:
        """(records done, records in all, seconds until it is likely done)."""
        elapsed = time.monotonic() - self.started
        if self.done <= 0 or elapsed <= 0:
            return self.done, self.total, DEFAULT_RETRY_SECONDS
        left = max(0, self.total - self.done) / (self.done / elapsed)
        return self.done, self.total, int(min(max(left + 1, 5), 600))


def _order(sort: Sort, *, browsing: bool, codes_only: bool) -> ordering.Order:
    if sort is not Sort.RELEVANCE:
        return ordering.BY_SORT[sort]
    if browsing:  # facets only: nothing to rank by, newest first
        return ordering.BY_SORT[Sort.NEWEST]
    return ordering.CODES_ONLY if codes_only else ordering.BY_SCORE


def _browse(filters: list[Query]) -> Query:
    return Query.boolean_query(
        [(Occur.Must, q) for q in filters] or [(Occur.Must, Query.all_query())]
    )


def _with(result: SearchResult, *, message: str) -> SearchResult:
    return SearchResult(result.q, 0, (), {}, result.page, result.size, result.sort, message=message)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class _Found:
    """What one search's query found, before its page is read."""

    generation: int
    searcher: tantivy.Searcher
    query: Query
    ranking: ordering.Ranking
    works: list[list[ordering.Ranked]]
    notes: list[str]


def _relaxed(schema: tantivy.Schema, parsed: ParsedQuery, filters: list[Query]) -> Query | None:
    """The query again with all but one word required, when few records have every word;
    None when it would be the same query."""
    loose = Compiler(schema, relax=True)
    relaxed = loose.query(parsed)
    if loose.relaxed and relaxed is not None:
        return Query.boolean_query([(Occur.Must, q) for q in [relaxed, *filters]])
    return None
