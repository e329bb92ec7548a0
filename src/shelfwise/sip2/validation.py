"""Checks on single field values, shared by the decoder and the encoder."""

from __future__ import annotations

import re
import unicodedata

from shelfwise.sip2.dates import parse_sip_date
from shelfwise.sip2.messages import (
    DATE_FIELDS,
    FIELD_LENGTHS,
    MAX_FIELD_CHARS,
    FixedField,
    FixedKind,
)

_DIGITS = re.compile(r"[0-9]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_VERSION = re.compile(r"[0-9]\.[0-9]{2}")
_FIELD_ID = re.compile(r"[A-Z0-9]{2}")
_ERROR_DETECTION_IDS = frozenset({"AY", "AZ"})


def fixed_field_error(spec: FixedField, value: str, *, lenient: bool = False) -> str | None:
    """Why ``value`` is not valid for the fixed field ``spec``, or None when it is."""
    if len(value) != spec.length:
        return f"{spec.label} must be {spec.length} characters, got {len(value)}"
    if _fits_kind(spec, value, lenient=lenient):
        return None
    return f"{spec.label} {value!r} is not a valid {spec.kind.value}" + (
        f" (one of {spec.choices!r})" if spec.choices else ""
    )


def _fits_kind(spec: FixedField, value: str, *, lenient: bool) -> bool:
    kind = spec.kind
    if kind is FixedKind.FLAG:
        return value in ("Y", "N")
    if kind is FixedKind.FLAG_OR_UNKNOWN:
        return value in ("Y", "N", "U")
    if kind is FixedKind.BIT:
        return value in ("0", "1")
    if kind is FixedKind.CHAR:
        if spec.choices:
            return value in spec.choices
        return value.isprintable() and value.isascii() and value != "|"
    if kind is FixedKind.DATE:
        try:
            parse_sip_date(value)
        except ValueError:
            return False
        return True
    if kind is FixedKind.NUMBER:
        return _DIGITS.fullmatch(value) is not None
    if kind is FixedKind.COUNT:
        return _DIGITS.fullmatch(value) is not None or value == " " * spec.length
    if kind is FixedKind.CURRENCY:
        return _CURRENCY.fullmatch(value) is not None
    if kind is FixedKind.VERSION:
        return _VERSION.fullmatch(value) is not None
    # Patron status and summary: 'Y' or blank per position; some SCs write 'N'
    # for "not true", which lenient terminals accept.
    allowed = "Y N" if lenient else "Y "
    return all(c in allowed for c in value)


def field_id_error(fid: str) -> str | None:
    if _FIELD_ID.fullmatch(fid) is None:
        return f"field id {fid!r} is not two upper-case letters or digits"
    if fid in _ERROR_DETECTION_IDS:
        return f"{fid} belongs to the error-detection tail, not the field list"
    return None


def has_control(value: str) -> bool:
    """True when ``value`` holds a '|', CR, LF, NUL or another control character."""
    if "|" in value:
        return True
    if value.isascii():  # the ASCII control characters are exactly its unprintable ones
        return not value.isprintable()
    return any(unicodedata.category(c) == "Cc" for c in value)


def sanitise_display(value: str) -> str:
    """Display text with '|' and control characters turned into spaces.

    Koha and edge-sip2 do the same (``docs/sip2.md``, "Delimiter, CR and unrepresentable
    characters"); a stray space on a kiosk screen is harmless, while a '|' or CR would
    split or end the message.
    """
    return "".join(" " if c == "|" or unicodedata.category(c) == "Cc" else c for c in value)


def variable_field_error(fid: str, value: str) -> str | None:
    """Why ``value`` cannot be sent as field ``fid`` (after any sanitising)."""
    if has_control(value):
        return "value contains '|' or a control character (CR, LF, NUL…)"
    if len(value) > MAX_FIELD_CHARS:
        return f"value has {len(value)} characters; at most {MAX_FIELD_CHARS} are allowed"
    expected = FIELD_LENGTHS.get(fid)
    if expected is not None and len(value) != expected:
        return f"value must be {expected} characters, got {len(value)}"
    if fid in DATE_FIELDS:
        try:
            parse_sip_date(value)
        except ValueError as exc:
            return str(exc)
    return None
