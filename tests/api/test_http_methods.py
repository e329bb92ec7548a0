"""HTTP methods on every door (issue 13 item 10), over real HTTP (uvicorn).

HEAD answers as GET without the body: the same status and headers.  Any other
method a route does not take is a 405 with ``Allow``, in the door's own format:
an SRU diagnostic, an OAI-PMH error, the API's JSON error shape, a page.
(It had been a 422 in the JSON error shape everywhere, /sru and /oai included.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server

GETS = (
    "/api/v1/search?q=history",
    "/api/v1/health",
    "/sru?version=1.2&operation=explain",
    "/sru?version=2.0&query=dc.title%3Dhistory",
    "/oai?verb=Identify",
    "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/",
    "/search?q=history",
    "/static/site.css",
)
SAME_HEADERS = ("content-type", "content-length", "content-language", "allow")


@pytest.fixture
def base(services: Services, tmp_path: Path) -> Iterator[str]:
    seed_branches(services.catalogue)
    path = tmp_path / "records.mrc"
    write_records(path, 30)
    services.importer().import_file(path)
    services.search.check()
    with live_server(services) as url:
        yield url


def test_head_is_get_without_the_body(base: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for url in GETS:
            got = client.get(url, headers={"Accept-Encoding": "identity"})
            head = client.head(url, headers={"Accept-Encoding": "identity"})
            assert got.status_code == 200, url
            assert head.status_code == got.status_code, url
            assert head.content == b"", url
            for name in SAME_HEADERS:
                assert head.headers.get(name) == got.headers.get(name), (url, name)


def test_other_methods_are_405_in_each_doors_format(base: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
            sru = client.request(method, "/sru?version=1.2&operation=explain")
            assert sru.status_code == 405
            assert sru.headers["Allow"] == "GET, HEAD, POST"
            uris = [e.text for e in etree.fromstring(sru.content).iter() if e.tag.endswith("uri")]
            assert uris == ["info:srw/diagnostic/1/4"]

            oai = client.request(method, "/oai?verb=Identify")
            assert oai.status_code == 405
            assert oai.headers["Allow"] == "GET, HEAD, POST"
            error = etree.fromstring(oai.content).find(
                "{http://www.openarchives.org/OAI/2.0/}error"
            )
            assert error is not None
            assert "GET, HEAD, POST" in (error.text or "")

            api = client.request(method, "/api/v1/search", headers={"Accept-Language": "en"})
            assert api.status_code == 405
            assert api.headers["Allow"] == "GET, HEAD"
            assert api.json()["error"]["code"] == "request.method_not_allowed"
            assert method in api.json()["error"]["message"]

            page = client.request(method, "/search", headers={"Accept-Language": "en"})
            assert page.status_code == 405
            assert page.headers["Allow"] == "GET, HEAD"
            assert page.headers["content-type"].startswith("text/html")
            assert f"does not take {method} requests" in page.text
        # POST where only GET is taken, on the API
        post = client.post("/api/v1/search", json={})
        assert post.status_code == 405
        assert post.headers["Allow"] == "GET, HEAD"
