"""A record as a reader's record page shows it: the stored description (titles, names with
their roles, series, subjects, edition, publication), and from the master MARC record what
the description does not keep apart — the physical description, the contents and the
summary — in each dialect's own fields.

MARC 21 and KORMARC: 300 (extent), 505 (contents), 520 (summary); an 880 linked to one
of them is read in its place (the vernacular script). UNIMARC and CNMARC: 215, 327, 330.
Notes repeat contents and summary (every 5XX or 3XX $a is a note), so those two are
taken out of the notes shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shelfwise.catalogue.models import Contributor, RecordDetail
from shelfwise.marc.description import Dialect
from shelfwise.marc.mapping_rules import clean
from shelfwise.marc.record import Field, Record

__all__ = ["detail_of"]


# (extent, contents, summary) tags and the subfields read, by dialect
_TAGS: Mapping[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    Dialect.MARC21: (("300", "abce"), ("505", "agrt"), ("520", "ab")),
    Dialect.KORMARC: (("300", "abce"), ("505", "agrt"), ("520", "ab")),
    Dialect.UNIMARC: (("215", "acde"), ("327", "a"), ("330", "a")),
}


def detail_of(
    row: Any, description: Mapping[str, Any], marc: Record | None, isbns: list[str]
) -> RecordDetail:
    """The page's view of one record (``row``: the records row; ``marc``: its master)."""
    extent = contents = summary = None
    tags = _TAGS.get(str(row.dialect))
    if marc is not None and tags is not None:
        extent, contents, summary = (_text(marc, tag, codes) for tag, codes in tags)
    notes = [str(n) for n in description.get("notes") or []]
    shown = {contents, summary} - {None}
    classes = [c for c in description.get("classifications") or [] if c.get("number")]
    return RecordDetail(
        id=row.id,
        state=row.state,
        merged_into_id=row.merged_into_id,
        title=row.title,
        subtitles=_strings(description, "other_titles"),
        parallel_titles=_strings(description, "parallel_titles"),
        contributors=tuple(
            Contributor(str(a["name"]), a.get("role"))
            for a in description.get("agents") or []
            if a.get("name")
        ),
        responsibility=row.responsibility,
        series=_strings(description, "series"),
        edition=row.edition,
        publisher=row.publisher,
        place=row.place,
        year=row.year,
        extent=extent,
        contents=contents,
        summary=summary,
        notes=tuple(n for n in notes if not any(n in s or s in n for s in shown if s)),
        subjects=_strings(description, "subjects"),
        isbns=tuple(isbns),
        languages=_strings(description, "languages"),
        material_type=row.material_type,
        class_number=f"{classes[0].get('scheme') or 'other'}:{classes[0]['number']}"
        if classes
        else None,
    )


def _strings(description: Mapping[str, Any], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v) for v in description.get(name) or [] if v))


def _text(marc: Record, tag: str, codes: str) -> str | None:
    """The fields of ``tag`` as one text (the vernacular 880 where one is linked)."""
    texts = []
    for fld in _vernacular(marc, tag) or marc.get_fields(tag):
        value = " ".join(clean(v) for v in fld.values(*codes) if clean(v))
        if value:
            texts.append(value)
    return "\n".join(texts) or None


def _vernacular(marc: Record, tag: str) -> list[Field]:
    return [f for f in marc.get_fields("880") if (f.first("6") or "").startswith(tag + "-")]
