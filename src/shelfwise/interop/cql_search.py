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

from shelfwise.interop import masking, sorting
from shelfwise.interop.context_sets import CONTEXT_SETS, LOCAL, resolve_index
from shelfwise.interop.cql import (
    CqlQuery,
    Diagnostic,
    Node,
    Prefixed,
    Relation,
    SearchClause,
)
from shelfwise.search.models import Sort

TEXT_RELATIONS = ("=", "==", "all", "any", "adj", "<>")
DATE_RELATIONS = ("=", "==", "<", ">", "<=", ">=", "within", "<>")
# Relation modifiers our search honours anyway (it ranks, stems and folds case and accents).
HARMLESS_MODIFIERS = {"relevant", "cql.relevant", "stem", "cql.stem", "ignorecase"}
HARMLESS_MODIFIERS |= {"cql.ignorecase", "ignoreaccents", "cql.ignoreaccents", "word", "cql.word"}
MAX_CLAUSES = 32  # the search parser's own limit
MAX_QUERY = 500  # the search parser's own limit (characters)
ALL_RECORDS = "*"  # the search's query of every record (cql.allRecords)

Literal = tuple[str, bool]  # (search atom text, negated)
Cnf = list[list[Literal]]


@dataclass(frozen=True, slots=True)
class Plan:
    """What to ask the search: a query string and a sort, or records by id (rec.id)."""

    q: str
    sort: Sort = Sort.RELEVANCE
    record_ids: tuple[int, ...] | None = None
    reverse: bool = False  # the sort the other way round (oldest first, titles Z-A)


class _Unsupported(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def plan(query: CqlQuery, *, cql_version: str = "1.2") -> Plan | Diagnostic:
    """The search for a CQL query.  ``cql_version`` "1.1" (SRU 1.1) reads ``=`` on several
    words as all of them; CQL 1.2 (SRU 1.2 and 2.0) reads it as the phrase (``adj``)."""
    try:
        order = sorting.sort_of(query.sort)
        if isinstance(order, Diagnostic):
            return order
        sort, reverse = order
        ids = _record_ids(query.root, CONTEXT_SETS, LOCAL)
        if ids is not None:
            return Plan("", sort, ids, reverse)
        cnf = _cnf(query.root, CONTEXT_SETS, LOCAL, phrase_equals=cql_version != "1.1")
    except _Unsupported as exc:
        return exc.diagnostic
    if len(cnf) > MAX_CLAUSES:
        return Diagnostic(38, "Too many boolean operators in query", f"{len(cnf)} clauses")
    every = any(text == ALL_RECORDS for clause in cnf for text, _ in clause)
    # an OR with cql.allRecords is every record: such a clause restricts nothing
    cnf = [c for c in cnf if all(text != ALL_RECORDS for text, _ in c)]
    if not every and all(lit[1] for clause in cnf for lit in clause):
        return Diagnostic(48, "Query feature unsupported", "a query of exclusions only")
    if every and all(lit[1] for clause in cnf for lit in clause):
        cnf = [[(ALL_RECORDS, False)], *cnf]  # every record, less the exclusions
    q = " ".join(_clause_text(c) for c in cnf)
    if len(q) > MAX_QUERY:
        return Diagnostic(38, "Too many boolean operators in query", f"{len(q)} characters")
    return Plan(q, sort, None, reverse)


# --- indexes ------------------------------------------------------------------------------


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


def _cnf(node: Node, prefixes: dict[str, str], default: str, *, phrase_equals: bool) -> Cnf:
    if isinstance(node, Prefixed):
        prefixes, default = _scope(node, prefixes, default)
        return _cnf(node.query, prefixes, default, phrase_equals=phrase_equals)
    if isinstance(node, SearchClause):
        field = _field(node, prefixes, default)
        if field == "*":
            return [[(ALL_RECORDS, False)]]
        return _leaf(node, field, phrase_equals=phrase_equals)
    if node.op == "prox":
        raise _Unsupported(Diagnostic(37, "Unsupported boolean operator", "prox"))
    if node.modifiers:
        raise _Unsupported(Diagnostic(46, "Unsupported boolean modifier", node.modifiers[0].name))
    left = _cnf(node.left, prefixes, default, phrase_equals=phrase_equals)
    right = _cnf(node.right, prefixes, default, phrase_equals=phrase_equals)
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


# CQL 1.1's names for relations CQL 1.2 spells otherwise (yaz's samples use them).
RELATION_ALIASES = {"exact": "==", "scr": "="}


def _leaf(clause: SearchClause, field: str, *, phrase_equals: bool) -> Cnf:
    relation = clause.relation
    base = RELATION_ALIASES.get(relation.base)
    if base is not None:
        relation = Relation(base, relation.modifiers)
    _check_modifiers(relation)
    term = clause.term.strip()
    if not term or term in ("*", '""'):
        raise _Unsupported(Diagnostic(27, "Empty term unsupported", clause.index or ""))
    try:
        if field == "year":
            cnf = _date(relation, _literal(term))
        elif field in ("isbn", "lang"):
            words = masking.words(term)
            if any(w.masked or w.prefix for w in words):
                raise _Unsupported(Diagnostic(28, "Masking character not supported", term))
            cnf = _codes(relation, [w.text for w in words], field)
        else:
            cnf = _text(relation, masking.words(term), field, phrase_equals=phrase_equals)
    except masking.MaskingError as exc:
        raise _Unsupported(exc.diagnostic) from exc
    if relation.base == "<>":
        cnf = _negate(cnf)
    _check_representable(cnf)
    return cnf


def _literal(term: str) -> str:
    """A term whose masking characters can only be literal (dates): escapes removed."""
    return term.replace("\\", "")


def _check_modifiers(relation: Relation) -> None:
    for mod in relation.modifiers:
        if mod.name not in HARMLESS_MODIFIERS or mod.comparison is not None:
            raise _Unsupported(Diagnostic(20, "Unsupported relation modifier", mod.name))


def _prefixed(field: str, text: str) -> str:
    return f"{field}:{text}" if field else text


def _text(relation: Relation, words: list[masking.Word], field: str, *, phrase_equals: bool) -> Cnf:
    base = relation.base
    if base not in TEXT_RELATIONS:
        raise _Unsupported(Diagnostic(19, "Unsupported relation", base))
    if not words:
        raise _Unsupported(Diagnostic(27, "Empty term unsupported", field))
    phrase = base in ("==", "adj", "<>") or (base == "=" and phrase_equals)
    if phrase and len(words) > 1:
        if any(w.masked or w.prefix for w in words):
            raise _Unsupported(
                Diagnostic(
                    33,
                    "Combination of proximity/adjacency and masking characters not supported",
                    base,
                )
            )
        return [[(_prefixed(field, '"' + " ".join(w.text for w in words) + '"'), False)]]
    if base == "any":
        return [[(_prefixed(field, w.query), False) for w in words]]
    return [[(_prefixed(field, w.query), False)] for w in words]


def _codes(relation: Relation, words: list[str], field: str) -> Cnf:
    if relation.base not in ("=", "==", "any", "<>"):
        raise _Unsupported(Diagnostic(19, "Unsupported relation", relation.base))
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
