"""Every record our reader reads, compared field by field with pymarc's reading of the same bytes.

``independent_reader.py`` says what is compared and the few cases left out. This
replaces trusting ``expectations.tsv`` (our own reader's counts) with a reader we
did not write. Two tiers: the MARC files committed under ``tests/fixtures/marc``
(always), and the corpus tier ``../shared/data/marc`` (marked ``corpus``: run when
the folder is present, as in CI).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from independent_reader import Outcome, compare
from marc_data import readable_rows

from shelfwise.marc.reading import detect_format

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marc"
# Floors on how many records are compared, so that a reader (or a pymarc upgrade) that
# stops producing comparable records cannot pass by comparing nothing. Raise them when
# fixtures are added.
MIN_FIXTURE_RECORDS = 450
MIN_CORPUS_RECORDS = 4_900


def _marc_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in ("MANIFEST.tsv", "README.md"):
            with path.open("rb") as f:
                if detect_format(f.read(512)) is not None:
                    found.append(path)
    return found


def _compare_all(paths: list[Path]) -> tuple[int, Counter[str], list[str]]:
    compared = 0
    skipped: Counter[str] = Counter()
    mismatches: list[str] = []
    for path in paths:
        outcome: Outcome = compare(path)
        compared += outcome.compared
        skipped.update(outcome.skipped)
        mismatches += outcome.mismatches
    return compared, skipped, mismatches


def test_fixture_records_read_as_pymarc_reads_them() -> None:
    paths = _marc_files(FIXTURES)
    compared, skipped, mismatches = _compare_all(paths)
    assert not mismatches, "\n".join(mismatches[:40])
    assert compared >= MIN_FIXTURE_RECORDS, (compared, dict(skipped))


@pytest.mark.corpus
def test_corpus_records_read_as_pymarc_reads_them() -> None:
    compared, skipped, mismatches = _compare_all([row.path for row in readable_rows()])
    assert not mismatches, f"{len(mismatches)} records differ:\n" + "\n".join(mismatches[:40])
    assert compared >= MIN_CORPUS_RECORDS, (compared, dict(skipped))
    # What is left out stays a small share (the reasons are in independent_reader.py).
    assert sum(skipped.values()) < compared / 20, dict(skipped)
