"""A test catalogue and a live server for the interop tests (real HTTP, real clients)."""

from __future__ import annotations

from pathlib import Path

from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server

__all__ = ["RECORDS", "build_catalogue", "live_server"]

RECORDS = 230  # generated; duplicates among them merge on import (221 records remain)


def build_catalogue(services: Services, tmp_path: Path, count: int = RECORDS) -> int:
    """Branches, records with their copies, and a search index; returns active records."""
    seed_branches(services.catalogue)
    path = tmp_path / "records.mrc"
    write_records(path, count)
    services.importer().import_file(path)
    services.search.check()
    return services.catalogue.counts()["records"]
