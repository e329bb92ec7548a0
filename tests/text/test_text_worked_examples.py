"""Every row of the worked-examples table, search-languages.md section 4.3.

Each row asserts three things: the first stream of the cascade where the query
meets the record (the "first matching step"), a key they share there, and
that the shared key is not simply in the raw record text (so the step, not a
coincidence of spelling, made the match).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shelfwise.text import (
    AnalyzedField,
    AnalyzedQuery,
    FieldKind,
    MatchMode,
    Stream,
    analyze_field,
    analyze_query,
    first_match,
)
from shelfwise.text.streams import STREAM_SPECS


@dataclass(frozen=True)
class Row:
    query: str
    record: str
    step: str
    stream: Stream
    shared: str
    kind: FieldKind = FieldKind.TITLE
    language: str | None = None


TITLE = FieldKind.TITLE
ROWS = [
    Row("역사", "조선족 력사와 문화", "K2", Stream.PRIMARY, "역사", language="ko"),
    Row("력사", "한국 역사의 이해", "K2", Stream.PRIMARY, "역사", language="ko"),
    Row("노동", "로동신문 론설집", "K2", Stream.PRIMARY, "노동", language="ko"),
    Row("여자", "녀자와 가정", "K2", Stream.PRIMARY, "여자", language="ko"),
    Row("이론", "리론과 실천", "K2", Stream.PRIMARY, "이론", language="ko"),
    Row("용정", "룡정 조선족 이야기", "K2", Stream.PRIMARY, "용정", language="ko"),
    Row("이광인", "리광인 문집", "K2", Stream.PRIMARY, "이광인", FieldKind.NAME, "ko"),
    Row("비율", "인구 비률 통계", "K3", Stream.RECALL, "비율", language="ko"),
    Row("신여성", "신녀성 운동사", "K3", Stream.RECALL, "신여성", language="ko"),
    Row("조선족", "朝鮮族 民俗", "K1", Stream.READING, "조선족", language="ko"),
    Row("朝鲜族", "朝鮮族 民俗", "Z1", Stream.PRIMARY, "朝鲜族", language="ko"),
    Row("ㅇㅅ", "역사", "K5 초성", Stream.CHOSEONG, "ㅇㅅ", language="ko"),
    Row("역ㅅ", "역사 교과서", "K5 jamo", Stream.JAMO, "ㅇㅕㄱㅅ", language="ko"),
    Row("lishi", "历史研究", "Z4 word", Stream.PINYIN, "lishi", language="chi"),
    Row("ls", "历史研究", "Z4 initials", Stream.PINYIN_INITIALS, "ls", language="chi"),
    Row("lsyj", "历史研究", "Z4 whole", Stream.PINYIN_PREFIX, "lsyj", language="chi"),
    Row("歷史", "历史研究", "Z1", Stream.PRIMARY, "历史", language="chi"),
    Row("历史", "中國歷史地圖集", "Z1", Stream.PRIMARY, "历史", language="chi"),
    Row("徵調", "朝鲜半岛：征调", "Z2", Stream.RECALL, "征调", language="chi"),
    Row("zengguofan", "曾国藩", "Z5", Stream.PINYIN, "zengguofan", FieldKind.NAME, "chi"),
    Row("Ｐｙｔｈｏｎ", "Python程序设计入门", "B1", Stream.PRIMARY, "python", language="chi"),
    Row("Müller", "Muller, Thomas", "B3", Stream.PRIMARY, "muller", FieldKind.NAME, "eng"),
    # The two documented false positives: the fold cannot tell loanwords and
    # native words from Sino-Korean ones.
    Row("뉴스", "유스호스텔 안내", "K2 false positive", Stream.PRIMARY, "유스", language="ko"),
    Row("경력", "경역 분쟁", "K3 false positive", Stream.RECALL, "경역", language="ko"),
]


def _shared(query: AnalyzedQuery, field: AnalyzedField, stream: Stream) -> set[str]:
    tokens = field.tokens(stream)
    if STREAM_SPECS[stream].mode is MatchMode.TERM:
        return set(query.keys(stream)) & set(tokens)
    return {key for key in query.keys(stream) if any(t.startswith(key) for t in tokens)}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.step}:{r.query}->{r.record}" for r in ROWS])
def test_query_meets_record_first_at_the_documented_step(row: Row) -> None:
    query = analyze_query(row.query)
    field = analyze_field(row.record, kind=row.kind, language=row.language)

    assert first_match(query, field) is row.stream
    assert row.shared in _shared(query, field, row.stream)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.step}:{r.query}" for r in ROWS])
def test_every_row_needs_its_step_because_the_raw_strings_differ(row: Row) -> None:
    # Guards the table itself: a row where the query is a plain substring of
    # the title would pass without any folding and prove nothing.
    assert row.query not in row.record


def test_the_name_heteronym_comes_from_z5_not_from_the_default_reading() -> None:
    # pypinyin reads 曾 as "ceng" by default; a name (a name field, or a word jieba knows
    # as a person's name inside a title) adds "zeng", in full pinyin and initials alike.
    as_title = analyze_field("曾国藩家书", kind=FieldKind.TITLE, language="chi")
    as_name = analyze_field("曾国藩", kind=FieldKind.NAME, language="chi")
    not_a_name = analyze_field("曾经的家书", kind=FieldKind.TITLE, language="chi")

    assert {"zengguofan", "cengguofan"} <= set(as_title.tokens(Stream.PINYIN))
    assert {"zgf", "cgf"} <= set(as_title.tokens(Stream.PINYIN_INITIALS))
    assert {"zgfjs", "cgfjs", "zengguofanjiashu"} <= set(as_title.tokens(Stream.PINYIN_PREFIX))
    assert {"zengguofan", "cengguofan"} <= set(as_name.tokens(Stream.PINYIN))
    assert not any(k.startswith("zeng") for k in not_a_name.tokens(Stream.PINYIN_PREFIX))


def test_dostoevsky_transliteration_variant_is_out_of_scope() -> None:
    query = analyze_query("dostoevsky")
    field = analyze_field("Dostoyevsky: Crime and Punishment", kind=TITLE, language="eng")

    assert first_match(query, field) is None


def test_hanja_readings_only_for_korean_records() -> None:
    # K1 is restricted to Korean-language records so Sino-Korean readings of a
    # Chinese title do not answer Hangul queries.
    chinese_record = analyze_field("朝鮮族 民俗", kind=TITLE, language="chi")

    assert chinese_record.tokens(Stream.READING) == ()
    assert first_match(analyze_query("조선족"), chinese_record) is None


def test_choseong_query_would_miss_without_the_jamo_exception() -> None:
    # The spec's note under 4.3: NFKC turns ㅇ (U+3147) into U+110B.
    import unicodedata

    nfkc_query = unicodedata.normalize("NFKC", "ㅇㅅ")
    field = analyze_field("역사", kind=TITLE, language="ko")

    assert nfkc_query not in field.tokens(Stream.CHOSEONG)
    assert analyze_query("ㅇㅅ").text == "ㅇㅅ"
