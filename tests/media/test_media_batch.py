"""Batch ingest on both engines (issue 17 item 2): each row's file attached to its record
with captions and alt texts per language and its access rule; an unknown record, a record
that is not an id and an on-site rule without a branch are rejected with the reason, and
nothing of a rejected row is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media import batch
from shelfwise.media.models import Access
from shelfwise.services import Services
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

RIGHTS = "https://creativecommons.org/licenses/by/4.0/"


def test_rows_attach_files_to_records_and_reject_with_reasons(
    services: Services, tmp_path: Path
) -> None:
    seed_branches(services.catalogue)
    write_records(tmp_path / "r.mrc", 2)
    services.importer().import_file(tmp_path / "r.mrc")
    with services.db.read() as conn:
        record_id = int(conn.execute(text("SELECT min(id) FROM records")).scalar_one())
    folder = tmp_path / "scans"
    folder.mkdir()
    made.picture(folder / "a.png", (300, 200), colour="#304050")
    made.picture(folder / "b.png", (300, 200), colour="#503040")
    made.picture(folder / "c.png", (300, 200), colour="#405030")
    csv_text = "\n".join(
        [
            "file,record,rights,access,branch,caption_zh,caption_ko,caption_en,alt_en",
            f"a.png,{record_id},{RIGHTS},on_site,CEN,县志,현지,Gazetteer,A page",
            f"b.png,99999999,{RIGHTS},open,,,,,",
            f"c.png,first,{RIGHTS},open,,,,,",
            f"c.png,,{RIGHTS},on_site,,,,,",
        ]
    )
    seen: list[tuple[int, str | None]] = []
    report = batch.ingest_rows(
        services.media,
        folder,
        batch.read_rows(csv_text),
        "batch-test",
        lambda row, error: seen.append((row.line, error)),
    )
    assert [line for line, _ in seen] == [2, 3, 4, 5]  # told after every row
    assert report.stored == 1
    reasons = {row.line: reason for row, reason in report.rejected}
    assert set(reasons) == {3, 4, 5}
    assert "record" in reasons[3].lower()
    assert "'first' is not an id" in reasons[4]
    assert "branch" in reasons[5]
    assert report.unlisted == []
    [stored] = services.media.for_record(record_id)
    assert stored.access == Access.ON_SITE
    assert stored.branch_code == "CEN"
    assert stored.text("ko").caption == "현지"
    assert stored.text("en").alt == "A page"
    assert len(services.media.recent()) == 1  # nothing of the rejected rows was stored
    with pytest.raises(ShelfwiseError) as refused:
        batch.read_rows("file,rights,colour\n")
    assert "colour" in refused.value.message("en")
