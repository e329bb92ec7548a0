"""A demo library for the web tests and the web benchmark, built through the real services."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shelfwise.config import Settings
from shelfwise.testing.demo import seed_branches, seed_circulation
from shelfwise.testing.records import write_records

if TYPE_CHECKING:
    from shelfwise.services import Services


def build_demo(services: Services, folder: Path, records: int = 240) -> list[str]:
    """Branches, ``records`` generated records, the index, readers (PIN 1234) with loans,
    holds and a fee; returns the readers' card numbers."""
    seed_branches(services.catalogue)
    path = folder / "demo.mrc"
    write_records(path, records)
    services.importer().import_file(path)
    services.search.check()
    cards = seed_circulation(services)
    services.search.sync(settle_gaps=True)
    return cards


def demo_settings(folder: Path, database_url: str | None = None) -> Settings:
    """Settings for a throwaway library in ``folder`` (cheap PIN hashing, a fixed web key)."""
    return Settings.load(
        {
            "data_dir": folder / "data",
            "database_url": database_url or f"sqlite:///{folder / 'web.sqlite'}",
            "import_batch_size": 100,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
            "web_secret_key": "web-tests",
            # Stable share links, so screenshots do not change with the test server's port.
            "web_public_url": "https://library.example.org",
        },
        environ={},
    )
