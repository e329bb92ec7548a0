"""The message catalogue: every key in every language, every template key known,
zh-Hant generated and its reviewed overrides alive; locale formats and lang attributes."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import opencc
import pytest

from shelfwise.circulation.states import Availability, HoldStatus
from shelfwise.readers.models import CONSENT_PURPOSES
from shelfwise.search.models import FACETS, Sort
from shelfwise.web import i18n
from shelfwise.web.account import SECTIONS

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
    assert i18n.format_date(day, "en") == "1 Sep 2026"
    assert i18n.format_number(12345, "ko") == "12,345"
    assert i18n.format_money(80050, "zh") == "¥800.50"


def test_lang_attributes_on_mixed_script_text() -> None:
    assert str(i18n.foreign("역사의 연구", "zh")) == '<span lang="ko">역사의 연구</span>'
    assert str(i18n.foreign("中国历史", "zh-Hant")) == "中国历史"
    assert str(i18n.lang_attr("A History of China", "ko")) == ' lang="en"'
    assert str(i18n.lang_attr("中国通史", "en")) == ' lang="zh"'
    assert str(i18n.foreign("<b>", "en")) == "&lt;b&gt;"
