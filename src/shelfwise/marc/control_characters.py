"""Characters a MARC record must not carry: C0 controls, lone surrogates, U+FFFE/U+FFFF.

ISO 2709 uses three C0 controls as its own structure (0x1D, 0x1E, 0x1F) and
MARC 21 defines no meaning for the others; XML 1.0 cannot hold any C0 control
but TAB, LF and CR, and no serialisation can hold a lone surrogate (MARC-in-JSON
can smuggle one in as ``\\ud800``). One such character in a stored record used
to make every XML door fail on it, so:

* the readers repair each record on import (:func:`repair`) and say what they
  did, field by field, in the record's repair notes (the match report shows them);
* every writer passes the record through :func:`repair` too, so a record stored
  before this existed is still served, sanitised, never an error.

How a character is repaired depends on where it is, so that positions keep
their meaning:

=====================================  ==============================================
where                                  what happens
=====================================  ==============================================
leader                                 each one becomes a blank
fixed-length control fields            each one becomes ``|``, the fill character
(006, 007, 008)                        ("no attempt to code"), keeping every position
UNIMARC coded data (1XX subfields)     each one becomes ``|`` (same reason)
other control fields and subfields     TAB, LF, VT, FF, CR become a space; the rest
                                       are removed
indicators                             a blank
tags and subfield codes                ``?`` (the field or subfield itself is kept)
lone surrogates, U+FFFE, U+FFFF        U+FFFD, the replacement character
=====================================  ==============================================
"""

from __future__ import annotations

import re

from shelfwise.marc.description import Dialect
from shelfwise.marc.detection import dialect_of_record
from shelfwise.marc.record import Field, Record

# Everything XML 1.0 and ISO 2709 cannot carry in data, TAB/LF/CR included: MARC
# data has no line structure, and a tab or newline in a field is copy-paste debris.
_FORBIDDEN = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = frozenset("\t\n\x0b\x0c\r")
_POSITIONAL_CONTROL = frozenset({"006", "007", "008"})
FILL = "|"


def has_forbidden(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def _codes(found: list[str]) -> str:
    return ", ".join(dict.fromkeys(_name(ch) for ch in found))


def _name(ch: str) -> str:
    point = ord(ch)
    return f"0x{point:02X}" if point < 0x20 else f"U+{point:04X}"


def _text(value: str, positional: str | None) -> tuple[str, list[str]]:
    """``value`` repaired, and the characters that were replaced or removed."""
    found = _FORBIDDEN.findall(value)
    if not found:
        return value, []

    def swap(match: re.Match[str]) -> str:
        ch = match.group()
        if ch >= "\ud800":
            return "\ufffd"
        if positional is not None:
            return positional
        return " " if ch in _WHITESPACE else ""

    return _FORBIDDEN.sub(swap, value), found


def _symbol(value: str, replacement: str) -> tuple[str, list[str]]:
    found = _FORBIDDEN.findall(value)
    return (_FORBIDDEN.sub(replacement, value), found) if found else (value, [])


def record_needs_repair(record: Record) -> bool:
    """True when any part of ``record`` holds a character :func:`repair` would change."""
    search = _FORBIDDEN.search
    if search(record.leader):
        return True
    for f in record.fields:
        if search(f.tag) or search(f.indicators):
            return True
        if f.data is not None:
            if search(f.data):
                return True
            continue
        for code, value in f.subfields:
            if search(value) or search(code):
                return True
    return False


def repair(record: Record, dialect: Dialect | None = None) -> tuple[Record, list[str]]:
    """``record`` with every forbidden character repaired, and one note per place repaired.

    The record passed in is never modified; when nothing needs repair it is
    returned itself (the common case costs one scan). Without ``dialect`` the
    record's own shape decides whether its 1XX subfields are UNIMARC coded data.
    """
    if not record_needs_repair(record):
        return record, []
    found_dialect = dialect if dialect is not None else dialect_of_record(record)
    unimarc = found_dialect is Dialect.UNIMARC
    notes: list[str] = []
    leader, found = _text(record.leader, " ")
    if found:
        notes.append(f"leader: control character(s) {_codes(found)} replaced by blanks")
    fields = [_field(f, unimarc, notes) for f in record.fields]
    return Record(leader, fields), notes


def _field(f: Field, unimarc: bool, notes: list[str]) -> Field:
    tag, found = _symbol(f.tag, "?")
    if found:
        notes.append(f"tag {f.tag!r}: control character(s) {_codes(found)} replaced by '?'")
    if f.data is not None:
        positional = FILL if tag in _POSITIONAL_CONTROL else None
        data, found = _text(f.data, positional)
        if found:
            done = "replaced by the fill character |" if positional else "removed"
            notes.append(f"field {tag}: control character(s) {_codes(found)} {done}")
        return Field(tag, f.indicators, [], data)
    indicators, found = _symbol(f.indicators, " ")
    if found:
        notes.append(f"field {tag} indicators: control character(s) {_codes(found)} blanked")
    positional = FILL if unimarc and tag[:1] == "1" else None
    subfields: list[tuple[str, str]] = []
    for code, value in f.subfields:
        new_code, found_code = _symbol(code, "?")
        if found_code:
            notes.append(
                f"field {tag}: subfield code {_codes(found_code)} is a control character; "
                "kept the subfield as $?"
            )
        text, found = _text(value, positional)
        if found:
            done = "replaced by the fill character |" if positional else "removed or made spaces"
            notes.append(f"field {tag} ${new_code}: control character(s) {_codes(found)} {done}")
        subfields.append((new_code, text))
    return Field(tag, indicators, subfields)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (TAB, LF and CR are allowed there)."""
    if _FORBIDDEN.search(text) is None:
        return text
    return "".join(
        ch if ch in "\t\n\r" or not _FORBIDDEN.match(ch) else ("\ufffd" if ch >= "\ud800" else "")
        for ch in text
    )
