"""The corpus tier's manifest: ``MANIFEST.tsv`` of the real MARC files beside the repository.

The folder is found by :mod:`shelfwise.testing.corpus` (``../shared/data/marc``);
``DATA`` is None in a plain clone, where the plugin deselects every test marked
``corpus``. Tests of the default tier read ``tests/fixtures/marc`` instead.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from shelfwise.testing.corpus import corpus_dir

DATA = corpus_dir()

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
        assert DATA is not None, "a corpus test ran without the corpus"
        return DATA / self.local_path


def manifest_rows() -> list[ManifestRow]:
    if DATA is None:
        return []
    with (DATA / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return [
            ManifestRow(r["local_path"], r["format"], int(r["records"] or 0), r["notes"])
            for r in csv.DictReader(f, delimiter="\t")
        ]


def readable_rows() -> list[ManifestRow]:
    return [
        r for r in manifest_rows() if r.format in READABLE_FORMATS or r.format.startswith("SRU ")
    ]
