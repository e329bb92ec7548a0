"""Issue 13 item 1, end to end: records with control characters are imported with a repair
note, then harvested with sickle in every metadata format, searched over SRU in every
record schema and exported in every format; a record stored before the repair existed
is served sanitised too. On the code before the fix the harvest, the SRU search for
``countries`` and the MARCXML export all failed (HTTP 500, exit 1).
"""

from __future__ import annotations

import csv
import json
import urllib.parse
import urllib.request
from pathlib import Path

from interop_helpers import live_server
from lxml import etree
from sickle import Sickle
from sqlalchemy import select, update
from typer.testing import CliRunner

from shelfwise.cli.main import cli
from shelfwise.interop.sru import SCHEMAS
from shelfwise.marc import compact
from shelfwise.marc.control_characters import has_forbidden
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_file
from shelfwise.marc.record import Field
from shelfwise.services import Services
from shelfwise.storage.tables import records
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.hostile_records import (
    ALL_C0,
    control_characters_iso2709,
    control_characters_json,
)
from shelfwise.testing.records import write_records

SRW = "{http://www.loc.gov/zing/srw/}"


def _catalogue(services: Services, tmp_path: Path) -> int:
    """Twelve ordinary records and the two hostile ones; returns the id of a stored-dirty one."""
    seed_branches(services.catalogue)
    ordinary = tmp_path / "ordinary.mrc"
    write_records(ordinary, 12)
    services.importer().import_file(ordinary)
    iso = tmp_path / "hostile.mrc"
    iso.write_bytes(
        control_characters_iso2709("cc-1") + control_characters_iso2709("cc-2", "Countries atlas")
    )
    summary = services.importer().import_file(iso)
    assert (summary.read, summary.rejected, summary.repairs) == (2, 0, 2)
    assert summary.report_path is not None
    with open(summary.report_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [r["outcome"] for r in rows] == ["added", "added"]
    assert all("field 008: control character(s) 0x00" in r["repairs"] for r in rows), rows
    assert all("leader:" in r["repairs"] and "field 245 $a" in r["repairs"] for r in rows)
    js = tmp_path / "hostile.json"
    js.write_bytes(control_characters_json("cc-3"))
    assert services.importer().import_file(js).repairs == 1
    # A record stored before repairs existed: put the characters back behind the importer's back.
    with services.db.write() as conn:
        victim = conn.execute(select(records.c.id).order_by(records.c.id).limit(1)).scalar_one()
        marc = compact.loads(
            conn.execute(select(records.c.master).where(records.c.id == victim)).scalar_one()
        )
        description = json.loads(
            conn.execute(select(records.c.description).where(records.c.id == victim)).scalar_one()
        )
        marc.leader = marc.leader[:20] + "\x01\x1d\x1e\x1f"
        marc.fields.insert(0, Field("009", data="dirty" + ALL_C0))
        marc.fields.append(Field("500", "\x01 ", [("a", "Countries" + ALL_C0)]))
        description["title"] = "Countries" + ALL_C0
        description["notes"] = ["stored" + ALL_C0]
        conn.execute(
            update(records)
            .where(records.c.id == victim)
            .values(master=compact.dumps(marc), description=json.dumps(description))
        )
    services.search.check()
    return int(victim)


def _get(url: str) -> etree._Element:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return etree.fromstring(response.read())


def _clean_text(root: etree._Element) -> str:
    text = "".join(str(t) for t in root.itertext())
    assert not has_forbidden(text.replace("\t", "").replace("\n", "").replace("\r", ""))
    return text


def test_control_characters_are_harvested_searched_and_exported(
    services: Services, tmp_path: Path
) -> None:
    dirty = _catalogue(services, tmp_path)
    total = services.catalogue.counts()["records"]
    with live_server(services) as base:
        sickle = Sickle(f"{base}/oai", max_retries=0)
        prefixes = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
        assert {"oai_dc", "marc21"} <= set(prefixes)
        for prefix in prefixes:
            harvested = list(sickle.ListRecords(metadataPrefix=prefix))
            assert harvested, prefix
            for record in harvested:
                _clean_text(record.xml)
            if prefix in ("oai_dc", "marc21"):
                assert len(harvested) == total, prefix
                got = sickle.GetRecord(
                    identifier=f"oai:shelfwise.local:{dirty}", metadataPrefix=prefix
                )
                assert "Countries" in _clean_text(got.xml)
        for schema in SCHEMAS:
            query = urllib.parse.urlencode(
                {
                    "version": "1.2",
                    "operation": "searchRetrieve",
                    "query": "countries",
                    "recordSchema": schema,
                    "maximumRecords": "10",
                }
            )
            found = _get(f"{base}/sru?{query}")
            assert int(found.findtext(f"{SRW}numberOfRecords") or 0) >= 3, schema
            by_id = _get(
                f"{base}/sru?version=1.2&operation=searchRetrieve&recordSchema={schema}"
                f"&query=rec.id%3D{dirty}"
            )
            if schema == "unimarc":  # these are MARC 21 records: a surrogate diagnostic each
                assert "info:srw/diagnostic/1/67" in _clean_text(found)
                continue
            assert "Countries" in _clean_text(found)
            assert "Countries" in _clean_text(by_id), schema
    for fmt in MarcFormat:
        out = tmp_path / f"export.{fmt}"
        result = CliRunner().invoke(
            cli,
            [
                "export",
                str(out),
                "--format",
                str(fmt),
                "--data-dir",
                str(tmp_path / "data"),
                "--database-url",
                services.settings.resolved_database_url,
            ],
        )
        assert result.exit_code == 0, result.output
        back = list(read_file(out))
        assert len(back) == total, fmt
        assert all(isinstance(r, ReadRecord) and not r.repairs for r in back), fmt
