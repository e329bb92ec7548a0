"""The SRU client (interop/sru_client.py) against our own SRU server over real HTTP, and
against answers a remote server may send (a diagnostic, not XML, an HTTP error, a record
packed as a string, one record that cannot be read), served by httpx's mock transport.
The Zebra target is in test_z3950_client.py (Zebra answers SRU and Z39.50 on one port)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
from interop_helpers import build_catalogue, live_server

from shelfwise import app as composition
from shelfwise.catalogue.remote import (
    RemoteSearchError,
    Target,
    TargetError,
    TargetKind,
    Words,
    parse_targets,
)
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.interop.sru_client import SruClient, cql_of
from shelfwise.marc.description import Dialect
from shelfwise.marc.marcxml import record_to_xml
from shelfwise.marc.record import Field, Record
from shelfwise.search.models import SearchRequest
from shelfwise.services import Services


@pytest.fixture
def sqlite_services(tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    """One SQLite library: what is under test is the HTTP client, not the database."""
    settings = Settings.load({"data_dir": tmp_path / "data", "import_batch_size": 50}, environ={})
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


def _target(address: str, version: str = "1.2") -> Target:
    return Target("own", "Our own SRU", TargetKind.SRU, address, sru_version=version)


def test_searches_our_own_sru_server(sqlite_services: Services, tmp_path: Path) -> None:
    build_catalogue(sqlite_services, tmp_path)
    ours = sqlite_services.search.search(
        SearchRequest(q="title:history", group=False, facets=False, size=100)
    )
    expected = ours.total_records
    titles = {r.title for w in ours.works for r in w.records}
    assert expected >= 5
    client = SruClient()
    with live_server(sqlite_services) as base:
        for version in ("1.2", "2.0"):
            target = _target(f"{base}/sru", version)
            result = client.search(target, "dc.title=history", maximum=5)
            words = client.search(target, Words("history"), maximum=2)
            assert result.total == expected
            assert [r.position for r in result.records] == [1, 2, 3, 4, 5]
            assert not result.unreadable
            for found in result.records:
                # what our server serves is MARC 21 (converted when catalogued otherwise)
                assert found.dialect is Dialect.MARC21
                assert found.description.title in titles
            assert words.query == '"history"'
            assert words.total >= expected
            assert len(words.records) == 2
        # a fatal diagnostic (unsupported index) is an error with its reason
        with pytest.raises(RemoteSearchError) as caught:
            client.search(target, "dc.nonsense=x")
    assert caught.value.reason.startswith("SRU diagnostic 16: Unsupported index")


def _marc(title: str) -> Record:
    return Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", "  ", [], "ocm1"),
            Field("020", "  ", [("a", "9787020002207")]),
            Field("245", "10", [("a", title)]),
        ],
    )


def _answer(records: list[str], total: int | None = None) -> bytes:
    wrapped = "".join(
        "<record><recordSchema>marcxml</recordSchema><recordPacking>xml</recordPacking>"
        f"<recordData>{r}</recordData><recordPosition>{i}</recordPosition></record>"
        for i, r in enumerate(records, 1)
    )
    return (
        '<?xml version="1.0"?><searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/">'
        f"<version>1.2</version><numberOfRecords>{len(records) if total is None else total}"
        f"</numberOfRecords><records>{wrapped}</records></searchRetrieveResponse>"
    ).encode()


def _served(body: bytes, status: int = 200) -> tuple[SruClient, list[httpx.Request]]:
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(status, content=body)

    return SruClient(transport=httpx.MockTransport(handler)), asked


def _xml(record: Record) -> str:
    return record_to_xml(record).decode().split("?>", 1)[-1]


def test_records_as_xml_or_as_a_string_and_one_unreadable() -> None:
    as_xml = _xml(_marc("红楼梦"))
    as_string = escape(_xml(_marc("Dream of the Red Chamber")))
    broken = (
        '<record xmlns="http://www.loc.gov/MARC21/slim"><datafield ind1=" " ind2=" "/></record>'
    )
    client, asked = _served(_answer([as_xml, as_string, broken], total=120))
    result = client.search(_target("http://remote.example/sru"), 'dc.title="红楼梦"', maximum=99)
    assert result.total == 120
    assert [r.description.title for r in result.records] == ["红楼梦", "Dream of the Red Chamber"]
    assert result.records[0].description.isbns == ["9787020002207"]
    assert len(result.unreadable) == 1
    assert result.unreadable[0].startswith("record 3:")
    # what was sent: the query, the version, and at most MAX_RECORDS records asked for
    sent = asked[0].url.params
    assert sent["query"] == 'dc.title="红楼梦"'
    assert sent["version"] == "1.2"
    assert sent["operation"] == "searchRetrieve"
    assert sent["maximumRecords"] == "50"
    assert sent["recordSchema"] == "marcxml"


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"<html>busy</html>", 200, "the answer is a 'html', not an SRU one"),
        (b"not xml at all", 200, "the answer is not XML"),
        (b"", 503, "the server answered HTTP 503"),
        (
            b'<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><diagnostics>'
            b'<diagnostic xmlns="http://www.loc.gov/zing/srw/diagnostic/">'
            b"<uri>info:srw/diagnostic/1/10</uri><message>Query syntax error</message>"
            b"</diagnostic></diagnostics></searchRetrieveResponse>",
            200,
            "SRU diagnostic 10: Query syntax error",
        ),
        (
            b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/">'
            b"<numberOfRecords>&x;</numberOfRecords></searchRetrieveResponse>",
            200,
            "the answer has no numberOfRecords",  # the entity is not resolved
        ),
    ],
)
def test_a_bad_answer_is_an_error_that_says_why(body: bytes, status: int, reason: str) -> None:
    client, _ = _served(body, status)
    with pytest.raises(RemoteSearchError) as caught:
        client.search(_target("http://remote.example/sru"), "dc.title=x")
    assert caught.value.reason.startswith(reason), caught.value.reason


def test_no_server_and_an_empty_query_are_errors() -> None:
    # port 9 on loopback (discard) is closed on the test machine: connection refused
    with pytest.raises(RemoteSearchError) as caught:
        SruClient().search(_target("http://127.0.0.1:9/sru"), "dc.title=x")
    assert caught.value.reason.startswith("cannot connect")
    with pytest.raises(RemoteSearchError):
        SruClient().search(_target("http://127.0.0.1:9/sru"), Words("   "))


def test_words_become_one_quoted_cql_term() -> None:
    assert cql_of(Words(' 红楼  梦 "x" \\ ')) == '"红楼 梦 \\"x\\" \\\\"'
    assert cql_of("  dc.title=a ") == "dc.title=a"


def test_targets_from_the_setting() -> None:
    targets = parse_targets(
        "own|Our SRU|sru|http://127.0.0.1:8000/sru; "
        "loc|Library of Congress|z3950|lx2.loc.gov:210/LCDB|usmarc;"
    )
    assert [(t.key, t.kind, t.address) for t in targets] == [
        ("own", TargetKind.SRU, "http://127.0.0.1:8000/sru"),
        ("loc", TargetKind.Z3950, "lx2.loc.gov:210/LCDB"),
    ]
    assert targets[1].record_schema == "usmarc"
    assert parse_targets("") == []
    for bad in (
        "own|x|sru",  # too few parts
        "own|x|ftp|http://a",  # unknown kind
        "own|x|sru|lx2.loc.gov:210/LCDB",  # not a URL
        "loc|x|z3950|http://a/sru",  # not host:port/database
        "a|x|sru|http://a; a|y|sru|http://b",  # the same key twice
        "Bad Key|x|sru|http://a",
    ):
        with pytest.raises(TargetError):
            parse_targets(bad)
