"""Field-level analysis and query routing: the API the index builder uses."""

from __future__ import annotations

import importlib.util
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.text import (
    STREAM_SPECS,
    AnalysisOptions,
    FieldKind,
    MatchMode,
    Stream,
    analyze_field,
    analyze_query,
    first_match,
)
from shelfwise.text.engines import KiwiUnavailableError, LazyResource, kiwi_loaded

# Titles drawn from the scripts the network's readers use, plus punctuation,
# fullwidth forms, compatibility jamo and whitespace.
title_text = st.text(
    st.sampled_from(
        list("历史研究東北抗日聯軍朝鮮族民俗曾国藩单绿女子")
        + list("역사력로동신문녀자리론비률과ㄱㅇㅅㄹㅘ")
        + list("Python Müller ’s Libraries 2019１２：,.·-()《》\u3000\n")
    ),
    max_size=24,
)
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


def test_title_streams_and_boosts() -> None:
    field = analyze_field("歷史研究：東北抗日聯軍", kind=FieldKind.TITLE, language="chi")
    assert field.tokens(Stream.PRIMARY)[:5] == ("历史", "研究", "史研", "东北", "抗日")
    assert "lishi" in field.tokens(Stream.PINYIN)
    assert "lsyjdbkrlj" in field.tokens(Stream.PINYIN_PREFIX)
    assert field.boost(Stream.PRIMARY) > field.boost(Stream.RECALL)


def test_subject_fields_get_word_streams_pinyin_words_and_recall() -> None:
    field = analyze_field("歷史 역사 Libraries", kind=FieldKind.SUBJECT, language="ko")
    assert set(field.streams) <= {
        Stream.PRIMARY,
        Stream.READING,
        Stream.STEM,
        Stream.PINYIN,
        Stream.RECALL,
    }
    assert "역사" in field.tokens(Stream.PRIMARY)
    assert "library" in field.tokens(Stream.STEM)
    assert "lishi" in field.tokens(Stream.PINYIN)  # 社会发展 is found as shehuifazhan too
    assert "librari" in field.tokens(Stream.RECALL)  # Snowball: library management


def test_supplied_pinyin_is_indexed_beside_computed_pinyin() -> None:
    # Real CNMARC error: 叶震 romanised "Xie Zhen"; pypinyin says "ye zhen".
    field = analyze_field("叶震", kind=FieldKind.NAME, language="chi", pinyin="Xie Zhen")
    assert {"xiezhen", "yezhen"} <= set(field.tokens(Stream.PINYIN))


def test_supplied_hangul_replaces_table_readings() -> None:
    # The table gives 音樂 every reading of 樂 (음락, 음악, 음요); the cataloguer's 음악 wins.
    from_table = analyze_field("音樂", kind=FieldKind.TITLE, language="ko")
    supplied = analyze_field("音樂", kind=FieldKind.TITLE, language="ko", hangul="음악")
    assert {"음악", "음락"} <= set(from_table.tokens(Stream.READING))
    assert supplied.tokens(Stream.READING) == ("음악",)
    assert first_match(analyze_query("음악"), supplied) is Stream.READING


def test_cascade_order_matches_boosts() -> None:
    boosts = [spec.boost for spec in STREAM_SPECS.values()]
    assert boosts == sorted(boosts, reverse=True)


def test_ascii_query_routing_to_pinyin_and_initials() -> None:
    short = analyze_query("LS")
    assert short.keys(Stream.PRIMARY) == ("ls",)
    assert short.keys(Stream.PINYIN_INITIALS) == ("ls",)
    long = analyze_query("li shi")
    assert long.keys(Stream.PINYIN) == ("li", "shi", "lishi")
    assert long.keys(Stream.PINYIN_PREFIX) == ("lishi",)
    assert long.keys(Stream.PINYIN_INITIALS) == ()  # 5 letters: initials would be noise


def test_non_ascii_latin_is_not_read_as_pinyin() -> None:
    assert analyze_query("Müller").keys(Stream.PINYIN) == ()


def test_hangul_query_routing() -> None:
    query = analyze_query("력사")
    assert query.keys(Stream.PRIMARY) == ("역사",)
    assert query.keys(Stream.READING) == ("역사",)
    assert query.keys(Stream.RECALL) == ("역사",)
    assert query.keys(Stream.JAMO) == ("ㅇㅕㄱㅅㅏ",)
    assert query.keys(Stream.CHOSEONG) == ()  # only consonant-only queries are 초성 queries


def test_choseong_query_tries_ck_initials() -> None:
    # A CK reader types ㄹㅅ for 력사; the index has 역사 (ㅇㅅ).
    query = analyze_query("ㄹㅅ")
    assert query.keys(Stream.CHOSEONG) == ("ㄹㅅ", "ㅇㅅ", "ㄴㅅ")
    field = analyze_field("력사 연구", kind=FieldKind.TITLE, language="ko")
    assert first_match(query, field) is Stream.CHOSEONG


def test_multi_word_as_you_type_matches_across_the_space() -> None:
    field = analyze_field("역사 교과서", kind=FieldKind.TITLE, language="ko")
    for typed in ("역사 교ㄱ", "역사교ㄱ", "역사 교과ㅅ"):
        (key,) = analyze_query(typed).keys(Stream.JAMO)
        assert any(token.startswith(key) for token in field.tokens(Stream.JAMO)), typed
    # 교고 is 교과 half-typed (ㄱㅗ then ㅏ), so it must prefix; 교가 must not.
    (half,) = analyze_query("역사 교고").keys(Stream.JAMO)
    assert any(token.startswith(half) for token in field.tokens(Stream.JAMO))
    (other,) = analyze_query("역사 교가").keys(Stream.JAMO)
    assert not any(token.startswith(other) for token in field.tokens(Stream.JAMO))


@given(title_text)
@settings(max_examples=150, deadline=None)
def test_query_and_index_of_the_same_text_agree(text: str) -> None:
    query = analyze_query(text)
    field = analyze_field(text, kind=FieldKind.TITLE, language=None)
    for group in query.terms:
        if group.expansion:
            continue
        tokens = field.tokens(group.stream)
        for key in group.keys:
            if STREAM_SPECS[group.stream].mode is MatchMode.TERM:
                assert key in tokens, (group.stream, key)
            else:
                assert any(token.startswith(key) for token in tokens), (group.stream, key)
    if query.terms:
        assert first_match(query, field) is not None


@given(any_text, st.sampled_from(list(FieldKind)), st.sampled_from([None, "ko", "chi", "eng"]))
@settings(max_examples=150, deadline=None)
def test_analysis_never_raises_and_yields_clean_tokens(
    text: str, kind: FieldKind, language: str | None
) -> None:
    field = analyze_field(text, kind=kind, language=language)
    analyze_query(text)
    for tokens in field.streams.values():
        assert tokens
        assert len(set(tokens)) == len(tokens)
        assert all(token and not any(ch.isspace() for ch in token) for token in tokens)


def test_empty_and_blank_text() -> None:
    assert analyze_field("", kind=FieldKind.TITLE, language=None).streams == {}
    assert analyze_field(" \t\u3000\n", kind=FieldKind.NAME, language="ko").streams == {}
    assert analyze_query("  ").terms == ()


def test_korean_morphology_is_off_by_default_and_never_loaded() -> None:
    analyze_field("리론과 실천", kind=FieldKind.TITLE, language="ko")
    analyze_query("리론")
    assert not kiwi_loaded()


def test_korean_morphology_on_request() -> None:
    options = AnalysisOptions(korean_morphology=True)
    if importlib.util.find_spec("kiwipiepy") is None:
        with pytest.raises(KiwiUnavailableError, match="kiwipiepy"):
            analyze_field("리론과 실천", kind=FieldKind.TITLE, language="ko", options=options)
        # A field without Hangul never asks for Kiwi.
        analyze_field("历史", kind=FieldKind.TITLE, language="chi", options=options)
    else:  # pragma: no cover - depends on the optional install
        field = analyze_field("리론과 실천", kind=FieldKind.TITLE, language="ko", options=options)
        assert "이론" in field.tokens(Stream.MORPHEMES)


def test_lazy_resource_builds_once_under_concurrent_first_use() -> None:
    calls: list[int] = []
    gate = threading.Barrier(8)

    def build() -> object:
        calls.append(1)
        return object()

    resource: LazyResource[object] = LazyResource(build)
    seen: list[object] = []

    def worker() -> None:
        gate.wait()
        seen.append(resource.get())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(value) for value in seen}) == 1
