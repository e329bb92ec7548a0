"""Corpus tier: every readable file of the real MARC corpus, against a committed expectations table.

``expectations.tsv`` holds, per file: the manifest's record count, how many
records we read and reject, and a summary of the rejection reasons. The test
fails when the reader's outcome changes, printing the row it would now write;
regenerate the whole table with ``python tests/marc/test_golden.py`` after
checking the difference is an improvement.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from marc_data import ManifestRow, readable_rows

from shelfwise.marc.reading import ReadRecord, read_file

pytestmark = pytest.mark.corpus

EXPECTATIONS = Path(__file__).with_name("expectations.tsv")
COLUMNS = ["local_path", "manifest_records", "read", "rejected", "reasons", "note"]
MAX_RECORDS = 5_000  # no corpus file holds more; a reader that loops forever trips this
MAX_BYTES = 50_000_000


def _reason_kind(reason: str) -> str:
    # Numbers differ per record; the summary keeps the sentence shape only.
    return re.sub(r"\d+", "N", reason.split(" (")[0])[:90]


def outcome(row: ManifestRow) -> dict[str, str]:
    assert row.path.stat().st_size < MAX_BYTES, f"{row.local_path} is implausibly large"
    read = rejected = 0
    kinds: Counter[str] = Counter()
    for item in read_file(row.path):
        if isinstance(item, ReadRecord):
            read += 1
        else:
            rejected += 1
            kinds[_reason_kind(item.reason)] += 1
        assert read + rejected <= MAX_RECORDS, f"{row.local_path}: reader does not stop"
    reasons = "; ".join(f"{n}x {k}" for k, n in sorted(kinds.items()))
    return {
        "local_path": row.local_path,
        "manifest_records": str(row.records),
        "read": str(read),
        "rejected": str(rejected),
        "reasons": reasons,
    }


def load_expectations() -> dict[str, dict[str, str]]:
    if not EXPECTATIONS.is_file():
        return {}
    with EXPECTATIONS.open(encoding="utf-8", newline="") as f:
        return {r["local_path"]: r for r in csv.DictReader(f, delimiter="\t")}


ROWS = readable_rows()
EXPECTED = load_expectations()


def test_manifest_is_covered() -> None:
    assert len(ROWS) > 300, "the manifest lists fewer readable files than expected"
    missing = sorted({r.local_path for r in ROWS} - set(EXPECTED))
    assert not missing, f"no expectation rows for: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=[r.local_path for r in ROWS])
def test_file_reads_as_expected(row: ManifestRow) -> None:
    got = outcome(row)
    want = EXPECTED.get(row.local_path)
    proposed = "\t".join(got[c] for c in COLUMNS[:-1])
    assert want is not None, f"missing row; proposed:\n{proposed}"
    actual = {k: got[k] for k in COLUMNS[:-1]}
    expected = {k: want[k] for k in COLUMNS[:-1]}
    assert actual == expected, f"changed row; proposed:\n{proposed}"
    if not want.get("note"):
        assert int(got["read"]) + int(got["rejected"]) == row.records, (
            "read + rejected disagrees with the manifest and no note explains why"
        )


def _regenerate() -> None:
    old = load_expectations()
    with EXPECTATIONS.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for row in ROWS:
            got = outcome(row)
            got["note"] = old.get(row.local_path, {}).get("note", "")
            w.writerow(got)


if __name__ == "__main__":
    _regenerate()
    sys.exit(0)
