"""Index documents stay what the per-key path builds (issue 15 item 6, the guard first).

``schema.document`` builds a record's analysis streams, phrase (``seq``), exact-title
and sort keys.  A change that shares the analysis of one value among those keys
(fold, script runs, t2s and jieba once per value) must not change a single document.
The reference here is the per-key path, kept in this test: every key folds, splits,
converts and segments the value on its own (the sort key cutting with jieba itself),
with no cache between records.  Documents must be equal field by field, in key order.

A second guard pins the documents to those of 97926b3 plus one intended change: the
digest below was computed there by hashing, record by record, ``repr(list(document(row, availability,
row.id % 7).items()))`` for ``generated_index_rows(4000, seed=7)``
(``EveryCopyAvailable``).  It depends on the pinned jieba, OpenCC and pypinyin data:
after upgrading one of those, recompute it on the commit before the upgrade and say so
in the commit.  a449a68 added the first classification to the stored payload (``"c"``,
for drawn covers); with that key taken out of each payload the documents of a449a68..
still hash to 97926b3's ``60aa7b02…08a07``, so the digest was recomputed with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from shelfwise.search import EveryCopyAvailable, ordering, schema
from shelfwise.search.models import Availability
from shelfwise.search.source import IndexRow
from shelfwise.search.textkeys import _initial, title_keys
from shelfwise.testing.index_rows import generated_index_rows
from shelfwise.text import FieldKind, Script, Stream, analyze_field, chinese, engines, korean
from shelfwise.text.folding import fold_base, word_keys
from shelfwise.text.latin import latin_words
from shelfwise.text.scripts import Run, script_runs

RECORDS = 4000
SEED = 7
# with a449a68's payload "c" (see the docstring)
DIGEST_AT_97926B3 = "6ae54c4d67456393f8113d157463299b0a78630336821e081336ec3651563854"


def _reference_sequence_units(text: str) -> list[str]:
    out: list[str] = []
    previous: Run | None = None
    for run in script_runs(fold_base(text)):
        if run.script is Script.HAN:
            out.extend(chinese.to_simplified(run.text))
        elif run.script is Script.HANGUL:
            out.extend(korean.fold_word_initial(run.text) if _initial(previous) else run.text)
        elif run.script is Script.LATIN:
            out.extend(latin_words(run.text))
        elif run.script is Script.DIGIT:
            out.append("".join(str(int(ch)) for ch in run.text))
        elif run.script is Script.JAMO:
            out.append(run.text)
        elif run.script is Script.OTHER:
            out.extend(word_keys(run.text))
        previous = run
    return out


def _reference_sort_key(text: str) -> str:
    length = ordering.SORT_KEY_LENGTH
    parts: list[str] = []
    for run in script_runs(fold_base(text)):
        if run.script is Script.HAN:
            words = engines.cut(chinese.to_simplified(run.text))
            parts.append(" ".join("".join(engines.pinyin_syllables(w)) for w in words))
        elif run.script is Script.LATIN:
            parts.append(" ".join(latin_words(run.text)))
        elif run.script in (Script.HANGUL, Script.DIGIT, Script.JAMO):
            parts.append(run.text)
        elif run.script is Script.SPACE:
            parts.append(" ")
        if sum(len(p) for p in parts) > length:
            break
    return " ".join("".join(parts).split())[:length]


def _reference_title(text: str) -> SimpleNamespace:
    """The main title's keys as three separate passes (the shared pass must equal them)."""
    units = _reference_sequence_units(text)
    return SimpleNamespace(sequence=units, exact="".join(units), sort=_reference_sort_key(text))


def _reference_analysed(
    text: str, kind: FieldKind, language: str | None, romanised: str | None
) -> tuple[tuple[Stream, str], ...]:
    analysed = analyze_field(text, kind=kind, language=language, pinyin=romanised)
    return tuple(
        (stream, " ".join(tokens)) for stream, tokens in analysed.streams.items() if tokens
    )


def _documents(rows: list[IndexRow]) -> Iterator[list[tuple[str, list[Any]]]]:
    available = EveryCopyAvailable().availability({r.id: r.copies for r in rows})
    for row in rows:
        yield list(
            schema.document(row, available.get(row.id) or Availability(), row.id % 7).items()
        )


@pytest.fixture(scope="module")
def rows() -> list[IndexRow]:
    found = list(generated_index_rows(RECORDS, seed=SEED))
    languages = {lang for row in found for lang in row.languages}
    assert {"chi", "kor", "eng"} <= languages  # Chinese, Korean and English records
    assert any(row.merged for row in found)
    return found


def test_documents_equal_the_per_key_reference(
    rows: list[IndexRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = list(_documents(rows))
    monkeypatch.setattr(schema, "_analysed", _reference_analysed)
    monkeypatch.setattr(schema, "_sequence", lambda t: " ".join(_reference_sequence_units(t)))
    monkeypatch.setattr(schema, "_exact", lambda t: "".join(_reference_sequence_units(t)))
    monkeypatch.setattr(schema, "_sort", _reference_sort_key)
    monkeypatch.setattr(schema, "_title", _reference_title)
    reference = list(_documents(rows))
    assert len(built) == len(reference) == RECORDS
    for row, doc, expected in zip(rows, built, reference, strict=True):
        assert doc == expected, (row.id, row.title)


def test_documents_equal_those_before_the_change(rows: list[IndexRow]) -> None:
    digest = hashlib.sha256()
    for doc in _documents(rows):
        digest.update(repr(doc).encode())
    assert digest.hexdigest() == DIGEST_AT_97926B3


# Generated titles have no digits, jamo or titles past the sort key's length: these do.
HARD_TITLES = [
    "Python程序设计 第2版",
    "1984",
    "'98中国发展报告",
    "歷史研究：卷３",
    "(韓國의 傳統 家屋) 서울, 2019년",
    "ㄱㄴㄷ 자모 연습",
    "Müller: Über die Bibliothek — Band 12",
    "黑龍江省地方誌 " * 12,
    "The history of libraries in China, Korea and Japan from the earliest times " * 3,
    "조선족 력사와 문화 " * 20,
    "",
    "   ",
]


@pytest.mark.parametrize("title", HARD_TITLES)
def test_one_pass_title_keys_equal_the_per_key_reference(title: str) -> None:
    keys = title_keys(title, sort_length=ordering.SORT_KEY_LENGTH)
    units = _reference_sequence_units(title)
    assert list(keys.sequence) == units
    assert keys.exact == "".join(units)
    assert keys.sort == _reference_sort_key(title)
