"""Hypothesis strategies that build valid SIP2 messages from the catalogue itself.

Text is drawn from Latin, Chinese and Korean characters, restricted to what the
terminal's character set can represent, so every generated message is one a
real kiosk could send or receive.
"""

from __future__ import annotations

import string
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from shelfwise.sip2 import CATALOGUE, SUPPORTED_ENCODINGS, Message, format_sip_date
from shelfwise.sip2.messages import (
    DATE_FIELDS,
    FIELD_LENGTHS,
    FIELD_NAMES,
    FixedField,
    FixedKind,
    MessageSpec,
)

ENCODINGS = tuple(SUPPORTED_ENCODINGS)
COMMANDS = tuple(sorted(CATALOGUE))


def _printable(chars: range | str) -> list[str]:
    out = []
    for c in chars:
        ch = c if isinstance(c, str) else chr(c)
        if ch != "|" and unicodedata.category(ch) not in ("Cc", "Cs", "Cn"):
            out.append(ch)
    return out


_LATIN = _printable(string.printable[:-5]) + _printable(range(0xA0, 0x180))
# 億 is listed on purpose: its GBK/GB18030 trail byte is 0x7C, the field delimiter.
_CHINESE = ["億", *_printable(range(0x4E00, 0x9FA6))]
_KOREAN = _printable(range(0xAC00, 0xD7A4))


def _alphabet(pool: list[str], encoding: str) -> list[str]:
    ok = []
    for ch in pool:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        ok.append(ch)
    return ok


ALPHABETS: dict[str, st.SearchStrategy[str]] = {}
for _enc in ENCODINGS:
    _pools = [_alphabet(p, _enc) for p in (_LATIN, _CHINESE, _KOREAN)]
    ALPHABETS[_enc] = st.one_of([st.sampled_from(p) for p in _pools if p])


def text(encoding: str, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.text(ALPHABETS[encoding], max_size=max_size)


_ZONES = [None, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))]


def sip_dates() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2099, 12, 31))
    dated = st.builds(
        lambda when, zone: format_sip_date(when.replace(microsecond=0, tzinfo=zone)),
        moments,
        st.sampled_from(_ZONES),
    )
    return st.one_of(dated, st.just(" " * 18), st.just("0" * 18))


def _chars(alphabet: str, length: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), min_size=length, max_size=length)


def fixed_value(field: FixedField) -> st.SearchStrategy[str]:
    kind, n = field.kind, field.length
    if kind is FixedKind.FLAG:
        return st.sampled_from("YN")
    if kind is FixedKind.FLAG_OR_UNKNOWN:
        return st.sampled_from("YNU")
    if kind is FixedKind.BIT:
        return st.sampled_from("01")
    if kind is FixedKind.CHAR:
        return st.sampled_from(field.choices or string.ascii_letters + string.digits)
    if kind is FixedKind.DATE:
        return sip_dates()
    if kind is FixedKind.NUMBER:
        return _chars(string.digits, n)
    if kind is FixedKind.COUNT:
        return st.one_of(_chars(string.digits, n), st.just(" " * n))
    if kind is FixedKind.CURRENCY:
        return _chars(string.ascii_uppercase, 3)
    if kind is FixedKind.VERSION:
        return st.builds("{}.{:02d}".format, st.integers(0, 9), st.integers(0, 99))
    return _chars("Y ", n)


def field_value(fid: str, encoding: str) -> st.SearchStrategy[str]:
    if fid in DATE_FIELDS:
        return sip_dates()
    length = FIELD_LENGTHS.get(fid)
    if length == 1:
        return st.sampled_from("YN12")
    if length is not None:
        return _chars(string.ascii_uppercase + string.digits, length)
    return text(encoding)


# Ids no message declares, standing in for vendor extensions (dp2, Koha, FOLIO).
_VENDOR_IDS = ("XT", "PB", "ZZ", "FA", "KC")


@st.composite
def messages(draw: st.DrawFn, command: str, encoding: str) -> Message:
    spec: MessageSpec = CATALOGUE[command]
    fixed = {f.key: draw(fixed_value(f)) for f in spec.fixed}
    fields: list[tuple[str, str]] = []
    for declared in spec.fields:
        if declared.repeatable:
            count = draw(st.integers(0, 3))
        else:
            count = 1 if declared.required or draw(st.booleans()) else 0
        fields.extend(
            (declared.fid, draw(field_value(declared.fid, encoding))) for _ in range(count)
        )
    unknown = [fid for fid in _VENDOR_IDS if fid not in FIELD_NAMES and spec.field(fid) is None]
    for fid in draw(st.lists(st.sampled_from(unknown), max_size=2)):
        fields.append((fid, draw(text(encoding))))
    # The Guide lets ID'd fields come in any order; the codec must keep it.
    ordered = draw(st.permutations(fields)) if fields else []
    return Message.of(command, fixed, ordered)


@st.composite
def any_message(draw: st.DrawFn) -> tuple[Message, str]:
    encoding = draw(st.sampled_from(ENCODINGS))
    command = draw(st.sampled_from(COMMANDS))
    return draw(messages(command, encoding)), encoding
