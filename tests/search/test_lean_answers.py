"""Lean search answers (issue 15 item 5): facets counted only when asked and kept per
index generation, an over-fetch sized to the page, and the JSON answer built once.

* A cached facet count never outlives the index it was read from: a record the
  follower thread indexes shows in the counts of the very query answered (and
  cached) before it.  The test waits on the follower (``wait_for``), not a clock.
* ``facets=`` limits what is counted and answered, in the service and the API.
* With an over-fetch the size of the page, a work whose editions rank far apart
  is still shown whole on the page of its best edition, and never again later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.api.search_routes import SearchOut
from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.search import SearchRequest, source
from shelfwise.search.index import LiveIndex
from shelfwise.search.models import FACETS, SHOWN_FACETS, SearchResult
from shelfwise.search.source import FeedEvent, feed_head
from shelfwise.services import Services
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event
from shelfwise.testing.branches import barcode
from shelfwise.testing.demo import seed_branches
from shelfwise.web.opac import FACET_ORDER

WAIT_SECONDS = 60.0  # a bound for a stuck follower, not a measurement


def _book(
    n: int, title: str, *, author: str = "Marsh, Ada", subjects: tuple[str, ...] = ()
) -> Record:
    fields = [
        Field("001", data=f"lean{n:05d}"),
        Field("008", data=f"260101s{1990 + n % 30}    xxu           000 0 eng d"),
        Field("100", "1 ", [("a", author)]),
        Field("245", "10", [("a", title)]),
        Field("260", "  ", [("a", "Harbin :"), ("b", f"Press {n},"), ("c", f"{1990 + n % 30}.")]),
        *(Field("650", " 0", [("a", s)]) for s in subjects),
        Field("852", "  ", [("b", "CEN"), ("c", "stacks"), ("p", barcode(70_000 + n))]),
    ]
    return Record("     nam a22     7a 4500", fields)


def _import(services: Services, path: Path, records: list[Record]) -> None:
    path.write_bytes(b"".join(encode(r) for r in records))
    assert services.importer().import_file(path).rejected == 0


def _counts(result: SearchResult, name: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[name]}


def test_a_commit_shows_in_the_facet_counts_cached_before_it(
    services: Services, tmp_path: Path
) -> None:
    seed_branches(services.catalogue)
    services.search.start(interval=0.05)
    path = tmp_path / "one.mrc"
    _import(services, path, [_book(1, "Quixotic zebras of Harbin")])
    assert services.search.wait_for(feed_head(services.db), WAIT_SECONDS)
    request = SearchRequest(q="quixotic")
    assert _counts(services.search.search(request), "branch") == {"CEN": 1}
    hits = services.search.facet_counter.cache.hits
    assert _counts(services.search.search(request), "branch") == {"CEN": 1}
    assert services.search.facet_counter.cache.hits > hits  # the second answer was cached

    _import(services, path, [_book(2, "Quixotic herons of Harbin")])
    assert services.search.wait_for(feed_head(services.db), WAIT_SECONDS)
    after = services.search.search(request)
    assert after.total_records == 2
    assert _counts(after, "branch") == {"CEN": 2}
    assert sum(_counts(after, "decade").values()) == 2


def test_a_reader_of_another_process_searches_its_commits_as_a_new_generation(
    services: Services, tmp_path: Path
) -> None:
    services.search.check()
    writer = services.search.store.current()
    assert writer is not None
    reader = LiveIndex(writer)  # as a second process opens the same generation
    try:
        before, searcher = reader.snapshot()
        assert not reader.refresh()  # nothing committed since it opened
        assert reader.snapshot()[0] == before
        _import(services, tmp_path / "one.mrc", [_book(3, "Obsidian lanterns")])
        services.search.sync()  # the writer's commit, seen by the reader's next search
        after, searcher = reader.snapshot()
        assert after > before
        assert searcher.num_docs == 1
        assert not reader.refresh()
    finally:
        reader.close()


def test_facets_limits_what_is_counted_and_answered(services: Services, tmp_path: Path) -> None:
    seed_branches(services.catalogue)
    _import(services, tmp_path / "few.mrc", [_book(n, f"Velvet moth {n}") for n in range(4)])
    services.search.check()
    search = services.search.search
    assert tuple(search(SearchRequest(q="velvet")).facets) == SHOWN_FACETS
    assert tuple(search(SearchRequest(q="velvet", facets=("year", "lang"))).facets) == (
        "lang",
        "year",
    )
    assert search(SearchRequest(q="velvet", facets=False)).facets == {}
    client = TestClient(composition.asgi_app(services))

    def asked(**params: str) -> list[str]:
        response = client.get("/api/v1/search", params={"q": "velvet", **params})
        assert response.status_code == 200, response.text
        return list(response.json()["facets"])

    assert asked() == list(SHOWN_FACETS)
    assert asked(facets="true") == list(SHOWN_FACETS)
    assert asked(facets="false") == []
    assert asked(facets="year,branch") == ["year", "branch"]
    years = client.get("/api/v1/search", params={"q": "velvet", "facets": "year"}).json()
    assert sum(v["count"] for v in years["facets"]["year"]) == 4
    refused = client.get("/api/v1/search", params={"q": "velvet", "facets": "lang,colour"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "search.unknown_facet"
    assert refused.json()["error"]["params"]["facet"] == "colour"
    # the default is what the results pages show, and every facet can be asked for
    assert set(SHOWN_FACETS) == set(FACET_ORDER)
    assert asked(facets=",".join(FACETS)) == list(FACETS)


def test_the_json_answer_is_what_its_schema_documents(services: Services, tmp_path: Path) -> None:
    seed_branches(services.catalogue)
    _import(services, tmp_path / "few.mrc", [_book(n, f"Amber kite {n}") for n in range(3)])
    services.search.check()
    client = TestClient(composition.asgi_app(services))
    body = client.get("/api/v1/search", params={"q": "amber", "facets": "lang"}).json()
    assert body["works"]
    assert body["facets"]["lang"]
    assert SearchOut.model_validate(body).model_dump(mode="json") == body
    schema = client.get("/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    answer = schema["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/SearchOut"}


FILLERS = 230  # more matches than a query is read whole for (ordering.READ_WHOLE)
FILLER_WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "inlet")


def test_a_work_is_whole_on_the_page_of_its_best_edition(
    services: Services, tmp_path: Path
) -> None:
    """One work's editions rank far apart (one names the harbour in a subject too, the
    others only in the title), with hundreds of other works between them, scoring alike
    in small groups (longer titles score less), so the first read holds a page but not
    every match and the rest of the work is fetched by its id."""
    seed_branches(services.catalogue)
    editions = [_book(0, "Harbor lights", subjects=("Harbor",))]
    editions += [_book(n, "Harbor lights") for n in range(1, 5)]
    fillers = [
        _book(
            10 + n,
            f"Harbor lights {n:03d} " + " ".join(FILLER_WORDS[: n % len(FILLER_WORDS)]),
            author="Gull, Bo",
            subjects=("Harbor",),
        )
        for n in range(FILLERS)
    ]
    _import(services, tmp_path / "harbor.mrc", editions + fillers)
    services.search.check()
    flat = [
        w.records[0]
        for page in range(1, 4)
        for w in services.search.search(
            SearchRequest(q="harbor", size=100, page=page, group=False, facets=False)
        ).works
    ]
    assert len(flat) == len(editions) + FILLERS
    work = flat[0].work_key
    positions = [i for i, r in enumerate(flat) if r.work_key == work]
    assert len(positions) == len(editions)
    assert positions[0] == 0
    assert positions[-1] > 50  # far beyond the first page's read

    seen: list[int] = []
    works: list[str] = []
    for page in range(1, 100):
        found = services.search.search(SearchRequest(q="harbor", size=5, page=page, facets=False))
        if not found.works:
            break
        works += [w.records[0].work_key for w in found.works]
        seen += [r.record_id for w in found.works for r in w.records]
        if page == 1:
            assert len(found.works[0].records) == len(editions)
    assert len(seen) == len(set(seen)) == len(flat)
    assert len(works) == len(set(works)) == FILLERS + 1


def test_the_relay_delivering_an_applied_event_reads_no_feed(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.search.check()
    _import(services, tmp_path / "one.mrc", [_book(4, "Saffron ledgers")])
    services.search.sync()
    applied = services.search.applied_through
    reads: list[int] = []
    real = source.feed_after

    def counted(db: Database, cursor: int, **kwargs: Any) -> list[FeedEvent]:
        reads.append(cursor)
        return real(db, cursor, **kwargs)

    monkeypatch.setattr(source, "feed_after", counted)
    services.search.handle_event(Event(applied, RECORD_CHANGED, {"record_id": 1}, 0))
    assert reads == []  # the follower had applied it: nothing to read
    services.search.handle_event(Event(applied + 1, RECORD_CHANGED, {"record_id": 1}, 0))
    assert reads  # one not applied yet: the feed is read
