"""Autocomplete on titles and authors, and "did you mean".

Autocomplete matches the words typed so far in full and the last one as a
prefix: in the words themselves, in whole-title pinyin and initials
(``lsyj`` → 历史研究), in the pinyin of any word (``lishi`` → 沈阳历史文化), in keystroke jamo (``역ㅅ`` → 역사) and in 초성 (``ㅇㅅ``).

"Did you mean" offers (a) the Chinese a toneless-pinyin query stands for
(``lishi`` → 历史), read off the top hits, and (b) for a Latin word that is in
no title, author or subject, the closest indexed word (edit distance 1, or 2
for words of 7 letters or more), most frequent first.
"""

from __future__ import annotations

from collections.abc import Sequence

import tantivy
from tantivy import Occur, Query

from shelfwise.search.compile import Compiler, prefix_query
from shelfwise.search.models import RecordHit, Suggestion
from shelfwise.search.query import ParsedQuery
from shelfwise.search.results import load_hits
from shelfwise.search.schema import GROUP_BY_NAME, field_name
from shelfwise.text import Script, Stream, chinese, engines, fold_base, korean, script_runs

TERM_SCAN_LIMIT = 20_000
_WORD_FIELDS = ("title__primary", "author__primary", "subject__primary", "other__primary")


def _last_word_query(compiler: Compiler, folded: str, group: str) -> Query | None:
    words = folded.split()
    last = words[-1]
    alternatives: list[Query] = []
    typed = compiler.words(last, [GROUP_BY_NAME[group]], prefix=True)
    if typed is not None:
        alternatives.append(typed)
    scripts = {run.script for run in script_runs(last)}
    if scripts & {Script.HANGUL, Script.JAMO}:
        jamo = korean.keystroke_jamo(korean.fold_word_initial(last))
        alternatives.append(prefix_query(field_name(group, Stream.JAMO), jamo))
        if korean.consonant_jamo_only(last):
            for key in [last, *korean.dueum_query_variants(last)]:
                name = field_name(group, Stream.CHOSEONG)
                alternatives.append(prefix_query(name, key))
    if folded.isascii():
        joined = "".join(ch for ch in folded if ch.isalnum())
        if joined:
            # Whole-title pinyin from the start ("lsyj", "lishiyan" → 历史研究) ...
            name = field_name(group, Stream.PINYIN_PREFIX)
            alternatives.append(prefix_query(name, joined))
            # ... and any word's pinyin ("lishi" → 沈阳历史文化), as jamo keys do for Hangul.
            alternatives.append(prefix_query(field_name(group, Stream.PINYIN), last))
    if not alternatives:
        return None
    return Query.boolean_query([(Occur.Should, q) for q in alternatives])


def autocomplete(
    searcher: tantivy.Searcher, compiler: Compiler, text: str, *, limit: int = 8
) -> list[Suggestion]:
    folded = fold_base(text)
    if not folded.strip():
        return []
    out: list[Suggestion] = []
    seen: set[str] = set()
    for group, kind in (("title", "title"), ("author", "author")):
        last = _last_word_query(compiler, folded, group)
        if last is None:
            continue
        earlier = folded.split()[:-1]
        parts = [(Occur.Must, last)]
        before = compiler.words(" ".join(earlier), [GROUP_BY_NAME[group]]) if earlier else None
        if before is not None:
            parts.append((Occur.Must, before))
        query = Query.boolean_query(parts)
        for hit in load_hits(searcher, searcher.search(query, limit=limit * 3).hits):
            shown = hit.title if kind == "title" else (hit.author or "")
            key = f"{kind}:{fold_base(shown)}"
            if shown and key not in seen:
                seen.add(key)
                out.append(Suggestion(shown, kind, hit.record_id))
    titles = [s for s in out if s.kind == "title"]
    authors = [s for s in out if s.kind == "author"]
    return (titles[: limit - min(len(authors), limit // 3)] + authors)[:limit]


# --- did you mean -------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _known(searcher: tantivy.Searcher, word: str) -> bool:
    return any(searcher.doc_freq(name, word) for name in _WORD_FIELDS)


def closest_word(searcher: tantivy.Searcher, word: str) -> str | None:
    limit = 2 if len(word) >= 7 else 1
    best: tuple[int, int, str] | None = None
    for name in _WORD_FIELDS:
        for term, freq in searcher.terms_with_prefix(name, word[:1], limit=TERM_SCAN_LIMIT):
            candidate = str(term)
            if candidate == word or not candidate.isascii():
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                rank = (distance, -int(freq), candidate)
                best = rank if best is None or rank < best else best
    return best[2] if best else None


def spelling(searcher: tantivy.Searcher, parsed: ParsedQuery) -> str | None:
    changed = False
    words: list[str] = []
    for clause in parsed.positive:
        for atom in clause.atoms[:1]:
            text = atom.text
            folded = fold_base(text)
            if (
                atom.field is None
                and not atom.phrase
                and folded.isascii()
                and folded.isalpha()
                and len(folded) >= 4
                and not _known(searcher, folded)
            ):
                better = closest_word(searcher, folded)
                if better:
                    text, changed = better, True
            words.append(text)
    return " ".join(words) if changed else None


def _han_words(title: str) -> list[str]:
    words: list[str] = []
    for run in script_runs(fold_base(title)):
        if run.script is Script.HAN:
            words.extend(engines.cut(chinese.to_simplified(run.text)))
    return words


def pinyin_reading(hits: Sequence[RecordHit], parsed: ParsedQuery) -> str | None:
    """``lishi`` → 历史: the Han words of a top hit whose toneless pinyin the query spells."""
    atoms = [a for c in parsed.positive for a in c.atoms[:1]]
    if not atoms or any(a.field or not fold_base(a.text).isascii() for a in atoms):
        return None
    target = "".join(ch for a in atoms for ch in fold_base(a.text) if ch.isalpha())
    if not target:
        return None
    for hit in hits[:5]:
        words = _han_words(hit.title)
        for start in range(len(words)):
            joined = ""
            for end in range(start, len(words)):
                joined += "".join(engines.pinyin_syllables(words[end])).replace("v", "u")
                if joined == target.replace("v", "u"):
                    return "".join(words[start : end + 1])
                if not target.replace("v", "u").startswith(joined):
                    break
    return None


def did_you_mean(
    searcher: tantivy.Searcher, parsed: ParsedQuery, hits: Sequence[RecordHit], total: int
) -> str | None:
    reading = pinyin_reading(hits, parsed) if total else None
    if reading:
        return reading
    if total < 3:
        return spelling(searcher, parsed)
    return None


__all__ = ["autocomplete", "closest_word", "did_you_mean", "edit_distance", "load_hits"]
