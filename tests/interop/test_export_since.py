"""``shelfwise export --since`` writes exactly what an OAI-PMH ``from=`` harvest serves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from interop_helpers import build_catalogue
from lxml import etree
from typer.testing import CliRunner

from shelfwise.app import asgi_app
from shelfwise.cli.main import cli
from shelfwise.core.clock import FrozenClock
from shelfwise.interop.oai import datestamp
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.services import Services

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def test_export_since_matches_oai(services: Services, tmp_path: Path, clock: FrozenClock) -> None:
    build_catalogue(services, tmp_path, count=40)
    since = datestamp(clock.advance(timedelta(minutes=10)))
    services.catalogue.merge(survivor_id=3, duplicate_id=4)
    services.catalogue.withdraw(7)
    output = tmp_path / "changes.mrc"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            str(output),
            "--since",
            since,
            "--data-dir",
            str(tmp_path / "data"),
            "--database-url",
            services.settings.resolved_database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    exported = [r for r in read_file(output) if isinstance(r, ReadRecord)]
    statuses = sorted(r.record.leader[5] for r in exported)
    assert statuses == ["c", "d", "d"] or statuses == ["d", "d", "n"]
    with TestClient(asgi_app(services)) as client:
        page = etree.fromstring(
            client.get(f"/oai?verb=ListIdentifiers&metadataPrefix=marc21&from={since}").content
        )
    headers = page.findall(f"{OAI}ListIdentifiers/{OAI}header")
    assert sorted(h.findtext(f"{OAI}identifier") or "" for h in headers) == [
        "oai:shelfwise.local:3",
        "oai:shelfwise.local:4",
        "oai:shelfwise.local:7",
    ]
    assert sum(h.get("status") == "deleted" for h in headers) == 2
    everything = CliRunner().invoke(
        cli,
        [
            "export",
            str(tmp_path / "all.mrc"),
            "--since",
            "2000-01-01",
            "--data-dir",
            str(tmp_path / "data"),
            "--database-url",
            services.settings.resolved_database_url,
        ],
    )
    assert everything.exit_code == 0, everything.output
    assert len(list(read_file(tmp_path / "all.mrc"))) == services.catalogue.counts()["records"] + 2
