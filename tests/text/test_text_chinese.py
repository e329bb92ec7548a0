"""Chinese steps Z1–Z5: t2s, recall map, segmentation + bigrams, pinyin keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.text import chinese

ascii_text = st.text(st.characters(max_codepoint=0x7F), max_size=40)
han_text = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=12)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("歷史", "历史"), ("乾燥", "干燥"), ("頭髮", "头发"), ("鐘聲", "钟声"), ("乾隆", "乾隆")],
)
def test_z1_t2s(traditional: str, simplified: str) -> None:
    assert chinese.to_simplified(traditional) == simplified


@given(ascii_text)
def test_t2s_never_changes_ascii(text: str) -> None:
    assert chinese.to_simplified(text) == text


@given(st.text(st.sampled_from(list("a1 ,歷史東北ﾡ한국ㄱ")), max_size=20))
def test_t2s_leaves_non_han_characters_alone(text: str) -> None:
    converted = chinese.to_simplified(text)
    assert len(converted) == len(text)
    assert [c for c in converted if not "\u4e00" <= c <= "\u9fff"] == [
        c for c in text if not "\u4e00" <= c <= "\u9fff"
    ]


def test_z2_recall_map_only_in_recall_fold() -> None:
    assert chinese.to_simplified("徵調") == "徵调"  # t2s keeps 徵 ...
    assert (
        chinese.recall_fold(chinese.to_simplified("徵調")) == "征调"
    )  # ... the recall key does not
    assert chinese.recall_fold("车伕 毕昇 想像 坐标 乾 著") == "车夫 毕升 想象 坐标 干 着"
    assert chinese.recall_fold("座标") == "坐标"


def test_z2_folds_zhong_of_qian_zhongshu() -> None:
    # OpenCC t2s gives 錢鍾書 → 钱锺书; simplified catalogues write 钱钟书.
    assert chinese.to_simplified("錢鍾書") == "钱锺书"
    recall = chinese.recall_fold(chinese.to_simplified("錢鍾書"))
    assert recall == chinese.recall_fold("钱钟书") == "钱钟书"


def test_z3_words_and_bigrams() -> None:
    simplified = chinese.to_simplified("歷史研究")
    tokens = chinese.han_tokens(simplified, chinese.segment(simplified))
    assert tokens == ["历史", "研究", "史研"]


def test_z3_search_words_include_sub_words() -> None:
    segmented = chinese.segment("中华人民共和国")
    assert segmented.words == ("中华人民共和国",)
    assert {"中华", "人民", "共和国", "中华人民共和国"} <= set(segmented.search_words)


@given(han_text)
def test_bigrams_cover_the_run(run: str) -> None:
    grams = chinese.char_bigrams(run)
    if len(run) == 1:
        assert grams == [run]
    else:
        assert len(grams) == max(len(run) - 1, 0)
        assert "".join(g[0] for g in grams) + (grams[-1][1] if grams else "") == run


def test_z4_pinyin_keys_per_word_and_whole() -> None:
    keys = chinese.pinyin_keys(["历史", "研究"], ["历史", "研究"], heteronyms=False)
    assert keys.words == ("lishi", "yanjiu", "lishiyanjiu")  # words, then neighbouring pairs
    assert keys.initials == ("ls", "yj")
    assert keys.whole == ("lishiyanjiu", "lsyj")


def test_z4_u_umlaut_indexed_as_lv_and_lu() -> None:
    keys = chinese.pinyin_keys(["绿色"], ["绿色"], heteronyms=False)
    assert {"lvse", "luse"} <= set(keys.words)


def test_z5_heteronyms_for_names() -> None:
    keys = chinese.pinyin_keys(["单田芳"], ["单田芳"], heteronyms=True)
    assert {"shantianfang", "dantianfang", "chantianfang"} <= set(keys.words)
    assert {"stf", "dtf", "ctf"} <= set(keys.initials)


def test_supplied_pinyin_is_aligned_to_words_when_syllables_match() -> None:
    keys = chinese.supplied_pinyin_keys("Píng shuō gǔ lì biān cè", ["评说", "鼓励", "鞭策"])
    assert {"pingshuo", "guli", "bian" + "ce", "pingshuoguli" + "biance"} <= set(keys.words)
    assert keys.initials == ("ps", "gl", "bc")
    assert keys.whole == ("pingshuogulibiance", "psglbc")


def test_supplied_pinyin_with_another_syllable_count_gives_whole_keys_only() -> None:
    keys = chinese.supplied_pinyin_keys("Nü zi", ["女子", "学校"])
    assert keys.words == ("nvzi", "nuzi")
    assert keys.initials == ()
    assert chinese.supplied_syllables("lü lu:") == ["lv", "lv"]
