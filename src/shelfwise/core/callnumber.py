"""Call-number sort keys: strings that sort call numbers in shelf order.

``sort_key`` turns a call number into a string whose plain code-point order
(Python ``<``, SQLite's default BINARY collation, PostgreSQL ``COLLATE "C"``)
is shelf order. A linguistic collation (en_US, zh_CN...) ignores punctuation
and spaces and must not be used on the key column.

The key is a run of *elements*, each a type character, a payload and a closing
space. The space is lower than any payload character, so a shorter payload
files first ("nothing before something"), and elements of different types
compare by their type character::

    0  part break   "/" before a CLC book number, spaces and "-" between parts
    1-6 CLC auxiliary marks, in this order:  -  (  =  "  <  :
    7  other punctuation (payload: the character, so ASCII order among them)
    8  integer      (payload: digit count, then digits: 9 < 10 < 123)
    9  decimal      (payload: the digits: .5 < .57 < .6)
    A  letters      (payload: upper-cased letters)

So numbers file before letters, and a class number with an auxiliary mark
files after the bare class and before its next digit ("I247.5" < "I247.5-53"
< "I247.51"). The order of the CLC marks among themselves follows our reading
of the 中图法 filing rules (general subdivision, country, period, nation, time
and place, combination); it is **not verified against the printed rules** and
lives in one place, ``CLC_MARKS``, so it can be corrected.

Per scheme:

* CLC ``I247.5/123``: class letters; all class digits as one decimal
  (the points are only readability marks: I247.5 files before I25); marks with
  their digits as decimals; after "/" the book number, whose numbers are integers.
* DDC, KDC ``823.914 ROW``, ``813.6-김54ㅎ``: integer, decimal, then parts; a
  digit run right after letters is a Cutter/author number (decimal), a digit run
  on its own (a year, a volume) is an integer. Segmentation marks ``/`` ``'`` are dropped.
* LCC ``QA76.73.P98 L88 2013``: class letters, integer, decimal, then each
  Cutter as letters + decimal and each year/volume as integer.
"""

from __future__ import annotations

import functools
import re

from shelfwise.core.classification import ClassScheme

__all__ = ["CLC_MARKS", "scheme_guess", "sort_key"]

END = " "
BREAK = "0"
CLC_MARKS = '-(="<:'  # rank order of the auxiliary marks, type chars "1".."6"
PUNCT = "7"
INTEGER = "8"
DECIMAL = "9"
LETTERS = "A"
_MAX_DIGITS = 70  # keeps the digit-count character printable ASCII (chr(48 + 70) = "v")

_CLC_MAIN = frozenset("ABCDEFGHIJKNOPQRSTUVXZ")
_LCC_ABSENT = frozenset("IOWXY")  # LCC has no classes I, O, W, X, Y
_CLC = re.compile(r"([A-Z]{1,2})([0-9][0-9.]*)?(.*)", re.DOTALL)
_DECIMAL_CLASS = re.compile(r"[0-9]{1,3}(?:[/']*\.[/'0-9]*)?")
_LCC = re.compile(r"([A-Z]{1,3})\s*([0-9]+)?(?:\.([0-9]+))?(.*)", re.DOTALL)
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+|\s+|.", re.DOTALL)
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LCC_CUTTER = re.compile(r"^[A-Z]{1,3}\s*[0-9]+(?:\.[0-9]+)?\s*\.?\s*[A-Z][0-9]")
_CLC_SIGNS = re.compile(r'[/=("<]|-[0-9]')


def _fold(text: str) -> str:
    # Full-width ASCII (Ｉ２４７．５) as typed on Chinese keyboards; control characters
    # would sort below the element terminator, so they go.
    chars = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            chars.append(chr(code - 0xFEE0))
        elif ch == "\u3000" or (ch.isspace() and ch != " "):
            chars.append(" ")
        elif code >= 0x20 and ch.isprintable():
            chars.append(ch)
    return "".join(chars).strip().upper()


def _integer(digits: str) -> str:
    value = digits.lstrip("0")[:_MAX_DIGITS] or "0"
    return INTEGER + chr(0x30 + len(value)) + value + END


def _decimal(digits: str) -> str:
    return DECIMAL + digits + END


def _tokens(text: str, *, cutters: bool) -> str:
    """Generic elements; with ``cutters``, digits right after letters are decimals."""
    out: list[str] = []
    previous = ""
    for token in _TOKEN.findall(text):
        if token.isspace() or token in "/-.,;":
            # Separators only delimit parts; several in a row are one break.
            if out and out[-1] != BREAK + END:
                out.append(BREAK + END)
            previous = ""
            continue
        if token[0] in "0123456789":
            after_letters = cutters and previous.isalpha()
            out.append(_decimal(token) if after_letters else _integer(token))
        elif token.isalpha():
            out.append(LETTERS + token + END)
        else:
            out.append(PUNCT + token + END)
        previous = token
    while out and out[-1] == BREAK + END:
        out.pop()
    return "".join(out)


def _clc_key(text: str) -> str:
    match = _CLC.fullmatch(text)
    if match is None:
        return _tokens(text, cutters=False)
    letters, digits, rest = match.groups()
    key = LETTERS + letters + END
    if digits:
        key += _decimal(digits.replace(".", ""))
    class_part, slash, book = rest.partition("/")
    key += _clc_marks(class_part)
    if slash:
        key += BREAK + END + _tokens(book, cutters=False)
    return key


def _clc_marks(text: str) -> str:
    out: list[str] = []
    for mark, body in re.findall(r'([-(="<:])([^-(="<:]*)', text):
        value = body.strip().rstrip(')">').replace(".", "")
        rank = str(CLC_MARKS.index(mark) + 1)
        if value.isdigit():
            out.append(rank + value + END)
        else:
            out.append(rank + END + _tokens(value, cutters=False))
    # Text before the first mark (not expected in a well-formed number) is kept.
    lead = re.split(r'[-(="<:]', text, maxsplit=1)[0]
    return _tokens(lead, cutters=False) + "".join(out)


def _decimal_class_key(text: str) -> str:
    match = _DECIMAL_CLASS.match(text)
    if match is None:
        return _tokens(text, cutters=True)
    # Segmentation marks (823/.914, 823'.7) only show where to abridge the number.
    number = match.group(0).replace("/", "").replace("'", "")
    whole, _, fraction = number.partition(".")
    key = _integer(whole)
    if fraction.strip("."):
        key += _decimal(fraction.replace(".", ""))
    tail = _tokens(text[match.end() :], cutters=True)
    return key + (BREAK + END + tail if tail else "")


def _lcc_key(text: str) -> str:
    match = _LCC.fullmatch(text)
    if match is None:
        return _tokens(text, cutters=True)
    letters, whole, fraction, rest = match.groups()
    key = LETTERS + letters + END
    if whole:
        key += _integer(whole)
    if fraction:
        key += _decimal(fraction)
    tail = _tokens(rest, cutters=True)
    return key + (BREAK + END + tail if tail else "")


def scheme_guess(call_number: str) -> ClassScheme | None:
    """The scheme a call number looks like, or None.

    A leading 3-digit number is KDC when the call number holds Hangul, else DDC.
    Letters then digits are CLC when the number has CLC signs (``/`` book number,
    ``=``, ``(``, ``"``, ``<``, ``-digits``) or starts with a class LCC lacks (I, O, X);
    LCC when a Cutter (``.P98``) follows the class; otherwise CLC, the scheme of
    the libraries Shelfwise is built for.
    """
    text = _fold(call_number)
    if re.match(r"[0-9]{3}(?![0-9])", text):
        return ClassScheme.KDC if _HANGUL.search(text) else ClassScheme.DDC
    match = re.match(r"([A-Z]{1,3})\s*[0-9]", text)
    if match is None:
        return None
    letters = match.group(1)
    if len(letters) == 3 and not (letters[0] == "K" or letters in ("DAW", "DJK")):
        return None  # three-letter LCC classes exist only in K, DAW and DJK ("DVD 12" is local)
    clc_letters = len(letters) == 1 or (len(letters) == 2 and letters[0] == "T")
    clc_ok = letters[0] in _CLC_MAIN and clc_letters
    if clc_ok and (_CLC_SIGNS.search(text) or letters[0] in _LCC_ABSENT):
        return ClassScheme.CLC
    if letters[0] not in _LCC_ABSENT and _LCC_CUTTER.match(text):
        return ClassScheme.LCC
    if clc_ok:
        return ClassScheme.CLC
    return ClassScheme.LCC if letters[0] not in _LCC_ABSENT else None


@functools.lru_cache(maxsize=1 << 16)  # class numbers repeat across records and copies
def sort_key(call_number: str, scheme: ClassScheme | None = None) -> str:
    """A string whose plain order is shelf order; total (never raises) and deterministic.

    ``scheme`` defaults to :func:`scheme_guess`; a call number that does not fit
    its scheme, or an unknown scheme, gets the generic key (integers, letters,
    punctuation), which still orders numbers numerically.
    """
    text = _fold(call_number)
    chosen = scheme if scheme is not None else scheme_guess(text)
    if chosen is ClassScheme.CLC:
        return _clc_key(text)
    if chosen in (ClassScheme.DDC, ClassScheme.KDC, ClassScheme.UDC):
        return _decimal_class_key(text)
    if chosen is ClassScheme.LCC:
        return _lcc_key(text)
    return _tokens(text, cutters=False)
