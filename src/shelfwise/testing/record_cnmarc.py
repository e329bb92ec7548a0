"""A generated book as a CNMARC record (the UNIMARC family): the Chinese records.

Each step draws from the record's RNG in the order the record's fields come, so
record ``i`` of a seed stays the same whatever the steps are called.
"""

from __future__ import annotations

import random

from shelfwise.marc.record import Field, Record
from shelfwise.testing.vocabulary import ZH_TRAD, Author
from shelfwise.testing.works import Agency, Work, copies, edition_label, timestamp


def cnmarc(work: Work, index: int, agency: Agency, rnd: random.Random) -> Record:
    day, clock = timestamp(work.year, rnd)
    first = work.authors[0]
    primary = [a for a in work.authors if a.role == first.role]
    secondary = [a for a in work.authors if a.role != first.role]
    fields = [
        *_coded(work, index, agency, day, clock),
        _title(work, primary, secondary),
        *_description(work, rnd),
        *_access_points(work, primary, secondary),
        Field("801", " 0", [("a", agency[2]), ("b", agency[0]), ("c", day)]),
        *_holdings(work, index, rnd),
    ]
    return Record("     nam0 22        450 ", fields)


def _coded(work: Work, index: int, agency: Agency, day: str, clock: str) -> list[Field]:
    """001 and 005, the ISBN and price (010), and the coded data (100-102)."""
    trad = work.kind == ZH_TRAD
    audience = "a  " if work.topic.juvenile else "em "
    country = "TW" if work.publisher.extra == "TWD" else ("HK" if trad else "CN")
    return [
        Field("001", data=f"{agency[1]}{index:09d}"),
        Field("005", data=f"{day}{clock}.0"),
        Field("010", "  ", [("a", work.isbn_hyphenated), ("d", work.price)]),
        Field("100", "  ", [("a", f"{day}d{work.year}    {audience}y0chiy50      ea")]),
        Field("101", "0 ", [("a", "chi")]),
        Field("102", "  ", [("a", country)]),
    ]


def _title(work: Work, primary: list[Author], secondary: list[Author]) -> Field:
    """200: the title, its pinyin, and the statements of responsibility."""
    first = primary[0]
    title = [("a", work.title), ("9", work.title_alt)]
    if work.subtitle:
        title.append(("e", work.subtitle))
    title.append(("f", ", ".join(a.name for a in primary) + first.role))
    if secondary:
        title.append(("g", ", ".join(a.name for a in secondary) + secondary[0].role))
    return Field("200", "1 ", title)


def _description(work: Work, rnd: random.Random) -> list[Field]:
    """205 edition, 210 publication, 215 physical description, 225 series, 330 summary."""
    r = rnd.random
    fields = []
    if work.edition > 1:
        fields.append(Field("205", "  ", [("a", edition_label(work.kind, work.edition))]))
    publisher = work.publisher
    fields.append(
        Field("210", "  ", [("a", publisher.place), ("c", publisher.name), ("d", str(work.year))])
    )
    physical = [
        ("a", f"{work.pages}页"),
        ("d", "21cm" if work.topic.juvenile else f"{22 + int(r() * 5)}cm"),
    ]
    if work.topic.juvenile or r() < 0.3:
        physical.insert(1, ("c", "图"))
    fields.append(Field("215", "  ", physical))
    if work.series:
        fields.append(Field("225", "2 ", [("a", work.series), ("v", str(work.series_number))]))
    if work.summary and r() < 0.85:
        fields.append(Field("330", "  ", [("a", work.summary)]))
    return fields


def _access_points(work: Work, primary: list[Author], secondary: list[Author]) -> list[Field]:
    """606 subjects, 690 the CLC number, 701 and 702 the names."""
    fields = []
    for subject in work.subjects:
        parts = [(code, part[0]) for code, part in zip("axyz", subject, strict=False) if part[0]]
        fields.append(Field("606", "0 ", parts))
    fields.append(Field("690", "  ", [("a", work.class_number), ("v", "5")]))
    for a in primary:
        fields.append(Field("701", " 0", [("a", a.name), ("9", a.romanised), ("4", a.role)]))
    for a in secondary:
        fields.append(Field("702", " 0", [("a", a.name), ("9", a.romanised), ("4", a.role)]))
    return fields


def _holdings(work: Work, index: int, rnd: random.Random) -> list[Field]:
    """905: one per copy, with its branch, barcode, shelf and call number."""
    author_number = str(1 + int(rnd.random() * 480))
    return [
        Field(
            "905",
            "  ",
            [
                ("a", branch),
                ("b", code),
                ("c", location),
                ("d", work.class_number),
                ("e", author_number),
                ("f", str(copy)),
            ],
        )
        for branch, location, code, copy in copies(work, index, rnd)
    ]
