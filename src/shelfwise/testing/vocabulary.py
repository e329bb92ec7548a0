"""Subject topics with their class numbers in the three schemes, and the word lists of
``vocab_zh``/``vocab_ko``/``vocab_en`` parsed into tables the generator can draw from
without any per-record parsing.

A topic ties the words of a title to class numbers and subjects that agree with it
(a 吉林 local history gets CLC K293.4, KDC 912, DDC 951.8), which is what makes the
demo facets and the work grouping meaningful. The class numbers are plausible
members of each scheme chosen for the demo, not an authoritative mapping.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from shelfwise.core.isbn import isbn10_check_digit, isbn13_check_digit
from shelfwise.testing import vocab_en, vocab_ko, vocab_zh

# (text, alternative): pinyin for Chinese, the Chinese-Korean spelling for Korean,
# the same text for English.
Entry = tuple[str, str]
# A template piece: a slot name to draw from, or None and a literal entry.
Piece = tuple[str | None, Entry]


# Record kinds.
ZH, ZH_TRAD, KO_SK, KO_CK, EN = range(5)
KIND_NAMES = ("zh", "zh-Hant", "ko", "ko-CK", "en")


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    clc: tuple[str, ...]
    kdc: tuple[str, ...]
    ddc: tuple[str, ...]
    lcc: tuple[str, ...]
    # Relative weights among Chinese, South Korean, Chinese-Korean and English records.
    weights: tuple[int, int, int, int]
    juvenile: bool = False
    fiction: bool = False


TOPICS: tuple[Topic, ...] = (
    Topic(
        "history",
        ("K20", "K209", "K248.07", "K249.07", "K25", "K265.06", "K27", "K107"),
        ("912", "912.07", "911", "911.05", "911.06", "909"),
        ("951", "951.03", "951.04", "951.05", "909", "909.08"),
        ("DS735", "DS754", "DS774", "D21"),
        (12, 14, 8, 14),
    ),
    Topic(
        "local",
        ("K293.4", "K293.5", "K293.1", "K293.4", "K928.934"),
        ("912", "912.8", "982.2"),
        ("951.8", "951.804", "915.18"),
        ("DS781", "DS783.7", "DS793.M3"),
        (6, 2, 12, 3),
    ),
    Topic(
        "ethnic",
        ("K28", "G127.34", "I207.9", "K28"),
        ("912", "380.912", "331.5"),
        ("305.895", "305.8957051", "951.8"),
        ("DS731.K6",),
        (4, 3, 20, 3),
    ),
    Topic(
        "literature",
        ("I247.5", "I247.57", "I247.7", "I267", "I227"),
        ("813.7", "813.6", "811.7", "814.7", "823", "843"),
        ("813.54", "813.6", "823.914", "823.92", "895.135", "895.734"),
        ("PS3569", "PR6058", "PL2919", "PL992"),
        (20, 24, 24, 26),
        fiction=True,
    ),
    Topic(
        "children",
        ("I287.8", "I287.7", "I287.5", "Z228.1", "Q95-49"),
        ("808.9", "813.8", "813.8", "400"),
        ("813.6", "823.92", "590", "398.2"),
        ("PZ7", "PZ10"),
        (14, 14, 10, 14),
        juvenile=True,
        fiction=True,
    ),
    Topic(
        "computers",
        ("TP311.561", "TP312.8", "TP181", "TP18", "TP311.13", "TP393.08", "TP316.85", "TP274"),
        ("004", "005.133", "005.74", "004.73", "004.77"),
        ("005.133", "005.74", "006.3", "006.31", "004.6", "005.43"),
        ("QA76.73.P98", "QA76.9.D3", "Q325.5", "QA76.76.O63"),
        (10, 10, 3, 14),
    ),
    Topic(
        "economics",
        ("F124", "F127.3", "F272", "F832", "F713.36", "F0", "F830.59", "F752.8"),
        ("320", "320.911", "327", "325", "326.1", "321"),
        ("330", "330.951", "332", "658", "658.8", "382"),
        ("HC427.95", "HG173", "HD31", "HF1379"),
        (10, 9, 4, 9),
    ),
    Topic(
        "medicine",
        ("R587.1", "R544.1", "R212", "R151.4", "R459.7", "R245", "R749.4", "R73"),
        ("517", "517.3", "519", "513.8", "517.8"),
        ("613.2", "613", "616.462", "616.132", "610.73"),
        ("RC660", "RC685.H8", "RA784"),
        (8, 7, 5, 6),
    ),
    Topic(
        "psychology",
        ("B84-49", "B842.6", "B821-49", "C912.11", "B848.4"),
        ("180", "181.3", "189.1", "199.1"),
        ("150", "152.4", "155.2", "158.1"),
        ("BF121", "BF637.S4", "BF531"),
        (7, 9, 2, 7),
    ),
    Topic(
        "language",
        ("H55", "H55", "H219", "H554"),
        ("710", "713", "715", "711.5"),
        ("495.7", "495.782", "495.75"),
        ("PL907", "PL913"),
        (3, 4, 8, 2),
    ),
    Topic(
        "cookery",
        ("TS972.12", "TS972.182", "TS972.132", "TS213.2"),
        ("594.5", "594.51", "594.52"),
        ("641.5", "641.5951", "641.59519"),
        ("TX724.5.C5", "TX724.5.K65"),
        (6, 4, 4, 2),
    ),
)
TOPIC_INDEX = {t.key: n for n, t in enumerate(TOPICS)}


@dataclass(frozen=True, slots=True)
class LangTopic:
    """One topic's words in one language, ready to draw from."""

    patterns: tuple[tuple[Piece, ...], ...]
    slots: dict[str, tuple[Entry, ...]]
    subtitles: tuple[Entry, ...]
    subjects: tuple[tuple[Entry, ...], ...]  # subject parts, "" for an absent part
    summaries: tuple[Entry, ...]
    series: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    place: str
    topics: frozenset[str]
    registrants: tuple[tuple[str, str], ...]  # (ISBN group, registrant)
    extra: str  # currency, or the MARC country code for English publishers


def zh_entry(raw: str) -> Entry:
    text, _, pinyin = raw.partition("=")
    return (text, pinyin)


def ko_entry(raw: str) -> Entry:
    sk, _, ck = raw.partition("/")
    return (sk, ck or sk)


def plain_entry(raw: str) -> Entry:
    return (raw, raw)


_BRACED = re.compile(r"\{([^}]*)\}")


def parse_pattern(
    raw: str, slots: dict[str, tuple[Entry, ...]], parse: Callable[[str], Entry]
) -> tuple[Piece, ...]:
    """Split ``"{m}{的=de}{h}"`` into slot pieces and literal pieces."""
    pieces: list[Piece] = []
    position = 0
    for match in _BRACED.finditer(raw):
        if match.start() > position:
            pieces.append((None, parse(raw[position : match.start()])))
        name = match.group(1)
        pieces.append((name, ("", "")) if name in slots else (None, parse(name)))
        position = match.end()
    if position < len(raw):
        pieces.append((None, parse(raw[position:])))
    return tuple(pieces)


def _lang_topic(raw: dict[str, tuple[str, ...]], parse: Callable[[str], Entry]) -> LangTopic:
    reserved = {"patterns", "subtitles", "subjects", "summaries", "series"}
    slots = {
        name: tuple(parse(w) for w in words) for name, words in raw.items() if name not in reserved
    }
    return LangTopic(
        patterns=tuple(parse_pattern(p, slots, parse) for p in raw["patterns"]),
        slots=slots,
        subtitles=tuple(parse(s) for s in raw["subtitles"]),
        subjects=tuple(tuple(parse(part) for part in s.split("|")) for s in raw["subjects"]),
        summaries=tuple(parse(s) for s in raw["summaries"]),
        series=tuple(parse(s) for s in raw["series"]),
    )


ZH_WORDS: dict[str, LangTopic] = {k: _lang_topic(v, zh_entry) for k, v in vocab_zh.TOPICS.items()}
KO_WORDS: dict[str, LangTopic] = {k: _lang_topic(v, ko_entry) for k, v in vocab_ko.TOPICS.items()}
EN_WORDS: dict[str, LangTopic] = {
    k: _lang_topic(v, plain_entry) for k, v in vocab_en.TOPICS.items()
}


def _registrants(raw: str, group: str = "") -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in raw.split():
        g, _, reg = item.rpartition("-")
        pairs.append((g or group, reg))
    return tuple(pairs)


ZH_PUBLISHERS = tuple(
    Publisher(n, p, frozenset(t.split()), _registrants(r, "7"), "CNY")
    for n, p, t, r in vocab_zh.PUBLISHERS
)
ZH_TRAD_PUBLISHERS = tuple(
    Publisher(n, p, frozenset(t.split()), _registrants(r), c)
    for n, p, t, r, c in vocab_zh.TRADITIONAL_PUBLISHERS
)
KO_SK_PUBLISHERS = tuple(
    Publisher(n, p, frozenset(t.split()), _registrants(r), c)
    for n, p, t, r, c in vocab_ko.PUBLISHERS_SK
)
KO_CK_PUBLISHERS = tuple(
    Publisher(n, p, frozenset(t.split()), _registrants(r), c)
    for n, p, t, r, c in vocab_ko.PUBLISHERS_CK
)
EN_PUBLISHERS = tuple(
    Publisher(n, p, frozenset(t.split()), _registrants(r), c)
    for n, p, t, r, c in vocab_en.PUBLISHERS
)

ZH_SURNAMES = tuple(zh_entry(w) for w in vocab_zh.SURNAMES.split())
ZH_KOREAN_SURNAMES = tuple(zh_entry(w) for w in vocab_zh.KOREAN_SURNAMES.split())
ZH_GIVEN = tuple(zh_entry(w) for w in vocab_zh.GIVEN.split())
KO_SURNAMES = tuple(ko_entry(w) for w in vocab_ko.SURNAMES.split())
KO_GIVEN = tuple(ko_entry(w) for w in vocab_ko.GIVEN.split())
EN_SURNAMES = tuple(vocab_en.SURNAMES.split())
EN_FORENAMES = tuple(vocab_en.FORENAMES.split())
EN_ASIAN_NAMES = tuple(vocab_en.ASIAN_NAMES.split("|"))

_S2T_TABLE = {ord(pair[0]): pair[1] for pair in vocab_zh.S2T_PAIRS.split()}


def to_traditional(text: str) -> str:
    """Simplified → traditional for the characters of the word lists (not a general converter)."""
    for simplified, traditional in vocab_zh.S2T_WORDS.items():
        if simplified in text:
            text = text.replace(simplified, traditional)
    return text.translate(_S2T_TABLE)


# The parsed topic tables by language code.
LANG_TOPICS: dict[str, dict[str, LangTopic]] = {"zh": ZH_WORDS, "ko": KO_WORDS, "en": EN_WORDS}


def _title_number(publisher: Publisher, index: int) -> tuple[str, str, str]:
    group, registrant = publisher.registrants[0]
    free = 9 - len(group) - len(registrant)
    span = 10**free
    if len(publisher.registrants) > 1:
        group, registrant = publisher.registrants[(index // span) % len(publisher.registrants)]
        free = 9 - len(group) - len(registrant)
        span = 10**free
    return group, registrant, str((index * 7919 + 4801) % span).zfill(free)


def isbn_for(publisher: Publisher, index: int) -> tuple[str, str]:
    """A valid ISBN-13 of ``publisher`` for the record at ``index``: (digits, hyphenated).

    The title number is ``index`` scrambled by an odd multiplier prime to 10, and the
    publisher's registrants take turns per block of ``10**k`` indexes, so two records
    of one publisher share an ISBN only when their indexes differ by a multiple of
    ``len(registrants) * 10**k`` (k = free title digits, 4 to 6): runs of up to
    20,000 records never collide by accident.
    """
    group, registrant, title = _title_number(publisher, index)
    body = f"978{group}{registrant}{title}"
    check = isbn13_check_digit(body)
    return body + check, f"978-{group}-{registrant}-{title}-{check}"


def isbn10_for(publisher: Publisher, index: int) -> str:
    """The hyphenated ISBN-10 form of :func:`isbn_for` (same book, pre-2007 numbering)."""
    group, registrant, title = _title_number(publisher, index)
    return f"{group}-{registrant}-{title}-{isbn10_check_digit(group + registrant + title)}"


@dataclass(slots=True)
class Author:
    name: str  # as the record writes it
    romanised: str  # pinyin for Chinese, "" otherwise
    role: str  # relator term in the record's language
    sort: str  # surname used for call numbers


def draw_title(lt: LangTopic, kind: int, rnd: random.Random) -> tuple[str, str, str]:
    r = rnd.random
    pattern = lt.patterns[int(r() * len(lt.patterns))]
    texts: list[str] = []
    alts: list[str] = []
    head = ""
    for slot, entry in pattern:
        if slot is not None:
            words = lt.slots[slot]
            entry = words[int(r() * len(words))]
            if slot == "h":
                head = entry[0]
        texts.append(entry[0])
        alts.append(entry[1])
    if kind in (ZH, ZH_TRAD):
        return "".join(texts), " ".join(a for a in alts if a), head or texts[0]
    if kind == EN:
        text = "".join(texts)
        text = text[0].upper() + text[1:]
        return text, text, head or text
    return "".join(texts), "".join(alts), head or texts[0]


def _zh_name(rnd: random.Random, korean: bool) -> tuple[str, str, str]:
    r = rnd.random
    surnames = ZH_KOREAN_SURNAMES if korean else ZH_SURNAMES
    s = surnames[int(r() * len(surnames))]
    g1 = ZH_GIVEN[int(r() * len(ZH_GIVEN))]
    if r() < 0.3:
        return s[0] + g1[0], f"{s[1]} {g1[1]}", s[1]
    g2 = ZH_GIVEN[int(r() * len(ZH_GIVEN))]
    return s[0] + g1[0] + g2[0], f"{s[1]} {g1[1]} {g2[1]}", s[1]


def _ko_name(rnd: random.Random, ck: bool) -> tuple[str, str]:
    r = rnd.random
    s = KO_SURNAMES[int(r() * len(KO_SURNAMES))]
    g = KO_GIVEN[int(r() * len(KO_GIVEN))]
    return (s[1] + g[1], s[1]) if ck else (s[0] + g[0], s[0])


def _en_name(rnd: random.Random, topic: Topic) -> tuple[str, str, str]:
    """(inverted heading, direct form, surname)."""
    r = rnd.random
    if topic.key in ("history", "local", "ethnic", "language", "cookery") and r() < 0.35:
        heading = EN_ASIAN_NAMES[int(r() * len(EN_ASIAN_NAMES))]
        surname, _, forename = heading.partition(", ")
        return heading, f"{forename} {surname}", surname
    surname = EN_SURNAMES[int(r() * len(EN_SURNAMES))]
    forename = EN_FORENAMES[int(r() * len(EN_FORENAMES))]
    if r() < 0.2:
        initial = EN_FORENAMES[int(r() * len(EN_FORENAMES))][0]
        return f"{surname}, {forename} {initial}.", f"{forename} {initial}. {surname}", surname
    return f"{surname}, {forename}", f"{forename} {surname}", surname


def draw_authors(kind: int, topic: Topic, rnd: random.Random) -> list[Author]:
    r = rnd.random
    u = r()
    count = 1 if u < 0.72 else (2 if u < 0.92 else 3)
    authors: list[Author] = []
    if kind in (ZH, ZH_TRAD):
        korean = topic.key in ("ethnic", "language") and r() < 0.7
        role = "著" if u < 0.85 else ("主编" if u < 0.95 else "编著")
        if kind == ZH_TRAD:
            role = to_traditional(role)
        for _ in range(count):
            name, pinyin, surname = _zh_name(rnd, korean)
            if kind == ZH_TRAD:
                name = to_traditional(name)
            authors.append(Author(name, pinyin, role, surname))
        if topic.juvenile:
            name, pinyin, surname = _zh_name(rnd, False)
            authors.append(
                Author(
                    to_traditional(name) if kind == ZH_TRAD else name,
                    pinyin,
                    "繪" if kind == ZH_TRAD else "绘",
                    surname,
                )
            )
    elif kind in (KO_SK, KO_CK):
        ck = kind == KO_CK
        roles = vocab_ko.ROLES_CK if ck else vocab_ko.ROLES_SK
        role = roles[int(r() * len(roles))]
        for _ in range(count):
            name, surname = _ko_name(rnd, ck)
            authors.append(Author(name, "", role, surname))
        if topic.juvenile:
            name, surname = _ko_name(rnd, ck)
            authors.append(Author(name, "", "그림", surname))
    else:
        role = "author" if u < 0.9 else "editor"
        for _ in range(count):
            heading, direct, surname = _en_name(rnd, topic)
            authors.append(Author(heading, direct, role, surname))
        if topic.juvenile:
            heading, direct, surname = _en_name(rnd, topic)
            authors.append(Author(heading, direct, "illustrator", surname))
    return authors


def draw_price(kind: int, publisher: Publisher, juvenile: bool, r: float) -> str:
    scale = 0.4 if juvenile else 1.0
    if publisher.extra == "CNY":
        return f"CNY{int((22 + r * 110) * scale) + 10}.00"
    if publisher.extra == "TWD":
        return f"TWD{int((220 + r * 480) * scale) // 10 * 10}"
    if publisher.extra == "HKD":
        return f"HKD{int((68 + r * 140) * scale)}.00"
    if publisher.extra == "KRW":
        return f"₩{int((9000 + r * 30000) * scale) // 500 * 500}"
    return (
        f"£{int(8 + r * 30 * scale)}.99"
        if publisher.extra == "enk"
        else f"${int(10 + r * 40 * scale)}.95"
    )
