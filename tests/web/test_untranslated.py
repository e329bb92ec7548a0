"""Every main reader page, rendered in each page language, shows no message key, no English
left in a Chinese or Korean page, no raw code (``in_transit``, ``birth_year``), no unfilled
placeholder and no UTC stamp.

The scan reads what a person sees or hears: text nodes and the attributes a browser shows
or speaks (alt, title, aria-label, placeholder, a button's value), minus any element that
declares another language (a record's Korean title on a Chinese page carries ``lang="ko"``:
that is data in its own language, not an untranslated string).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.services import Services
from shelfwise.web import i18n
from shelfwise.web.security import LANG_COOKIE
from web.reader_pages import ReaderPages, prepare_reader
from web.test_pages import csrf

SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
KEY = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
UTC_STAMP = re.compile(r"\bUTC\b|\bGMT\b|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|[+-]00:?00\b")
# Two Latin words in a row: English prose (single Latin tokens such as PIN, ISBN, API and
# call numbers are written so in Chinese and Korean too).
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}[’']?[a-z]*\s+[A-Za-z]{2,}")
LATIN_ALLOWED = {"QR Code"}  # Taiwan's own word for a QR code (web/i18n.py HANT_OVERRIDES)


@dataclass(frozen=True)
class Seen:
    texts: list[str]

    def joined(self) -> str:
        return "\n".join(self.texts)


def seen(html: str, language: i18n.PageLanguage) -> Seen:
    """The page's visible and spoken text in its own language."""
    root = lxml.html.document_fromstring(html)
    own = i18n.HTML_LANG[language].split("-")[0]
    texts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head"):
            return
        declared = element.get("lang")
        if declared is not None and declared.split("-")[0] != own:
            return
        for name in SPOKEN_ATTRIBUTES:
            if element.get(name):
                texts.append(element.get(name))
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            texts.append(element.get("value", ""))
        if element.text and element.text.strip():
            texts.append(element.text.strip())
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                texts.append(child.tail.strip())

    walk(root)
    title = root.find(".//title")
    if title is not None and title.text:
        texts.append(title.text)
    return Seen(texts)


def problems(html: str, language: i18n.PageLanguage) -> list[str]:
    """What on the page is not in the reader's language: each as ``kind: text``."""
    found: list[str] = []
    keys = i18n.catalogue().texts
    english = _english_sentences()
    for text in seen(html, language).texts:
        found += [
            f"key: {k}" for k in KEY.findall(text) if k in keys or k.split(".")[0] in _PREFIXES
        ]
        found += [f"code: {c}" for c in SNAKE.findall(text)]
        found += [f"placeholder: {p}" for p in PLACEHOLDER.findall(text)]
        found += [f"UTC: {text}" for _ in UTC_STAMP.findall(text)]
        if language != "en":
            runs = [r for r in ENGLISH_RUN.findall(text) if r not in LATIN_ALLOWED]
            found += [f"English: {text}" for _ in runs[:1]]
            found += [f"English message: {text}" for e in english if e == text]
    return found


_PREFIXES = {key.split(".")[0] for key in i18n.raw_messages()}


def _english_sentences() -> set[str]:
    """English texts of the catalogue that are not also the Chinese or Korean text."""
    out = set()
    for entry in i18n.raw_messages().values():
        if entry["en"] not in (entry["zh"], entry["ko"]) and "{" not in entry["en"]:
            out.add(entry["en"])
    return out


@pytest.fixture(scope="module")
def reader_pages(demo_library: tuple[Services, list[str]]) -> Iterator[ReaderPages]:
    services, cards = demo_library
    with TestClient(composition.asgi_app(services), follow_redirects=False) as client:
        yield prepare_reader(services, client, cards, csrf)


@pytest.mark.parametrize("language", i18n.PAGE_LANGUAGES)
def test_no_page_shows_an_untranslated_string(
    reader_pages: ReaderPages, language: i18n.PageLanguage
) -> None:
    client = reader_pages.client
    client.cookies.set(LANG_COOKIE, language)
    failures: dict[str, list[str]] = {}
    for path in reader_pages.paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert f'<html lang="{i18n.HTML_LANG[language]}"' in response.text, path
        found = problems(response.text, language)
        if found:
            failures[path] = found
    assert not failures, f"{language}: {failures}"


def test_the_scan_finds_each_kind_of_leak() -> None:
    """The scanner itself: each kind of leak on a minimal page is reported."""
    page = (
        '<html lang="zh-Hans"><head><title>x</title></head><body>'
        "<p>holdstatus.ready</p><p>请求无效：birth_year</p><p>{count} 条</p>"
        "<p>2026-09-01 08:30 UTC</p><p>renewed 2 times</p><p>Sign in</p>"
        '<p lang="en">A History of China</p><p>ISBN 978-7-101</p></body></html>'
    )
    kinds = sorted({p.split(":")[0] for p in problems(page, "zh")})
    assert kinds == ["English", "English message", "UTC", "code", "key", "placeholder"]
    # The lang="en" title and a lone Latin token are not leaks.
    assert not any("History" in p or "ISBN" in p for p in problems(page, "zh"))


def test_a_reader_sees_a_refused_field_in_her_language(reader_pages: ReaderPages) -> None:
    """A refusal carrying a field name (request.invalid, detail=kind) names it in Korean."""
    client = reader_pages.client
    client.cookies.set(LANG_COOKIE, "ko")
    token = csrf(client, "/account")
    response = client.post("/account/secret", data={"kind": "pin_code", "csrf": token})
    assert response.status_code == 422
    assert problems(response.text, "ko") == []
    assert "종류" in response.text
