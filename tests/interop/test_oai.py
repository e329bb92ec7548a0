"""OAI-PMH against a running server, harvested by sickle (a client nobody here wrote)."""

from __future__ import annotations

import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from interop_helpers import build_catalogue, live_server
from lxml import etree
from sickle import Sickle, oaiexceptions

from shelfwise.catalogue.harvest import ChangeQuery
from shelfwise.core.clock import FrozenClock
from shelfwise.interop.oai import datestamp
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.marcxml import SLIM, record_from_element
from shelfwise.services import Services
from shelfwise.testing.records import generate_record

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _get(url: str) -> etree._Element:
    with urllib.request.urlopen(url, timeout=30) as response:
        return etree.fromstring(response.read())


def _error(url: str) -> str:
    found = _get(url).find(f"{OAI}error")
    return "" if found is None else str(found.get("code"))


def _ids(sickle: Sickle, **args: str) -> list[str]:
    return [h.identifier for h in sickle.ListIdentifiers(ignore_deleted=False, **args)]


def test_harvest_everything_then_the_changes(
    services: Services, tmp_path: Path, clock: FrozenClock
) -> None:
    with live_server(services) as base:
        assert _error(f"{base}/oai?verb=ListSets") == "noSetHierarchy"  # nothing yet
        assert _error(f"{base}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc") == (
            "noRecordsMatch"
        )
    total = build_catalogue(services, tmp_path)
    assert total > 200  # more than two pages of 100: resumption tokens are used
    with live_server(services) as base:
        sickle = Sickle(f"{base}/oai", max_retries=0)
        identify = sickle.Identify()
        assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
        assert identify.deletedRecord == "persistent"
        for prefix in ("oai_dc", "marc21"):
            records = list(sickle.ListRecords(metadataPrefix=prefix))
            assert len({r.header.identifier for r in records}) == len(records) == total
        marc = next(iter(sickle.ListRecords(metadataPrefix="marc21"))).xml
        parsed = record_from_element(marc.find(f".//{{{SLIM}}}record"))
        assert not isinstance(parsed, str)
        assert parsed[0].fields
        first = _get(f"{base}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
        token = first.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
        assert token is not None
        assert token.get("completeListSize") == str(total)
        assert token.get("cursor") == "0"
        # sets: by language and by branch, as the catalogue counts them
        for spec, query in (
            ("language:kor", ChangeQuery(language="kor")),
            ("branch:CEN", ChangeQuery(branch="CEN")),
        ):
            assert len(_ids(sickle, metadataPrefix="oai_dc", set=spec)) == (
                services.catalogue.count_changed(query)
            )
    # a restart: the token of the old server is honoured by a new one, until it expires
    with live_server(services) as base:
        resumed = _get(f"{base}/oai?verb=ListIdentifiers&resumptionToken={token.text}")
        headers = resumed.findall(f"{OAI}ListIdentifiers/{OAI}header")
        assert len(headers) == 100
        clock.advance(timedelta(hours=25))
        assert _error(f"{base}/oai?verb=ListIdentifiers&resumptionToken={token.text}") == (
            "badResumptionToken"
        )
    # incremental: one record edited (re-imported with a new title), one withdrawn
    since = datestamp(clock.advance(timedelta(hours=1)))
    edited = generate_record(0)
    title_tag = "245" if edited.get("245") is not None else "200"
    field = edited.get(title_tag)
    assert field is not None
    field.subfields[0] = ("a", "Edited title for the harvest test")
    path = tmp_path / "edit.mrc"
    path.write_bytes(encode(edited))
    assert services.importer().import_file(path).updated == 1
    edited_id = next(
        i for i in range(1, total + 20) if "Edited title" in services.catalogue.get_record(i).title
    )
    withdrawn_id = edited_id + 5
    services.catalogue.withdraw(withdrawn_id)
    with live_server(services) as base:
        sickle = Sickle(f"{base}/oai", max_retries=0)
        changed = list(
            sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since})
        )
        by_id = {r.header.identifier: r for r in changed}
        assert set(by_id) == {
            f"oai:shelfwise.local:{edited_id}",
            f"oai:shelfwise.local:{withdrawn_id}",
        }
        assert by_id[f"oai:shelfwise.local:{withdrawn_id}"].header.deleted
        assert not by_id[f"oai:shelfwise.local:{edited_id}"].header.deleted
        assert "Edited title" in str(by_id[f"oai:shelfwise.local:{edited_id}"].metadata["title"])
        # the deletion is persistent: a full harvest still lists it, as deleted
        everything = _ids(sickle, metadataPrefix="marc21")
        assert len(everything) == total
        deleted = sickle.GetRecord(
            identifier=f"oai:shelfwise.local:{withdrawn_id}", metadataPrefix="marc21"
        )
        assert deleted.header.deleted


def test_every_error_code(services: Services, tmp_path: Path) -> None:
    build_catalogue(services, tmp_path, count=30)
    with live_server(services) as base:
        oai = f"{base}/oai"
        sickle = Sickle(oai, max_retries=0)
        cases = {
            "verb=Nope": "badVerb",
            "": "badVerb",
            "verb=Identify&verb=Identify": "badVerb",
            "verb=Identify&extra=1": "badArgument",
            "verb=ListRecords": "badArgument",
            "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc": "badArgument",
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-45": "badArgument",
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z": (
                "badArgument"
            ),
            "verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01": (
                "badArgument"
            ),
            "verb=ListRecords&metadataPrefix=oai_dc&set=branch:NOPE": "badArgument",
            "verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc": "badArgument",
            "verb=ListRecords&resumptionToken=abc.def": "badResumptionToken",
            "verb=ListSets&resumptionToken=abc": "badResumptionToken",
            "verb=ListRecords&metadataPrefix=mods": "cannotDisseminateFormat",
            "verb=GetRecord&identifier=oai:shelfwise.local:1&metadataPrefix=mods": (
                "cannotDisseminateFormat"
            ),
            "verb=GetRecord&identifier=oai:elsewhere:1&metadataPrefix=oai_dc": "idDoesNotExist",
            "verb=GetRecord&identifier=oai:shelfwise.local:999999&metadataPrefix=oai_dc": (
                "idDoesNotExist"
            ),
            "verb=ListMetadataFormats&identifier=oai:shelfwise.local:999999": "idDoesNotExist",
            "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01": "noRecordsMatch",
        }
        for query, code in cases.items():
            assert _error(f"{oai}?{query}") == code, query
        bad = _get(f"{oai}?verb=Identify&extra=1").find(f"{OAI}request")
        assert bad is not None
        assert not bad.attrib  # no attributes echoed for a bad request
        with pytest.raises(oaiexceptions.NoRecordsMatch):
            list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
        with pytest.raises(oaiexceptions.CannotDisseminateFormat):
            list(sickle.ListRecords(metadataPrefix="mods"))
        formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
        assert formats == ["oai_dc", "marc21", "unimarc"]
        post = urllib.request.Request(oai, data=b"verb=Identify", method="POST")
        post.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(post, timeout=30) as response:
            assert b"<Identify>" in response.read()
