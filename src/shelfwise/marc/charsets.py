"""Character sets of MARC field data: decoding bytes to ``str`` and back.

Every reader calls :func:`decode_field` once per field (the ISO 2709 fast path
decodes a whole data section at once with :func:`decode_strict`); which charset
applies is decided per record by :mod:`shelfwise.marc.detection`.

Supported names (canonical spelling, used in ``ReadRecord.encoding``):

============  ================================================================
``utf-8``     Unicode, MARC 21 leader/09 ``a``, UNIMARC 100 $a/26-27 ``50``
``marc-8``    MARC-8 incl. EACC (CJK), through ``pymarc.marc8.MARC8ToUnicode``
``gb18030``   GB 18030, the superset of GBK and GB 2312 (Chinese exports)
``cp949``     KS X 1001 / EUC-KR; cp949 is the superset Korean systems emit
``cp1251``    Windows Cyrillic, only when asked (no reliable signal in data)
``cp866``     DOS Cyrillic, only when asked
``latin-1``   last resort for 8-bit data no other rule claims; lossless bytes
============  ================================================================

MARC-8 through pymarc is slow (a Python loop per byte), so ASCII-only fields
skip it: ASCII is the same in every charset here.
"""

from __future__ import annotations

import codecs
import io
import re
from contextlib import redirect_stderr

from pymarc.marc8 import MARC8ToUnicode

UTF8 = "utf-8"
MARC8 = "marc-8"
GB18030 = "gb18030"
CP949 = "cp949"
CP1251 = "cp1251"
CP866 = "cp866"
LATIN1 = "latin-1"

# Aliases a caller may pass as ``encoding=``; all map to the canonical names above.
_ALIASES = {
    "utf8": UTF8,
    "utf-8": UTF8,
    "unicode": UTF8,
    "marc8": MARC8,
    "marc-8": MARC8,
    "ansel": MARC8,
    "gbk": GB18030,
    "gb2312": GB18030,
    "gb18030": GB18030,
    "cp936": GB18030,
    "euc-kr": CP949,
    "euckr": CP949,
    "euc_kr": CP949,
    "ks_x_1001": CP949,
    "ksx1001": CP949,
    "cp949": CP949,
    "uhc": CP949,
    "cp1251": CP1251,
    "windows-1251": CP1251,
    "cp866": CP866,
    "latin-1": LATIN1,
    "latin1": LATIN1,
    "iso-8859-1": LATIN1,
}

SUPPORTED = frozenset(_ALIASES.values())

# Codecs writers may produce. MARC-8 output is deliberately absent: nobody should
# create new MARC-8 data, and pymarc's MARC-8 writer is not round-trip safe for EACC.
WRITABLE = frozenset({UTF8, GB18030, CP949})


class UnknownEncodingError(ValueError):
    """Raised for an ``encoding=`` name we do not know; a programming error, not bad data."""


def canonical(name: str) -> str:
    """The canonical spelling of a charset name, or :class:`UnknownEncodingError`."""
    try:
        return _ALIASES[name.strip().lower().replace("_", "-")]
    except KeyError:
        try:
            return _ALIASES[name.strip().lower()]
        except KeyError:
            raise UnknownEncodingError(
                f"unknown MARC character set {name!r}; use one of {sorted(SUPPORTED)}"
            ) from None


def _python_codec(encoding: str) -> str:
    if encoding == MARC8:
        raise UnknownEncodingError("MARC-8 has no Python codec; use decode_field")
    return codecs.lookup(encoding).name


def decode_marc8(data: bytes) -> tuple[str, list[str]]:
    """Decode MARC-8 (ANSEL, Greek, Cyrillic, Hebrew, Arabic, EACC...) with pymarc.

    A fresh converter per call: pymarc keeps the G0/G1 state on the instance,
    and MARC-8 escapes must not leak from one field into the next. pymarc
    reports unmappable bytes on stderr; those messages become repair notes.
    """
    if data.isascii() and b"\x1b" not in data:
        return data.decode("ascii"), []
    sink = io.StringIO()
    try:
        with redirect_stderr(sink):
            text: str = MARC8ToUnicode(quiet=False).translate(data)  # type: ignore[no-untyped-call]
    except (IndexError, TypeError, KeyError, ValueError) as err:
        return data.decode(LATIN1), [f"MARC-8 decoding failed ({err}); kept the bytes as Latin-1"]
    notes = [f"MARC-8: {line}" for line in sink.getvalue().splitlines() if line]
    return text, notes


def decode_field(data: bytes, encoding: str) -> tuple[str, list[str]]:
    """Decode one field (or subfield) and say what had to be replaced, if anything."""
    if encoding == MARC8:
        return decode_marc8(data)
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 4].hex(" ")
        text = data.decode(encoding, errors="replace")
        return text, [f"invalid {encoding} bytes ({bad}) replaced with U+FFFD"]


# MARC 21's lossless convention for a character the target set cannot hold: a
# numeric character reference in hexadecimal, &#xXXXX; (LC, "Character Sets and
# Encoding Options", the lossless conversion of Unicode to MARC-8). We use it for
# every legacy set we write (EUC-KR/cp949 is the one that needs it: GB 18030 holds
# all of Unicode), and read it back from every non-Unicode set.
NCR = "marc-ncr"
_NCR = re.compile(r"&#x([0-9A-Fa-f]{4,6});")


def _ncr_errors(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    chars = err.object[err.start : err.end]
    return "".join(f"&#x{ord(ch):04X};" for ch in chars), err.end


codecs.register_error(NCR, _ncr_errors)


def encode_text(text: str, encoding: str, errors: str = "strict") -> bytes:
    """Encode for writing; with ``errors="strict"`` raises ``UnicodeEncodeError`` when the
    text does not fit, with ``errors=NCR`` writes such characters as ``&#xXXXX;``."""
    if encoding not in WRITABLE:
        raise UnknownEncodingError(
            f"cannot write {encoding!r}; writable charsets are {sorted(WRITABLE)}"
        )
    return text.encode(encoding, errors)


def unescape_ncr(text: str) -> str:
    """``&#xXXXX;`` references back to the characters they stand for (see :data:`NCR`)."""
    if "&#x" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        point = int(match.group(1), 16)
        if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
            return match.group()
        return chr(point)

    return _NCR.sub(char, text)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def decodes_as(data: bytes, encoding: str) -> bool:
    try:
        data.decode(_python_codec(encoding))
    except UnicodeDecodeError:
        return False
    return True
