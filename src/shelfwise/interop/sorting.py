"""SRU sorting: CQL ``sortBy`` keys and the ``sortKeys`` request parameter, onto our sorts.

Our search sorts by one key — title, main author or date — in either direction,
each order total (the record id settles ties), or by relevance.  So:

* ``sortBy dc.title``, ``dc.creator``, ``dc.date`` (and the local ``title``,
  ``author``, ``date``, ``year``), with ``/sort.ascending`` or ``/sort.descending``
  (default ascending, as CQL says), ``/sort.ignoreCase`` and ``/sort.ignoreAccents``
  (our keys fold both anyway);
* ``sortKeys`` in SRU 1.1's form — space-separated keys, each
  ``path,schema,ascending,caseSensitive,missingValue`` (``dc.date,,0``) — or in
  CQL's sortBy form (``dc.date/sort.descending``), which SRU 2.0 clients send;
* everything else is the diagnostic for it: 84 more than one key, 88 a path we do
  not sort by, 87 a schema we do not know, 90 a direction, 91 case-sensitive
  sorting, 92 a missing-value action other than ours (missing sorts low), 82 a
  modifier we do not know.
"""

from __future__ import annotations

from shelfwise.interop.context_sets import CONTEXT_SETS, DC, LOCAL
from shelfwise.interop.cql import Diagnostic, Modifier, SortKey
from shelfwise.search.models import Sort

SORTS = {
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
_FOLDED = {"sort.ignorecase", "ignorecase", "sort.ignoreaccents", "ignoreaccents"}
_CASE = {"sort.respectcase", "respectcase", "sort.respectaccents", "respectaccents"}
_MISSING_LOW = {"sort.missinglow", "missinglow"}
_MISSING = {"missingomit", "missingfail", "missinghigh", "missingvalue", "locale"}
_MISSING |= {f"sort.{m}" for m in _MISSING}
SCHEMA_NAMES = {
    "",
    "dc",
    "marcxml",
    "marc21",
    "info:srw/schema/1/dc-v1.1",
    "info:srw/schema/1/marcxml-v1.1",
}

Order = tuple[Sort, bool]  # (sort, the other way round)


def _direction(sort: Sort, descending: bool) -> Order:
    # NEWEST is our descending date order: ascending dates are NEWEST reversed.
    if sort is Sort.NEWEST:
        return sort, not descending
    return sort, descending


def _key_sort(key: SortKey) -> Sort | Diagnostic:
    prefix, dot, name = key.index.rpartition(".")
    uri = CONTEXT_SETS.get(prefix.casefold(), "") if dot else LOCAL
    sort = SORTS.get((uri, name.casefold()))
    if sort is None:
        return Diagnostic(88, "Unsupported path for sort", key.index)
    return sort


def sort_of(keys: tuple[SortKey, ...]) -> Order | Diagnostic:
    """A CQL sortBy clause as our (sort, reversed)."""
    if not keys:
        return Sort.RELEVANCE, False
    if len(keys) > 1:
        return Diagnostic(84, "Too many sort keys to sort", str(len(keys)))
    key = keys[0]
    sort = _key_sort(key)
    if isinstance(sort, Diagnostic):
        return sort
    names = {m.name for m in key.modifiers}
    if names & _CASE:
        return Diagnostic(91, "Unsupported case", ", ".join(sorted(names & _CASE)))
    if names & _MISSING:
        return Diagnostic(
            92, "Unsupported missing value action", ", ".join(sorted(names & _MISSING))
        )
    unknown = names - _DESCENDING - _ASCENDING - _FOLDED - _MISSING_LOW
    if unknown:
        return Diagnostic(82, "Unsupported sort sequence", ", ".join(sorted(unknown)))
    if names & _DESCENDING and names & _ASCENDING:
        return Diagnostic(90, "Unsupported direction", key.index)
    return _direction(sort, bool(names & _DESCENDING))


def _modifier(text: str) -> Modifier:
    name, equals, value = text.partition("=")
    return Modifier(name.casefold(), "=" if equals else None, value if equals else None)


def _key_11(text: str) -> SortKey | Diagnostic:
    """``path,schema,ascending,caseSensitive,missingValue`` (SRU 1.1)."""
    path, schema, ascending, case, missing = [*text.split(","), "", "", "", ""][:5]
    if schema.casefold() not in SCHEMA_NAMES:
        return Diagnostic(87, "Sort not supported for this schema", schema)
    if ascending not in ("", "1", "0"):
        return Diagnostic(90, "Unsupported direction", ascending)
    if case not in ("", "0"):
        return Diagnostic(91, "Unsupported case", case)
    if missing not in ("", "lowValue"):
        return Diagnostic(92, "Unsupported missing value action", missing)
    modifiers = (Modifier("sort.descending"),) if ascending == "0" else ()
    return SortKey(path, modifiers)


def parse_sort_keys(value: str) -> tuple[SortKey, ...] | Diagnostic:
    """The ``sortKeys`` parameter, in SRU 1.1's form or CQL's sortBy form."""
    keys: list[SortKey] = []
    for text in value.split():
        if "," in text:
            key = _key_11(text)
            if isinstance(key, Diagnostic):
                return key
        else:
            index, *modifiers = text.split("/")
            key = SortKey(index, tuple(_modifier(m) for m in modifiers if m))
        if not key.index:
            return Diagnostic(88, "Unsupported path for sort", text)
        keys.append(key)
    return tuple(keys)
