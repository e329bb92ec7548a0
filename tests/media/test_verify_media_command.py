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


def test_batch_ingest_of_a_folder_with_a_csv(tmp_path: Path) -> None:
    """A folder of scans and a CSV: good rows stored with their texts, each bad row in the
    rejects file with its reason (a non-image named .jpg, a path in the name, a missing
    file, a bad rights URI, an unknown access rule), a file no row names reported; the
    progress line gives the rate and the time left."""
    data, folder = tmp_path / "data", tmp_path / "scans"
    folder.mkdir()
    made.picture(folder / "page-001.png", (400, 300), colour="#304050")
    made.picture(folder / "page-002.png", (400, 300), colour="#503040")
    made.picture(folder / "forgotten.png", (200, 100), colour="#405030")
    (folder / "fake.jpg").write_text("not a picture")
    made.picture(tmp_path / "outside.png", (200, 100), colour="#112233")
    rows = [
        "file,rights,access,caption_zh,alt_zh,caption_en",
        f"page-001.png,{RIGHTS},open,县志第一页,书页,Gazetteer page 1",
        f"page-002.png,{RIGHTS},signed_in,县志第二页,书页,Gazetteer page 2",
        f"fake.jpg,{RIGHTS},open,,,",
        f"../outside.png,{RIGHTS},open,,,",
        f"missing.png,{RIGHTS},open,,,",
        "page-001.png,http://example.org/mine,open,,,",
        f"page-002.png,{RIGHTS},everyone,,,",
    ]
    (tmp_path / "meta.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = _run(data, "ingest-batch", str(folder), "--csv", str(tmp_path / "meta.csv"))
    assert done.returncode == 1, done.stderr
    assert "stored 2, already stored 0, rejected 5, files without a row 1" in done.stdout
    assert "/s" in done.stdout
    assert "ETA" in done.stdout
    rejects = (tmp_path / "meta.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0].split(",")[0] == "line"
    assert rejects[0].endswith(",reason")
    by_line = {r.split(",")[0]: r for r in rejects[1:]}
    assert set(by_line) == {"4", "5", "6", "7", "8", ""}
    assert "not an image" in by_line["4"]
    assert "name" in by_line["5"].lower()  # a path in the file name
    assert "no file 'missing.png'" in by_line["6"]
    assert "rights" in by_line["7"]
    assert "access 'everyone'" in by_line["8"]
    assert "forgotten.png" in by_line[""]
    assert "no row names it" in by_line[""]
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("name,rights\nx.png,r\n", encoding="utf-8")
    refused = _run(data, "ingest-batch", str(folder), "--csv", str(bad_csv))
    assert refused.returncode == 2
    assert "no column file" in refused.stderr
