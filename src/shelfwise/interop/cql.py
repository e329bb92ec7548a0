"""CQL (the Contextual Query Language of SRU, version 1.2/2.0) parsed into a tree: pure, total.

``parse(text)`` returns a :class:`CqlQuery` or a :class:`Diagnostic` carrying the SRU
diagnostic number (``info:srw/diagnostic/1/N``); it never raises. The grammar::

    sortedQuery  ::= prefixAssignment* scopedClause ['sortBy' sortSpec+]
    scopedClause ::= scopedClause boolean modifier* searchClause | searchClause
    searchClause ::= prefixAssignment* '(' cqlQuery ')' | [index relation modifier*] term
    boolean      ::= 'and' | 'or' | 'not' | 'prox'     (left-associative, equal precedence)
    relation     ::= '=' | '==' | '<>' | '<' | '>' | '<=' | '>=' | identifier (all, any, adj, within...)
    modifier     ::= '/' name [comparison value]
    prefixAssignment ::= '>' [prefix '='] uri

Which indexes, relations and modifiers are *supported* is decided when the tree is
mapped onto the search (``sru_query.py``); here only syntax is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BOOLEANS",
    "Boolean",
    "CqlQuery",
    "Diagnostic",
    "Modifier",
    "Node",
    "Prefixed",
    "Relation",
    "SearchClause",
    "SortKey",
    "parse",
    "to_text",
]

BOOLEANS = ("and", "or", "not", "prox")
SYMBOLS = ("==", "<>", "<=", ">=", "=", "<", ">")
_SPECIAL = '()=<>"/'
MAX_LENGTH = 4000
MAX_DEPTH = 64
MAX_CLAUSES = 256


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """An SRU diagnostic: ``code`` N of ``info:srw/diagnostic/1/N``, ``details`` the culprit."""

    code: int
    message: str
    details: str = ""

    @property
    def uri(self) -> str:
        return f"info:srw/diagnostic/1/{self.code}"


@dataclass(frozen=True, slots=True)
class Modifier:
    name: str
    comparison: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    base: str  # "=", "==", "all", "any", "adj", "within", ... (named relations lower-cased)
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchClause:
    index: str | None  # None: a bare term (cql.serverChoice)
    relation: Relation
    term: str


@dataclass(frozen=True, slots=True)
class Boolean:
    op: str  # and | or | not | prox
    left: Node
    right: Node
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Prefixed:
    """Prefix assignments (``> dc = "uri"``; prefix None for the default set) scoping a query."""

    assignments: tuple[tuple[str | None, str], ...]
    query: Node


Node = SearchClause | Boolean | Prefixed


@dataclass(frozen=True, slots=True)
class SortKey:
    index: str
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class CqlQuery:
    root: Node
    sort: tuple[SortKey, ...] = field(default_factory=tuple)


# --- lexing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "word" | "quoted" | "sym" | "(" | ")" | "/"
    text: str


def _lex(text: str) -> list[_Tok] | Diagnostic:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()/":
            out.append(_Tok(ch, ch))
            i += 1
        elif ch in "<>=":
            two = text[i : i + 2]
            sym = two if two in SYMBOLS else ch
            out.append(_Tok("sym", sym))
            i += len(sym)
        elif ch == '"':
            j, chars = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    chars.append(text[j : j + 2])  # escapes stay in the term (CQL masking)
                    j += 2
                    continue
                chars.append(text[j])
                j += 1
            if j >= n:
                return Diagnostic(14, "Invalid or unsupported use of quotes", "unterminated")
            out.append(_Tok("quoted", "".join(chars)))
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            out.append(_Tok("word", text[i:j]))
            i = j
    return out


# --- parsing -----------------------------------------------------------------------------


class _Fail(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _syntax(details: str) -> _Fail:
    return _Fail(Diagnostic(10, "Query syntax error", details))


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.pos = 0
        self.depth = 0
        self.clauses = 0

    def peek(self, ahead: int = 0) -> _Tok | None:
        at = self.pos + ahead
        return self.toks[at] if at < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise _syntax("unexpected end of query")
        self.pos += 1
        return tok

    def is_word(self, tok: _Tok | None, *words: str) -> bool:
        return tok is not None and tok.kind == "word" and tok.text.casefold() in words

    def term(self, what: str) -> str:
        tok = self.take()
        if tok.kind not in ("word", "quoted"):
            if tok.kind == "(" or tok.kind == ")":
                raise _Fail(
                    Diagnostic(
                        13, "Invalid or unsupported use of parentheses", f"{what}: {tok.text}"
                    )
                )
            raise _syntax(f"expected {what}, found {tok.text!r}")
        return tok.text

    def sorted_query(self) -> CqlQuery:
        root = self.cql_query()
        keys: list[SortKey] = []
        if self.is_word(self.peek(), "sortby"):
            self.take()
            while self.peek() is not None:
                tok = self.peek()
                if tok is None or tok.kind not in ("word", "quoted"):
                    break
                keys.append(SortKey(self.term("sort index"), self.modifiers()))
            if not keys:
                raise _syntax("sortBy without a sort key")
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise _Fail(Diagnostic(13, "Invalid or unsupported use of parentheses", ")"))
            raise _syntax(f"unexpected {tok.text!r}")
        return CqlQuery(root, tuple(keys))

    def prefixes(self) -> list[tuple[str | None, str]]:
        found: list[tuple[str | None, str]] = []
        while (tok := self.peek()) is not None and tok.kind == "sym" and tok.text == ">":
            self.take()
            first = self.term("prefix or URI")
            nxt = self.peek()
            if nxt is not None and nxt.kind == "sym" and nxt.text == "=":
                self.take()
                found.append((first, self.term("URI")))
            else:
                found.append((None, first))
        return found

    def cql_query(self) -> Node:
        assignments = self.prefixes()
        node = self.scoped_clause()
        return Prefixed(tuple(assignments), node) if assignments else node

    def scoped_clause(self) -> Node:
        left = self.search_clause()
        while (tok := self.peek()) is not None and self.is_word(tok, *BOOLEANS):
            op = self.take().text.casefold()
            mods = self.modifiers()
            right = self.search_clause()
            left = Boolean(op, left, right, mods)
        return left

    def search_clause(self) -> Node:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise _Fail(Diagnostic(38, "Too many boolean operators in query", str(MAX_CLAUSES)))
        tok = self.peek()
        if tok is None:
            raise _syntax("a search clause was expected")
        if tok.kind == "sym" and tok.text == ">":
            return self.cql_query()
        if tok.kind == "(":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Fail(Diagnostic(13, "Invalid or unsupported use of parentheses", "too deep"))
            inner = self.cql_query()
            close = self.peek()
            if close is None or close.kind != ")":
                raise _Fail(Diagnostic(13, "Invalid or unsupported use of parentheses", "unclosed"))
            self.take()
            self.depth -= 1
            return inner
        if tok.kind not in ("word", "quoted"):
            if tok.kind == ")":
                raise _Fail(Diagnostic(13, "Invalid or unsupported use of parentheses", ")"))
            raise _syntax(f"unexpected {tok.text!r}")
        first = self.term("term")
        if self._relation_follows():
            relation = self.relation()
            return SearchClause(first, relation, self.term("search term"))
        return SearchClause(None, Relation("="), first)

    def _relation_follows(self) -> bool:
        nxt = self.peek()
        if nxt is None:
            return False
        if nxt.kind == "sym":
            return True
        # two words in a row: the second is a named relation (it needs a term after it)
        return nxt.kind == "word" and nxt.text.casefold() not in (*BOOLEANS, "sortby")

    def relation(self) -> Relation:
        tok = self.take()
        if tok.kind == "sym":
            base = tok.text
        elif tok.kind == "word":
            base = tok.text.casefold()
        else:
            raise _syntax(f"expected a relation, found {tok.text!r}")
        return Relation(base, self.modifiers())

    def modifiers(self) -> tuple[Modifier, ...]:
        mods: list[Modifier] = []
        while (tok := self.peek()) is not None and tok.kind == "/":
            self.take()
            name = self.term("modifier name")
            nxt = self.peek()
            if nxt is not None and nxt.kind == "sym":
                self.take()
                mods.append(Modifier(name.casefold(), nxt.text, self.term("modifier value")))
            else:
                mods.append(Modifier(name.casefold()))
        return tuple(mods)


def parse(text: str) -> CqlQuery | Diagnostic:
    """Parse a CQL query (with an optional ``sortBy``); a diagnostic instead of raising."""
    if len(text) > MAX_LENGTH:
        return Diagnostic(10, "Query syntax error", f"query longer than {MAX_LENGTH} characters")
    toks = _lex(text)
    if isinstance(toks, Diagnostic):
        return toks
    if not toks:
        return Diagnostic(10, "Query syntax error", "empty query")
    parser = _Parser(toks)
    try:
        return parser.sorted_query()
    except _Fail as fail:
        return fail.diagnostic
    except RecursionError:
        return Diagnostic(13, "Invalid or unsupported use of parentheses", "too deep")


# --- the canonical text of a tree (tests, logs, explain) ----------------------------------


def _quote(term: str) -> str:
    return '"' + term.replace('"', '\\"') + '"' if term.find("\\") < 0 else f'"{term}"'


def _mods(mods: tuple[Modifier, ...]) -> str:
    return "".join(
        f"/{m.name}" + (f"{m.comparison}{_quote(m.value or '')}" if m.comparison else "")
        for m in mods
    )


def to_text(node: Node | CqlQuery) -> str:
    """A fully parenthesised, normalised rendering: equal trees give equal text."""
    if isinstance(node, CqlQuery):
        text = to_text(node.root)
        if node.sort:
            text += " sortBy " + " ".join(k.index + _mods(k.modifiers) for k in node.sort)
        return text
    if isinstance(node, SearchClause):
        if node.index is None:
            return _quote(node.term)
        return f"({node.index} {node.relation.base}{_mods(node.relation.modifiers)} {_quote(node.term)})"
    if isinstance(node, Boolean):
        return f"({to_text(node.left)} {node.op}{_mods(node.modifiers)} {to_text(node.right)})"
    head = " ".join(
        f">{p}={_quote(uri)}" if p is not None else f">{_quote(uri)}" for p, uri in node.assignments
    )
    return f"{head} {to_text(node.query)}"
