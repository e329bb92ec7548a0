"""CQL and SRU as a cataloguer's client sends them (issue 13 item 4), over real HTTP.

* ``history not "world war"``: under CQL 1.2 ``=`` on a quoted multi-word term is the
  phrase (as ``adj``); it had been diagnostic 48.
* masking: a leading ``*`` masks (it had been dropped: ``*story`` was ``story``), an
  inner ``*`` masks (it had found nothing), ``\\*`` is a literal character (it had
  still masked); what we cannot do is its diagnostic, never silence.
* ``sortKeys`` (SRU 1.1 form, and the CQL sortBy form SRU 2.0 clients send) sorts,
  or is diagnosed; an unknown parameter is diagnostic 8; Explain says all of it.
* scan: the count of a heading equals a search for it (中国通史: 5, not the 3 whose
  title is exactly that), headings in a collation per script — case-insensitive
  Latin, Chinese by pinyin, Korean in 가나다 order — driven by yaz-client.
* yaz's own CQL samples (``tests/fixtures/cql/cqlsample``): each answered with
  records or with the diagnostic we expect, none with a server error.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.servers import live_server
from shelfwise.testing.tools import require_tool

SRW = "{http://www.loc.gov/zing/srw/}"
ZR = "{http://explain.z3950.org/dtd/2.0/}"
SAMPLES = Path(__file__).parents[1] / "fixtures" / "cql" / "cqlsample"

# (title, year, language); several share words so that phrases and masks can be told apart
TITLES = [
    ("A history of the world war", 1990, "eng"),
    ("World war: a history", 1995, "eng"),
    ("History of a war-torn world", 2001, "eng"),
    ("The world at war", 1985, "eng"),
    ("History of Harbin", 2010, "eng"),
    ("Prehistory of Manchuria", 2005, "eng"),
    ("Story of a river", 1999, "eng"),
    ("Hist and lore", 2015, "eng"),
    ("apple orchards", 2011, "eng"),
    ("Banana republic", 2012, "eng"),
    ("cherry blossoms", 2013, "eng"),
    ("Éclair recipes", 2014, "eng"),
    ("Zebra crossings", 2016, "eng"),
    ("中国通史", 2000, "chi"),
    ("中国通史", 2002, "chi"),
    ("中國通史", 2003, "chi"),
    ("中国通史纲要", 2004, "chi"),
    ("中国通史讲义", 2006, "chi"),
    ("安徽通史", 2007, "chi"),
    ("한국 역사", 2008, "kor"),
    ("가나다 이야기", 2009, "kor"),
]


def _record(number: int, title: str, year: int, language: str) -> Record:
    return Record(
        "     nam a22     7a 4500",
        [
            Field("001", data=f"cql{number:04d}"),
            Field("008", data=f"260101s{year}    xx            000 0 {language} d"),
            Field("100", "1 ", [("a", f"Author{number:02d}, Test")]),
            Field("245", "10", [("a", title)]),
            Field("260", "  ", [("a", "Harbin :"), ("b", "Test Press,"), ("c", f"{year}.")]),
        ],
    )


@pytest.fixture
def base(services: Services, tmp_path: Path) -> Iterator[str]:
    seed_branches(services.catalogue)
    path = tmp_path / "cql.mrc"
    path.write_bytes(b"".join(encode(_record(i, *t)) for i, t in enumerate(TITLES)))
    services.importer().import_file(path)
    services.search.check()
    with live_server(services) as url:
        yield url


def _sru(client: httpx.Client, **params: str) -> etree._Element:
    response = client.get("/sru", params={"version": "1.2", **params})
    assert response.status_code == 200
    return etree.fromstring(response.content)


def _search(client: httpx.Client, query: str, **params: str) -> tuple[int, list[str], list[int]]:
    """(numberOfRecords, titles in order, diagnostic numbers)."""
    root = _sru(client, operation="searchRetrieve", query=query, recordSchema="dc", **params)
    titles = [str(e.text) for e in root.iter("{http://purl.org/dc/elements/1.1/}title")]
    codes = [int(str(e.text).rsplit("/", 1)[1]) for e in root.iter() if str(e.tag).endswith("}uri")]
    return int(root.findtext(f"{SRW}numberOfRecords") or 0), titles, codes


def _titles(client: httpx.Client, query: str, **params: str) -> set[str]:
    total, titles, codes = _search(client, query, maximumRecords="100", **params)
    assert codes == [], (query, codes)
    assert total == len(titles)
    return set(titles)


def test_phrases_and_masking(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        history = _titles(client, "history")
        assert _titles(client, 'history not "world war"') == history - {
            "A history of the world war",
            "World war: a history",
        }
        assert _titles(client, 'dc.title adj "world war"') == _titles(client, '"world war"')
        assert "History of a war-torn world" not in _titles(client, 'dc.title = "world war"')
        assert "History of a war-torn world" in _titles(client, 'dc.title all "world war"')
        # masks: leading and inner, and the escaped literal
        assert {"Prehistory of Manchuria", "Story of a river"} <= _titles(client, "*story")
        assert "Prehistory of Manchuria" not in _titles(client, "story")
        inner = _titles(client, "hi*ory")
        assert "History of Harbin" in inner
        assert "Prehistory of Manchuria" not in inner
        assert _titles(client, "hist\\*") == {"Hist and lore"}
        assert "History of Harbin" in _titles(client, "hist*")
        for query, code in (
            ("his?ory", 28),
            ("中*史", 28),
            ("*y", 29),
            ("^history", 31),
            ("his^tory", 32),
            ('dc.title = "world wa*"', 33),
        ):
            assert _search(client, query)[2] == [code], query


def test_sorting_parameters_and_explain(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        ask = {"query": "history", "maximumRecords": "50"}
        years = {t: y for t, y, _ in TITLES}
        for version, sort_keys, newest_first in (
            ("1.1", "dc.date,,0", True),
            ("1.1", "dc.date,,1", False),
            ("2.0", "dc.date/sort.descending", True),
            ("2.0", "dc.date", False),
        ):
            _, titles, codes = _search(client, ask["query"], version=version, sortKeys=sort_keys)
            assert codes == []
            order = [years[t] for t in titles]
            assert order == sorted(order, reverse=newest_first), (version, sort_keys)
        _, titles, _ = _search(client, "history", sortKeys="dc.title,,1")
        assert titles == sorted(titles, key=str.casefold)
        _, titles, _ = _search(client, "history sortBy dc.title/sort.descending")
        assert titles == sorted(titles, key=str.casefold, reverse=True)
        for params, code in (
            ({"sortKeys": "dc.publisher,,1"}, 88),
            ({"sortKeys": "dc.title,,1,1"}, 91),
            ({"sortKeys": "dc.title,mods,1"}, 87),
            ({"sortKeys": "dc.title dc.date"}, 84),
            ({"query": "history sortBy dc.date", "sortKeys": "dc.title"}, 8),
            ({"frobnicate": "1"}, 8),
            ({"stylesheet": "/s.xsl"}, 110),
            ({"queryType": "searchTerms"}, 6),
        ):
            merged = {"query": "history", **params}
            root = _sru(client, operation="searchRetrieve", **merged)
            uris = [e.text for e in root.iter() if str(e.tag).endswith("}uri")]
            assert uris == [f"info:srw/diagnostic/1/{code}"], params
        assert _search(client, "history", **{"x-shelfwise-trace": "1"})[2] == []  # ignored
        explain = _sru(client, operation="explain")
        sortable = {
            m.findtext(f"{ZR}map/{ZR}name")
            for m in explain.iter(f"{ZR}index")
            if m.get("sort") == "true"
        }
        assert {"title", "creator", "date"} <= sortable
        supports = {s.get("type"): s.text for s in explain.iter(f"{ZR}supports")}
        assert supports["maskingCharacter"] == "*"
        assert "sortKeys" in (supports["parameters.searchRetrieve"] or "")


def _yaz(base: str, commands: list[str]) -> str:
    require_tool("yaz-client", "the Debian package yaz")
    done = subprocess.run(
        ["yaz-client", f"{base}/sru"],
        input="\n".join(["sru get 1.2", "querytype cql", *commands, "quit"]) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout


def _scan_terms(output: str) -> list[tuple[str, int]]:
    """yaz-client prints a scan term as ``value: count display``."""
    return [(t, int(n)) for t, n in re.findall(r"^(.+): (\d+) ", output, flags=re.MULTILINE)]


def test_scan_counts_equal_searches_and_headings_collate(base: str) -> None:
    out = _yaz(base, ["scan dc.title=a"])
    terms = _scan_terms(out)
    assert terms, out
    headings = [t for t, _ in terms]
    # Latin case-insensitively, Chinese by its pinyin among them, Hangul after, 가나다
    assert headings.index("安徽通史") < headings.index("apple orchards")
    assert headings.index("apple orchards") < headings.index("Banana republic")
    assert headings.index("Banana republic") < headings.index("cherry blossoms")
    assert headings.index("cherry blossoms") < headings.index("Éclair recipes")
    assert headings.index("Zebra crossings") < headings.index("中国通史")
    assert headings.index("中国通史") < headings.index("中国通史纲要")
    assert headings.index("中国通史讲义") < headings.index("가나다 이야기")
    assert headings.index("가나다 이야기") < headings.index("한국 역사")
    assert "中國通史" not in headings  # one heading with 中国通史 (traditional folds to it)
    counts = dict(terms)
    assert counts["中国通史"] == 5  # the three so titled and the two that begin with it
    finds = _yaz(base, [f'find dc.title="{t}"' for t, _ in terms])
    hits = [int(n) for n in re.findall(r"Number of hits: (\d+)", finds)]
    assert hits == [n for _, n in terms], finds


def test_yaz_cql_samples(base: str) -> None:
    """Every query of yaz's CQL sample file answered as expected, none with an error page."""
    expected = _sample_expectations()
    with httpx.Client(base_url=base, timeout=60) as client:
        for query, code in expected:
            _, _, codes = _search(client, query)
            assert codes == ([] if code is None else [code]), query


def _sample_expectations() -> list[tuple[str, int | None]]:
    """The samples in file order, each with our diagnostic (None: searched)."""
    special = {
        "title > 9": 19,
        "title >= 23": 19,
        "dc.fish all/stem/fuzzy": 16,
        "dc.title =/rel.algorithm": 20,
        "creator any/f.foo": 20,
        "(cat^)": 31,
        '"^cat says': 31,
        "cat?dog": 28,
        '(("^cat*fishdog': 28,
        "ccg.force": 16,
        "any or all:stem": 16,
        '""': 27,
        "> any > any": 16,
    }
    out: list[tuple[str, int | None]] = []
    section = ""
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line
            continue
        query = line.strip()
        if not query:
            continue
        code: int | None = next((c for k, c in special.items() if k in query), None)
        if "Proximity" in section:
            code = 46 if "and/" in query else 37
            if "dc.author" in query:
                code = 16
        elif "Invalid" in section:
            code = 13 if "(" in query or ")" in query else 10
        out.append((query, code))
    assert len(out) == 70
    return out
