"""``shelfwise verify-media`` and ``shelfwise ingest-media`` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shelfwise.testing import media_files as made

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHELFWISE_")}
    return subprocess.run(
        [sys.executable, "-m", "shelfwise", *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env | {"COLUMNS": "200"},
        check=False,
    )


def test_ingest_then_verify_then_find_a_damaged_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    picture = made.picture(tmp_path / "p.png")
    (tmp_path / "x.jpg").write_text("not a picture")
    done = _run(data, "ingest-media", str(picture), str(tmp_path / "x.jpg"), "--rights", RIGHTS)
    assert done.returncode == 1  # one refused, the other stored
    assert "stored as object 1 (image)" in done.stdout
    assert "not an image" in done.stderr
    fine = _run(data, "verify-media")
    assert fine.returncode == 0
    assert "checked 4 files, 0 bad" in fine.stdout
    original = next(
        p
        for p in (data / "media").rglob("*")
        if p.is_file() and p.stat().st_size == picture.stat().st_size
    )
    original.write_bytes(original.read_bytes()[:-1] + b"!")
    bad = _run(data, "verify-media")
    assert bad.returncode == 1
    assert original.name in bad.stderr
    assert "1 bad" in bad.stdout
