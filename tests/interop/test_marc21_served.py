"""Issue 13 item 3, at the doors: OAI-PMH ``marc21`` and SRU ``marcxml`` serve MARC 21.

The generated catalogue holds CNMARC, KORMARC and MARC 21 records, as the demo does.
Harvested with sickle and searched over SRU, every record served as MARC 21
validates against the Library of Congress's MARC 21 slim schema and pymarc (not
ours) finds its title; the CNMARC originals are offered as ``unimarc``. On the code
before the crosswalk, CNMARC records were served as they are under ``marc21`` and
failed the schema (2,061 of the demo's 4,741 records).
"""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
from pathlib import Path

import pymarc
import pytest
from interop_helpers import build_catalogue, live_server
from lxml import etree
from sickle import Sickle, oaiexceptions

from shelfwise.catalogue.harvest import ChangeQuery
from shelfwise.marc.marcxml import MARCXCHANGE, SLIM, UNIMARCXML, record_from_element
from shelfwise.services import Services

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "MARC21slim.xsd"
SRW = "{http://www.loc.gov/zing/srw/}"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _check_marc21(element: etree._Element, schema: etree.XMLSchema) -> str:
    """Validate one served MARC 21 record and return the title pymarc reads from it."""
    assert schema.validate(element), str(schema.error_log)
    data = etree.tostring(element, encoding="utf-8")
    (record,) = pymarc.parse_xml_to_array(io.BytesIO(data))  # type: ignore[no-untyped-call]
    title = record.title
    assert title, data[:300]
    return str(title)


def test_every_record_harvested_or_searched_as_marc21_is_marc21(
    services: Services, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    total = build_catalogue(services, tmp_path, count=160)
    unimarc = services.catalogue.count_changed(ChangeQuery(dialect="unimarc"))
    kormarc = services.catalogue.count_changed(ChangeQuery(dialect="kormarc"))
    assert unimarc > 30
    assert kormarc > 10
    with live_server(services) as base:
        sickle = Sickle(f"{base}/oai", max_retries=0)
        harvested = list(sickle.ListRecords(metadataPrefix="marc21"))
        assert len(harvested) == total
        titles = [_check_marc21(r.xml.find(f".//{{{SLIM}}}record"), schema) for r in harvested]
        assert len(titles) == total
        originals = list(sickle.ListRecords(metadataPrefix="unimarc"))
        assert len(originals) == unimarc
        for harvested_original in originals:
            element = harvested_original.xml.find(f".//{{{MARCXCHANGE}}}record")
            assert element is not None
            assert element.get("format") == "UNIMARC"
            parsed = record_from_element(element)
            assert not isinstance(parsed, str)
            assert parsed[0].get("200") is not None  # the original, not MARC 21
        identifiers = {
            int(r.header.identifier.rpartition(":")[2]): r.header.identifier for r in harvested
        }
        _formats_follow_the_dialect(sickle, services, identifiers)
        _sru_serves_marc21_and_the_originals(base, schema)


def _formats_follow_the_dialect(sickle: Sickle, services: Services, ids: dict[int, str]) -> None:
    page = services.catalogue.changed_records(ChangeQuery(), limit=500)
    marc21 = next(r for r in page if r.dialect == "marc21")
    cnmarc = next(r for r in page if r.dialect == "unimarc")
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats(identifier=ids[marc21.id])]
    assert formats == ["oai_dc", "marc21"]
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats(identifier=ids[cnmarc.id])]
    assert formats == ["oai_dc", "marc21", "unimarc"]
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.GetRecord(identifier=ids[marc21.id], metadataPrefix="unimarc")
    got = sickle.GetRecord(identifier=ids[cnmarc.id], metadataPrefix="unimarc")
    assert got.xml.find(f".//{{{MARCXCHANGE}}}record") is not None


def _sru(base: str, **args: str) -> etree._Element:
    query = urllib.parse.urlencode({"version": "1.2", "operation": "searchRetrieve", **args})
    with urllib.request.urlopen(f"{base}/sru?{query}", timeout=30) as response:
        return etree.fromstring(response.read())


def _sru_serves_marc21_and_the_originals(base: str, schema: etree.XMLSchema) -> None:
    found = _sru(base, query="dc.language=chi or dc.language=kor", maximumRecords="100")
    records = found.findall(f"{SRW}records/{SRW}record/{SRW}recordData/{{{SLIM}}}record")
    assert len(records) == min(100, int(found.findtext(f"{SRW}numberOfRecords") or 0))
    assert len(records) > 40
    for element in records:
        _check_marc21(element, schema)
    originals = _sru(base, query="dc.language=chi", maximumRecords="50", recordSchema="unimarc")
    served = originals.findall(f"{SRW}records/{SRW}record")
    assert served
    kinds = set()
    for record in served:
        data = record.find(f"{SRW}recordData")
        assert data is not None
        if record.findtext(f"{SRW}recordSchema") == UNIMARCXML:
            original = data.find(f"{{{UNIMARCXML}}}record")
            assert original is not None
            kinds.add("original")
        else:
            assert record.findtext(f"{SRW}recordSchema") == "info:srw/schema/1/diagnostics-v1.1"
            assert "info:srw/diagnostic/1/67" in etree.tostring(data, encoding="unicode")
            kinds.add("diagnostic 67")
    assert "original" in kinds
