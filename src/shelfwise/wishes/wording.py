"""What a reader may write on the wall: lengths, control characters, the ISBN, the
display name (never the card or the reader's name) and the staff's sensitive words.

Text is kept as written (normalised to NFC): HTML in a wish is text, escaped where a
page shows it, never stripped or rewritten here.
"""

from __future__ import annotations

import unicodedata

from shelfwise.core import isbn as isbns
from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes.models import WORD_MAX


def clean(value: str, field: str, limit: int, *, required: bool, lines: bool = False) -> str:
    """``value`` normalised and trimmed; refused if too long, empty when required, or
    holding control characters (newlines allowed where ``lines``)."""
    text = unicodedata.normalize("NFC", value or "").strip()
    if lines:
        text = text.replace("\r\n", "\n")
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") and not (lines and char in "\n\t"):
            raise ShelfwiseError("wishes.text_invalid", field=field)
    if required and not text:
        raise ShelfwiseError("wishes.text_required", field=field)
    if len(text) > limit:
        raise ShelfwiseError("wishes.text_too_long", field=field, limit=limit, length=len(text))
    return text


def checked_isbn(value: str) -> str | None:
    """ISBN-13 digits for a valid ISBN-10 or -13; a wrong check digit says which one is
    expected, so the reader can see a typing slip."""
    raw = isbns.compact(value or "")
    if not raw:
        return None
    if len(raw) not in (10, 13) or not raw[:-1].isdigit():
        raise ShelfwiseError("wishes.isbn_invalid", isbn=value.strip())
    expected = (
        isbns.isbn10_check_digit(raw[:9]) if len(raw) == 10 else isbns.isbn13_check_digit(raw[:12])
    )
    if raw[-1] != expected:
        raise ShelfwiseError(
            "wishes.isbn_check_digit", isbn=value.strip(), given=raw[-1], expected=expected
        )
    found = isbns.to_isbn13(raw)
    if found is None:  # a 13-digit code outside 978/979
        raise ShelfwiseError("wishes.isbn_invalid", isbn=value.strip())
    return found


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def display_name_ok(name: str, card_number: str, real_name: str) -> None:
    """The wall shows the chosen name only: never the card number or the reader's name."""
    folded = _folded(name).replace(" ", "")
    card = _folded(card_number)
    real = _folded(real_name).replace(" ", "")
    if (card and card in folded) or (real and (folded == real or real in folded)):
        raise ShelfwiseError("wishes.display_name_private")


def word_of(value: str) -> str:
    word = _folded(clean(value, "word", WORD_MAX, required=True))
    return word


def sensitive_match(words: list[str], *texts: str) -> str | None:
    """The first sensitive word found in any of ``texts`` (folded: width, case), or None."""
    folded = " ".join(_folded(t) for t in texts)
    for word in words:
        if word and word in folded:
            return word
    return None
