"""A record as a reader's record page shows it: the stored description (titles, names with
their roles, series, subjects, edition, publication), and from the master MARC record what
the description does not keep apart — the physical description, the contents and the
summary — in each dialect's own fields.

MARC 21 and KORMARC: 300 (extent), 505 (contents), 520 (summary); an 880 linked to one
of them is read in its place (the vernacular script). UNIMARC and CNMARC: 215, 327, 330.
Notes repeat contents and summary (every 5XX or 3XX $a is a note), so those two are
taken out of the notes shown.

Electronic locations (856, every dialect): each $u that is an http or https address
becomes a link, with $y (UNIMARC: $2) or $3 as its words and $z as its note. Any other
scheme (``javascript:``, ``data:``, ``file:``) or an address with spaces or control
characters is left out: the page links only to the web.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from shelfwise.catalogue.models import Contributor, OnlineLink, RecordDetail
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
        links=links_of(marc, str(row.dialect)) if marc is not None else (),
    )


def links_of(marc: Record, dialect: str) -> tuple[OnlineLink, ...]:
    """The record's 856 addresses a reader may follow, in the record's order."""
    text_code = "2" if dialect == Dialect.UNIMARC else "y"
    out: list[OnlineLink] = []
    for fld in marc.get_fields("856"):
        words = clean(fld.first(text_code) or "") or clean(fld.first("3") or "")
        note = clean(fld.first("z") or "") or None
        for raw in fld.values("u"):
            url = safe_url(raw)
            if url is not None:
                out.append(OnlineLink(url, words or urlsplit(url).hostname or url, note))
    return tuple(out)


def safe_url(raw: str) -> str | None:
    """``raw`` as an http(s) address with a host, else None."""
    url = raw.strip()
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


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
