"""A CQL tree mapped onto our search: context sets, indexes, relations, booleans, sortBy.

The search takes its own query language (``docs/search.md``): an AND of clauses,
each clause an OR of field-qualified words or phrases, a clause negated as a
whole. So the CQL boolean tree is brought to that conjunctive normal form
(``a or (b and c)`` → ``(a or b) and (a or c)``); what has no such form (``a or
not b``), proximity and boolean modifiers are diagnostics, never guesses. The
result is a query string the search service parses back into exactly those
clauses, so SRU hit counts are the search's own counts for that string.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.interop.cql import (
    CqlQuery,
    Diagnostic,
    Node,
    Prefixed,
    Relation,
    SearchClause,
    SortKey,
)
from shelfwise.search.models import Sort

CQL = "info:srw/cql-context-set/1/cql-v1.2"
DC = "info:srw/cql-context-set/1/dc-v1.1"
BATH = "http://zing.z3950.org/cql/bath/2.0/"
REC = "info:srw/cql-context-set/2/rec-1.1"
LOCAL = "info:shelfwise/cql-context-set/local"  # unprefixed indexes: the default set
CONTEXT_SETS = {"cql": CQL, "dc": DC, "bath": BATH, "rec": REC}
_URI_ALIASES = {
    "info:srw/cql-context-set/1/cql-v1.1": CQL,
    "info:srw/cql-context-set/1/dc-v1.0": DC,
}

# (context set URI, index name casefolded) → our search field ("" = every field, "id" = rec.id)
INDEXES: dict[tuple[str, str], str] = {
    (CQL, "serverchoice"): "",
    (CQL, "anywhere"): "",
    (CQL, "allindexes"): "",
    (CQL, "keywords"): "",
    (DC, "title"): "title",
    (DC, "creator"): "author",
    (DC, "contributor"): "author",
    (DC, "subject"): "subject",
    (DC, "publisher"): "publisher",
    (DC, "date"): "year",
    (DC, "language"): "lang",
    (DC, "identifier"): "isbn",
    (BATH, "isbn"): "isbn",
    (BATH, "name"): "author",
    (BATH, "personalname"): "author",
    (BATH, "corporatename"): "author",
    (BATH, "uniformtitle"): "title",
    (BATH, "keytitle"): "title",
    (BATH, "topicalsubject"): "subject",
    (REC, "id"): "id",
}
_LOCAL_NAMES = {
    "any": "",
    "kw": "",
    "keyword": "",
    "title": "title",
    "ti": "title",
    "author": "author",
    "au": "author",
    "creator": "author",
    "subject": "subject",
    "su": "subject",
    "publisher": "publisher",
    "pb": "publisher",
    "date": "year",
    "year": "year",
    "language": "lang",
    "lang": "lang",
    "isbn": "isbn",
    "id": "id",
}
INDEXES.update({(LOCAL, name): target for name, target in _LOCAL_NAMES.items()})

TEXT_RELATIONS = ("=", "==", "all", "any", "adj", "<>")
DATE_RELATIONS = ("=", "==", "<", ">", "<=", ">=", "within", "<>")
# Relation modifiers our search honours anyway (it ranks, stems and folds case and accents).
HARMLESS_MODIFIERS = {"relevant", "cql.relevant", "stem", "cql.stem", "ignorecase"}
HARMLESS_MODIFIERS |= {"cql.ignorecase", "ignoreaccents", "cql.ignoreaccents", "word", "cql.word"}
MAX_CLAUSES = 32  # the search parser's own limit
MAX_QUERY = 500  # the search parser's own limit (characters)
_OPERATOR_WORDS = {"or", "and", "not", "||", "&&"}
_QUOTE_CHARS = '"“”「」『』＂'

Literal = tuple[str, bool]  # (search atom text, negated)
Cnf = list[list[Literal]]


@dataclass(frozen=True, slots=True)
class Plan:
    """What to ask the search: a query string and a sort, or records by id (rec.id)."""

    q: str
    sort: Sort = Sort.RELEVANCE
    record_ids: tuple[int, ...] | None = None


class _Unsupported(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def plan(query: CqlQuery) -> Plan | Diagnostic:
    try:
        sort = _sort(query.sort)
        ids = _record_ids(query.root, CONTEXT_SETS, LOCAL)
        if ids is not None:
            return Plan("", sort, ids)
        cnf = _cnf(query.root, CONTEXT_SETS, LOCAL)
    except _Unsupported as exc:
        return exc.diagnostic
    if len(cnf) > MAX_CLAUSES:
        return Diagnostic(38, "Too many boolean operators in query", f"{len(cnf)} clauses")
    if all(lit[1] for clause in cnf for lit in clause):
        return Diagnostic(48, "Query feature unsupported", "a query of exclusions only")
    q = " ".join(_clause_text(c) for c in cnf)
    if len(q) > MAX_QUERY:
        return Diagnostic(38, "Too many boolean operators in query", f"{len(q)} characters")
    return Plan(q, sort)


# --- indexes ------------------------------------------------------------------------------


def resolve_index(index: str | None, prefixes: dict[str, str], default: str) -> str | Diagnostic:
    """Our field for a CQL index ("" every field, "id" record id) or a diagnostic."""
    if index is None:
        return ""
    prefix, dot, name = index.rpartition(".")
    if dot:
        uri = prefixes.get(prefix.casefold())
        if uri is None:
            return Diagnostic(15, "Unsupported context set", prefix)
    else:
        uri, name = default, index
    target = INDEXES.get((_URI_ALIASES.get(uri, uri), name.casefold()))
    if target is None:
        return Diagnostic(16, "Unsupported index", index)
    return target


def _scope(node: Prefixed, prefixes: dict[str, str], default: str) -> tuple[dict[str, str], str]:
    scoped = dict(prefixes)
    for name, uri in node.assignments:
        if name is None:
            default = uri
        else:
            scoped[name.casefold()] = uri
    return scoped, default


def _field(clause: SearchClause, prefixes: dict[str, str], default: str) -> str:
    target = resolve_index(clause.index, prefixes, default)
    if isinstance(target, Diagnostic):
        raise _Unsupported(target)
    return target


def _record_ids(node: Node, prefixes: dict[str, str], default: str) -> tuple[int, ...] | None:
    """``rec.id = 12`` (or an OR of them): records by id; None when rec.id is not used."""
    if isinstance(node, Prefixed):
        prefixes, default = _scope(node, prefixes, default)
        return _record_ids(node.query, prefixes, default)
    if isinstance(node, SearchClause):
        if _field(node, prefixes, default) != "id":
            return None
        if node.relation.base not in ("=", "==", "any"):
            raise _Unsupported(Diagnostic(19, "Unsupported relation", node.relation.base))
        words = node.term.split()
        if not words or not all(w.isdigit() for w in words):
            raise _Unsupported(
                Diagnostic(36, "Term in invalid format for index or relation", node.term)
            )
        return tuple(int(w) for w in words)
    if node.op == "or" and not node.modifiers:
        left = _record_ids(node.left, prefixes, default)
        right = _record_ids(node.right, prefixes, default)
        if left is not None and right is not None:
            return left + right
    if _uses_id(node, prefixes, default):
        raise _Unsupported(
            Diagnostic(48, "Query feature unsupported", "rec.id combined with other indexes")
        )
    return None


def _uses_id(node: Node, prefixes: dict[str, str], default: str) -> bool:
    if isinstance(node, Prefixed):
        prefixes, default = _scope(node, prefixes, default)
        return _uses_id(node.query, prefixes, default)
    if isinstance(node, SearchClause):
        return _field(node, prefixes, default) == "id"
    return _uses_id(node.left, prefixes, default) or _uses_id(node.right, prefixes, default)


# --- booleans into conjunctive normal form --------------------------------------------------


def _cnf(node: Node, prefixes: dict[str, str], default: str) -> Cnf:
    if isinstance(node, Prefixed):
        prefixes, default = _scope(node, prefixes, default)
        return _cnf(node.query, prefixes, default)
    if isinstance(node, SearchClause):
        return _leaf(node, _field(node, prefixes, default))
    if node.op == "prox":
        raise _Unsupported(Diagnostic(37, "Unsupported boolean operator", "prox"))
    if node.modifiers:
        raise _Unsupported(Diagnostic(46, "Unsupported boolean modifier", node.modifiers[0].name))
    left = _cnf(node.left, prefixes, default)
    right = _cnf(node.right, prefixes, default)
    if node.op == "and":
        return left + right
    if node.op == "not":
        return left + _negate(right)
    if len(left) * len(right) > MAX_CLAUSES:
        raise _Unsupported(Diagnostic(38, "Too many boolean operators in query", "or"))
    product = [a + b for a in left for b in right]
    _check_representable(product)
    return product


def _negate(cnf: Cnf) -> Cnf:
    """not (C1 and C2 ...): representable only as one negated literal per clause,
    i.e. when ``cnf`` is a single clause (not (a or b) = not a and not b)."""
    if len(cnf) != 1 or any(neg for _, neg in cnf[0]):
        raise _Unsupported(
            Diagnostic(48, "Query feature unsupported", "not over an and-ed or negated group")
        )
    return [[(text, True)] for text, _ in cnf[0]]


def _clause_text(clause: list[Literal]) -> str:
    if any(neg for _, neg in clause):
        if len(clause) != 1:
            raise ValueError("a negated literal inside an or")  # _check_representable forbids it
        return "-" + clause[0][0]
    return " OR ".join(text for text, _ in clause)


def _check_representable(cnf: Cnf) -> None:
    for clause in cnf:
        if len(clause) > 1 and any(neg for _, neg in clause):
            raise _Unsupported(
                Diagnostic(48, "Query feature unsupported", "or with a negated operand")
            )


# --- one search clause -------------------------------------------------------------------------


def _leaf(clause: SearchClause, field: str) -> Cnf:
    relation = clause.relation
    _check_modifiers(relation)
    term = clause.term.strip()
    if not term or term in ("*", '""'):
        raise _Unsupported(Diagnostic(27, "Empty term unsupported", clause.index or ""))
    if "?" in term.replace("\\?", ""):
        raise _Unsupported(Diagnostic(28, "Masking character not supported", "?"))
    if "^" in term.replace("\\^", ""):
        raise _Unsupported(Diagnostic(31, "Anchoring character not supported", "^"))
    term = term.replace("\\", "")
    if field == "year":
        cnf = _date(relation, term)
    elif field in ("isbn", "lang"):
        cnf = _codes(relation, term, field)
    else:
        cnf = _text(relation, term, field)
    if relation.base == "<>":
        cnf = _negate(cnf)
    _check_representable(cnf)
    return cnf


def _check_modifiers(relation: Relation) -> None:
    for mod in relation.modifiers:
        if mod.name not in HARMLESS_MODIFIERS or mod.comparison is not None:
            raise _Unsupported(Diagnostic(20, "Unsupported relation modifier", mod.name))


def _words(term: str) -> list[str]:
    cleaned = "".join(" " if ch in _QUOTE_CHARS or ch == ":" else ch for ch in term)
    out = []
    for word in cleaned.split():
        word = word.lstrip("-")
        if word.casefold() in _OPERATOR_WORDS:
            word = word.lower()
        if word.strip("*"):
            out.append(word)
    return out


def _prefixed(field: str, text: str) -> str:
    return f"{field}:{text}" if field else text


def _text(relation: Relation, term: str, field: str) -> Cnf:
    base = relation.base
    if base not in TEXT_RELATIONS:
        raise _Unsupported(Diagnostic(19, "Unsupported relation", base))
    words = _words(term)
    if not words:
        raise _Unsupported(Diagnostic(27, "Empty term unsupported", term))
    if base in ("==", "adj", "<>") and len(words) > 1:
        phrase = " ".join(w.rstrip("*") for w in words)
        return [[(_prefixed(field, f'"{phrase}"'), False)]]
    if base == "any":
        return [[(_prefixed(field, w), False) for w in words]]
    return [[(_prefixed(field, w), False)] for w in words]


def _codes(relation: Relation, term: str, field: str) -> Cnf:
    if relation.base not in ("=", "==", "any", "<>"):
        raise _Unsupported(Diagnostic(19, "Unsupported relation", relation.base))
    words = _words(term)
    if field == "isbn" and relation.base != "any":
        words = ["".join(words)]  # "978 7 02 000220 7": one ISBN with spaces
    return [[(f"{field}:{w}", False) for w in words]]


def _year(text: str) -> int:
    digits = text.strip()[:4]
    if len(digits) != 4 or not digits.isdigit():
        raise _Unsupported(Diagnostic(36, "Term in invalid format for index or relation", text))
    return int(digits)


def _date(relation: Relation, term: str) -> Cnf:
    base = relation.base
    if base not in DATE_RELATIONS:
        raise _Unsupported(Diagnostic(19, "Unsupported relation", base))
    if base == "within":
        parts = term.replace("/", " ").split()
        if len(parts) != 2:
            raise _Unsupported(Diagnostic(36, "Term in invalid format for index or relation", term))
        low, high = sorted((_year(parts[0]), _year(parts[1])))
    elif base in ("=", "==", "<>"):
        low = high = _year(term)
    else:
        year = _year(term)
        low, high = {
            "<": (0, year - 1),
            "<=": (0, year),
            ">": (year + 1, 9999),
            ">=": (year, 9999),
        }[base]
    return [[(f"year:{low}-{high}" if low != high else f"year:{low}", False)]]


# --- sortBy --------------------------------------------------------------------------------------

_SORTS = {
    (DC, "title"): Sort.TITLE,
    (DC, "creator"): Sort.AUTHOR,
    (DC, "date"): Sort.NEWEST,
    (LOCAL, "title"): Sort.TITLE,
    (LOCAL, "author"): Sort.AUTHOR,
    (LOCAL, "date"): Sort.NEWEST,
    (LOCAL, "year"): Sort.NEWEST,
}
_DESCENDING = {"sort.descending", "descending"}
_ASCENDING = {"sort.ascending", "ascending"}


def _sort(keys: tuple[SortKey, ...]) -> Sort:
    if not keys:
        return Sort.RELEVANCE
    if len(keys) > 1:
        raise _Unsupported(Diagnostic(84, "Too many sort keys to sort", str(len(keys))))
    key = keys[0]
    prefix, dot, name = key.index.rpartition(".")
    uri = CONTEXT_SETS.get(prefix.casefold(), "") if dot else LOCAL
    sort = _SORTS.get((uri, name.casefold()))
    if sort is None:
        raise _Unsupported(Diagnostic(88, "Unsupported path for sort", key.index))
    names = {m.name for m in key.modifiers}
    descending = bool(names & _DESCENDING)
    if names - _DESCENDING - _ASCENDING - {"sort.ignorecase", "ignorecase"}:
        raise _Unsupported(Diagnostic(82, "Unsupported sort sequence", ", ".join(sorted(names))))
    # the search sorts titles and authors ascending and dates newest first, nothing else
    if descending != (sort is Sort.NEWEST):
        raise _Unsupported(Diagnostic(90, "Unsupported direction", key.index))
    return sort
