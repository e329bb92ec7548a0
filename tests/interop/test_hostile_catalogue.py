"""Issue 13, done-when 2: a catalogue seeded with hostile records is harvested, paged and
exported completely, through every door, with no 500 and no crash.

The catalogue is imported the way staff import a file (the ``Importer``): forty
generated records (CNMARC, KORMARC, MARC 21; one merges as a duplicate) and every
file of :func:`shelfwise.testing.hostile_records.hostile_files` — every C0 control
character in leader, control fields, indicators and subfields (ISO 2709 and
MARC-in-JSON, a lone surrogate too), records with no title proper (fallbacks) or no
title anywhere (rejected), text EUC-KR cannot hold, MARC-in-JSON nested 100,000 deep
(rejected) and a copy at a branch that does not exist (held back). One record is then
withdrawn, so harvests carry a deletion. Then, against a real HTTP server:

* sickle harvests ``ListRecords`` and ``ListIdentifiers`` in every metadata format
  ``ListMetadataFormats`` advertises, seven records a page (``oai_page_size``), and
  ``GetRecord`` of every hostile record in every format it has;
* SRU 1.2 and 2.0 page through ``cql.allRecords = 1`` in every record schema Explain
  advertises, and the JSON search API pages through ``*``;
* ``shelfwise export`` runs for every format × every character set the reader knows
  (as MARC 21 and as catalogued), plus ``--original`` and ``--since``.

Each record must come exactly once, every MARC 21 record must validate against the
MARC 21 slim schema, every answer must parse, and no text may carry a character XML
or MARC cannot hold.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pymarc
import pytest
from lxml import etree
from sickle import Sickle
from sqlalchemy import select
from typer.testing import CliRunner, Result

from shelfwise import app as composition
from shelfwise.cli.main import cli
from shelfwise.config import Settings, SettingsError
from shelfwise.core.clock import FrozenClock
from shelfwise.marc import charsets, compact
from shelfwise.marc.control_characters import has_forbidden
from shelfwise.marc.marcjson import dumps as marc_json
from shelfwise.marc.marcxml import SLIM, UNIMARCXML
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_file
from shelfwise.services import Services
from shelfwise.storage.tables import records
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.hostile_records import hostile_files
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "MARC21slim.xsd"
ORDINARY = 40
OAI_PAGE = 7
SRU_PAGE = 10
API_PAGE = 8
ZEEREX = "{http://explain.z3950.org/dtd/2.0/}"
SRU_NS = {
    "1.2": "{http://www.loc.gov/zing/srw/}",
    "2.0": "{http://docs.oasis-open.org/ns/search-ws/sruResponse}",
}
DC_ID = "{http://purl.org/dc/elements/1.1/}identifier"
UNIMARC_XML = f"{{{UNIMARCXML}}}"
XML_WHITESPACE = str.maketrans("", "", "\t\n\r")


@dataclass
class Truth:
    """What the catalogue holds, read from its tables (not through any door)."""

    control: dict[int, str]  # every record id (active or withdrawn) -> its 001
    dialect: dict[int, str]
    withdrawn: int
    hostile: list[int]
    iso2709_sources: int  # records read from ISO 2709 files (what --original writes)
    active: set[int] = field(default_factory=set)


@pytest.fixture
def hostile_services(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    """The ``services`` fixture's instance, with OAI-PMH answering seven records a page."""
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "import_batch_size": 50,
            "oai_page_size": OAI_PAGE,
        },
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def marc21_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _seed(services: Services, tmp_path: Path) -> Truth:
    seed_branches(services.catalogue)
    ordinary = tmp_path / "ordinary.mrc"
    write_records(ordinary, ORDINARY)
    summary = services.importer().import_file(ordinary)
    assert summary.rejected == 0
    with services.db.read() as conn:
        last_ordinary = conn.execute(select(records.c.id).order_by(records.c.id.desc())).first()
    assert last_ordinary is not None
    iso2709 = summary.read
    summaries = {p.name: services.importer().import_file(p) for p in hostile_files(tmp_path / "in")}
    iso2709 += sum(s.read for name, s in summaries.items() if name.endswith(".mrc"))
    # What is refused is in a rejects file with its reason: two records with no title
    # anywhere, the record nested too deep, the copy at the branch that does not exist.
    rejected = {name: s.rejected + s.items_rejected for name, s in summaries.items()}
    assert rejected == {n: 0 for n in rejected} | {"titles.mrc": 2, "deep.json": 1, "branch.mrc": 1}
    for name, count in rejected.items():
        if count:
            path = summaries[name].rejects_path
            assert path is not None, name
            lines = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines()]
            assert len(lines) == count, (name, lines)
            assert all(x["reason"] for x in lines), (name, lines)
    assert summaries["control.mrc"].repairs == 2
    assert summaries["control.json"].repairs == 1
    with services.db.read() as conn:
        rows = conn.execute(select(records.c.id, records.c.dialect, records.c.master)).all()
    control = {row.id: _control_number(row.master) for row in rows}
    assert len(set(control.values())) == len(control), "the test needs each 001 to be unique"
    dialect = {row.id: row.dialect for row in rows}
    withdrawn = min(i for i in control if i <= last_ordinary.id and dialect[i] == "unimarc")
    services.catalogue.withdraw(withdrawn)
    services.search.check()
    hostile = sorted(i for i in control if i > last_ordinary.id)
    assert len(hostile) == 14
    truth = Truth(control, dialect, withdrawn, hostile, iso2709)
    truth.active = set(control) - {withdrawn}
    assert services.catalogue.counts()["records"] == len(truth.active)
    return truth


def _control_number(master: bytes) -> str:
    return str(compact.loads(master).control("001"))


def _clean(element: etree._Element) -> str:
    """The text of an answer, which must hold nothing XML or MARC cannot carry."""
    text = "".join(str(t) for t in element.itertext())
    assert not has_forbidden(text.translate(XML_WHITESPACE)), repr(text[:300])
    return text


def _marc21_control(element: etree._Element | None, schema: etree.XMLSchema) -> str:
    """Validate one record served as MARC 21 against the slim schema; its 001, as pymarc reads it.

    (No title check: a record whose title the catalogue took from 240, 130, 246 or 740
    is served as it was catalogued, without a 245.)"""
    assert element is not None
    assert schema.validate(element), str(schema.error_log)
    data = etree.tostring(element, encoding="utf-8")
    (parsed,) = pymarc.parse_xml_to_array(io.BytesIO(data))  # type: ignore[no-untyped-call]
    return str(parsed["001"].data)


def test_a_hostile_catalogue_is_harvested_paged_and_exported_whole(
    hostile_services: Services, tmp_path: Path, marc21_schema: etree.XMLSchema
) -> None:
    services = hostile_services
    truth = _seed(services, tmp_path)
    with live_server(services) as base, httpx.Client(base_url=base, timeout=60) as client:
        _harvest(Sickle(f"{base}/oai", max_retries=0), services, truth, marc21_schema)
        _sru(client, truth, marc21_schema)
        _api(client, truth)
    _export(services, tmp_path, truth)


# --- OAI-PMH --------------------------------------------------------------------------------


def _expected(truth: Truth, prefix: str) -> set[int]:
    every = set(truth.control)
    return every if prefix != "unimarc" else {i for i in every if truth.dialect[i] == "unimarc"}


def _harvest(sickle: Sickle, services: Services, truth: Truth, schema: etree.XMLSchema) -> None:
    prefixes = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert {"oai_dc", "marc21", "unimarc"} <= set(prefixes)
    oai_id = f"oai:{services.settings.oai_repository_identifier}:"
    for prefix in prefixes:
        expected = _expected(truth, prefix)
        listing = sickle.ListRecords(metadataPrefix=prefix)
        pages: list[object] = []  # the responses themselves (an id() may be reused)
        seen: list[int] = []
        for record in listing:
            if not pages or pages[-1] is not listing.oai_response:
                pages.append(listing.oai_response)
            _clean(record.xml)
            record_id = int(record.header.identifier.removeprefix(oai_id))
            seen.append(record_id)
            assert record.deleted == (record_id == truth.withdrawn), (prefix, record_id)
            if prefix == "marc21" and not record.deleted:
                served = _marc21_control(record.xml.find(f".//{{{SLIM}}}record"), schema)
                assert served == truth.control[record_id]
        assert Counter(seen) == Counter(expected), prefix  # each exactly once
        assert len(pages) == -(-len(expected) // OAI_PAGE), prefix
        headers = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix=prefix)]
        assert Counter(headers) == Counter(f"{oai_id}{i}" for i in expected), prefix
    for record_id in [*truth.hostile, truth.withdrawn]:
        identifier = f"{oai_id}{record_id}"
        own = [f.metadataPrefix for f in sickle.ListMetadataFormats(identifier=identifier)]
        assert own == [p for p in prefixes if record_id in _expected(truth, p)]
        for prefix in own:
            got = sickle.GetRecord(identifier=identifier, metadataPrefix=prefix)
            assert got.header.identifier == identifier
            assert got.deleted == (record_id == truth.withdrawn)
            _clean(got.xml)
            if prefix == "marc21" and not got.deleted:
                element = got.xml.find(f".//{{{SLIM}}}record")
                assert _marc21_control(element, schema) == truth.control[record_id]


# --- SRU and the JSON API -------------------------------------------------------------------


def _get(client: httpx.Client, url: str, params: dict[str, str | int | bool]) -> httpx.Response:
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, params, response.status_code, response.text[:500])
    return response


def _sru(client: httpx.Client, truth: Truth, schema: etree.XMLSchema) -> None:
    for version, ns in SRU_NS.items():
        explain = etree.fromstring(_get(client, "/sru", {"version": version}).content)
        schemas = [s.get("name") for s in explain.iter(f"{ZEEREX}schema")]
        assert {"marcxml", "dc", "unimarc"} <= set(schemas), schemas
        for name in schemas:
            assert name is not None
            served = _sru_pages(client, version, ns, name)
            assert sorted(served) == list(range(1, len(truth.active) + 1)), (version, name)
            _sru_records(truth, schema, name, list(served.values()))


def _sru_pages(client: httpx.Client, version: str, ns: str, name: str) -> dict[int, etree._Element]:
    """Every record of ``cql.allRecords = 1`` by its position, following nextRecordPosition."""
    served: dict[int, etree._Element] = {}
    start: int | None = 1
    while start is not None:
        params: dict[str, str | int | bool] = {
            "version": version,
            "operation": "searchRetrieve",
            "query": "cql.allRecords = 1",
            "recordSchema": name,
            "startRecord": start,
            "maximumRecords": SRU_PAGE,
        }
        root = etree.fromstring(_get(client, "/sru", params).content)
        _clean(root)
        assert root.find(f"{ns}diagnostics") is None, etree.tostring(root)[:500]
        for record in root.iterfind(f"{ns}records/{ns}record"):
            position = int(record.findtext(f"{ns}recordPosition") or 0)
            assert position not in served, (version, name, position)
            data = record.find(f"{ns}recordData")
            assert data is not None
            assert len(data) == 1
            served[position] = data[0]
        following = root.findtext(f"{ns}nextRecordPosition")
        start = int(following) if following is not None else None
        assert len(served) <= 1000
    return served


def _sru_records(
    truth: Truth, schema: etree.XMLSchema, name: str, served: list[etree._Element]
) -> None:
    by_control = {truth.control[i]: i for i in truth.active}
    if name == "marcxml":
        found = [by_control[_marc21_control(e, schema)] for e in served]
    elif name == "dc":
        found = [
            int(str(e.text).removeprefix("shelfwise:record:"))
            for element in served
            for e in element.iter(DC_ID)
            if str(e.text).startswith("shelfwise:record:")
        ]
    else:  # the UNIMARC originals; any other record is a surrogate diagnostic 67
        assert name == "unimarc", f"a new record schema {name!r}: say here what it serves"
        originals = [e for e in served if e.tag == f"{UNIMARC_XML}record"]
        found = [
            by_control[str(e.findtext(f"{UNIMARC_XML}controlfield[@tag='001']"))] for e in originals
        ]
        others = [e for e in served if e.tag != f"{UNIMARC_XML}record"]
        assert all("info:srw/diagnostic/1/67" in _clean(e) for e in others)
        assert Counter(found) == Counter(i for i in truth.active if truth.dialect[i] == "unimarc")
        return
    assert Counter(found) == Counter(truth.active), name


def _api(client: httpx.Client, truth: Truth) -> None:
    for sort, group in (("relevance", False), ("title", True), ("newest", False)):
        ids: list[int] = []
        for page in range(1, 101):
            params: dict[str, str | int | bool] = {"q": "*", "page": page, "size": API_PAGE}
            params |= {"sort": sort, "group": group, "facets": page == 1}
            body = _get(client, "/api/v1/search", params).json()
            assert body["total_records"] == len(truth.active), (sort, body["message"])
            found = [r["record_id"] for w in body["works"] for r in w["records"]]
            if not found:
                break
            ids += found
        assert Counter(ids) == Counter(truth.active), (sort, group)


# --- export ---------------------------------------------------------------------------------


def _export(services: Services, tmp_path: Path, truth: Truth) -> None:
    out = tmp_path / "export"
    out.mkdir()
    for fmt in MarcFormat:
        for encoding in [*sorted(charsets.SUPPORTED), "euc-kr"]:
            for as_catalogued in (False, True):
                name = f"{fmt}.{encoding}.{'as-catalogued' if as_catalogued else 'marc21'}"
                extra = ["--as-catalogued"] if as_catalogued else []
                result = _cli(
                    services, out / name, "--format", str(fmt), "--encoding", encoding, *extra
                )
                writable = charsets.canonical(encoding) in charsets.WRITABLE
                if not writable or (fmt is not MarcFormat.ISO2709 and encoding != charsets.UTF8):
                    # refused before a byte is written: a clear message, exit 2, no file
                    assert result.exit_code == 2, (name, result.output)
                    assert "export:" in result.output
                    assert "Traceback" not in result.output
                    assert not (out / name).exists()
                    continue
                assert result.exit_code == 0, (name, result.output)
                back = _read_back(out / name, fmt, encoding)
                assert Counter(back) == Counter(truth.control[i] for i in truth.active), name
                assert not (out / f"{name}.rejects.jsonl").exists(), name
    # what EUC-KR cannot hold came through as &#xXXXX; and back, not as "?"
    legacy = read_file(out / "iso2709.euc-kr.marc21", encoding="euc-kr")
    text = "".join(marc_json(r.record).decode() for r in legacy if isinstance(r, ReadRecord))
    assert [t for t in ("现代汉语词典", "₩12000", "Chosŏn") if t not in text] == []
    since = _cli(services, out / "since.mrc", "--since", "2000-01-01")
    assert since.exit_code == 0, since.output
    assert Counter(_read_back(out / "since.mrc", MarcFormat.ISO2709, "utf-8")) == Counter(
        truth.control.values()
    )  # the withdrawn record too, marked deleted
    original = _cli(services, out / "original.mrc", "--original")
    assert original.exit_code == 0, original.output
    assert len(list(read_file(out / "original.mrc"))) == truth.iso2709_sources
    assert sorted(p.name for p in out.iterdir() if ".partial" in p.name) == []


def _cli(services: Services, output: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        [
            "export",
            str(output),
            *args,
            "--data-dir",
            str(services.settings.data_dir),
            "--database-url",
            services.settings.resolved_database_url,
        ],
    )


def _read_back(path: Path, fmt: MarcFormat, encoding: str) -> list[str]:
    """The 001 of every record in an exported file, read by our reader and by pymarc."""
    back = list(
        read_file(path, format=fmt, encoding=encoding if fmt is MarcFormat.ISO2709 else None)
    )
    assert all(isinstance(r, ReadRecord) and not r.repairs for r in back), path.name
    controls = []
    for r in back:
        assert isinstance(r, ReadRecord)
        control = r.record.get("001")
        assert control is not None, path.name
        controls.append(str(control.data))
    if fmt is MarcFormat.ISO2709 and charsets.canonical(encoding) == charsets.UTF8:
        with path.open("rb") as handle:
            theirs = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
        assert all(r is not None for r in theirs)
        assert len(theirs) == len(back)
    return controls


@pytest.mark.parametrize("size", [0, -7])
def test_an_oai_page_size_below_one_stops_the_start(tmp_path: Path, size: int) -> None:
    settings = Settings.load({"data_dir": tmp_path / "d", "oai_page_size": size}, environ={})
    services = composition.build(settings)
    try:
        with pytest.raises(SettingsError, match="oai_page_size"):
            composition.asgi_app(services)
    finally:
        services.close()
