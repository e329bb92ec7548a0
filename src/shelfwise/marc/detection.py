"""Which dialect and which character set a record is in, decided per record.

The rules, in the order they are tried (``dialect=`` / ``encoding=`` given by
the caller always win and skip the matching rules). The same table is in
``docs/marc-charsets.md``; keep the two together.

Dialect
=======

===  =====================================================  ===========
 #   signal                                                 dialect
===  =====================================================  ===========
R1   a 245 field and 040 mentions ``NLK`` or ``KORMARC``    KORMARC
R1b  a 245 field and a 056 field (KDC: undefined in MARC 21) KORMARC
R2   a 245 field                                            MARC 21
R3   no 245, and a 200 field                                UNIMARC
R4   no 245/200, leader/20-23 ``450 `` (UNIMARC shape)      UNIMARC
R5   no 245/200, 100 $a is 36+ chars with ``d``/``e``...    UNIMARC
     at /8 and a date at /0-7 (UNIMARC general data)
R6   otherwise                                              MARC 21
R7   (charset step) MARC 21 record whose data is Hangul     KORMARC
     under strict EUC-KR with leader/09 blank
===  =====================================================  ===========

Character set, MARC 21 and KORMARC
==================================

===  ===========================================================  =========
 #   signal                                                       charset
===  ===========================================================  =========
M1   leader/09 ``a``                                              utf-8
M2   KORMARC, leader/09 blank, data decodes as cp949              cp949
M3   an ESC (0x1B) byte: MARC-8 escape sequences                  marc-8
M4   valid UTF-8 with multibyte sequences (note: "leader/09       utf-8
     blank but data is UTF-8")
M5   only ASCII bytes                                             marc-8
M6   strict EUC-KR with mostly Hangul (note; dialect → KORMARC)   cp949
M7   strict GB 2312 with mostly Han ideographs (note)             gb18030
M8   otherwise                                                    marc-8
===  ===========================================================  =========

M6/M7 use the *strict* two-byte forms (both bytes 0xA1-0xFE), not cp949 or
GBK: ANSEL puts a combining mark (0xE0-0xFE) before an ASCII letter, and that
pair is a valid cp949/GBK character, so the loose codecs would read ordinary
MARC-8 French as Hangul or Chinese.

Character set, UNIMARC (and CNMARC)
===================================

===  ===========================================================  =========
 #   signal                                                       charset
===  ===========================================================  =========
U1   100 $a/26-33 holds code ``50`` (ISO 10646, UTF-8)            utf-8
U2   data is valid UTF-8 (ASCII included); note when multibyte    utf-8
     and 100 $a declared another set
U3   100 $a/26-33 holds ``20`` (CNMARC's GB 2312 set; unverified  gb18030
     reading of the code) or 100 $a/22-24 is ``chi``, and the data
     decodes as GB 18030
U4   strict GB 2312 with mostly Han ideographs (note)             gb18030
U5   strict EUC-KR with mostly Hangul (note)                      cp949
U6   otherwise (ISO 5426/5427/5428 etc.: no decoder; note)        latin-1
===  ===========================================================  =========
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from shelfwise.marc import charsets
from shelfwise.marc.description import Dialect
from shelfwise.marc.record import Record

FieldLookup = Callable[[str], bytes | None]


@dataclass(slots=True)
class Detection:
    dialect: Dialect
    encoding: str
    notes: list[str] = field(default_factory=list)


def _is_kormarc_040(data: bytes | None) -> bool:
    return data is not None and (b"NLK" in data or b"KORMARC" in data.upper())


def _looks_like_unimarc_100(data: bytes | None) -> bool:
    if data is None:
        return False
    a = _subfield_a(data)
    return len(a) >= 36 and a[:8].isdigit() and a[8:9] in b"abcdefghijku"


def _subfield_a(data: bytes) -> bytes:
    for part in data.split(b"\x1f")[1:]:
        if part[:1] == b"a":
            return part[1:]
    return b""


def dialect_of(leader: str, tags: Sequence[str], lookup: FieldLookup) -> Dialect:
    """Rules R1-R6 over the raw record."""
    if "245" in tags:
        # 056 (KDC) exists only in KORMARC; Korean libraries other than the NLK
        # put their own code in 040, so 040 alone misses most of them.
        kormarc = _is_kormarc_040(lookup("040")) or "056" in tags
        return Dialect.KORMARC if kormarc else Dialect.MARC21
    if "200" in tags or leader[20:24] == "450 " or _looks_like_unimarc_100(lookup("100")):
        return Dialect.UNIMARC
    return Dialect.MARC21


def dialect_of_record(record: Record) -> Dialect:
    """Rules R1-R6 over a decoded record (MARCXML, MARC-in-JSON, records to write)."""

    def lookup(tag: str) -> bytes | None:
        f = record.get(tag)
        if f is None:
            return None
        text = f.data if f.data is not None else "".join("\x1f" + c + v for c, v in f.subfields)
        return text.encode("utf-8", errors="replace")

    return dialect_of(record.leader, [f.tag for f in record.fields], lookup)


def _share(text: str, lo: int, hi: int) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for c in wide if lo <= ord(c) <= hi) / len(wide)


def _mostly(data: bytes, strict_codec: str, lo: int, hi: int) -> bool:
    try:
        text = data.decode(strict_codec)
    except UnicodeDecodeError:
        return False
    return _share(text, lo, hi) >= 0.5


def _mostly_hangul(data: bytes) -> bool:
    return _mostly(data, "euc_kr", 0xAC00, 0xD7A3)


def _mostly_han(data: bytes) -> bool:
    return _mostly(data, "gb2312", 0x4E00, 0x9FFF)


def _marc21_charset(leader: str, dialect: Dialect, data: bytes) -> Detection:
    if leader[9:10] == "a":  # M1
        return Detection(dialect, charsets.UTF8)
    if dialect is Dialect.KORMARC and charsets.decodes_as(data, charsets.CP949):  # M2
        return Detection(dialect, charsets.CP949)
    if b"\x1b" in data:  # M3
        return Detection(dialect, charsets.MARC8)
    if data.isascii():  # M5 (before M4: ASCII is valid UTF-8 without multibyte)
        return Detection(dialect, charsets.MARC8)
    if charsets.is_utf8(data):  # M4
        return Detection(dialect, charsets.UTF8, ["leader/09 blank but data is UTF-8"])
    if _mostly_hangul(data):  # M6
        return Detection(
            Dialect.KORMARC,
            charsets.CP949,
            ["leader/09 blank and the data is Hangul in KS X 1001 (EUC-KR): read as KORMARC"],
        )
    if _mostly_han(data):  # M7
        return Detection(
            dialect, charsets.GB18030, ["leader/09 blank but the data is GB 2312 Chinese"]
        )
    return Detection(dialect, charsets.MARC8)  # M8


def _unimarc_codes(field100: bytes | None) -> tuple[list[bytes], bytes]:
    a = _subfield_a(field100) if field100 else b""
    sets = [a[i : i + 2] for i in range(26, 34, 2)] if len(a) >= 28 else []
    return sets, a[22:25]


def _unimarc_charset(lookup: FieldLookup, data: bytes) -> Detection:
    sets, language = _unimarc_codes(lookup("100"))
    u = Dialect.UNIMARC
    if b"50" in sets:  # U1
        return Detection(u, charsets.UTF8)
    if charsets.is_utf8(data):  # U2
        notes = []
        if not data.isascii() and sets and sets[0].strip():
            declared = b"/".join(s for s in sets if s.strip()).decode("ascii", "replace")
            notes.append(f"100 $a/26-33 declares character sets {declared} but the data is UTF-8")
        return Detection(u, charsets.UTF8, notes)
    if (b"20" in sets or language == b"chi") and charsets.decodes_as(data, charsets.GB18030):
        return Detection(u, charsets.GB18030)  # U3
    if _mostly_han(data):  # U4
        return Detection(u, charsets.GB18030, ["no UTF-8 code in 100 $a; data is GB 2312 Chinese"])
    if _mostly_hangul(data):  # U5
        return Detection(u, charsets.CP949, ["no UTF-8 code in 100 $a; data is EUC-KR Hangul"])
    declared = b"/".join(s for s in sets if s.strip()).decode("ascii", "replace") or "none"
    return Detection(  # U6
        u,
        charsets.LATIN1,
        [
            f"8-bit data in UNIMARC character set(s) {declared} that Shelfwise cannot decode; "
            "kept as Latin-1 (re-import with an explicit encoding if you know it)"
        ],
    )


def detect(
    leader: str,
    tags: Sequence[str],
    lookup: FieldLookup,
    data: bytes,
    *,
    dialect: Dialect | None = None,
    encoding: str | None = None,
) -> Detection:
    """Dialect and charset of one ISO 2709 record; ``data`` is its raw data section."""
    chosen = dialect if dialect is not None else dialect_of(leader, tags, lookup)
    if encoding is not None:
        return Detection(chosen, charsets.canonical(encoding))
    if chosen is Dialect.UNIMARC:
        return _unimarc_charset(lookup, data)
    found = _marc21_charset(leader, chosen, data)
    if dialect is not None:
        found.dialect = dialect  # an explicit dialect wins over R7
    return found
