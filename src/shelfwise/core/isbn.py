"""ISBN parsing, validation and conversion.

The catalogue stores every ISBN as ISBN-13 without hyphens, so that a record
catalogued with ``7-5322-3456-X`` matches a reader typing ``9787532234563``.
"""

from __future__ import annotations

import re

_NOT_ISBN_CHAR = re.compile(r"[^0-9Xx]")
# A run of ISBN characters in free text, single hyphens or spaces allowed between them.
_RUN = re.compile(r"[0-9Xx](?:[-\s]?[0-9Xx])*")
_SEPARATOR = re.compile(r"[-\s]")


def isbn10_check_digit(first9: str) -> str:
    total = sum((10 - i) * int(c) for i, c in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def compact(text: str) -> str:
    """Strip everything but digits and X (hyphens, spaces, qualifiers)."""
    return _NOT_ISBN_CHAR.sub("", text).upper()


def is_valid(text: str) -> bool:
    code = compact(text)
    if len(code) == 10:
        return code[:9].isdigit() and isbn10_check_digit(code[:9]) == code[9]
    if len(code) == 13:
        # An EAN-13 is an ISBN only in the 978/979 "Bookland" prefixes.
        return (
            code.isdigit()
            and code.startswith(("978", "979"))
            and isbn13_check_digit(code[:12]) == code[12]
        )
    return False


def to_isbn13(text: str) -> str | None:
    """ISBN-13 (digits only) for a valid ISBN-10 or ISBN-13, else ``None``."""
    code = compact(text)
    if not is_valid(code):
        return None
    if len(code) == 13:
        return code
    body = "978" + code[:9]
    return body + isbn13_check_digit(body)


def to_isbn10(text: str) -> str | None:
    """ISBN-10 for a valid 978-prefixed ISBN-13 or an ISBN-10, else ``None``."""
    code = compact(text)
    if not is_valid(code):
        return None
    if len(code) == 10:
        return code
    if not code.startswith("978"):
        return None  # 979 ISBNs have no ISBN-10 form
    return code[3:12] + isbn10_check_digit(code[3:12])


def extract(text: str) -> str | None:
    """The first valid ISBN found in a catalogued string such as ``7-5322-3456-X (pbk.) : CNY48.00``.

    Returns it as ISBN-13, or ``None`` when the string carries no valid ISBN.
    """
    # Candidates are whole hyphen/space groups, so a price or a longer number next to
    # the ISBN ("9787503717444 48.00") neither hides it nor lends it digits.
    for run in _RUN.finditer(text):
        groups = _SEPARATOR.split(run.group(0))
        for start in range(len(groups)):
            code = ""
            for group in groups[start:]:
                code += group
                if len(code) > 13:
                    break
                candidate = to_isbn13(code) if len(code) in (10, 13) else None
                if candidate is not None:
                    return candidate
    return None


def looks_like_isbn(text: str) -> bool:
    """True when a whole query string is an ISBN typed with or without hyphens."""
    stripped = text.strip()
    return bool(re.fullmatch(r"[0-9][-\s0-9]{8,16}[0-9Xx]", stripped)) and is_valid(stripped)
