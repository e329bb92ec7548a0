"""What every catalogue record of one book shares (:class:`Work`), drawn first from the
record's RNG, and the parts each record format draws the same way: the cataloguing
date, the edition statement, the copies. The record formats are ``record_cnmarc``,
``record_kormarc`` and ``record_marc21``; :mod:`shelfwise.testing.records` chooses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shelfwise.testing.branches import barcode, shelving_table
from shelfwise.testing.vocabulary import (
    EN,
    EN_PUBLISHERS,
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
LAST_YEAR = 2025

# A cataloguing agency: (code for 801/040, 001 prefix, country for 801 $a).
Agency = tuple[str, str, str]


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
LANG = {ZH: "zh", ZH_TRAD: "zh", KO_SK: "ko", KO_CK: "ko", EN: "en"}
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
    lt = LANG_TOPICS[LANG[kind]][topic.key]
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


def timestamp(year: int, r: random.Random) -> tuple[str, str]:
    """(yyyymmdd, hhmmss) of a cataloguing date on or after publication."""
    u = r.random
    cy = (year if year > 2004 else 2004) + int(u() * 3)
    cy = cy if cy < LAST_YEAR else LAST_YEAR
    day = f"{cy}{1 + int(u() * 12):02d}{1 + int(u() * 28):02d}"
    return day, f"{int(u() * 10) + 8:02d}{int(u() * 60):02d}{int(u() * 60):02d}"


def edition_label(kind: int, edition: int) -> str:
    if kind in (ZH, ZH_TRAD):
        return f"第{edition}版"
    if kind in (KO_SK, KO_CK):
        return "개정판" if edition == 2 else f"제{edition}판"
    return {2: "2nd edition.", 3: "3rd edition."}.get(edition, f"{edition}th edition.")


def copies(work: Work, index: int, rnd: random.Random) -> list[tuple[str, str, str, int]]:
    """(branch, location, barcode, copy number) for 1–4 copies."""
    u = rnd.random()
    count = 1 if u < 0.45 else (2 if u < 0.75 else (3 if u < 0.9 else 4))
    shelves = _SHELVES[(LANG[work.kind], work.topic.juvenile)]
    out = []
    for copy in range(count):
        branch, location = shelves[int(rnd.random() * len(shelves))]
        out.append((branch, location, barcode(index * 4 + copy), copy + 1))
    return out
