"""While the search index is being built, every door says so instead of "no records".

Issue 13 item 5: for about a minute after a first start SRU answered
``numberOfRecords=0`` with no diagnostic.  Now SRU answers diagnostic 2 (system
temporarily unavailable), the JSON API 503 with ``Retry-After`` in the common error
shape, and the pages a notice (results: 503 with ``Retry-After``; home: the notice
where the newest books would be).  Once the index is built, all three answer.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
from lxml import etree

from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server

SRW = "{http://www.loc.gov/zing/srw/}"
SRU_ASK = {"version": "1.2", "operation": "searchRetrieve", "query": "dc.language=chi"}


def _diagnostic_uris(response: httpx.Response) -> list[str]:
    root = etree.fromstring(response.content)
    return [str(e.text) for e in root.iter() if str(e.tag).endswith("}uri")]


def _assert_unavailable(client: httpx.Client) -> dict[str, str]:
    sru = client.get("/sru", params=SRU_ASK)
    assert sru.status_code == 200
    assert _diagnostic_uris(sru) == ["info:srw/diagnostic/1/2"]
    api = client.get("/api/v1/search", params={"q": "history"})
    assert api.status_code == 503
    assert int(api.headers["Retry-After"]) > 0
    error = api.json()["error"]
    assert error["code"] == "search.index_building"
    suggest = client.get("/api/v1/suggest", params={"q": "hist"})
    assert suggest.status_code == 503
    page = client.get("/search", params={"q": "history"}, headers={"Accept-Language": "en"})
    assert page.status_code == 503
    assert int(page.headers["Retry-After"]) > 0
    assert "The search index is being built" in page.text
    home = client.get("/", headers={"Accept-Language": "en"})
    assert home.status_code == 200
    assert "The search index is being built" in home.text
    params: dict[str, str] = error["params"]
    return params


def test_every_door_says_the_index_is_being_built(services: Services, tmp_path: Path) -> None:
    seed_branches(services.catalogue)
    path = tmp_path / "records.mrc"
    write_records(path, 60)
    services.importer().import_file(path)
    records = services.catalogue.counts()["records"]
    with live_server(services) as base, httpx.Client(base_url=base, timeout=60) as client:
        # no index at all yet (the server has not built one)
        _assert_unavailable(client)
        # a first build under way: the refusal tells how far it is
        halfway, resume = threading.Event(), threading.Event()

        def progress(done: int, total: int) -> None:
            halfway.set()
            assert resume.wait(60)

        builder = threading.Thread(target=lambda: services.search.rebuild(progress, batch=20))
        builder.start()
        try:
            assert halfway.wait(60)
            params = _assert_unavailable(client)
            assert params["total"] == str(records)
            assert 0 < int(params["done"]) < records
        finally:
            resume.set()
            builder.join(60)
        # built: every door answers
        sru = client.get("/sru", params=SRU_ASK)
        assert _diagnostic_uris(sru) == []
        assert int(etree.fromstring(sru.content).findtext(f"{SRW}numberOfRecords") or 0) > 0
        api = client.get("/api/v1/search", params={"q": "history OR 历史"})
        assert api.status_code == 200
        assert api.json()["total_records"] > 0
        page = client.get("/search", params={"q": "history OR 历史"})
        assert page.status_code == 200
        assert "being built" not in page.text
