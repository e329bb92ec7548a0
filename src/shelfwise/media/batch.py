"""Batch ingest: a folder of scans and a CSV with one row per file (issue 17).

Columns (a header row names them; only ``file`` and ``rights`` are required): ``file`` (a
name inside the folder), ``record`` (a record id to attach to), ``rights``, ``access``
(open, signed_in, on_site, staff; open when empty), ``branch`` (for on_site), and
``caption_zh``, ``caption_ko``, ``caption_en``, ``alt_zh``, ``alt_ko``, ``alt_en``,
``transcript_zh``, ``transcript_ko``, ``transcript_en``.

Each row is ingested on its own (all or nothing for that file, as every ingest is); a row
that cannot be is written to the rejects file with the reason, and the rest go on. A file
in the folder that no row names is reported too, so nothing is silently left behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import TEXT_LANGS, Access, MediaText
from shelfwise.media.service import MediaService

REQUIRED = ("file", "rights")
KNOWN = {
    "file",
    "record",
    "rights",
    "access",
    "branch",
    *(f"{kind}_{lang}" for kind in ("caption", "alt", "transcript") for lang in TEXT_LANGS),
}
REASON = "reason"


@dataclass(frozen=True, slots=True)
class BatchRow:
    line: int  # in the CSV, the header being line 1
    values: dict[str, str]


@dataclass(slots=True)
class BatchReport:
    stored: int = 0
    already: int = 0
    rejected: list[tuple[BatchRow, str]] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # files in the folder no row names


def read_rows(text: str) -> list[BatchRow]:
    """The CSV's rows; a missing required column or an unknown one is refused at once."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ShelfwiseError("media.invalid", detail=f"the CSV has no column {', '.join(missing)}")
    unknown = [c for c in columns if c not in KNOWN]
    if unknown:
        raise ShelfwiseError("media.invalid", detail=f"unknown CSV columns: {', '.join(unknown)}")
    return [
        BatchRow(n, {k.strip(): (v or "").strip() for k, v in row.items() if k})
        for n, row in enumerate(reader, start=2)
    ]


def _path(folder: Path, name: str) -> Path:
    """The row's file, only inside the folder (a path in the name is refused)."""
    if not name or name != Path(name).name or name in (".", ".."):
        raise ShelfwiseError("media.bad_name", name=name[:200])
    path = folder / name
    if not path.is_file():
        raise ShelfwiseError("media.invalid", detail=f"no file {name!r} in the folder")
    return path


def _texts(values: dict[str, str]) -> list[MediaText]:
    return [
        MediaText(
            lang,
            caption=values.get(f"caption_{lang}", ""),
            alt=values.get(f"alt_{lang}", ""),
            transcript=values.get(f"transcript_{lang}", ""),
        )
        for lang in TEXT_LANGS
    ]


def ingest_rows(
    media: MediaService,
    folder: Path,
    rows: list[BatchRow],
    actor: str,
    step: Callable[[BatchRow, str | None], None] = lambda row, error: None,
) -> BatchReport:
    """Ingest each row's file; ``step`` is told after each row (with the refusal, if any)."""
    report = BatchReport()
    for row in rows:
        values = row.values
        try:
            record = values.get("record", "")
            if record and not record.isdigit():
                raise ShelfwiseError("media.invalid", detail=f"record {record!r} is not an id")
            try:
                access = Access(values.get("access") or "open")
            except ValueError:
                raise ShelfwiseError(
                    "media.invalid", detail=f"access {values.get('access')!r}"
                ) from None
            done = media.ingest_file(
                _path(folder, values.get("file", "")),
                rights=values.get("rights", ""),
                actor=actor,
                access=access,
                branch=values.get("branch") or None,
                record_id=int(record) if record else None,
                texts=_texts(values),
            )
        except ShelfwiseError as exc:
            reason = exc.message("en")
            report.rejected.append((row, reason))
            step(row, reason)
            continue
        if done.created:
            report.stored += 1
        else:
            report.already += 1
        step(row, None)
    named = {r.values.get("file", "") for r in rows}
    report.unlisted = sorted(p.name for p in _files(folder) if p.name not in named)
    return report


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def rejects_csv(report: BatchReport) -> str:
    """The rejected rows as they were, with the line and the reason, and the unlisted files."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = sorted({"file"} | {k for row, _ in report.rejected for k in row.values}, key=_order)
    writer.writerow(["line", *columns, REASON])
    for row, reason in report.rejected:
        writer.writerow([row.line, *(row.values.get(c, "") for c in columns), reason])
    for name in report.unlisted:
        writer.writerow(["", *("" if c != "file" else name for c in columns), "no row names it"])
    return out.getvalue()


def _order(column: str) -> tuple[int, str]:
    first = ("file", "record", "rights", "access", "branch")
    return (first.index(column), "") if column in first else (len(first), column)
