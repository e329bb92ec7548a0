"""The message catalogue: every key in every language, every template key known,
zh-Hant generated and its reviewed overrides alive; locale formats and lang attributes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import opencc
import pytest

from shelfwise.analytics.boards import COLUMNS
from shelfwise.analytics.dashboards import CHARTS, VIEWS
from shelfwise.circulation.states import Availability, HoldStatus
from shelfwise.config import Settings
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import CONSENT_PURPOSES
from shelfwise.search.models import FACETS, Sort
from shelfwise.testing.branches import DEMO_BRANCHES
from shelfwise.web import i18n
from shelfwise.web.account import SECTIONS
from shelfwise.web.pages import library_names

TEMPLATES = Path(str(resources.files("shelfwise.web").joinpath("templates")))
SOURCES = Path(str(resources.files("shelfwise.web")))
# t("key") or t("key", ...): a whole literal key (t("status." ~ value) is checked below).
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*_template_files(), *SOURCES.rglob("*.py")]:
        keys.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_key_has_every_language_and_the_same_placeholders() -> None:
    raw = i18n.raw_messages()
    assert raw, "messages.toml is empty"
    for key, entry in raw.items():
        missing = [lang for lang in i18n.SOURCE_LANGUAGES if not entry.get(lang, "").strip()]
        assert not missing, f"{key} has no text in {missing}"
        assert set(entry) == set(i18n.SOURCE_LANGUAGES), f"{key} has unknown languages {entry}"
        names = {lang: set(PLACEHOLDER.findall(text)) for lang, text in entry.items()}
        assert len({frozenset(v) for v in names.values()}) == 1, f"{key}: placeholders {names}"


def test_every_key_used_in_a_template_or_handler_is_in_the_catalogue() -> None:
    used = _used_keys()
    assert len(used) > 50
    unknown = sorted(used - set(i18n.raw_messages()))
    assert not unknown, f"keys used but not in web/messages.toml: {unknown}"


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("status.", [str(a) for a in Availability]),
        (
            "holdstatus.",
            [str(HoldStatus.WAITING), str(HoldStatus.IN_TRANSIT), str(HoldStatus.READY)],
        ),
        ("sort.", [str(s) for s in Sort]),
        ("facet.", [f for f in FACETS if f != "year"] + ["title"]),
        ("account.", [*SECTIONS, "overview"]),
        ("consent.", list(CONSENT_PURPOSES) + [f"{p}.help" for p in CONSENT_PURPOSES]),
        ("langname.", ["zh", "ko", "en"]),
        ("dash.", [*CHARTS, *(f"view.{v}" for v in VIEWS)]),
        ("dash.col.", list(COLUMNS)),
    ],
)
def test_keys_built_from_values_exist(prefix: str, values: list[str]) -> None:
    texts = i18n.catalogue().texts
    assert not [v for v in values if prefix + v not in texts]


def test_no_page_text_is_left_in_templates_untranslated() -> None:
    """Visible text in templates comes from t(); CJK or words between tags are a leak."""
    tag_text = re.compile(r">\s*([^<>{}\s][^<>{}]*?)\s*<")
    allowed = {"·", "ISBN", "API", ",", "(", ")", ":", "–"}
    for path in _template_files():
        text = re.sub(r"\{[{%#].*?[}%#]\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        leaks = [
            m
            for m in tag_text.findall(text)
            if m.strip() not in allowed and any(c.isalnum() for c in m)
        ]
        assert not leaks, f"{path.name}: untranslated text {leaks}"


def test_traditional_is_generated_for_every_key() -> None:
    """Wherever the simplified text has a character that differs in traditional script,
    the zh-Hant text differs too (it was converted, not copied)."""
    catalogue = i18n.catalogue()
    by_character = opencc.OpenCC("s2t")
    assert catalogue.text("nav.login", "zh-Hant") == "登入"  # Taiwan phrasing, not 登錄
    for key, entry in catalogue.texts.items():
        if by_character.convert(entry["zh"]) != entry["zh"]:
            assert entry["zh-Hant"] != entry["zh"], key


def test_every_override_is_needed_and_used() -> None:
    raw = i18n.raw_messages()
    generated = [opencc.OpenCC("s2twp").convert(e["zh"]) for e in raw.values()]
    for wrong, reviewed in i18n.HANT_OVERRIDES:
        assert wrong != reviewed
        assert any(wrong in text for text in generated), f"override {wrong!r} matches nothing"
        assert not any(wrong in e["zh-Hant"] for e in i18n.catalogue().texts.values())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh"),
        ("ko-KR,ko;q=0.9,en;q=0.5", "ko"),
        ("en-US,en;q=0.9", "en"),
        ("zh-TW,zh;q=0.9", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-CN,en;q=0.5", "zh"),
        ("fr-FR,en;q=0.3", "en"),
        ("de", "zh"),
    ],
)
def test_language_from_the_browser(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_dates_numbers_and_money_by_locale() -> None:
    day = date(2026, 9, 1)
    assert i18n.format_date(day, "zh") == "2026年9月1日"
    assert i18n.format_date(day, "ko") == "2026년 9월 1일"
    assert i18n.format_date(day, "en") == "1 September 2026"
    assert i18n.format_number(12345, "ko") == "12,345"
    assert i18n.format_money(80050, "zh") == "¥800.50"
    assert i18n.format_money(80050, "ko") == "800.50위안"


def test_times_are_shown_in_the_library_zone_not_utc() -> None:
    """16:30 UTC on 1 September is half past midnight on 2 September in Shanghai."""
    moment = datetime(2026, 9, 1, 16, 30, tzinfo=UTC)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert i18n.format_datetime(moment, "zh", shanghai) == "2026年9月2日 00:30"
    assert i18n.format_datetime(moment, "en", shanghai) == "2 September 2026, 00:30"
    assert i18n.format_datetime(moment, "ko", shanghai) == "2026년 9월 2일 오전 12:30"
    assert i18n.format_date(moment, "zh", shanghai) == "2026年9月2日"  # the local day
    seoul = ZoneInfo("Asia/Seoul")  # the setting decides, not a constant
    assert i18n.format_time(moment, "zh", seoul) == "01:30"


def test_plurals_follow_cldr() -> None:
    """English has one and other; Chinese and Korean have other only."""
    texts = i18n.catalogue()
    assert texts.format("results.count", "en", {"count": 1}) == "1 record"
    assert texts.format("results.count", "en", {"count": 2}) == "2 records"
    assert texts.format("results.count", "en", {"count": 12345}) == "12,345 records"
    assert texts.format("results.count", "en", {"count": "1"}) == "1 record"  # preformatted
    assert texts.format("loans.renewals", "en", {"count": 1}) == "renewed once"
    assert texts.format("loans.renewals", "en", {"count": 0}) == "renewed 0 times"
    assert texts.format("results.count", "zh", {"count": 1}) == "共 1 条记录"
    assert texts.format("results.count", "zh-Hant", {"count": 2}) == "共 2 條記錄"


def test_every_plural_has_the_forms_its_language_needs() -> None:
    for key, by_language in i18n.raw_plurals().items():
        for language, forms in by_language.items():
            assert "other" in forms, f"{key}.{language}"
            assert set(forms) <= set(i18n.PLURAL_CATEGORIES), f"{key}.{language}: {forms}"
            page_language = i18n.parse_language(language)
            assert page_language is not None, f"{key}: unknown language {language}"
            needed = set(i18n.locale_of(page_language).plural_form.tags) | {"other"}
            assert needed <= set(forms), f"{key}.{language} lacks {needed - set(forms)}"
            # Each form says at most what the other form says ("renewed once" drops {count}).
            other = set(PLACEHOLDER.findall(forms["other"]))
            assert all(set(PLACEHOLDER.findall(v)) <= other for v in forms.values()), key


def test_a_refusal_names_the_field_in_the_page_language() -> None:
    """request.invalid with detail=birth_year: never the raw field name on a page."""
    exc = ShelfwiseError("request.invalid", detail="birth_year")
    assert i18n.refusal(exc, "zh") == "请求无效：出生年份"
    assert i18n.refusal(exc, "zh-Hant") == "請求無效：出生年份"
    assert "출생 연도" in i18n.refusal(exc, "ko")
    assert i18n.refusal(exc, "en").endswith(": year of birth")


def test_branch_names_in_traditional_keep_their_words() -> None:
    """A name is converted by character: 社区 is 社區 (phrase conversion makes it 社群)."""
    assert i18n.proper_name_traditional("新松路朝鲜族社区分馆") == "新松路朝鮮族社區分館"
    assert i18n.proper_name_traditional("和平社区图书室") == "和平社區圖書室"
    for branch in DEMO_BRANCHES:
        names = [branch.name_zh, *(name for _, name, _ in branch.locations)]
        for name in names:
            converted = i18n.proper_name_traditional(name)
            assert "社群" not in converted
            assert converted == opencc.OpenCC("s2tw").convert(name), name


# Names each exception is for: (simplified, reviewed traditional).
EXCEPTION_SAMPLES = (
    ("余庆里社区分馆", "余慶里社區分館"),
    ("仁里街分馆", "仁里街分館"),
    ("朴家书屋", "朴家書屋"),
    ("南锣鼓巷胡同书房", "南鑼鼓巷胡同書房"),
    ("郁南路分馆", "郁南路分館"),
)


def test_every_proper_name_exception_is_needed_and_applied() -> None:
    by_character = opencc.OpenCC("s2tw")
    for wrong, reviewed in i18n.PROPER_NAME_EXCEPTIONS:
        assert wrong != reviewed
        needing = [s for s, _ in EXCEPTION_SAMPLES if wrong in by_character.convert(s)]
        assert needing, f"exception {wrong!r} matches no sample name"
    for simplified, expected in EXCEPTION_SAMPLES:
        assert i18n.proper_name_traditional(simplified) == expected


def test_the_library_name_is_given_per_language() -> None:
    settings = Settings.load(
        {
            "library_name": "Riverside Library",
            "library_name_zh": "河滨社区图书馆",
            "library_name_ko": "강변도서관",
        },
        environ={},
    )
    names = library_names(settings)
    assert names["zh"] == "河滨社区图书馆"
    assert names["zh-Hant"] == "河濱社區圖書館"  # a name: 社区 is not 社群 here either
    assert names["ko"] == "강변도서관"
    assert names["en"] == "Riverside Library"
