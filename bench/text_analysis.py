"""Throughput of the language-analysis chain (``shelfwise.text``), step by step.

Run (2 cores, single process):

    .venv/bin/python bench/text_analysis.py --titles 5000 --seconds 2 --write docs/benchmarks.md

Corpus: titles and first authors of the seeded record generator
(``shelfwise.testing.records.generate_records``: 45 % Chinese incl. Traditional, 20 %
Korean incl. Chinese-Korean spelling, 35 % English) when it is importable, else
a small built-in mixed list.  "cold" = per-word caches emptied before one pass;
"warm" = repeated passes with the caches filled, as in a long reindex where
words repeat across titles.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shelfwise.text import FieldKind, analyze_field, analyze_query, chinese, engines, korean
from shelfwise.text.folding import fold_base
from shelfwise.text.scripts import Script, script_runs

SECTION = "## Text analysis"
FALLBACK = [
    ("歷史研究：東北抗日聯軍", "zh", "曾国藩"),
    ("中国历史地图集", "zh", "谭其骧"),
    ("Python程序设计入门（第２版）", "zh", "单田芳"),
    ("조선족 력사와 문화", "ko", "리광인"),
    ("로동신문 론설집", "ko", "김철"),
    ("한국 역사의 이해", "ko", "이광인"),
    ("朝鮮族 民俗", "ko", "金學鐵"),
    ("Crime and Punishment", "en", "Dostoyevsky, Fyodor"),
    ("Müller's Libraries of the North-East", "en", "Müller, Thomas"),
]


@dataclass(frozen=True)
class Title:
    text: str
    language: str
    author: str


def _first(record: Any, *pairs: tuple[str, str]) -> str:
    for tag, code in pairs:
        values = record.subfield_values(tag, code)
        if values:
            return str(values[0])
    return ""


def corpus(size: int) -> tuple[list[Title], str]:
    """Titles and first authors of generated records (CNMARC 200/70X, MARC 21/KORMARC 245/1XX-7XX)."""
    try:
        from shelfwise.testing.records import generate_records, record_kind
    except ImportError:
        cycled = [Title(*FALLBACK[i % len(FALLBACK)]) for i in range(size)]
        return cycled, "built-in mixed list"
    titles = []
    for record in generate_records(size, seed=42):
        text = _first(record, ("200", "a"), ("245", "a"))
        author = _first(record, ("701", "a"), ("700", "a"), ("100", "a"))
        language = record_kind(record).split("-")[0]
        titles.append(Title(text, language, author))
    return titles, "shelfwise.testing.records.generate_records(seed=42)"


def rate(func: Callable[[str], object], texts: list[str], seconds: float) -> float:
    """Characters per second over repeated full passes lasting at least ``seconds``."""
    chars = sum(map(len, texts)) or 1
    passes, start = 0, time.perf_counter()
    while True:
        for text in texts:
            func(text)
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return passes * chars / elapsed


def one_pass(func: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        func(text)
    return sum(map(len, texts)) / (time.perf_counter() - start)


def clear_caches() -> None:
    engines.search_words.cache_clear()
    engines.pinyin_syllables.cache_clear()
    engines.pinyin_heteronyms.cache_clear()


def runs_of(texts: Iterable[str], script: Script) -> list[str]:
    return [run.text for t in texts for run in script_runs(fold_base(t)) if run.script is script]


def init_costs() -> list[tuple[str, float]]:
    costs = []
    first_calls: list[tuple[str, Callable[[], object]]] = [
        ("OpenCC t2s converter", lambda: engines.t2s("歷史")),
        ("jieba dictionary", lambda: engines.cut("历史研究")),
        ("pypinyin import", lambda: engines.pinyin_syllables("历史")),
        ("Hanja table decode", lambda: korean.hanja_readings("樂")),
    ]
    for name, call in first_calls:
        start = time.perf_counter()
        call()
        costs.append((name, time.perf_counter() - start))
    return costs


def measure(titles: list[Title], seconds: float) -> list[tuple[str, str, float]]:
    texts = [t.text for t in titles]
    han = runs_of(texts, Script.HAN)
    simplified = [chinese.to_simplified(r) for r in han]
    hangul = runs_of(texts, Script.HANGUL)
    langs = {t.text: t.language for t in titles}
    authors = [t.author for t in titles if t.author]
    author_lang = {t.author: t.language for t in titles}

    def field(text: str) -> object:
        return analyze_field(text, kind=FieldKind.TITLE, language=langs[text])

    def name(text: str) -> object:
        return analyze_field(text, kind=FieldKind.NAME, language=author_lang[text])

    def pinyin_words(run: str) -> object:
        return [engines.pinyin_syllables(w) for w in engines.cut(run)]

    results: list[tuple[str, str, float]] = []
    clear_caches()
    results.append(
        ("analyze_field(TITLE), cold caches, one pass", "all titles", one_pass(field, texts))
    )
    clear_caches()
    results.append(
        (
            "pinyin per jieba word, cold cache, one pass",
            "Han runs",
            one_pass(pinyin_words, simplified),
        )
    )
    steps: list[tuple[str, str, Callable[[str], object], list[str]]] = [
        ("B1+B2 fold_base", "all titles", fold_base, texts),
        ("script runs", "all titles", script_runs, texts),
        ("Z1 OpenCC t2s", "Han runs", chinese.to_simplified, han),
        ("Z2 recall fold", "Han runs", chinese.recall_fold, simplified),
        ("Z3 jieba cut + search words", "Han runs", chinese.segment, simplified),
        ("Z3 character bigrams", "Han runs", chinese.char_bigrams, simplified),
        ("Z4 pinyin per jieba word, warm cache", "Han runs", pinyin_words, simplified),
        ("K1 Hanja readings", "Han runs", korean.hanja_word_readings, han),
        ("K2 word-initial fold", "Hangul runs", korean.fold_word_initial, hangul),
        ("K3 all-syllable fold", "Hangul runs", korean.fold_all_syllables, hangul),
        ("K5 keystroke jamo", "Hangul runs", korean.keystroke_jamo, hangul),
        ("K5 초성", "Hangul runs", korean.choseong, hangul),
        ("analyze_field(TITLE), warm caches", "all titles", field, texts),
        ("analyze_field(NAME), warm caches", "first authors", name, authors),
        ("analyze_query", "all titles", analyze_query, texts),
    ]
    for label, over, func, data in steps:
        results.append((label, over, rate(func, data, seconds)))
    return results


def render(
    titles: list[Title], source: str, args: argparse.Namespace, inits: list[tuple[str, float]]
) -> str:
    results = measure(titles, args.seconds)
    load = os.getloadavg()[0]
    chars = sum(len(t.text) for t in titles)
    lines = [
        SECTION,
        "",
        f"Command: `.venv/bin/python bench/text_analysis.py --titles {args.titles} "
        f"--seconds {args.seconds:g} --write docs/benchmarks.md` (single process, 2-core box).",
        f"Corpus: {len(titles)} titles, {chars} characters, from {source}.",
        f"Load average while measuring: {load:.1f} (the box is shared: lower is cleaner).",
        "",
        "| Step | Over | chars/s |",
        "|---|---|---|",
        *(f"| {label} | {over} | {value:,.0f} |" for label, over, value in results),
        "",
        "One-off costs of the first call in a fresh process (lazy initialisation):",
        "",
        *(f"- {name}: {cost:.2f} s" for name, cost in inits),
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace only this file's "## Text analysis" section; other sections belong to others."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        tail = text[end + 1 :] if end != -1 else ""
        text = text[:start] + section + ("\n" + tail if tail else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--write", type=Path, help="markdown file whose section to replace")
    args = parser.parse_args()
    first = time.perf_counter()
    titles, source = corpus(args.titles)
    first_calls = init_costs()
    print(f"corpus {len(titles)} titles in {time.perf_counter() - first:.2f} s; first calls:")
    for label, cost in first_calls:
        print(f"  {label}: {cost:.3f} s")
    section = render(titles, source, args, first_calls)
    print(section)
    if args.write:
        write_section(args.write, section)


if __name__ == "__main__":
    main()
