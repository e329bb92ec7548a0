"""SRU against a running server, driven by yaz-client (Index Data's, not ours)."""

from __future__ import annotations

import re
import subprocess
import urllib.request
from pathlib import Path

import pytest
from interop_helpers import build_catalogue, live_server
from lxml import etree

from shelfwise.marc.marcxml import record_from_element
from shelfwise.search.models import SearchRequest
from shelfwise.services import Services
from shelfwise.testing import tools


@pytest.fixture(autouse=True)
def _yaz_client() -> None:
    tools.require_tool("yaz-client", "the Debian package yaz")


# CQL sent by yaz-client, and the same question in our search's own language
QUERIES = [
    ("dc.title=history", "title:history"),
    ("ti=历史", "title:历史"),
    ('dc.title any "history 历史 역사"', "title:history OR title:历史 OR title:역사"),
    ('dc.title adj "local history"', 'title:"local history"'),
    ("dc.subject=历史 and dc.language=chi", "subject:历史 lang:chi"),
    ('dc.date within "1990 2010"', "year:1990-2010"),
    ("dc.date>=2015 not dc.language=eng", "year:2015-9999 -lang:eng"),
    ("history or 历史", "history OR 历史"),
    ("dc.creator=kim", "author:kim"),
]


def _yaz(base: str, commands: list[str]) -> str:
    done = subprocess.run(
        ["yaz-client", f"{base}/sru"],
        input="\n".join([*commands, "quit"]) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout


def _hits(output: str) -> list[int]:
    return [int(n) for n in re.findall(r"Number of hits: (\d+)", output)]


def test_yaz_client_searches_scans_and_reads_marcxml(services: Services, tmp_path: Path) -> None:
    build_catalogue(services, tmp_path)
    expected = [
        services.search.search(SearchRequest(q=q, group=False, facets=False)).total_records
        for _, q in QUERIES
    ]
    assert sum(1 for n in expected if n) >= 6  # the queries really find things
    with live_server(services) as base:
        for version in ("1.2", "2.0"):
            out = _yaz(
                base, [f"sru get {version}", "querytype cql"] + [f"find {c}" for c, _ in QUERIES]
            )
            assert _hits(out) == expected, out
        # records: MARCXML our own reader (and lxml) parse
        out = _yaz(base, ["sru get 1.2", "querytype cql", "find dc.title=history", "show 1+3"])
        xml_lines = [line for line in out.splitlines() if line.startswith("<record")]
        assert len(xml_lines) == 3, out
        for line in xml_lines:
            parsed = record_from_element(etree.fromstring(line.encode()))
            assert not isinstance(parsed, str)
            assert parsed[0].get("245") is not None or parsed[0].get("200") is not None
        # diagnostics: unsupported index, unknown context set, syntax error
        out = _yaz(
            base,
            ["sru get 1.2", "querytype cql", "find dc.nonsense=x", "find foo.bar=x", "find (a"],
        )
        for code in (16, 15, 13):
            assert f"info:srw/diagnostic/1/{code}" in out, out
        # scan: titles from a start term, each with its number of records
        out = _yaz(base, ["sru get 1.2", "querytype cql", "scan dc.title=Heilongjiang"])
        terms = re.findall(r"^(.+): (\d+) ", out, flags=re.MULTILINE)
        assert terms, out
        assert terms[0][0].startswith("Heilongjiang")
        out = _yaz(base, ["sru get 1.2", "querytype cql", "scan dc.publisher=x"])
        assert "info:srw/diagnostic/1/16" in out


def _sru(base: str, query: str) -> etree._Element:
    with urllib.request.urlopen(f"{base}/sru?{query}", timeout=30) as response:
        return etree.fromstring(response.read())


def test_paging_schemas_and_limits(services: Services, tmp_path: Path) -> None:
    build_catalogue(services, tmp_path, count=120)
    srw = "{http://www.loc.gov/zing/srw/}"
    with live_server(services) as base:
        ask = "version=1.2&operation=searchRetrieve&query=dc.language%3Dchi"
        whole = _sru(base, f"{ask}&maximumRecords=100&recordSchema=dc")
        total = int(whole.findtext(f"{srw}numberOfRecords") or 0)
        every = [e.text for e in whole.iter("{http://purl.org/dc/elements/1.1/}identifier")]
        every = [t for t in every if t and t.startswith("shelfwise:record:")]
        assert len(every) == min(total, 100)
        paged: list[str | None] = []
        for start in range(1, min(total, 100) + 1, 7):  # pages of 7 from odd positions
            page = _sru(base, f"{ask}&maximumRecords=7&startRecord={start}&recordSchema=dc")
            paged += [
                e.text
                for e in page.iter("{http://purl.org/dc/elements/1.1/}identifier")
                if e.text and e.text.startswith("shelfwise:record:")
            ]
        assert paged[: len(every)] == every
        for query, code in (
            (f"{ask}&maximumRecords=1000", 6),  # a request too large
            (f"{ask}&recordSchema=mods", 66),
            (f"{ask}&startRecord={total + 1}", 61),
            ("version=1.2&operation=searchRetrieve", 7),
            ("version=3.0&operation=explain", 5),
            ("version=1.2&operation=delete", 4),
            ("version=1.2&operation=searchRetrieve&query=a%20prox%20b", 37),
        ):
            uris = [e.text for e in _sru(base, query).iter() if str(e.tag).endswith("}uri")]
            assert uris == [f"info:srw/diagnostic/1/{code}"], query
        explain = _sru(base, "version=1.2&operation=explain")
        names = {e.text for e in explain.iter("{http://explain.z3950.org/dtd/2.0/}name")}
        assert {"title", "creator", "isbn", "id", "serverchoice"} <= names
