"""The real MARC files the repository carries match their manifest (origin, licence, bytes)."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "marc" / "real"
MANIFEST = REAL / "MANIFEST.tsv"
COLUMNS = ["local_path", "repo", "commit", "upstream_path", "licence", "sha256"]


def _rows() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_every_real_file_is_listed_with_origin_and_licence() -> None:
    rows = _rows()
    listed = {r["local_path"] for r in rows}
    on_disk = {
        p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file() and p.parent != REAL
    }
    assert on_disk == listed
    for row in rows:
        assert "/" in row["repo"], row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert row["upstream_path"], row
        assert row["licence"], row


def test_real_files_are_the_upstream_bytes() -> None:
    for row in _rows():
        digest = hashlib.sha256((REAL / row["local_path"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], f"{row['local_path']} was changed after copying"
