"""A generated book as a MARC 21 record: the English records, AACR2 before 2013 and
RDA from then on.

Each step draws from the record's RNG in the order the record's fields come, so
record ``i`` of a seed stays the same whatever the steps are called.
"""

from __future__ import annotations

import random

from shelfwise.marc.record import Field, Record
from shelfwise.testing.works import Agency, Work, copies, edition_label, timestamp

Subfields = list[tuple[str, str]]


def marc21(work: Work, index: int, agency: Agency, rnd: random.Random) -> Record:
    day, clock = timestamp(work.year, rnd)
    rda = work.year >= 2013
    edited = work.authors[0].role == "editor"
    fields = [
        Field("001", data=f"{agency[1]}{index:010d}"),
        Field("003", data=agency[0]),
        Field("005", data=f"{day}{clock}.0"),
        Field("008", data=f008(day, work.year, work.publisher.extra, work, "eng")),
        *_numbers(work, agency, rda, rnd),
        *_title(work, edited),
        *_description(work, rda, rnd),
        *_access_points(work, edited),
        *_holdings(work, index, rnd),
    ]
    return Record("     nam a22      i 4500" if rda else "     nam a22     7a 4500", fields)


def f008(day: str, year: int, place: str, work: Work, lang: str) -> str:
    """MARC 21 / KORMARC 008 for books: 40 positions, language at 35–37."""
    audience = "j" if work.topic.juvenile else " "
    fiction = "1" if work.topic.fiction else "0"
    index = "0" if work.topic.fiction else "1"
    return f"{day[2:]}s{year}    {place}    {audience}      00{index} {fiction} {lang} d"


def _numbers(work: Work, agency: Agency, rda: bool, rnd: random.Random) -> list[Field]:
    """020 the ISBN, 040 the cataloguing source, 050 an LC call number (half the
    records), 082 the Dewey number."""
    r = rnd.random
    first = work.authors[0]
    isbn = [("a", work.isbn10.replace("-", "") if work.isbn10 else work.isbn13)]
    if r() < 0.4:
        isbn.append(("q", "paperback" if rda else "pbk."))
    cataloguing = [("a", agency[0]), ("b", "eng")]
    if rda:
        cataloguing.append(("e", "rda"))
    cataloguing.append(("c", agency[0]))
    fields = [Field("020", "  ", isbn), Field("040", "  ", cataloguing)]
    if r() < 0.5:
        cutter = f".{first.sort[0]}{10 + int(r() * 89)} {work.year}"
        fields.append(Field("050", "00", [("a", work.lcc), ("b", cutter)]))
    fields.append(Field("082", "04", [("a", work.class_number), ("2", "23")]))
    return fields


def _title(work: Work, edited: bool) -> list[Field]:
    """100 the main entry (none for an edited book), 245 in ISBD punctuation, 250."""
    first = work.authors[0]
    fields = []
    if not edited:
        fields.append(Field("100", "1 ", [("a", first.name + ","), ("e", "author.")]))
    nonfiling = (
        "4" if work.title.startswith("The ") else ("2" if work.title.startswith("A ") else "0")
    )
    names = " and ".join(a.romanised for a in work.authors if a.role == first.role)
    direct = f"edited by {names}" if edited else names
    fields.append(Field("245", ("0" if edited else "1") + nonfiling, _isbd_245(work, direct)))
    if work.edition > 1:
        fields.append(Field("250", "  ", [("a", edition_label(work.kind, work.edition))]))
    return fields


def _isbd_245(work: Work, direct: str) -> Subfields:
    title = [("a", work.title + (" :" if work.subtitle else " /"))]
    if work.subtitle:
        title.append(("b", work.subtitle + " /"))
    title.append(("c", direct + "."))
    return title


def _description(work: Work, rda: bool, rnd: random.Random) -> list[Field]:
    """264 (RDA) or 260, 300, the RDA content, media and carrier types, 490, 500, 520."""
    r = rnd.random
    publication = [
        ("a", work.publisher.place + " :"),
        ("b", work.publisher.name + ","),
        ("c", f"{work.year}."),
    ]
    extent = f"{work.pages} pages" if rda else f"{work.pages} p."
    fields = [
        Field("264", " 1", publication) if rda else Field("260", "  ", publication),
        Field("300", "  ", [("a", extent + " ;"), ("c", f"{22 + int(r() * 6)} cm")]),
    ]
    if rda:
        fields.append(Field("336", "  ", [("a", "text"), ("b", "txt"), ("2", "rdacontent")]))
        fields.append(Field("337", "  ", [("a", "unmediated"), ("b", "n"), ("2", "rdamedia")]))
        fields.append(Field("338", "  ", [("a", "volume"), ("b", "nc"), ("2", "rdacarrier")]))
    if work.series:
        fields.append(
            Field("490", "0 ", [("a", work.series + " ;"), ("v", str(work.series_number))])
        )
    if not work.topic.fiction:
        fields.append(Field("500", "  ", [("a", "Includes index.")]))
    if work.summary and r() < 0.7:
        fields.append(Field("520", "  ", [("a", work.summary)]))
    return fields


def _access_points(work: Work, edited: bool) -> list[Field]:
    """650 subjects and 700 the other names (every name of an edited book)."""
    fields = []
    for subject in work.subjects:
        parts = [(code, part[0]) for code, part in zip("axz", subject, strict=False) if part[0]]
        fields.append(Field("650", " 0", parts))
    for a in work.authors[0 if edited else 1 :]:
        fields.append(Field("700", "1 ", [("a", a.name + ","), ("e", a.role + ".")]))
    return fields


def _holdings(work: Work, index: int, rnd: random.Random) -> list[Field]:
    """852: one per copy, with its branch, shelf, call number and barcode."""
    cutter = work.authors[0].sort[:3].upper()
    return [
        Field(
            "852",
            "  ",
            [
                ("b", branch),
                ("c", location),
                ("h", f"{work.class_number} {cutter}"),
                ("p", code),
            ],
        )
        for branch, location, code, _ in copies(work, index, rnd)
    ]
