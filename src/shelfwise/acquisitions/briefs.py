"""Brief records for orders: a wished-for book the catalogue does not have yet gets a
record of title, author and ISBN, made through the catalogue's importer (its matching
applies: a record with the ISBN is used, never duplicated)."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from pathlib import Path

from shelfwise.acquisitions.models import Brief
from shelfwise.catalogue.importing import Importer
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record


class BriefRecords:
    def __init__(self, importer: Callable[[], Importer], work_dir: Path) -> None:
        self._importer = importer
        self._work_dir = work_dir

    def make(self, brief: Brief) -> int:
        """The id of the record for ``brief`` (an existing one with its ISBN, or new)."""
        fields = [Field("001", data=f"acq-{uuid.uuid4().hex[:20]}")]
        if brief.isbn:
            fields.append(Field("020", "  ", [("a", brief.isbn)]))
        if brief.author:
            fields.append(Field("100", "1 ", [("a", brief.author)]))
        fields.append(Field("245", "10", [("a", brief.title)]))
        # Leader 17 = 5: a preliminary (brief) record, completed when the book is catalogued.
        record = Record("00000nam a2200000 5 4500", fields)
        self._work_dir.mkdir(parents=True, exist_ok=True)
        path = self._work_dir / f"brief-{uuid.uuid4().hex}.mrc"
        path.write_bytes(encode(record))
        try:
            summary = self._importer().import_file(path)
        finally:
            path.unlink(missing_ok=True)
        if summary.report_path is None:  # pragma: no cover - the importer always reports
            raise RuntimeError("the importer wrote no report")
        report = Path(summary.report_path)
        with report.open(encoding="utf-8") as rows:
            placed = [r["record_id"] for r in csv.DictReader(rows, delimiter="\t")]
        report.unlink(missing_ok=True)
        if len(placed) != 1 or not placed[0].isdigit():
            raise RuntimeError(f"a brief record was not stored: {placed}")
        return int(placed[0])
