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

This module decides each record's role, source and agency; the book itself is drawn
in :mod:`~shelfwise.testing.works`, and written as a record by ``record_cnmarc``,
``record_kormarc`` or ``record_marc21``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Record
from shelfwise.testing.record_cnmarc import cnmarc
from shelfwise.testing.record_kormarc import kormarc
from shelfwise.testing.record_marc21 import marc21
from shelfwise.testing.vocabulary import EN, KIND_NAMES, KO_CK, KO_SK, ZH, ZH_TRAD, isbn_for
from shelfwise.testing.works import (
    CHINESE_KOREAN_SHARE,
    ISBN10_SHARE,
    LAST_YEAR,
    SHARE_CHINESE,
    SHARE_KOREAN,
    TRADITIONAL_SHARE,
    Agency,
    make_work,
)

DUPLICATE_RATE = 0.05
EDITION_RATE = 0.03
# How far back a duplicate or edition looks for its earlier book.
_SOURCE_WINDOW = 400
__all__ = [
    "CHINESE_KOREAN_SHARE",
    "ISBN10_SHARE",
    "KIND_NAMES",
    "SHARE_CHINESE",
    "SHARE_KOREAN",
    "TRADITIONAL_SHARE",
    "generate_record",
    "generate_records",
    "record_kind",
    "write_records",
]

_MASK = (1 << 64) - 1
_ROLE_ORIGINAL, _ROLE_DUPLICATE, _ROLE_EDITION = 0, 1, 2

# Cataloguing agencies per kind.
_AGENCIES: dict[int, tuple[Agency, ...]] = {
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


def _agency(kind: int, mix: int, source_mix: int | None) -> Agency:
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
        return cnmarc(work, index, agency, rnd)
    if work.kind in (KO_SK, KO_CK):
        return kormarc(work, index, agency, rnd)
    return marc21(work, index, agency, rnd)


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
