"""Where the corpus tier's real MARC files are: found one way, here.

CI checks the repository out beside a ``shared`` folder whose ``data/marc`` holds
several hundred MARC files written by other projects (with a ``MANIFEST.tsv``).
The default test run never needs it: it reads ``tests/fixtures/marc``. Tests that
read the corpus take the ``marc_corpus`` fixture or carry ``@pytest.mark.corpus``;
the plugin runs them when the folder is there and deselects them, with a line in
the summary, when it is not (a plain clone). ``docs/testing.md`` has the tiers.
"""

from __future__ import annotations

from pathlib import Path

# Relative to the repository root (pytest's rootdir).
CORPUS_BESIDE = Path("..") / "shared" / "data" / "marc"

_root: Path | None = None


def configure(rootpath: Path) -> None:
    """Called once by the plugin at start-up with the repository root."""
    global _root
    _root = rootpath


def _repository() -> Path:
    """pytest's rootdir; outside pytest (a script), the checkout around the working directory."""
    if _root is not None:
        return _root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError(f"{here} is not inside a Shelfwise checkout")


def expected_location() -> Path:
    return (_repository() / CORPUS_BESIDE).resolve()


def corpus_dir() -> Path | None:
    """``../shared/data/marc`` beside the repository, or None when it is not there."""
    folder = expected_location()
    return folder if (folder / "MANIFEST.tsv").is_file() else None


def fixtures_dir() -> Path:
    """``tests/fixtures/marc``: the MARC files the repository carries (real and generated)."""
    return _repository() / "tests" / "fixtures" / "marc"
