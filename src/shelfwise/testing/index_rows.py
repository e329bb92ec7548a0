"""Index rows for generated records, without a database: what the index builder reads.

The rows are built the way :mod:`shelfwise.search.source` reads them after an import
(``catalogue.rows.record_columns`` of the record's description), so a benchmark or a
differential test of document building sees the catalogue's own shapes: CNMARC
(Simplified and Traditional Chinese), KORMARC (Korean, Hanja) and MARC 21 (English).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from shelfwise.catalogue.rows import description_json
from shelfwise.marc.description import Dialect
from shelfwise.marc.dialects import describe
from shelfwise.search.source import IndexRow
from shelfwise.testing.records import generate_records, record_kind

_DIALECTS = {
    "zh": Dialect.UNIMARC,
    "zh-Hant": Dialect.UNIMARC,
    "ko": Dialect.KORMARC,
    "ko-CK": Dialect.KORMARC,
    "en": Dialect.MARC21,
}
_BRANCHES = ("CEN", "EAST", "WEST")


def generated_index_rows(count: int, *, seed: int = 42) -> Iterator[IndexRow]:
    """Rows ``1 .. count`` for the records of ``generate_records(count, seed=seed)``;
    every seventh row carries the description of the next record as a merged duplicate."""
    previous: dict[str, object] | None = None
    for index, record in enumerate(generate_records(count, seed=seed)):
        d = describe(record, _DIALECTS[record_kind(record)])
        description = json.loads(description_json(d))
        row = IndexRow(
            id=index + 1,
            state="active",
            title=d.title or "",
            title_romanised=d.title_romanised,
            main_author=d.agents[0].name if d.agents else None,
            publisher=d.publisher,
            year=d.year,
            material_type=d.material_type or "book",
            description=description,
            copies=[(_BRANCHES[(index + k) % 3], "available") for k in range(index % 3)],
        )
        if index % 7 == 6 and previous is not None:
            row.merged.append(previous)
        previous = description
        yield row
