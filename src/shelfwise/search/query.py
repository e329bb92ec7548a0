"""The reader's query language, parsed into clauses: pure, total, never raises.

* words are AND-ed; ``OR`` between two terms makes them alternatives;
* ``-word``, ``NOT word`` exclude;
* phrases in ``"…"``, ``“…”``, ``「…」`` and ``『…』`` (an unclosed quote runs to the end);
* field prefixes ``title: author: subject: isbn: publisher: year: lang: class:``
  (also ``ti: au: su: 题名: 作者: 제목: 저자:``), the value a word or a phrase;
* ``word*`` is a prefix; ``hi*ory`` and ``*story`` mask any characters (letters and
  digits of alphabetic scripts; in Han or Hangul text a ``*`` reads as a space);
* pinyin with tone numbers (``li4shi3``) is read without them.

Anything else is just text: a stray colon, bracket or quote never makes an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shelfwise.core import isbn as isbn_codes

FIELDS = ("title", "author", "subject", "isbn", "publisher", "year", "lang", "class")
_ALIASES = {
    "ti": "title",
    "au": "author",
    "su": "subject",
    "pub": "publisher",
    "题名": "title",
    "書名": "title",
    "书名": "title",
    "作者": "author",
    "主题": "subject",
    "제목": "title",
    "저자": "author",
    "주제": "subject",
}
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u300c": "\u300d", "\u300e": "\u300f", "\uff02": "\uff02"}
_TONED = re.compile(r"(?:[a-zü]+[1-5])+[a-zü]*", re.IGNORECASE)
_STRIP = "()[]{}（）【】"
_UNWORDED = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
MAX_CLAUSES = 32
MAX_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Atom:
    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    masked: bool = False  # ``*`` inside or before a word: any characters there (``text`` keeps it)


@dataclass(frozen=True, slots=True)
class Clause:
    atoms: tuple[Atom, ...]  # alternatives (OR)
    negated: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    raw: str
    clauses: tuple[Clause, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def empty(self) -> bool:
        return not self.positive


@dataclass(slots=True)
class _Token:
    text: str
    phrase: bool = False
    field: str | None = None
    negated: bool = False
    operator: str | None = None  # "OR" | "AND" | "NOT"


def _field_of(word: str) -> tuple[str | None, str]:
    head, sep, rest = word.partition(":")
    if not sep:
        return None, word
    name = head.casefold()
    name = _ALIASES.get(name, name)
    if name in FIELDS:
        return name, rest
    return None, word


def _read_phrase(text: str, start: int) -> tuple[str, int]:
    closer = _QUOTES[text[start]]
    end = text.find(closer, start + 1)
    if end < 0:
        return text[start + 1 :], len(text)
    return text[start + 1 : end], end + 1


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    pending_field: str | None = None
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated, i = True, i + 1
            ch = text[i]
        if ch in _QUOTES:
            phrase, i = _read_phrase(text, i)
            out.append(_Token(phrase, phrase=True, field=pending_field, negated=negated))
            pending_field = None
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _QUOTES:
            j += 1
        word, i = text[i:j], j
        if word in ("OR", "AND", "NOT", "||", "&&") and not negated and pending_field is None:
            out.append(_Token(word, operator={"||": "OR", "&&": "AND"}.get(word, word)))
            continue
        name, rest = _field_of(word)
        if name is not None:
            if rest:
                out.append(_Token(rest, field=name, negated=negated))
            elif i < n and text[i] in _QUOTES:
                phrase, i = _read_phrase(text, i)
                out.append(_Token(phrase, phrase=True, field=name, negated=negated))
            else:
                pending_field = name
            continue
        out.append(_Token(word, field=pending_field, negated=negated))
        pending_field = None
    return out


def _atom(token: _Token, notes: list[str]) -> Atom | None:
    text = token.text.strip().strip(_STRIP) if not token.phrase else token.text.strip()
    if not token.phrase and text.startswith("\\"):
        text = text[1:]
    prefix = False
    if not token.phrase and text.endswith("*"):
        text, prefix = text.rstrip("*"), True
    if not token.phrase and _TONED.fullmatch(text) and token.field is None:
        plain = re.sub(r"[1-5]", "", text)
        notes.append(f"tone numbers ignored: {text} → {plain}")
        text = plain
    if not token.phrase and "*" in text and masked_word(text):
        return Atom(text=text, field=token.field, masked=True, prefix=prefix)
    text = text.replace("*", " ").strip() if not token.phrase else text
    if not text:
        return None
    return Atom(text=text, field=token.field, phrase=token.phrase, prefix=prefix)


def masked_word(text: str) -> bool:
    """``hi*ory``, ``*story``: a mask the index can answer — letters and digits of
    alphabetic scripts around it, at least two of them (Han and Hangul are matched by
    keys that are not whole words: a ``*`` there reads as a space)."""
    literal = text.replace("*", "")
    return len(literal) >= 2 and all(ch.isalnum() and not _UNWORDED.match(ch) for ch in literal)


def parse(raw: str) -> ParsedQuery:
    """Parse any string into clauses; an unparseable part is read as plain words."""
    text = raw[:MAX_LENGTH].replace("\uff1a", ":").replace("\u3000", " ")
    notes: list[str] = []
    if len(raw) > MAX_LENGTH:
        notes.append(f"query cut to {MAX_LENGTH} characters")
    stripped = text.strip()
    if isbn_codes.looks_like_isbn(stripped) and " " in stripped:
        return ParsedQuery(raw, (Clause((Atom(stripped.replace(" ", ""), field="isbn"),)),))
    clauses: list[Clause] = []
    join_next = False
    negate_next = False
    for token in _tokens(text):
        if token.operator == "OR":
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        if token.operator == "AND":
            continue
        if token.operator == "NOT":
            negate_next = True
            continue
        atom = _atom(token, notes)
        if atom is None:
            continue
        negated = token.negated or negate_next
        negate_next = False
        if join_next and not negated:
            clauses[-1] = Clause((*clauses[-1].atoms, atom))
        else:
            clauses.append(Clause((atom,), negated=negated))
        join_next = False
    if len(clauses) > MAX_CLAUSES:
        notes.append(f"only the first {MAX_CLAUSES} terms were used")
        clauses = clauses[:MAX_CLAUSES]
    return ParsedQuery(raw, tuple(clauses), tuple(notes))
