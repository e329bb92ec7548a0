"""The corpus tier: tests over ../shared/data/marc run when it is there and are
deselected, with a line in the summary, when it is not (never failed, never skipped).

Each case runs pytest on a tiny project in a temporary folder, with and without a
``shared/data/marc`` beside it, through the installed shelfwise plugin.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from shelfwise.testing import plugin

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
    done = _pytest(tmp_path, corpus=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 2 deselected" in done.stdout
    assert "skipped" not in done.stdout
    expected = tmp_path / "shared" / "data" / "marc"
    assert f"corpus tier: 2 tests deselected: no MARC corpus at {expected}" in done.stdout


def test_under_xdist_the_controller_learns_the_count_from_its_workers(
    pytestconfig: pytest.Config,
) -> None:
    # scripts/test runs pytest -n 2: workers collect, the controller prints the summary.
    controller = SimpleNamespace(stash=pytest.Stash())
    for seen in (0, 24):
        worker = SimpleNamespace(config=controller, workeroutput={"shelfwise_corpus_tests": seen})
        plugin.pytest_testnodedown(worker, None)
    assert controller.stash[plugin._CORPUS_COUNT] == 24
    assert pytestconfig.pluginmanager.hasplugin("xdist")


def test_with_the_corpus_its_tests_run(tmp_path: Path) -> None:
    done = _pytest(tmp_path, corpus=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    assert "deselected" not in done.stdout.replace("corpus tier", "")
    assert "corpus tier: 2 tests selected over the real MARC files in" in done.stdout
