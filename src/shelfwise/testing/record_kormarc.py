"""A generated book as a KORMARC record (KS X 6006-0, MARC 21's tags): the Korean
records, in South Korean or Chinese-Korean spelling.

The fields draw from the record's RNG in the order they come, so record ``i`` of a
seed stays the same.
"""

from __future__ import annotations

import random

from shelfwise.marc.record import Field, Record
from shelfwise.testing.record_marc21 import f008
from shelfwise.testing.vocabulary import KO_CK
from shelfwise.testing.works import Agency, Work, copies, edition_label, timestamp

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _author_mark(work: Work, r: float) -> str:
    """Korean author mark: surname, a two-digit number, the title's first initial (김54ㅎ)."""
    first = work.title[0]
    mark = _CHOSEONG[(ord(first) - 0xAC00) // 588] if "가" <= first <= "힣" else ""
    return f"{work.authors[0].sort}{11 + int(r * 88)}{mark}"


def kormarc(work: Work, index: int, agency: Agency, rnd: random.Random) -> Record:
    r = rnd.random
    day, clock = timestamp(work.year, rnd)
    ck = work.kind == KO_CK
    place_code = "cc " if ck else ("ulk" if work.publisher.place == "서울" else "ggk")
    isbn = [("a", work.isbn13)]
    if not ck:
        # 부가기호: reader group, form, then the KDC main division.
        isbn.append(
            (
                "g",
                f"{'7' if work.topic.juvenile else '0'}{'7' if work.topic.juvenile else '3'}"
                f"{work.class_number[:2]}0",
            )
        )
    isbn.append(("c", work.price))
    fields = [
        Field("001", data=f"{agency[1]}{index:09d}"),
        Field("005", data=f"{day}{clock}"),
        Field("008", data=f008(day, work.year, place_code, work, "kor")),
        Field("020", "  ", isbn),
        Field("040", "  ", [("a", agency[0]), ("c", agency[0])]),
    ]
    mark = _author_mark(work, r())
    for _, location, code, copy in copies(work, index, rnd):
        sub = [("l", code)]
        if copy > 1:
            sub.append(("c", str(copy)))
        sub.append(("f", location))
        fields.append(Field("049", "0 ", sub))
    fields.append(Field("056", "  ", [("a", work.class_number), ("2", "6")]))
    fields.append(Field("090", "  ", [("a", work.class_number), ("b", mark)]))
    main = [a for a in work.authors if a.role != "그림"]
    fields.append(Field("100", "1 ", [("a", main[0].name)]))
    title = [("a", work.title)]
    if work.subtitle:
        title.append(("b", work.subtitle))
    title.append(("d", ", ".join(a.name for a in main) + " " + main[0].role))
    title.extend(("e", f"{a.name} {a.role}") for a in work.authors if a.role == "그림")
    fields.append(Field("245", "00", title))
    if work.edition > 1:
        fields.append(Field("250", "  ", [("a", edition_label(work.kind, work.edition))]))
    fields.append(
        Field(
            "260",
            "  ",
            [("a", work.publisher.place), ("b", work.publisher.name), ("c", str(work.year))],
        )
    )
    fields.append(Field("300", "  ", [("a", f"{work.pages} p."), ("c", f"{21 + int(r() * 6)} cm")]))
    if work.series:
        fields.append(Field("490", "00", [("a", work.series), ("v", str(work.series_number))]))
    if work.summary and r() < 0.85:
        fields.append(Field("520", "  ", [("a", work.summary)]))
    for subject in work.subjects:
        fields.append(Field("650", " 8", [("a", subject[0][1 if ck else 0])]))
    fields.extend(Field("700", "1 ", [("a", a.name)]) for a in work.authors[1:])
    return Record("     nam a22      i 4500", fields)
