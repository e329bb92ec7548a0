"""The index follows the catalogue (feed, withdraw, merge), rebuilds with a swap, and answers."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.runtime import Runtime
from shelfwise.search import Filters, SearchRequest, Sort
from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records


def _import(services: Services, tmp_path: Path, count: int = 120) -> None:
    path = tmp_path / "records.mrc"
    write_records(path, count)
    services.importer().import_file(path)


def _ids(services: Services, q: str) -> list[int]:
    result = services.search.search(SearchRequest(q=q, size=100, group=False, facets=False))
    return [w.records[0].record_id for w in result.works]


def test_feed_keeps_the_index_current(services: Services, tmp_path: Path) -> None:
    assert services.search.check().startswith("built")
    _import(services, tmp_path)
    assert services.search.sync() > 0
    assert services.search.indexed_count() == services.catalogue.counts()["records"]
    record = services.catalogue.get_record(_ids(services, "history OR 历史 OR 역사")[0])
    assert record.id in _ids(services, f'"{record.title}"')
    services.catalogue.withdraw(record.id)
    services.search.sync()
    assert record.id not in _ids(services, f'"{record.title}"')
    assert services.search.indexed_count() == services.catalogue.counts()["records"]


def _book(control: str, isbn: str, title: str, branch: str, barcode: str) -> bytes:
    return encode(
        Record(
            "00000nam a2200000 a 4500",
            [
                Field("001", data=control),
                Field("003", data="MERGE"),
                Field("008", data="190101s2019" + " " * 24 + "eng d"),
                Field("020", "  ", [("a", isbn)]),
                Field("100", "1 ", [("a", "Pak, Yong-ho")]),
                Field("245", "10", [("a", title)]),
                Field("264", " 1", [("c", "2019")]),
                Field("852", "  ", [("b", branch), ("h", "J607"), ("p", barcode)]),
            ],
        )
    )


def test_merge_removes_the_duplicate(services: Services, tmp_path: Path) -> None:
    """Two catalogue records of one book (different ISBN and title wording, so the importer
    does not merge them); a cataloguer merges them and the index follows."""
    seed_branches(services.catalogue)
    services.catalogue.add_branch(code="EST", kind=BranchKind.BRANCH, name_zh="东区分馆")
    path = tmp_path / "records.mrc"
    write_records(path, 40)
    with path.open("ab") as out:
        out.write(_book("m1", "9787532234561", "Liaoning folk songs", "CEN", "MRG0001"))
        out.write(
            _book("m2", "9787505738966", "Folk songs of the Liaoning villages", "EST", "MRG0002")
        )
    services.importer().import_file(path)
    services.search.check()
    [survivor] = _ids(services, "isbn:9787532234561")
    [duplicate] = _ids(services, "isbn:9787505738966")
    assert survivor != duplicate
    assert _ids(services, "villages") == [duplicate]
    assert set(_ids(services, "liaoning songs")) == {survivor, duplicate}

    services.catalogue.merge(survivor_id=survivor, duplicate_id=duplicate)
    Runtime(services).outbox_relay(
        {"catalogue.record_changed": services.search.handle_event}
    ).drain()

    # the duplicate is gone; its wording now finds the survivor (merged sources are indexed)
    assert _ids(services, "villages") == [survivor]
    assert _ids(services, "liaoning songs") == [survivor]
    # The duplicate's copy moved to the survivor: the index shows it held at both branches.
    hit = services.search.search(SearchRequest(q="liaoning songs", group=False)).works[0].records[0]
    assert hit.record_id == survivor
    assert hit.isbns == ("9787532234561",)
    assert set(hit.branches) == {"CEN", "EST"}
    browse = services.search.search(
        SearchRequest(q="", filters=Filters(lang=("zh", "ko", "en")), size=100, group=False)
    )
    ids = {w.records[0].record_id for w in browse.works}
    assert survivor in ids
    assert duplicate not in ids
    assert services.search.indexed_count() == services.catalogue.counts()["records"]


def test_rebuild_swaps_while_searches_go_on(services: Services, tmp_path: Path) -> None:
    _import(services, tmp_path, 150)
    services.search.check()
    errors: list[BaseException] = []
    stop = threading.Event()

    def searching() -> None:
        while not stop.is_set():
            try:
                assert services.search.search(SearchRequest(q="history")).total_records > 0
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=searching) for _ in range(2)]
    for t in threads:
        t.start()
    before = services.search.store.current()
    report = services.search.rebuild()
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert report.records == services.catalogue.counts()["records"]
    assert services.search.store.current() != before


def test_facets_sorts_and_messages(services: Services, tmp_path: Path) -> None:
    _import(services, tmp_path, 150)
    services.search.check()
    result = services.search.search(SearchRequest(q="history OR 历史 OR 역사 OR 中国"))
    assert result.total_records > 0
    langs = {v.value: v.count for v in result.facets["lang"]}
    assert set(langs) <= {"zh", "ko", "en"}
    assert langs
    assert result.facets["available"]
    zh = services.search.search(
        SearchRequest(q="history OR 历史 OR 역사 OR 中国", filters=Filters(lang=("zh",)), size=100)
    )
    assert all("zh" in r.languages for w in zh.works for r in w.records)
    newest = services.search.search(
        SearchRequest(q="history OR 历史", sort=Sort.NEWEST, group=False)
    )
    years = [w.records[0].year or 0 for w in newest.works]
    assert years == sorted(years, reverse=True)
    for q in ("", "-war", '"', "title:", "((((", "OR OR", "\x00", "ㅋ" * 300):
        services.search.search(SearchRequest(q=q))  # never raises


def test_api_search_and_suggest(services: Services, tmp_path: Path) -> None:
    _import(services, tmp_path, 80)
    services.search.check()
    client = TestClient(composition.asgi_app(services))
    response = client.get("/api/v1/search", params={"q": "history OR 历史", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert {"works", "facets", "total_records", "did_you_mean", "message"} <= set(body)
    for q in ('"unclosed', "title:", "-", "*", "「」", "isbn:abc"):
        assert client.get("/api/v1/search", params={"q": q}).status_code == 200
    bad = client.get("/api/v1/search", params={"page": "x"})
    assert bad.status_code == 422
    assert "error" in bad.json()
    assert client.get("/api/v1/suggest", params={"q": "li"}).status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/search" in paths
    assert "/api/v1/suggest" in paths
