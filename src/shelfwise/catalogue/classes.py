"""What the catalogue publishes about a record's subject: its main class (read by analytics).

A record may carry several classifications (CLC from a Chinese agency, KDC from a Korean
one, DDC from an English one). Its *main class* is the top of the first scheme it has in
:data:`PREFERENCE`: a CLC number's letter (``clc:K`` for K928.6; the T-class's two-letter
subclasses such as TP fold into T), a DDC or KDC number's hundreds (``ddc:900``,
``kdc:800``). A record with none of these has ``none``: counted, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from shelfwise.catalogue import repo_records
from shelfwise.core.classification import ClassScheme

PREFERENCE = (ClassScheme.CLC, ClassScheme.KDC, ClassScheme.DDC)
NO_CLASS = "none"
_CHUNK = 500


def main_class_of(scheme: str, number: str) -> str | None:
    """The main class of one classification, or None when it has no readable top."""
    text = number.strip()
    if scheme == ClassScheme.CLC:
        return f"clc:{text[0].upper()}" if text[:1].isalpha() and text[:1].isascii() else None
    if scheme in (ClassScheme.DDC, ClassScheme.KDC):
        return f"{scheme}:{text[0]}00" if text[:1].isdigit() else None
    return None


def main_classes(conn: Connection, record_ids: Iterable[int]) -> dict[int, str]:
    """Each record's main class (:data:`NO_CLASS` for a record without one)."""
    ids = sorted({int(i) for i in record_ids})
    found = dict.fromkeys(ids, NO_CLASS)
    for start in range(0, len(ids), _CHUNK):
        part = repo_records.classes_of(conn, ids[start : start + _CHUNK])
        for record_id, classes in part.items():
            found[record_id] = _preferred(classes)
    return found


def _preferred(classes: list[tuple[str, str]]) -> str:
    for scheme in PREFERENCE:
        for have, number in classes:
            if have == scheme and (top := main_class_of(have, number)) is not None:
                return top
    return NO_CLASS


def copies_by_class(
    conn: Connection, branch_ids: Iterable[int] | None
) -> dict[tuple[int, str], int]:
    """Copies in service per (home branch id, main class). Reads every copy of the branches:
    a dashboard's turnover pays one grouped scan of ``items`` (docs/analytics.md)."""
    rows = repo_records.copies_by_record(conn, None if branch_ids is None else list(branch_ids))
    classes = main_classes(conn, {int(r.record_id) for r in rows})
    found: dict[tuple[int, str], int] = {}
    for r in rows:
        key = (int(r.home_branch_id), classes[int(r.record_id)])
        found[key] = found.get(key, 0) + int(r.copies)
    return found


@dataclass(frozen=True, slots=True)
class CopyLabel:
    barcode: str
    call_number: str
    record_id: int
    title: str


def items_in_service(conn: Connection) -> list[tuple[int, int, int]]:
    """(item id, home branch id, record id) of every copy in service. A full read of
    ``items``: for a job (the statistics' hourly stock), never a page view."""
    return [
        (int(r.id), int(r.home_branch_id), int(r.record_id))
        for r in repo_records.items_in_service(conn)
    ]


def copy_labels(conn: Connection, item_ids: Iterable[int]) -> dict[int, CopyLabel]:
    """What a list of copies shows of each: barcode, call number, the record's title."""
    ids = sorted({int(i) for i in item_ids})
    out: dict[int, CopyLabel] = {}
    for start in range(0, len(ids), 500):
        for r in repo_records.copy_labels(conn, ids[start : start + 500]):
            out[int(r.id)] = CopyLabel(
                str(r.barcode), str(r.call_number), int(r.record_id), str(r.title)
            )
    return out


def record_titles(conn: Connection, record_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted({int(i) for i in record_ids})
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        out.update(repo_records.record_titles(conn, ids[start : start + 500]))
    return out
