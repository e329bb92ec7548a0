"""The web door's languages: one message catalogue, four page languages, CLDR formats.

What other modules use (the stable API; pages get the same as template globals):

- :meth:`Catalogue.format` (``page.t`` in handlers, ``t`` in templates): a message with its
  parameters. A message may have plural forms (below); its ``count`` parameter (an int, or
  a number already formatted) picks the CLDR plural category and is shown as a
  locale-formatted number, so ``t("results.count", count=1)`` is "1 record" in English.
- :func:`format_date`, :func:`format_datetime`, :func:`format_time`, :func:`format_number`,
  :func:`format_money`, :func:`plural_category`: Babel (CLDR) formats per page language.
  Datetimes are stored in UTC; these show them in the library's zone (``zone``: the
  clock's zone, setting ``library_timezone``), never as UTC.
- :func:`refusal`: a :class:`ShelfwiseError`'s sentence in the page language, with a field
  name or code it carries (``birth_year``) translated through the ``field.*`` messages.
- :func:`proper_name_traditional` (and :func:`branch_name`): a branch or location name in
  traditional script, converted character by character (never by phrase: 社区 stays
  社區, where phrase conversion gives 社群), then :data:`PROPER_NAME_EXCEPTIONS`.
- The brand per language is ``pages.library_names`` (settings ``library_name_zh``,
  ``_ko``, ``_en``), zh-Hant through :func:`proper_name_traditional`.

``messages.toml`` holds every string a page shows, keyed, in ``zh`` (simplified), ``ko``
and ``en``. A language's text is a string, or a table of CLDR plural categories
(``en.one = "{count} record"``, ``en.other = "{count} records"``; ``other`` required).
Traditional Chinese (``zh-Hant``) is generated from the simplified text with OpenCC
``s2twp`` (Taiwan standard, with Taiwan phrasing) when the catalogue is loaded, then
corrected by :data:`HANT_OVERRIDES`, a small table of phrases reviewed by a person.
Tests fail on a key missing in a language, a template using a key that is not in the
catalogue, an override that no longer matches anything, and (tests/web/test_untranslated.py)
on a rendered page showing a key, an English fallback, a raw code or a UTC stamp.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from importlib import resources
from typing import Literal, Protocol

import opencc
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from markupsafe import Markup, escape

from shelfwise.core.clock import DEFAULT_ZONE
from shelfwise.core.errors import ShelfwiseError, render
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
# The CLDR locale of each page language (British English: day before month, 24-hour time).
BABEL_LOCALES: dict[PageLanguage, str] = {
    "zh": "zh_Hans_CN",
    "zh-Hant": "zh_Hant_TW",
    "ko": "ko_KR",
    "en": "en_GB",
}
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# Phrases OpenCC s2twp gets wrong or unidiomatic for a library, as (generated, reviewed).
HANT_OVERRIDES: tuple[tuple[str, str], ...] = (
    ("賬戶", "帳戶"),  # s2twp keeps the mainland 账 → 賬; Taiwan writes 帳戶
    ("讀者證", "借書證"),  # a reader card is a 借書證 in Taiwanese libraries
    ("二維碼", "QR Code"),  # 二维码 reads as mainland usage; Taiwan says QR Code
)

# Proper names (branches, locations) are converted character by character (s2tw), then
# these (generated, reviewed) pairs, each needed by a name in tests/web/test_i18n.py.
PROPER_NAME_EXCEPTIONS: tuple[tuple[str, str], ...] = (
    ("裡", "里"),  # 里 in a place name is a neighbourhood (余庆里), never 裡 "inside"
    ("樸", "朴"),  # 朴 as a Korean family name (朴家, 朴氏) is not 樸 "plain"
    ("衚衕", "胡同"),  # an alley's name keeps the common 胡同, not the archaic form
    ("鬱南", "郁南"),  # 郁 in a place name (郁南) is not 鬱 "gloomy"
    ("餘慶", "余慶"),  # 余 as a name (余庆里) is not 餘 "surplus"
)


class Named(Protocol):
    """What :func:`branch_name` needs of a branch (catalogue's Branch has it)."""

    @property
    def name_zh(self) -> str: ...
    @property
    def name_ko(self) -> str: ...
    @property
    def name_en(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Key → language → text (``other`` form of a plural), with zh-Hant filled in;
    ``plurals``: key → language → category → text, for the messages that have forms."""

    texts: Mapping[str, Mapping[str, str]]
    plurals: Mapping[str, Mapping[str, Mapping[str, str]]]

    def text(self, key: str, language: PageLanguage) -> str:
        entry = self.texts.get(key)
        if entry is None:
            raise KeyError(f"web message {key!r} is not in web/messages.toml")
        return entry[language]

    def format(self, key: str, language: PageLanguage, params: Mapping[str, object]) -> str:
        """The message with ``params`` filled in; ``count`` picks the plural form."""
        text = self.text(key, language)
        if "count" not in params:
            return text.format(**params) if params else text
        count = params["count"]
        forms = self.plurals.get(key, {}).get(language)
        if forms is not None:
            text = forms.get(plural_category(count, language), forms["other"])
        shown = format_number(count, language) if isinstance(count, int | float) else count
        return text.format(**{**params, "count": shown})


def _flatten(value: object) -> tuple[str, dict[str, str] | None]:
    """A language's text and its plural forms (None: no forms)."""
    if isinstance(value, dict):
        forms = {str(k): str(v) for k, v in value.items()}
        return forms.get("other", ""), forms
    return str(value), None


def raw_messages() -> dict[str, dict[str, str]]:
    """``messages.toml`` as written (no zh-Hant; a plural's ``other`` form)."""
    return {key: {k: _flatten(v)[0] for k, v in e.items()} for key, e in _parsed().items()}


def raw_plurals() -> dict[str, dict[str, dict[str, str]]]:
    """The plural forms as written: key → language → category → text."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for key, entry in _parsed().items():
        for language, value in entry.items():
            forms = _flatten(value)[1]
            if forms is not None:
                out.setdefault(key, {})[language] = forms
    return out


@cache
def _parsed() -> dict[str, dict[str, object]]:
    data = resources.files("shelfwise.web").joinpath("messages.toml").read_text("utf-8")
    return {key: dict(entry) for key, entry in tomllib.loads(data).items()}


def to_traditional(simplified: str) -> str:
    """Simplified → Traditional (Taiwan phrasing), then the reviewed overrides."""
    text = str(_opencc("s2twp").convert(simplified))
    for generated, reviewed in HANT_OVERRIDES:
        text = text.replace(generated, reviewed)
    return text


def proper_name_traditional(simplified: str) -> str:
    """A name in traditional script: characters only (a name keeps its words), then
    :data:`PROPER_NAME_EXCEPTIONS`."""
    text = str(_opencc("s2tw").convert(simplified))
    for generated, reviewed in PROPER_NAME_EXCEPTIONS:
        text = text.replace(generated, reviewed)
    return text


def branch_name(branch: Named, language: PageLanguage) -> str:
    """A branch's (or location's) name in the page language."""
    if language == "ko":
        return branch.name_ko
    if language == "en":
        return branch.name_en
    return proper_name_traditional(branch.name_zh) if language == "zh-Hant" else branch.name_zh


@cache
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def catalogue() -> Catalogue:
    texts: dict[str, dict[str, str]] = {}
    for key, entry in raw_messages().items():
        filled = dict(entry)
        if "zh" in entry:
            filled["zh-Hant"] = to_traditional(entry["zh"])
        texts[key] = filled
    plurals: dict[str, dict[str, dict[str, str]]] = {}
    for key, by_language in raw_plurals().items():
        plurals[key] = dict(by_language)
        if "zh" in by_language:
            plurals[key]["zh-Hant"] = {k: to_traditional(v) for k, v in by_language["zh"].items()}
    return Catalogue(texts, plurals)


def refusal(exc: ShelfwiseError, language: PageLanguage) -> str:
    """A refusal's sentence in the page language; a parameter that names a field or a code
    with a ``field.*`` message (``birth_year``) is shown as that message."""
    source = "zh" if language == "zh-Hant" else language
    texts = catalogue().texts
    params = {
        name: texts[f"field.{value}"][source] if f"field.{value}" in texts else value
        for name, value in exc.params.items()
    }
    text = render(exc.code, source, params)
    return to_traditional(text) if language == "zh-Hant" else text


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


# --- locale formats (Babel, CLDR) ---------------------------------------------------------


@cache
def locale_of(language: PageLanguage) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


_DIGITS = re.compile(r"[^\d.]")


def plural_category(count: object, language: PageLanguage) -> str:
    """The CLDR plural category of ``count`` (an int, a float or a formatted number)."""
    number: int | float
    if isinstance(count, int | float):
        number = count
    else:
        digits = _DIGITS.sub("", str(count))
        try:
            number = float(digits) if "." in digits else int(digits)
        except ValueError:
            return "other"
    return str(locale_of(language).plural_form(number))


def local(value: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored (UTC) datetime in the library's zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone or DEFAULT_ZONE)


def format_date(
    value: date | datetime | None, language: PageLanguage, zone: tzinfo | None = None
) -> str:
    """A day: 2026年9月1日, 2026년 9월 1일, 1 September 2026 (a datetime: its local day)."""
    if value is None:
        return ""
    day = local(value, zone).date() if isinstance(value, datetime) else value
    return str(babel_dates.format_date(day, "long", locale=locale_of(language)))


def format_time(value: datetime | None, language: PageLanguage, zone: tzinfo | None = None) -> str:
    """A moment's local time of day: 17:30, 下午5:30, 오후 5:30."""
    if value is None:
        return ""
    return str(babel_dates.format_time(local(value, zone), "short", locale=locale_of(language)))


def format_datetime(
    value: datetime | None, language: PageLanguage, zone: tzinfo | None = None
) -> str:
    """A moment in the library's zone, its day and time joined as the locale joins them."""
    if value is None:
        return ""
    joined = str(locale_of(language).datetime_formats["medium"]).replace("'", "")
    return joined.replace("{1}", format_date(value, language, zone)).replace(
        "{0}", format_time(value, language, zone)
    )


def format_number(value: int | float, language: PageLanguage) -> str:
    return str(babel_numbers.format_decimal(value, locale=locale_of(language)))


def format_money(cents: int, language: PageLanguage) -> str:
    """Fees are kept in fen (hundredths of a yuan): ¥800.50, 800.50위안."""
    amount = babel_numbers.format_decimal(cents / 100, "#,##0.00", locale=locale_of(language))
    return f"{amount}위안" if language == "ko" else f"¥{amount}"


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
