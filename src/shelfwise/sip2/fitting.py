"""Every variable field of a response made fit for the wire, in one place.

Titles, names, addresses and places come from catalogue and reader data, which
SIP2 cannot always carry as they are: a ``|`` would end the field, a CR the
message, and a field holds at most 255 characters (docs/sip2.md, "Delimiter, CR
and unrepresentable characters"). Refusing such a response is no answer at all
for a kiosk that has already let the book go, so :func:`fit` makes every
response encodable for the terminal's character set instead:

- control characters are dropped; the whitespace ones (CR, LF, tab, the MARC
  separators) become a space, so the words they separated stay apart;
- ``|`` becomes ``/`` ("Rock | Pop" reads "Rock / Pop");
- a character the terminal's set lacks becomes ``?``;
- a value is cut to 255 **bytes** of the terminal's set — 85 Chinese characters
  in UTF-8, 127 in GB18030 — at a character boundary, never inside one, and ends
  in "…" when the set has it; kiosks size their buffers in bytes, and 255 bytes
  are never more than 255 characters. Screen and print lines (AF, AG) are split
  into several fields instead of cut, as edge-sip2 does.

Identifiers the kiosk sent and expects back unchanged (AA, AB, AO, BK, CG) keep
their characters; they came in the same character set, so they always fit.
Fixed-length ID'd fields (BL, CQ, BH, dates…) are our own codes and pass as they are.
"""

from __future__ import annotations

import unicodedata

from shelfwise.kiosks.charsets import resolve_encoding
from shelfwise.sip2.messages import DISPLAY_FIELDS, FIELD_LENGTHS, MAX_FIELD_CHARS
from shelfwise.sip2.model import Message

MAX_FIELD_BYTES = MAX_FIELD_CHARS
ECHOED = frozenset({"AA", "AB", "AO", "BK", "CG"})
_ELLIPSIS = "…"


def fit(message: Message, encoding: str) -> Message:
    """``message`` with every variable field fit to encode in ``encoding``."""
    codec = resolve_encoding(encoding)
    fields: list[tuple[str, str]] = []
    for fid, value in message.fields:
        if fid in FIELD_LENGTHS:
            fields.append((fid, value))
        elif fid in DISPLAY_FIELDS:
            fields.extend((fid, part) for part in split(clean(value, codec), codec))
        elif fid in ECHOED:
            fields.append((fid, clean(value, codec)[:MAX_FIELD_CHARS]))
        else:
            fields.append((fid, cut(clean(value, codec), codec)))
    return Message(message.command, dict(message.fixed), tuple(fields))


def clean(value: str, codec: str) -> str:
    """No control characters, no '|', only characters ``codec`` has."""
    if value.isascii() and value.isprintable():
        # Most fields: no ASCII control character (exactly the non-printable ones), so the
        # loop below would only turn '|' into '/'.
        return value.replace("|", "/").encode(codec, "replace").decode(codec)
    kept = []
    for char in value:
        if char == "|":
            kept.append("/")
        elif unicodedata.category(char) == "Cc":
            if char.isspace():
                kept.append(" ")
        else:
            kept.append(char)
    text = "".join(kept)
    return text.encode(codec, "replace").decode(codec)


def cut(value: str, codec: str, limit: int = MAX_FIELD_BYTES) -> str:
    """``value`` in at most ``limit`` bytes of ``codec``, ending in '…' when cut."""
    if len(value.encode(codec)) <= limit:
        return value
    mark = _ELLIPSIS if _ELLIPSIS.encode(codec, "replace") != b"?" else ""
    return _prefix(value, codec, limit - len(mark.encode(codec))) + mark


def split(value: str, codec: str, limit: int = MAX_FIELD_BYTES) -> list[str]:
    """``value`` in pieces of at most ``limit`` bytes of ``codec`` (one piece when it fits)."""
    pieces = []
    while len(value.encode(codec)) > limit:
        piece = _prefix(value, codec, limit)
        pieces.append(piece)
        value = value[len(piece) :]
    return [*pieces, value]


def _prefix(value: str, codec: str, limit: int) -> str:
    """The longest start of ``value`` within ``limit`` bytes: whole characters only."""
    size = 0
    for index, char in enumerate(value):
        size += len(char.encode(codec))
        if size > limit:
            return value[:index]
    return value
