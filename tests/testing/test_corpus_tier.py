"""The corpus tier: tests over ../shared/data/marc run when it is there and are
deselected, with a line in the summary, when it is not (never failed, never skipped).

Each case runs pytest on a tiny project in a temporary folder, with and without a
``shared/data/marc`` beside it, through the installed shelfwise plugin.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = """
import pytest

def test_default():
    pass

@pytest.mark.corpus
def test_marked():
    pass

def test_with_the_fixture(marc_corpus):
    assert (marc_corpus / "MANIFEST.tsv").is_file()
"""


def _pytest(tmp_path: Path, *args: str, corpus: bool) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "shelfwise"
    (repo / "tests").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    (repo / "tests" / "test_tier.py").write_text(TESTS, encoding="utf-8")
    if corpus:
        data = tmp_path / "shared" / "data" / "marc"
        data.mkdir(parents=True)
        (data / "MANIFEST.tsv").write_text("local_path\trepo\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_the_corpus_its_tests_are_deselected_and_the_summary_says_so(
    tmp_path: Path,
) -> None:
    done = _pytest(tmp_path, "-n", "1", corpus=False)  # through an xdist worker, as scripts/test
    assert done.returncode == 0, done.stdout + done.stderr
    # xdist's last line counts what ran; the count deselected is in our summary line.
    assert done.stdout.rstrip().splitlines()[-1].startswith("1 passed in ")
    assert "skipped" not in done.stdout
    expected = tmp_path / "shared" / "data" / "marc"
    assert f"corpus tier: 2 tests deselected: no MARC corpus at {expected}" in done.stdout


def test_with_the_corpus_its_tests_run(tmp_path: Path) -> None:
    done = _pytest(tmp_path, corpus=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    assert "deselected" not in done.stdout.replace("corpus tier", "")
    assert "corpus tier: 2 tests selected over the real MARC files in" in done.stdout
