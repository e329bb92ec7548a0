"""Another library's catalogue, for real: a Zebra server (idzebra-2.0, the search bench's
configuration) over 60 generated records, asked over Z39.50 by our yaz-client driver and
over SRU (CQL) by our SRU client. The hit counts are checked against a count made here
from the same MARC file; errors (a diagnostic, an unknown database, no server, a query
with a new line in it) come back as RemoteSearchError with their reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelfwise.catalogue.remote import RemoteSearchError, Target, TargetKind, Words
from shelfwise.interop.remote_catalogues import RemoteCatalogues
from shelfwise.interop.sru_client import SruClient
from shelfwise.interop.z3950_client import YazClient
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.testing import tools
from shelfwise.testing.records import write_records
from shelfwise.testing.zebra import ZebraServer, zebra_server

ANY_TAGS = {"245": "ab", "246": "ab", "100": "a", "110": "a", "111": "a", "700": "a"}
ANY_TAGS |= {"710": "a", "711": "a"}


@pytest.fixture(scope="module")
def zebra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ZebraServer, Path]]:
    tools.require_tool("yaz-client", "the Debian package yaz")
    work = tmp_path_factory.mktemp("zebra")
    records = work / "records.mrc"
    write_records(records, 60)
    with zebra_server(records, work / "server") as server:
        yield server, records


def _words(record: ReadRecord, title_only: bool) -> set[str]:
    """The words Zebra's any (or title) index holds for a record, as extract.xsl picks them."""
    texts: list[str] = []
    for field in record.record.fields:
        if field.tag in ("245", "246"):
            texts += field.values("a", "b")
        elif title_only:
            continue
        elif field.tag in ANY_TAGS:
            texts += field.values(*ANY_TAGS[field.tag])
        elif field.tag.startswith("6"):
            texts += field.values("a", "x", "y", "z")
    return {w.casefold() for t in texts for w in re.findall(r"\w+", t)}


def _count(records: Path, word: str, *, title_only: bool = False) -> int:
    read = [r for r in read_file(records) if isinstance(r, ReadRecord)]
    return sum(1 for r in read if word in _words(r, title_only))


def test_z3950_through_yaz_client(zebra: tuple[ZebraServer, Path]) -> None:
    server, records = zebra
    target = Target("zebra", "Zebra", TargetKind.Z3950, server.z3950_address)
    client = YazClient()
    anywhere = client.search(target, Words("history"), maximum=50)
    assert anywhere.total == _count(records, "history") >= 3
    assert len(anywhere.records) == anywhere.total
    assert anywhere.query == '@attr 1=1016 "history"'
    titles = client.search(target, "@attr 1=4 history", maximum=2)
    assert titles.total == _count(records, "history", title_only=True) >= 1
    assert len(titles.records) == min(2, titles.total)
    for found in titles.records:
        assert "history" in found.description.title.casefold()
        assert found.description.isbns  # the generated records carry ISBNs
    assert not anywhere.unreadable
    assert not titles.unreadable


def test_sru_against_zebra(zebra: tuple[ZebraServer, Path]) -> None:
    server, records = zebra
    target = Target("zebra-sru", "Zebra SRU", TargetKind.SRU, server.sru_url)
    result = SruClient().search(target, "dc.title=history", maximum=3)
    assert result.total == _count(records, "history", title_only=True)
    words = SruClient().search(target, Words("history"), maximum=50)
    assert words.total == _count(records, "history")
    by_z3950 = YazClient().search(
        Target("z", "Zebra", TargetKind.Z3950, server.z3950_address), Words("history"), maximum=50
    )
    # the same records over both protocols, in the same order
    assert [r.marc for r in words.records] == [r.marc for r in by_z3950.records]


def test_the_dispatcher_sends_each_target_to_its_protocol(
    zebra: tuple[ZebraServer, Path],
) -> None:
    server, _ = zebra
    z = Target("z", "Zebra Z39.50", TargetKind.Z3950, server.z3950_address)
    s = Target("s", "Zebra SRU", TargetKind.SRU, server.sru_url)
    remote = RemoteCatalogues([z, s])
    assert remote.target("s") == s
    assert remote.target("nope") is None
    assert remote.search(z, Words("history")).query.startswith("@attr")
    assert remote.search(s, Words("history")).query == '"history"'


def test_z3950_errors_say_why(zebra: tuple[ZebraServer, Path]) -> None:
    server, _ = zebra
    client = YazClient()
    target = Target("zebra", "Zebra", TargetKind.Z3950, server.z3950_address)
    cases: list[tuple[Target, str | Words, str]] = [
        (target, "@attr 1=9999 x", "Z39.50 diagnostic 114"),  # unsupported use attribute
        (
            Target("z", "Zebra", TargetKind.Z3950, f"127.0.0.1:{server.port}/Nope"),
            "x",
            "Z39.50 diagnostic 109",  # database unavailable
        ),
        (Target("z", "none", TargetKind.Z3950, "127.0.0.1:9/Default"), "x", "cannot connect"),
        (target, "@and x", "the search failed (Prefix query error"),
        (target, "x\nopen tcp:evil:210", "the query holds a control character"),
        (target, Words("  "), "the query is empty"),
    ]
    for where, query, reason in cases:
        with pytest.raises(RemoteSearchError) as caught:
            client.search(where, query)
        assert caught.value.reason.startswith(reason), caught.value.reason
