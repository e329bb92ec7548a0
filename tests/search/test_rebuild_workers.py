"""A rebuild whose records are analysed in worker processes finds what an in-process one finds.

Issue 15 item 6b.  tests/search/test_building.py compares the documents of a few
hand-made rows; this compares what readers get: the demo library (generated Chinese,
Korean and English records, readers with loans, so availability and popularity are
not all alike) is rebuilt once in-process and once with two spawned workers, and the
same searches (words from every script, pinyin, an author, a sort, a filter) give the
same hits, scores, totals and facet counts.  In the slow tier (``--runslow``);
test_building.py's document comparison, which also starts a pool, stays in the default run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shelfwise.search import SearchRequest, Sort, building
from shelfwise.search.building import DocumentBuilder
from shelfwise.search.models import Filters
from shelfwise.services import Services
from shelfwise.testing.webdemo import build_demo

# Two rebuilds of the demo and two worker start-ups: ~20-27 s on a loaded 2-core box.
pytestmark = pytest.mark.slow

QUERIES = [
    SearchRequest("历史", facets=True),
    SearchRequest("歷史"),
    SearchRequest("lishi"),
    SearchRequest("역사"),
    SearchRequest("력사"),
    SearchRequest("history of China"),
    SearchRequest("library", group=False, size=50),
    SearchRequest("管理"),
    SearchRequest("文学", sort=Sort.TITLE),
    SearchRequest("*", sort=Sort.NEWEST, size=100, group=False),
    SearchRequest("*", filters=Filters(lang=("ko",)), size=100, facets=True),
    SearchRequest("*", filters=Filters(available=True), sort=Sort.TITLE, size=100),
]


def _answers(services: Services) -> list[Any]:
    answers = []
    for request in QUERIES:
        found = services.search.search(request)
        hits = [
            (r.record_id, round(r.score, 4), r.available_at, r.work_key)
            for w in found.works
            for r in w.records
        ]
        facets = {k: [(v.value, v.count) for v in vs] for k, vs in found.facets.items()}
        answers.append((request.q, found.total_records, hits, facets))
    return answers


def test_a_rebuild_in_worker_processes_gives_the_same_hits(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_demo(services, tmp_path, records=240)
    services.search.rebuild(workers=0)
    in_process = _answers(services)
    assert sum(len(a[2]) for a in in_process) > 100  # the searches find things
    assert len({a[1] for a in in_process}) > 5  # and not all the same things

    pools: list[object] = []
    starts = DocumentBuilder._pool_for

    def counted(self: DocumentBuilder, rows: int) -> object:
        pool = starts(self, rows)
        if pool is not None and pool not in pools:
            pools.append(pool)
        return pool

    monkeypatch.setattr(building, "PARALLEL_MIN_ROWS", 1)  # the demo is small: pool anyway
    monkeypatch.setattr(DocumentBuilder, "_pool_for", counted)
    report = services.search.rebuild(workers=2, batch=50)
    assert pools  # the documents were built by worker processes
    assert report.records == services.catalogue.counts()["records"]
    assert _answers(services) == in_process
