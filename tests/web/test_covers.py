"""Drawn covers: escaped, deterministic, coloured by classification, small, wrapped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from shelfwise.web import covers
from shelfwise.web.covers import COLOURS, CoverText, cover, drawn, subject_area


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")] or [
        "".join(t.itertext()) for t in root.iter("text")
    ]


def test_markup_in_a_title_or_author_is_text() -> None:
    svg = str(drawn(CoverText('<script>alert("x")</script> & <b>', "</text><svg onload=1>")))
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "onload=1>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp;" in svg
    # still one well-formed SVG whose text is the title as written
    assert "".join(_texts(svg)).startswith('<script>alert("x")</script>')


@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=60)))
def test_any_title_draws_one_well_formed_svg(title: str, author: str | None) -> None:
    svg = str(drawn(CoverText(title, author)))
    root = ET.fromstring(svg)  # XML-special characters and all: it parses
    assert root.tag == "svg"
    assert root.get("aria-hidden") == "true"
    assert len(svg.encode()) < 2500


def test_the_same_record_draws_the_same_bytes() -> None:
    one = CoverText("记忆中的吉林历史文化", "刘龙兰", "clc:K29")
    assert drawn(one) == drawn(CoverText("记忆中的吉林历史文化", "刘龙兰", "clc:K29"))
    # without a classification the colour still comes from the title, not from chance
    assert covers.colour(CoverText("Untitled")) == covers.colour(CoverText("Untitled"))
    assert len({covers.colour(CoverText(f"title {n}")) for n in range(40)}) > 3


def test_colour_follows_the_classification() -> None:
    assert subject_area("clc:K928.6") == "history"
    assert subject_area("clc:I247.5") == "literature"
    assert subject_area("clc:TP311") == "technology"
    assert subject_area("ddc:813.54") == "literature"
    assert subject_area("kdc:813.6") == "literature"
    assert subject_area("ddc:400") == "language"
    assert subject_area("kdc:400") == "science"  # KDC puts the sciences at 400
    assert subject_area("lcc:PL2658") is None
    assert subject_area(None) is None
    assert covers.colour(CoverText("x", None, "clc:K29")) == COLOURS["history"]
    assert f'fill="{COLOURS["literature"]}"' in str(drawn(CoverText("小说", None, "clc:I24")))


def test_titles_wrap_in_their_script_and_mark_what_is_cut() -> None:
    svg = str(drawn(CoverText("记忆中的吉林历史文化", "刘龙兰")))
    assert _texts(svg)[:2] == ["记忆中的吉", "林历史文化"]
    assert 'lang="zh"' in svg
    korean = str(drawn(CoverText("한국 현대 소설의 이해", "김민준")))
    assert "한국 현대" in _texts(korean)  # broken at a space, never inside a word
    assert 'lang="ko"' in korean
    long = _texts(str(drawn(CoverText("word " * 60))))
    assert long[-1].endswith("…")
    assert len(long) == 4


def test_an_image_is_lazy_and_sized() -> None:
    html = str(cover("T", image_url="/covers/7.jpg"))
    assert re.search(r'<img src="/covers/7.jpg" alt="" loading="lazy"', html)
    assert 'width="120" height="170"' in html
    assert "<svg" not in html
