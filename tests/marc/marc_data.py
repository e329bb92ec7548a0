"""Where the shared MARC test data lives, and the rule for when it is missing.

Tests use the files in place (never copied into the repository): skip with a
reason on a developer machine without them, fail in CI, which always has them.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT.parent / "shared/data/marc"
MANIFEST = DATA / "MANIFEST.tsv"

# The formats the golden test covers (manifest "format" column).
READABLE_FORMATS = frozenset(
    {
        "ISO2709",
        "MARCXML",
        "MARC-in-JSON",
        "MARC-in-JSON(NDJSON)",
        "MARC-in-JSON(array)",
        "OAI-PMH(MARCXML)",
    }
)


@dataclass(frozen=True, slots=True)
class ManifestRow:
    local_path: str
    format: str
    records: int
    notes: str

    @property
    def path(self) -> Path:
        return DATA / self.local_path


def require_data() -> None:
    if MANIFEST.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"shared MARC test data missing in CI: {DATA}")
    pytest.skip(f"shared MARC test data not present at {DATA}")


def manifest_rows() -> list[ManifestRow]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8", newline="") as f:
        return [
            ManifestRow(r["local_path"], r["format"], int(r["records"] or 0), r["notes"])
            for r in csv.DictReader(f, delimiter="\t")
        ]


def readable_rows() -> list[ManifestRow]:
    return [
        r for r in manifest_rows() if r.format in READABLE_FORMATS or r.format.startswith("SRU ")
    ]
