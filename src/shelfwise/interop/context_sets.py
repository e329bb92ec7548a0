"""The CQL context sets and indexes SRU understands, and which of our fields each searches.

Indexes are named ``prefix.name``; the prefix stands for a context set's URI (the
standard short names below, or a prefix assignment in the query); an unprefixed
name is in the local default set.  ``resolve_index`` gives our search field or the
SRU diagnostic (15 unknown context set, 16 unsupported index).
"""

from __future__ import annotations

from shelfwise.interop.cql import Diagnostic

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

# (context set URI, index name casefolded) → our search field ("" = every field, "id" = rec.id,
# "*" = every record)
INDEXES: dict[tuple[str, str], str] = {
    (CQL, "serverchoice"): "",
    (CQL, "anywhere"): "",
    (CQL, "allindexes"): "",
    (CQL, "keywords"): "",
    (CQL, "allrecords"): "*",  # every record, whatever the relation and term
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
