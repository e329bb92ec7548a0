"""Digital objects in OAI-PMH on both engines (issue 17 item 1): harvested by sickle (a client
nobody here wrote) beside the records, in the set ``media``, in ``oai_dc`` only, with their
captions per language (``xml:lang``), rights statement, access rule and IIIF manifest; an
object withdrawn to staff is served as deleted, and its datestamp moves so an incremental
harvest sees it; records and objects page together through resumption tokens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from lxml import etree
from sickle import Sickle, oaiexceptions

from shelfwise.app import interop_services
from shelfwise.catalogue.harvest import ChangeQuery
from shelfwise.core.clock import FrozenClock
from shelfwise.interop.oai import OaiProvider, datestamp
from shelfwise.media.models import Access, MediaText
from shelfwise.services import Services
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server

RIGHTS = "http://rightsstatements.org/vocab/NoC-NC/1.0/"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _library(services: Services, tmp_path: Path) -> tuple[int, int, int]:
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 3)
    services.importer().import_file(tmp_path / "r.mrc")
    record_id = services.catalogue.changed_records(ChangeQuery(), limit=1)[0].id
    gazetteer = services.media.ingest_file(
        made.picture(tmp_path / "g.png", (400, 300), colour="#806040"),
        name="gazetteer.png",
        rights=RIGHTS,
        actor="t",
        record_id=record_id,
        texts=[
            MediaText("zh", caption="鹤岗县志", alt="县志书页"),
            MediaText("ko", caption="허강현지", alt="현지 책장"),
            MediaText("en", caption="Hegang county gazetteer", alt="A page of the gazetteer"),
        ],
    ).object
    onsite = services.media.ingest_file(
        made.picture(tmp_path / "o.png", (300, 200), colour="#204060"),
        rights=RIGHTS,
        actor="t",
        access=Access.ON_SITE,
        branch="CEN",
    ).object
    hidden = services.media.ingest_file(
        made.picture(tmp_path / "h.png", (300, 200), colour="#602040"),
        rights=RIGHTS,
        actor="t",
        access=Access.STAFF,
    ).object
    return gazetteer.id, onsite.id, hidden.id


def test_digital_objects_are_harvested_with_their_dublin_core(
    services: Services, tmp_path: Path, clock: FrozenClock
) -> None:
    gazetteer, onsite, hidden = _library(services, tmp_path)
    repo = f"oai:{services.settings.oai_repository_identifier}"
    record_of = services.media.get(gazetteer).record_id
    with live_server(services) as base:
        sickle = Sickle(f"{base}/oai", max_retries=0)
        sets = {s.setSpec for s in sickle.ListSets()}
        assert "media" in sets
        everything = [
            h.identifier
            for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)
        ]
        media_ids = [i for i in everything if ":media-" in i]
        assert len(everything) == 3 + 3
        assert media_ids == [f"{repo}:media-{n}" for n in (gazetteer, onsite, hidden)]
        # marc21 and a branch set hold records only
        marc = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="marc21")]
        assert len(marc) == 3
        assert not [i for i in marc if ":media-" in i]
        only = list(sickle.ListRecords(metadataPrefix="oai_dc", set="media", ignore_deleted=False))
        assert len(only) == 3
        record = sickle.GetRecord(identifier=f"{repo}:media-{gazetteer}", metadataPrefix="oai_dc")
        dc = record.xml.find(f".//{OAI}metadata")
        assert dc is not None
        titles = {(e.get(LANG), e.text) for e in dc.iter(f"{DC}title")}
        assert titles == {
            ("zh", "鹤岗县志"),
            ("ko", "허강현지"),
            ("en", "Hegang county gazetteer"),
        }
        assert ("en", "A page of the gazetteer") in {
            (e.get(LANG), e.text) for e in dc.iter(f"{DC}description")
        }
        rights = [e.text for e in dc.iter(f"{DC}rights")]
        assert RIGHTS in rights
        assert "Open to everyone" in rights
        identifiers = [e.text for e in dc.iter(f"{DC}identifier")]
        assert f"{base}/iiif/manifest/object/{gazetteer}" in identifiers
        assert [e.text for e in dc.iter(f"{DC}type")] == ["StillImage"]
        assert [e.text for e in dc.iter(f"{DC}relation")] == [f"shelfwise:record:{record_of}"]
        onsite_dc = sickle.GetRecord(identifier=f"{repo}:media-{onsite}", metadataPrefix="oai_dc")
        assert "On site only, at branch CEN" in [e.text for e in onsite_dc.xml.iter(f"{DC}rights")]
        withdrawn = sickle.GetRecord(identifier=f"{repo}:media-{hidden}", metadataPrefix="oai_dc")
        assert withdrawn.deleted
        try:
            sickle.GetRecord(identifier=f"{repo}:media-{gazetteer}", metadataPrefix="marc21")
            raise AssertionError("a digital object has no MARC")
        except oaiexceptions.CannotDisseminateFormat:
            pass
        try:
            sickle.GetRecord(identifier=f"{repo}:media-999999", metadataPrefix="oai_dc")
            raise AssertionError("no such object")
        except oaiexceptions.IdDoesNotExist:
            pass
        formats = [
            f.metadataPrefix
            for f in sickle.ListMetadataFormats(identifier=f"{repo}:media-{gazetteer}")
        ]
        assert formats == ["oai_dc"]

    # withdrawn to staff later: an incremental harvest sees it as deleted
    clock.advance(timedelta(hours=2))
    since = datestamp(clock.now())
    services.media.set_access(gazetteer, Access.STAFF)
    with live_server(services) as base:
        changed = list(
            Sickle(f"{base}/oai", max_retries=0).ListIdentifiers(
                metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since}
            )
        )
        assert [(h.identifier, h.deleted) for h in changed] == [(f"{repo}:media-{gazetteer}", True)]


def test_records_and_objects_page_together(services: Services, tmp_path: Path) -> None:
    """With two items a page, every record and object comes exactly once, in datestamp
    order, across resumption tokens that stop in records and in objects."""
    _library(services, tmp_path)
    provider = OaiProvider(interop_services(services), page_size=2)
    args: dict[str, list[str]] = {"verb": ["ListIdentifiers"], "metadataPrefix": ["oai_dc"]}
    seen: list[tuple[str, str]] = []
    pages = 0
    while pages < 10:  # a token that never ends the list fails below, never hangs
        root = etree.fromstring(provider.respond(args, "http://library.test/oai"))
        assert root.find(f"{OAI}error") is None, etree.tostring(root)
        for header in root.iter(f"{OAI}header"):
            seen.append(
                (
                    header.findtext(f"{OAI}datestamp") or "",
                    header.findtext(f"{OAI}identifier") or "",
                )
            )
        pages += 1
        token = root.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            assert token is not None
            assert token.get("completeListSize") == "6"
            break
        args = {"verb": ["ListIdentifiers"], "resumptionToken": [token.text]}
    assert pages == 3, seen
    assert len(seen) == len(set(seen)) == 6
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)
    assert sum(":media-" in i for _, i in seen) == 3
