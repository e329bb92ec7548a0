"""A CQL search term split into words, with CQL's masking and escaping rules.

CQL 1.2 (and 2.0): ``*`` masks zero or more characters, ``?`` one character,
``^`` anchors a word at the start or end of the field, and ``\\`` makes the next
character literal.  Our search answers:

* ``*`` at the end of a word (``hist*``): a prefix;
* ``*`` before or inside a word (``*story``, ``hi*ory``): any characters there,
  for words of letters and digits of alphabetic scripts with at least two of them
  (diagnostic 29, masked word too short, below that; 28 inside Han or Hangul words,
  which the index keeps as characters pairs, not whole words);
* ``?``: diagnostic 28 (masking character not supported);
* ``^``: diagnostic 31 at a word's start or end, 32 anywhere else;
* an escaped ``\\*``, ``\\?`` or ``\\^`` is that punctuation character, which the
  analysis drops like any punctuation: ``hist\\*`` is the word *hist*, unmasked.

Nothing is dropped silently: a term is searched as written or refused with the
diagnostic that says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.interop.cql import Diagnostic
from shelfwise.search.query import masked_word

_QUOTE_CHARS = '"“”「」『』＂'
_OPERATOR_WORDS = {"or", "and", "not", "||", "&&"}
_LITERAL_MASK = "\ue000"  # an escaped mask character while the term is split
MIN_MASKED = 2  # literal characters a word with a leading or inner mask must keep


class MaskingError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # the literal word (masks and escaped characters gone)
    query: str  # the word in the search's query language (``hist*``, ``hi*ory``)
    prefix: bool = False
    masked: bool = False


def _unescape(term: str) -> str:
    """Escaped characters become literal: mask characters a private-use stand-in."""
    out: list[str] = []
    chars = iter(term)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        out.append(_LITERAL_MASK if nxt in "*?^" else nxt)
    return "".join(out)


def _anchors(term: str) -> None:
    for index, ch in enumerate(term):
        if ch != "^":
            continue
        at_edge = index == 0 or index == len(term) - 1 or term[index - 1].isspace()
        at_edge = at_edge or term[index + 1].isspace()
        if at_edge:
            raise MaskingError(Diagnostic(31, "Anchoring character not supported", term))
        raise MaskingError(Diagnostic(32, "Anchoring character in unsupported position", term))


def _word(raw: str) -> Word | None:
    raw = raw.lstrip("-")
    if raw.casefold() in _OPERATOR_WORDS:
        raw = raw.lower()  # "or" as a word, never the search's OR
    literal = raw.replace("*", "")
    if not literal:
        return None
    body = raw.rstrip("*")
    prefix = body != raw
    if "*" not in body:
        return Word(body, body + ("*" if prefix else ""), prefix=prefix)
    if len(literal) < MIN_MASKED:
        raise MaskingError(Diagnostic(29, "Masked words too short", raw))
    if not masked_word(body):
        raise MaskingError(
            Diagnostic(28, "Masking character not supported", f"{raw} (inside Han or Hangul words)")
        )
    return Word(literal, body + ("*" if prefix else ""), prefix=prefix, masked=True)


def words(term: str) -> list[Word]:
    """The term's words, as the search will read them (raises :class:`MaskingError`)."""
    plain = _unescape(term)
    if "?" in plain:
        raise MaskingError(Diagnostic(28, "Masking character not supported", "?"))
    _anchors(plain)
    cleaned = "".join(
        " " if ch in _QUOTE_CHARS or ch in ":" + _LITERAL_MASK else ch for ch in plain
    )
    return [w for w in (_word(raw) for raw in cleaned.split()) if w is not None]
