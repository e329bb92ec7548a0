"""Seeded generator of realistic bibliographic records for the demo library and benchmarks.

Record ``i`` of a seed is a pure function of ``(seed, i)``: a Mersenne Twister is
re-seeded per record (about 5 µs), so ``generate_records(n, start=s)`` yields
exactly records ``s .. s+n-1`` of the one-shot stream and generation can be split
into chunks or processes.

Mix (documented rates, checked by the tests):

* ``SHARE_CHINESE`` 45 % CNMARC (UNIMARC family) records, of which
  ``TRADITIONAL_SHARE`` 8 % are Taiwan / Hong Kong books in traditional characters;
* ``SHARE_KOREAN`` 20 % KORMARC records, of which ``CHINESE_KOREAN_SHARE`` 30 % come
  from Chinese-Korean publishers in Chinese-Korean spelling (력사, 로동, 룡정);
* the remaining 35 % MARC 21 records of English books, ``ISBN10_SHARE`` 15 % of them
  published before 2007 with an ISBN-10 only.

Besides originals, ``DUPLICATE_RATE`` 5 % of records are the same book catalogued
again by another agency (same ISBN, title and authors; another 001, agency, date and
holdings) and ``EDITION_RATE`` 3 % are a later edition of an earlier book (same
title, authors and publisher; new year, ISBN and edition statement). The role is a
hash of ``(seed, i)``; the earlier book is regenerated from its own index, so the
pairs cross chunk boundaries. Barcodes are ``SW`` + ``4 * i + copy`` + a Luhn check
digit (:func:`shelfwise.testing.branches.barcode`), unique across all records.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.testing.branches import barcode, shelving_table
from shelfwise.testing.vocabulary import (
    EN,
    EN_PUBLISHERS,
    KIND_NAMES,
    KO_CK,
    KO_CK_PUBLISHERS,
    KO_SK,
    KO_SK_PUBLISHERS,
    LANG_TOPICS,
    TOPICS,
    ZH,
    ZH_PUBLISHERS,
    ZH_TRAD,
    ZH_TRAD_PUBLISHERS,
    Author,
    Entry,
    Publisher,
    Topic,
    draw_authors,
    draw_price,
    draw_title,
    isbn10_for,
    isbn_for,
    to_traditional,
)

SHARE_CHINESE = 0.45
SHARE_KOREAN = 0.20
TRADITIONAL_SHARE = 0.08  # of the Chinese records
CHINESE_KOREAN_SHARE = 0.30  # of the Korean records
ISBN10_SHARE = 0.15  # of the English records
DUPLICATE_RATE = 0.05
EDITION_RATE = 0.03
# How far back a duplicate or edition looks for its earlier book.
_SOURCE_WINDOW = 400
LAST_YEAR = 2025
__all__ = ["KIND_NAMES", "generate_record", "generate_records", "record_kind", "write_records"]

_MASK = (1 << 64) - 1
_ROLE_ORIGINAL, _ROLE_DUPLICATE, _ROLE_EDITION = 0, 1, 2

# Cataloguing agencies per kind: (code for 801/040, 001 prefix, country for 801 $a).
_AGENCIES: dict[int, tuple[tuple[str, str, str], ...]] = {
    ZH: (("NLC", "01", "CN"), ("CALIS", "CAL", "CN"), ("JLPL", "JL", "CN"), ("SWL", "SW", "CN")),
    ZH_TRAD: (("SWL", "SW", "CN"), ("CALIS", "CAL", "CN"), ("NCL", "TW", "TW")),
    KO_SK: (("NLK", "KMO", "KR"), ("KERIS", "KRS", "KR"), ("SWL", "SWK", "CN")),
    KO_CK: (("SWL", "SWK", "CN"), ("YBU", "YBU", "CN")),
    EN: (("DLC", "lc", "US"), ("OCoLC", "ocn", "US"), ("SWL", "swe", "CN")),
}


def _mix(seed: int, index: int) -> int:
    """SplitMix64 of (seed, index): cheap, well spread, independent of the record RNG."""
    x = (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _role_of(mix: int) -> int:
    fraction = (mix >> 11) / 9007199254740992.0
    if fraction < DUPLICATE_RATE:
        return _ROLE_DUPLICATE
    if fraction < DUPLICATE_RATE + EDITION_RATE:
        return _ROLE_EDITION
    return _ROLE_ORIGINAL


def _source(seed: int, index: int, mix: int) -> int | None:
    if index == 0 or _role_of(mix) == _ROLE_ORIGINAL:
        return None
    source = index - 1 - (mix >> 24) % min(index, _SOURCE_WINDOW)
    while source >= 0 and _role_of(_mix(seed, source)) != _ROLE_ORIGINAL:
        source -= 1
    return source if source >= 0 else None


def source_of(seed: int, index: int) -> int | None:
    """The index of the earlier record this one duplicates or re-edits, or ``None`` for an original."""
    return _source(seed, index, _mix(seed, index))


def is_duplicate(seed: int, index: int) -> bool:
    """True when record ``index`` is another agency's record of an earlier record's book."""
    mix = _mix(seed, index)
    return _role_of(mix) == _ROLE_DUPLICATE and _source(seed, index, mix) is not None


def _weighted(weights_at: int) -> tuple[int, ...]:
    return tuple(n for n, t in enumerate(TOPICS) if True for _ in range(t.weights[weights_at]))


# Topic draw tables per kind (index into TOPICS repeated by weight).
_TOPIC_TABLE: dict[int, tuple[int, ...]] = {
    ZH: _weighted(0),
    ZH_TRAD: tuple(
        n
        for n in _weighted(0)
        if TOPICS[n].key
        in (
            "history",
            "literature",
            "children",
            "computers",
            "economics",
            "medicine",
            "psychology",
            "cookery",
        )
    ),
    KO_SK: _weighted(1),
    KO_CK: _weighted(2),
    EN: _weighted(3),
}
_PUBLISHER_POOL = {
    ZH: ZH_PUBLISHERS,
    ZH_TRAD: ZH_TRAD_PUBLISHERS,
    KO_SK: KO_SK_PUBLISHERS,
    KO_CK: KO_CK_PUBLISHERS,
    EN: EN_PUBLISHERS,
}
_PUBLISHERS: dict[tuple[int, str], tuple[Publisher, ...]] = {
    (kind, topic.key): tuple(p for p in pool if topic.key in p.topics)
    for kind, pool in _PUBLISHER_POOL.items()
    for topic in TOPICS
}
_LANG = {ZH: "zh", ZH_TRAD: "zh", KO_SK: "ko", KO_CK: "ko", EN: "en"}
_SHELVES = {
    (lang, juvenile): shelving_table(f"{lang}-children" if juvenile else lang)
    for lang in ("zh", "ko", "en")
    for juvenile in (False, True)
}


@dataclass(slots=True)
class Work:
    """What every catalogue record of one book shares; drawn first from the record RNG."""

    kind: int
    topic: Topic
    title: str
    title_alt: str  # pinyin (Chinese) or the Chinese-Korean form; English: the title
    head: str
    subtitle: str
    authors: list[Author]
    publisher: Publisher
    year: int
    pages: int
    isbn13: str
    isbn_hyphenated: str
    isbn10: str | None
    series: str
    series_number: int
    summary: str
    subjects: list[tuple[Entry, ...]]
    class_number: str
    lcc: str
    price: str
    edition: int = 1


def _pick(seq: tuple[Entry, ...] | tuple[str, ...] | tuple[int, ...], r: float) -> object:
    return seq[int(r * len(seq))]


def _kind(u: float) -> int:
    if u < SHARE_CHINESE:
        return ZH_TRAD if u < SHARE_CHINESE * TRADITIONAL_SHARE else ZH
    if u < SHARE_CHINESE + SHARE_KOREAN:
        return KO_CK if u - SHARE_CHINESE < SHARE_KOREAN * CHINESE_KOREAN_SHARE else KO_SK
    return EN


def _class_number(kind: int, topic: Topic, r: float) -> str:
    if kind in (ZH, ZH_TRAD):
        scheme = topic.clc
    elif kind in (KO_SK, KO_CK):
        scheme = topic.kdc
    else:
        scheme = topic.ddc
    return scheme[int(r * len(scheme))]


def make_work(seed: int, index: int, rnd: random.Random) -> Work:
    """The book drawn for record ``index``: re-seeds ``rnd`` and draws the shared part."""
    rnd.seed((seed << 32) + index)
    r = rnd.random
    kind = _kind(r())
    table = _TOPIC_TABLE[kind]
    topic = TOPICS[table[int(r() * len(table))]]
    lt = LANG_TOPICS[_LANG[kind]][topic.key]
    title, title_alt, head = draw_title(lt, kind, rnd)
    subtitle = (
        lt.subtitles[int(r() * len(lt.subtitles))][1 if kind == KO_CK else 0] if r() < 0.3 else ""
    )
    publishers = _PUBLISHERS[(kind, topic.key)]
    publisher = publishers[int(r() * len(publishers))]
    isbn10_only = kind == EN and r() < ISBN10_SHARE
    year = 1988 + int(r() * 19) if isbn10_only else LAST_YEAR - 1 - int(r() * r() * 30)
    isbn13, hyphenated = isbn_for(publisher, index)
    series = ""
    if lt.series and r() < 0.2:
        series = lt.series[int(r() * len(lt.series))][1 if kind == KO_CK else 0]
    summary = ""
    if r() < 0.4:
        template = lt.summaries[int(r() * len(lt.summaries))][1 if kind == KO_CK else 0]
        summary = template.replace("{h}", head)
    pick = int(r() * len(lt.subjects))
    subjects = [lt.subjects[pick]]
    if r() < 0.3 and len(lt.subjects) > 1:
        subjects.append(
            lt.subjects[(pick + 1 + int(r() * (len(lt.subjects) - 1))) % len(lt.subjects)]
        )
    if kind == ZH_TRAD:
        title, subtitle, series, summary = (
            to_traditional(t) for t in (title, subtitle, series, summary)
        )
    return Work(
        kind=kind,
        topic=topic,
        title=title,
        title_alt=title_alt,
        head=head,
        subtitle=subtitle,
        authors=draw_authors(kind, topic, rnd),
        publisher=publisher,
        year=year,
        pages=(16 + int(r() * 48)) if topic.juvenile else 96 + int(r() * r() * 620),
        isbn13=isbn13,
        isbn_hyphenated=hyphenated,
        isbn10=isbn10_for(publisher, index) if isbn10_only else None,
        series=series,
        series_number=1 + int(r() * 12),
        summary=summary,
        subjects=subjects,
        class_number=_class_number(kind, topic, r()),
        lcc=topic.lcc[int(r() * len(topic.lcc))],
        price=draw_price(kind, publisher, topic.juvenile, r()),
    )


def _timestamp(year: int, r: random.Random) -> tuple[str, str]:
    """(yyyymmdd, hhmmss) of a cataloguing date on or after publication."""
    u = r.random
    cy = (year if year > 2004 else 2004) + int(u() * 3)
    cy = cy if cy < LAST_YEAR else LAST_YEAR
    day = f"{cy}{1 + int(u() * 12):02d}{1 + int(u() * 28):02d}"
    return day, f"{int(u() * 10) + 8:02d}{int(u() * 60):02d}{int(u() * 60):02d}"


def _edition_label(kind: int, edition: int) -> str:
    if kind in (ZH, ZH_TRAD):
        return f"第{edition}版"
    if kind in (KO_SK, KO_CK):
        return "개정판" if edition == 2 else f"제{edition}판"
    return {2: "2nd edition.", 3: "3rd edition."}.get(edition, f"{edition}th edition.")


def _copies(work: Work, index: int, rnd: random.Random) -> list[tuple[str, str, str, int]]:
    """(branch, location, barcode, copy number) for 1–4 copies."""
    u = rnd.random()
    count = 1 if u < 0.45 else (2 if u < 0.75 else (3 if u < 0.9 else 4))
    shelves = _SHELVES[(_LANG[work.kind], work.topic.juvenile)]
    out = []
    for copy in range(count):
        branch, location = shelves[int(rnd.random() * len(shelves))]
        out.append((branch, location, barcode(index * 4 + copy), copy + 1))
    return out


def _cnmarc(work: Work, index: int, agency: tuple[str, str, str], rnd: random.Random) -> Record:
    r = rnd.random
    day, clock = _timestamp(work.year, rnd)
    trad = work.kind == ZH_TRAD
    audience = "a  " if work.topic.juvenile else "em "
    fields = [
        Field("001", data=f"{agency[1]}{index:09d}"),
        Field("005", data=f"{day}{clock}.0"),
        Field("010", "  ", [("a", work.isbn_hyphenated), ("d", work.price)]),
        Field("100", "  ", [("a", f"{day}d{work.year}    {audience}y0chiy50      ea")]),
        Field("101", "0 ", [("a", "chi")]),
        Field(
            "102",
            "  ",
            [("a", "TW" if work.publisher.extra == "TWD" else ("HK" if trad else "CN"))],
        ),
    ]
    first = work.authors[0]
    primary = [a for a in work.authors if a.role == first.role]
    secondary = [a for a in work.authors if a.role != first.role]
    title = [("a", work.title), ("9", work.title_alt)]
    if work.subtitle:
        title.append(("e", work.subtitle))
    title.append(("f", ", ".join(a.name for a in primary) + first.role))
    if secondary:
        title.append(("g", ", ".join(a.name for a in secondary) + secondary[0].role))
    fields.append(Field("200", "1 ", title))
    if work.edition > 1:
        fields.append(Field("205", "  ", [("a", _edition_label(work.kind, work.edition))]))
    fields.append(
        Field(
            "210",
            "  ",
            [("a", work.publisher.place), ("c", work.publisher.name), ("d", str(work.year))],
        )
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
    for subject in work.subjects:
        parts = [(code, part[0]) for code, part in zip("axyz", subject, strict=False) if part[0]]
        fields.append(Field("606", "0 ", parts))
    fields.append(Field("690", "  ", [("a", work.class_number), ("v", "5")]))
    for a in primary:
        fields.append(Field("701", " 0", [("a", a.name), ("9", a.romanised), ("4", a.role)]))
    for a in secondary:
        fields.append(Field("702", " 0", [("a", a.name), ("9", a.romanised), ("4", a.role)]))
    fields.append(Field("801", " 0", [("a", agency[2]), ("b", agency[0]), ("c", day)]))
    author_number = str(1 + int(r() * 480))
    for branch, location, code, copy in _copies(work, index, rnd):
        fields.append(
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
        )
    return Record("     nam0 22        450 ", fields)


_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _author_mark(work: Work, r: float) -> str:
    """Korean author mark: surname, a two-digit number, the title's first initial (김54ㅎ)."""
    first = work.title[0]
    mark = _CHOSEONG[(ord(first) - 0xAC00) // 588] if "가" <= first <= "힣" else ""
    return f"{work.authors[0].sort}{11 + int(r * 88)}{mark}"


def _f008(day: str, year: int, place: str, work: Work, lang: str) -> str:
    """MARC 21 / KORMARC 008 for books: 40 positions, language at 35–37."""
    audience = "j" if work.topic.juvenile else " "
    fiction = "1" if work.topic.fiction else "0"
    index = "0" if work.topic.fiction else "1"
    return f"{day[2:]}s{year}    {place}    {audience}      00{index} {fiction} {lang} d"


def _kormarc(work: Work, index: int, agency: tuple[str, str, str], rnd: random.Random) -> Record:
    r = rnd.random
    day, clock = _timestamp(work.year, rnd)
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
        Field("008", data=_f008(day, work.year, place_code, work, "kor")),
        Field("020", "  ", isbn),
        Field("040", "  ", [("a", agency[0]), ("c", agency[0])]),
    ]
    mark = _author_mark(work, r())
    copies = _copies(work, index, rnd)
    for _, location, code, copy in copies:
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
        fields.append(Field("250", "  ", [("a", _edition_label(work.kind, work.edition))]))
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


def _isbd_245(work: Work, direct: str) -> list[tuple[str, str]]:
    title = [("a", work.title + (" :" if work.subtitle else " /"))]
    if work.subtitle:
        title.append(("b", work.subtitle + " /"))
    title.append(("c", direct + "."))
    return title


def _marc21(work: Work, index: int, agency: tuple[str, str, str], rnd: random.Random) -> Record:
    r = rnd.random
    day, clock = _timestamp(work.year, rnd)
    rda = work.year >= 2013
    first = work.authors[0]
    edited = first.role == "editor"
    fields = [
        Field("001", data=f"{agency[1]}{index:010d}"),
        Field("003", data=agency[0]),
        Field("005", data=f"{day}{clock}.0"),
        Field("008", data=_f008(day, work.year, work.publisher.extra, work, "eng")),
    ]
    isbn = [("a", work.isbn10.replace("-", "") if work.isbn10 else work.isbn13)]
    if r() < 0.4:
        isbn.append(("q", "paperback" if rda else "pbk."))
    fields.append(Field("020", "  ", isbn))
    cataloguing = [("a", agency[0]), ("b", "eng")]
    if rda:
        cataloguing.append(("e", "rda"))
    cataloguing.append(("c", agency[0]))
    fields.append(Field("040", "  ", cataloguing))
    if r() < 0.5:
        fields.append(
            Field(
                "050",
                "00",
                [("a", work.lcc), ("b", f".{first.sort[0]}{10 + int(r() * 89)} {work.year}")],
            )
        )
    fields.append(Field("082", "04", [("a", work.class_number), ("2", "23")]))
    if not edited:
        fields.append(Field("100", "1 ", [("a", first.name + ","), ("e", "author.")]))
    nonfiling = (
        "4" if work.title.startswith("The ") else ("2" if work.title.startswith("A ") else "0")
    )
    names = " and ".join(a.romanised for a in work.authors if a.role == first.role)
    direct = f"edited by {names}" if edited else names
    fields.append(Field("245", ("0" if edited else "1") + nonfiling, _isbd_245(work, direct)))
    if work.edition > 1:
        fields.append(Field("250", "  ", [("a", _edition_label(work.kind, work.edition))]))
    publication = [
        ("a", work.publisher.place + " :"),
        ("b", work.publisher.name + ","),
        ("c", f"{work.year}."),
    ]
    fields.append(Field("264", " 1", publication) if rda else Field("260", "  ", publication))
    extent = f"{work.pages} pages" if rda else f"{work.pages} p."
    fields.append(Field("300", "  ", [("a", extent + " ;"), ("c", f"{22 + int(r() * 6)} cm")]))
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
    for subject in work.subjects:
        parts = [(code, part[0]) for code, part in zip("axz", subject, strict=False) if part[0]]
        fields.append(Field("650", " 0", parts))
    for a in work.authors[0 if edited else 1 :]:
        fields.append(Field("700", "1 ", [("a", a.name + ","), ("e", a.role + ".")]))
    cutter = first.sort[:3].upper()
    for branch, location, code, _ in _copies(work, index, rnd):
        fields.append(
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
        )
    return Record("     nam a22      i 4500" if rda else "     nam a22     7a 4500", fields)


def _agency(kind: int, mix: int, source_mix: int | None) -> tuple[str, str, str]:
    """The cataloguing agency of a record; a duplicate never has its source's agency."""
    agencies = _AGENCIES[kind]
    if source_mix is None:
        return agencies[(mix >> 40) % len(agencies)]
    original = (source_mix >> 40) % len(agencies)
    return agencies[(original + 1 + (mix >> 48) % (len(agencies) - 1)) % len(agencies)]


def generate_record(index: int, *, seed: int = 42, rnd: random.Random | None = None) -> Record:
    """Record ``index`` of the stream for ``seed`` (what ``generate_records`` yields at that position)."""
    rnd = rnd or random.Random()
    mix = _mix(seed, index)
    source = _source(seed, index, mix)
    if source is None:
        work = make_work(seed, index, rnd)
        agency = _agency(work.kind, mix, None)
    else:
        work = make_work(seed, source, rnd)
        rnd.seed((seed << 32) + index)
        if _role_of(mix) == _ROLE_DUPLICATE:
            agency = _agency(work.kind, mix, _mix(seed, source))
        else:
            # A later edition: same book, new year and ISBN from this record's index.
            work.edition = 2 + int(rnd.random() * 2)
            work.year = min(LAST_YEAR, work.year + 2 + int(rnd.random() * 6))
            work.isbn13, work.isbn_hyphenated = isbn_for(work.publisher, index)
            work.isbn10 = None
            agency = _agency(work.kind, mix, None)
    if work.kind in (ZH, ZH_TRAD):
        return _cnmarc(work, index, agency, rnd)
    if work.kind in (KO_SK, KO_CK):
        return _kormarc(work, index, agency, rnd)
    return _marc21(work, index, agency, rnd)


def generate_records(count: int, *, seed: int = 42, start: int = 0) -> Iterator[Record]:
    """Records ``start .. start+count-1`` for ``seed``; each is a pure function of
    ``(seed, index)``, so chunks concatenate to the one-shot stream."""
    if count < 0 or start < 0:
        raise ValueError("count and start must be non-negative")
    rnd = random.Random()
    for index in range(start, start + count):
        yield generate_record(index, seed=seed, rnd=rnd)


def record_kind(record: Record) -> str:
    """The generator's kind of a record it produced (one of ``KIND_NAMES``), read from the record."""
    if record.get("690") is not None:
        return "zh-Hant" if record.subfield_values("102", "a") != ["CN"] else "zh"
    if record.get("056") is not None:
        return "ko" if record.subfield_values("020", "g") else "ko-CK"
    return "en"


def write_records(
    path: Path,
    count: int,
    *,
    seed: int = 42,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write records ``0 .. count-1`` of ``seed`` to ``path`` as ISO 2709 UTF-8; returns
    the number written. ``progress`` is called with the running total every 10,000."""
    written = 0
    with path.open("wb") as out:
        for record in generate_records(count, seed=seed):
            out.write(encode(record, encoding="utf-8"))
            written += 1
            if progress is not None and written % 10_000 == 0:
                progress(written)
    if progress is not None and written % 10_000:
        progress(written)
    return written
