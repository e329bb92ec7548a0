"""The web door's languages: one message catalogue, four page languages, locale formats.

``messages.toml`` holds every string a page shows, keyed, in ``zh`` (simplified),
``ko`` and ``en``. Traditional Chinese (``zh-Hant``) is generated from the
simplified text with OpenCC ``s2twp`` (Taiwan standard, with Taiwan phrasing)
when the catalogue is loaded, then corrected by :data:`HANT_OVERRIDES`, a small
table of phrases reviewed by a person. Tests fail on a key missing in a
language, on a template using a key that is not in the catalogue, and on an
override that no longer matches anything.

Dates and numbers are formatted here by hand: four locales and three formats do
not pay for a CLDR library.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Literal

import opencc
from markupsafe import Markup, escape

from shelfwise.text.scripts import Script, script_runs

PageLanguage = Literal["zh", "zh-Hant", "ko", "en"]
PAGE_LANGUAGES: tuple[PageLanguage, ...] = ("zh", "zh-Hant", "ko", "en")
SOURCE_LANGUAGES = ("zh", "ko", "en")
# The BCP 47 tag a page declares in <html lang>, and the name shown in the switcher.
HTML_LANG: dict[PageLanguage, str] = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "ko": "ko", "en": "en"}
LANGUAGE_NAMES: dict[PageLanguage, str] = {
    "zh": "简体中文",
    "zh-Hant": "繁體中文",
    "ko": "한국어",
    "en": "English",
}

# Phrases OpenCC s2twp gets wrong or unidiomatic for a library, as (generated, reviewed).
HANT_OVERRIDES: tuple[tuple[str, str], ...] = (
    ("賬戶", "帳戶"),  # s2twp keeps the mainland 账 → 賬; Taiwan writes 帳戶
    ("讀者證", "借書證"),  # a reader card is a 借書證 in Taiwanese libraries
    ("二維碼", "QR Code"),  # 二维码 reads as mainland usage; Taiwan says QR Code
)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Key → language → text, with zh-Hant filled in."""

    texts: Mapping[str, Mapping[str, str]]

    def text(self, key: str, language: PageLanguage) -> str:
        entry = self.texts.get(key)
        if entry is None:
            raise KeyError(f"web message {key!r} is not in web/messages.toml")
        return entry[language]


def raw_messages() -> dict[str, dict[str, str]]:
    """``messages.toml`` as written (no zh-Hant): for the tests and for loading."""
    data = resources.files("shelfwise.web").joinpath("messages.toml").read_text("utf-8")
    parsed = tomllib.loads(data)
    return {key: {k: str(v) for k, v in entry.items()} for key, entry in parsed.items()}


def to_traditional(simplified: str) -> str:
    """Simplified → Traditional (Taiwan phrasing), then the reviewed overrides."""
    text = str(_s2twp().convert(simplified))
    for generated, reviewed in HANT_OVERRIDES:
        text = text.replace(generated, reviewed)
    return text


@cache
def _s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@cache
def catalogue() -> Catalogue:
    texts: dict[str, dict[str, str]] = {}
    for key, entry in raw_messages().items():
        filled = dict(entry)
        if "zh" in entry:
            filled["zh-Hant"] = to_traditional(entry["zh"])
        texts[key] = filled
    return Catalogue(texts)


def negotiate(accept_language: str | None) -> PageLanguage:
    """The page language from Accept-Language (q-values honoured); Chinese script by region."""
    best: tuple[float, PageLanguage] | None = None
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        language = _page_language(tag.strip())
        if language is not None and (best is None or weight > best[0]):
            best = (weight, language)
    return best[1] if best else "zh"


def _page_language(tag: str) -> PageLanguage | None:
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        traditional = {"hant", "tw", "hk", "mo"}
        return "zh-Hant" if traditional & set(parts[1:]) else "zh"
    if parts[0] in ("ko", "en"):
        return "ko" if parts[0] == "ko" else "en"
    return None


def parse_language(value: str | None) -> PageLanguage | None:
    """A language code from a cookie or a link, if it is one of ours."""
    for language in PAGE_LANGUAGES:
        if value == language:
            return language
    return None


# --- locale formats -------------------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value: date | datetime | None, language: PageLanguage) -> str:
    if value is None:
        return ""
    if language in ("zh", "zh-Hant"):
        return f"{value.year}年{value.month}月{value.day}日"
    if language == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_number(value: int | float, language: PageLanguage) -> str:
    # zh, zh-Hant, ko and en all group thousands with a comma and use a decimal point.
    return f"{value:,}"


def format_money(cents: int, language: PageLanguage) -> str:
    """Fees are kept in fen (hundredths of a yuan)."""
    amount = f"{cents / 100:,.2f}"
    return f"¥{amount}" if language != "ko" else f"{amount}위안"


# --- mixed-script text ----------------------------------------------------------------


def text_language(text: str) -> str | None:
    """The primary language subtag a string is written in, by script (None: unsure)."""
    scripts = {run.script for run in script_runs(text)}
    if Script.HANGUL in scripts or Script.JAMO in scripts:
        return "ko"
    if Script.HAN in scripts:
        return "zh"
    if Script.LATIN in scripts:
        return "en"
    return None


def foreign(text: str | None, language: PageLanguage) -> Markup:
    """``text`` escaped, wrapped in ``<span lang=…>`` when its script is not the page's."""
    if not text:
        return Markup("")
    found = text_language(text)
    if found is None or found == language.split("-")[0]:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(found, text)


def lang_attr(text: str | None, language: PageLanguage) -> Markup:
    """`` lang="ko"`` for an element whose whole content is ``text``, when it differs."""
    found = text_language(text or "")
    if found is None or found == language.split("-")[0]:
        return Markup("")
    return Markup(' lang="{}"').format(found)
