"""jieba-rs cuts as jieba does: on every Han text the index and the queries segment (issue 15 item 6c).

``shelfwise.text.engines`` cuts with jieba-rs (``rjieba``) where the run is in jieba's own
Han range and with jieba elsewhere.  Each input the analysis hands to the segmenter is
recorded while analysing

* the relevance catalogue (``relevance_catalogue.BOOKS``: every field, as each field kind),
  the judged queries of both relevance sets, and the real and judge-written MARC records
  of the second set (``tests/fixtures/marc/real``, ``real/judge_records.xml``: every subfield);
* the documents of the generated demo-library records (seed 42, as the demo library).

and each is cut by jieba itself and by the engines: the precise-mode words and the search
words must be equal.  The switch is only as safe as this test: a jieba-rs upgrade (its
dictionary, its HMM) must pass it first.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from relevance_catalogue import BOOKS
from relevance_judgements import JUDGEMENTS

from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.search import EveryCopyAvailable, schema, textkeys
from shelfwise.search.models import Availability
from shelfwise.search.schema import document
from shelfwise.testing.index_rows import generated_index_rows
from shelfwise.text import FieldKind, analyze_field, engines
from shelfwise.text.query import analyze_query

HERE = Path(__file__).parent
REAL = HERE.parent / "fixtures" / "marc" / "real"
DEMO_RECORDS = 1000  # the demo library builds 120-240 of these records; more for coverage


@dataclasses.dataclass
class Inputs:
    cuts: set[str] = dataclasses.field(default_factory=set)
    searches: set[str] = dataclasses.field(default_factory=set)


def _recording(monkeypatch: pytest.MonkeyPatch) -> Inputs:
    """Record the segmenter's inputs from now on (the per-process value caches emptied,
    or values another test analysed would not reach the segmenter again)."""
    for cached in (schema._analysed, schema._sequence, schema._exact, schema._sort):
        cached.cache_clear()
    schema._title.cache_clear()
    seen = Inputs()
    cut, search_words = engines.cut, engines.search_words.__wrapped__

    def recorded_cut(text: str) -> list[str]:
        seen.cuts.add(text)
        return cut(text)

    def recorded_search(word: str) -> tuple[str, ...]:
        seen.searches.add(word)
        return search_words(word)

    monkeypatch.setattr(engines, "cut", recorded_cut)
    monkeypatch.setattr(engines, "search_words", recorded_search)
    return seen


def _catalogue_texts() -> Iterator[str]:
    for book in BOOKS:
        for name in (f.name for f in dataclasses.fields(book)):
            value = getattr(book, name)
            if isinstance(value, str):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, str))
            elif isinstance(value, dict):
                yield from (str(v) for v in value.values())


def _queries() -> Iterator[str]:
    yield from (judged.q for judged in JUDGEMENTS)
    with (HERE / "real" / "judgements.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row["query"]


def _real_record_texts() -> Iterator[str]:
    files = [HERE / "real" / "judge_records.xml"]
    files += sorted(p for p in REAL.rglob("*") if p.suffix in (".mrc", ".xml", ".marc"))
    for path in files:
        for read in read_file(path):
            if isinstance(read, ReadRecord):
                for found in read.record:
                    yield from (value for _code, value in found.subfields if value)


def _analyse(text: str) -> None:
    # The segmenter's inputs do not depend on the field kind or the record language (they
    # choose pinyin keys and Hanja readings, made from the words): one kind is enough.
    analyze_field(text, kind=FieldKind.TITLE, language="zh")
    textkeys.sort_key(text)


def _differences(
    inputs: set[str], ours: Callable[[str], object], jieba: Callable[[str], object]
) -> list[tuple[str, object, object]]:
    return [(t, ours(t), jieba(t)) for t in sorted(inputs) if ours(t) != jieba(t)]


def _assert_same(seen: Inputs, least: int) -> None:
    assert len(seen.cuts) >= least
    # almost every input is cut by jieba-rs (the rest by jieba): the test compares the two
    fast = [t for t in seen.cuts if engines.JIEBA_HAN.fullmatch(t)]
    assert len(fast) >= 0.95 * len(seen.cuts)
    assert _differences(seen.cuts, engines.cut, engines.jieba_cut) == []
    assert _differences(seen.searches, engines.search_words, _search_words_by_jieba) == []


def _search_words_by_jieba(word: str) -> tuple[str, ...]:
    found = engines.jieba_search_words(word)
    return tuple(found if word in found else [*found, word])


def test_the_relevance_catalogue_and_queries_segment_as_jieba_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording(monkeypatch)
    for text in _catalogue_texts():
        _analyse(text)
    for query in _queries():
        analyze_query(query)
        for word in query.split():
            textkeys.query_units(word)
            textkeys.query_units(word, prefix=True)
    _assert_same(seen, least=200)


def test_the_real_records_segment_as_jieba_does(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recording(monkeypatch)
    for text in _real_record_texts():
        _analyse(text)
    _assert_same(seen, least=500)


def test_the_demo_library_segments_as_jieba_does(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recording(monkeypatch)
    rows = list(generated_index_rows(DEMO_RECORDS, seed=42))
    available = EveryCopyAvailable().availability({r.id: r.copies for r in rows})
    for row in rows:
        document(row, available.get(row.id) or Availability())
    _assert_same(seen, least=1000)


# Characters jieba leaves out of its Han range; jieba-rs joins them into words.
RARE = ["㐀䶵中国", "中国𠀀𠀁历史", "鿖鿗研究", "﨎﨏文化", "𪚥𪚥史记", "〇一二年"]


@pytest.mark.parametrize("text", RARE)
def test_text_outside_jiebas_han_range_is_cut_by_jieba(text: str) -> None:
    assert engines.cut(text) == engines.jieba_cut(text)
    assert list(engines.search_words(text)) == list(_search_words_by_jieba(text))


def test_the_dictionary_read_from_the_file_is_jiebas() -> None:
    tokenizer = engines._JIEBA.get()
    dictionary = engines._load_dictionary()
    assert dictionary.known == {word for word, count in tokenizer.FREQ.items() if count}
    assert {"曾国藩", "单田芳"} <= dictionary.names
    assert engines.personal_name("曾国藩")
    assert not engines.personal_name("历史")


def test_without_rjieba_installed_jieba_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A venv made before rjieba was a dependency still segments (slower, the same words)."""
    monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba -> ImportError
    standin = engines._load_rjieba()
    text = "他来到了网易杭研大厦"  # 杭研: a word only the HMM finds
    assert standin.cut(text, hmm=True) == engines.jieba_cut(text) != standin.cut(text, hmm=False)
    assert standin.cut_for_search("中华人民共和国", hmm=True) == engines.jieba_search_words(
        "中华人民共和国"
    )
