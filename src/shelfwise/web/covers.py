"""Book covers for lists and record pages: the record's image where it has one, else a
cover drawn here as inline SVG — the title and author on a colour read from the
classification — so every list looks alive without a single download.

Deterministic (the same record draws the same bytes: pages cache and compare), escaped
(a title is text, never markup) and small (about half a kilobyte). The text is set in
the script it is written in (``lang`` on each line picks the font the stylesheet gives
that language); a drawn cover is decorative (``aria-hidden``): the title beside it is
what a screen reader reads.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from shelfwise.web.i18n import text_language

# Subject areas a classification falls into, each with its cover colour (white text on
# each is at least 4.5:1).
COLOURS: dict[str, str] = {
    "general": "#3f4b57",
    "philosophy": "#5a3d7a",
    "religion": "#6b4a2b",
    "social": "#1d5c8c",
    "science": "#1f6b4f",
    "technology": "#74401f",
    "arts": "#8a2f52",
    "language": "#4b5a1f",
    "literature": "#8c2f2f",
    "history": "#7a5510",
}
_AREAS = tuple(COLOURS)

# 中图法 (CLC) main classes by their letter.
_CLC = {
    **dict.fromkeys("AB", "philosophy"),
    **dict.fromkeys("CDEFG", "social"),
    "H": "language",
    "I": "literature",
    "J": "arts",
    "K": "history",
    **dict.fromkeys("NOPQRS", "science"),
    **dict.fromkeys("TUVX", "technology"),
    "Z": "general",
}
# Dewey and KDC by their hundreds: the two order the same areas differently.
_DDC: tuple[str, ...] = (
    *("general", "philosophy", "religion", "social", "language"),
    *("science", "technology", "arts", "literature", "history"),
)
_KDC: tuple[str, ...] = (
    *("general", "philosophy", "religion", "social", "science"),
    *("technology", "arts", "language", "literature", "history"),
)

WIDTH, HEIGHT = 120, 170
COVER_CACHE = 8192  # drawn covers kept (about half a kilobyte each)
_PAD = 11


@dataclass(frozen=True, slots=True)
class CoverText:
    """What a drawn cover shows, and where its colour comes from."""

    title: str
    author: str | None = None
    class_number: str | None = None  # "clc:K928.6", "kdc:911.05"; None: coloured by title


def subject_area(class_number: str | None) -> str | None:
    """The subject area of ``scheme:number``, or None when the scheme or number is unknown."""
    if not class_number:
        return None
    scheme, _, number = class_number.partition(":")
    number = number.strip().upper()
    if not number:
        return None
    if scheme == "clc":
        return _CLC.get(number[0])
    if scheme in ("ddc", "kdc") and number[0].isdigit():
        return (_DDC if scheme == "ddc" else _KDC)[int(number[0])]
    return None


def colour(cover: CoverText) -> str:
    """The cover's colour: by subject area, else a stable pick from the title."""
    area = subject_area(cover.class_number)
    if area is None:
        digest = hashlib.blake2b(cover.title.encode("utf-8"), digest_size=2).digest()
        area = _AREAS[int.from_bytes(digest, "big") % len(_AREAS)]
    return COLOURS[area]


def drawn(cover: CoverText) -> Markup:
    """The cover as an inline ``<svg>`` (decorative: ``aria-hidden``). Kept once drawn: the
    same record draws the same bytes, and a results page draws twenty."""
    return _drawn(cover)


@lru_cache(maxsize=COVER_CACHE)
def _drawn(cover: CoverText) -> Markup:
    title, author = _printable(cover.title), _printable(cover.author or "")
    title_lines, title_size = _title_lines(title)
    parts = [
        f'<svg class="drawn" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'aria-hidden="true" focusable="false">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{colour(cover)}"/>',
        f'<rect width="6" height="{HEIGHT}" fill="#000" fill-opacity=".18"/>',
        f'<rect x="{_PAD}" y="14" width="30" height="3" fill="#fff" fill-opacity=".7"/>',
    ]
    lang = _lang(title)
    y = 38
    for line in title_lines:
        parts.append(_text(line, _PAD, y, title_size, lang, bold=True))
        y += round(title_size * 1.3)
    if author:
        author_lines = _wrap(author, (WIDTH - 2 * _PAD) / 11 * 1.1, 2)  # regular, not bold
        ay = HEIGHT - 14 - 14 * (len(author_lines) - 1)
        for line in author_lines:
            parts.append(_text(line, _PAD, ay, 11, _lang(author), bold=False))
            ay += 14
    parts.append("</svg>")
    return Markup("".join(parts))  # every piece of text went through _text's escape


def _text(line: str, x: int, y: int, size: int, lang: str | None, *, bold: bool) -> str:
    weight = ' font-weight="700"' if bold else ""
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}"{weight}{lang_attr} fill="#fff">'
        f"{escape(line)}</text>"
    )


def _printable(text: str) -> str:
    """Without control and format characters (a MARC record may carry them; a cover shows
    letters), so the drawing is well-formed XML too."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "C")


def _lang(text: str) -> str | None:
    return text_language(text)


def _title_lines(title: str) -> tuple[list[str], int]:
    """The title in at most four lines, in the largest of three sizes it fits whole."""
    room = WIDTH - 2 * _PAD
    longest = max((_span(word.strip()) for word in _tokens(title)), default=0.0)
    for size in (17, 14, 12):
        lines = _wrap(title, room / size, 4)
        fits = not lines or not lines[-1].endswith("…")
        if fits and longest <= room / size:  # no word cut in two, unless it must be
            return lines, size
    return lines, 12


def _width(char: str) -> float:
    """A character's width in ems, roughly: CJK and Hangul fill one, bold Latin about 0.6."""
    if char == " ":
        return 0.3
    return 1.0 if ord(char) >= 0x1100 and not 0xFF61 <= ord(char) <= 0xFFDC else 0.62


def _wrap(text: str, budget: float, max_lines: int) -> list[str]:
    """``text`` cut into lines of at most ``budget`` ems; Latin breaks at spaces, CJK
    anywhere, Korean at spaces where it can; an ellipsis marks what did not fit."""
    lines: list[str] = []
    current, used = "", 0.0
    for token in _tokens(" ".join(text.split())):
        word, width = token, _span(token)
        if used + width > budget and current.strip():
            lines.append(current.rstrip())
            current, used = "", 0.0
            word = word.lstrip()
            width = _span(word)
        while width > budget:  # a word longer than a whole line: cut it
            head, word = _split(word, budget)
            lines.append(head)
            width = _span(word)
        if not current:
            word = word.lstrip()
            width = _span(word)
        current, used = current + word, used + width
        if len(lines) > max_lines:
            break
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and _span(last) + 1.0 > budget:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def _span(text: str) -> float:
    return sum(_width(c) for c in text)


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, a Latin or Hangul word with its space."""
    out: list[str] = []
    for char in text:
        if _is_cjk(char) or not out or out[-1].endswith(" ") or _is_cjk(out[-1][-1]):
            out.append(char)
        else:
            out[-1] += char
    return out


def _is_cjk(char: str) -> bool:
    return 0x2E80 <= ord(char) <= 0x9FFF or 0xF900 <= ord(char) <= 0xFAFF


def _split(word: str, room: float) -> tuple[str, str]:
    """The longest head of ``word`` within ``room`` ems (at least one character)."""
    used = 0.0
    for i, char in enumerate(word):
        used += _width(char)
        if used > room:
            return (word[:i], word[i:]) if i else (word[:1], word[1:])
    return word, ""


def cover(
    title: str,
    author: str | None = None,
    class_number: str | None = None,
    *,
    image_url: str | None = None,
    big: bool = False,
) -> Markup:
    """The cover block a page shows: the record's image (lazy, sized) or a drawn one."""
    css = "cover big" if big else "cover"
    if image_url:
        return Markup(
            '<div class="{}"><img src="{}" alt="" loading="lazy" decoding="async" '
            'width="{}" height="{}"></div>'
        ).format(css, image_url, WIDTH, HEIGHT)
    return Markup('<div class="{}">{}</div>').format(
        css, drawn(CoverText(title, author, class_number))
    )
