"""The ZeeRex (Explain) description of the SRU server: what it searches, sorts and scans.

Everything a client may ask is stated: the indexes of each context set (searchable,
sortable, scannable), the record schemas, the relations, relation modifiers and
booleans, the masking rules, the sort keys and their modifiers, the request
parameters taken, and the limits.  A client that reads Explain and asks only for
what it lists never gets a diagnostic for an unsupported feature.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from shelfwise.interop import context_sets, sorting, sru_parameters
from shelfwise.interop.cql_search import DATE_RELATIONS, HARMLESS_MODIFIERS, TEXT_RELATIONS

ZEEREX = "http://explain.z3950.org/dtd/2.0/"
SCANNABLE = ("title", "author")


def _sortable(uri: str, index: str) -> bool:
    return (uri, index) in sorting.SORTS


def _z(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ZEEREX}}}{tag}", attrib=attrs)
    if text is not None:
        el.text = text
    return el


def _indexes(explain: etree._Element) -> None:
    index_info = _z(explain, "indexInfo")
    names = {v: k for k, v in context_sets.CONTEXT_SETS.items()}
    names[context_sets.LOCAL] = "local"
    for uri, name in names.items():
        _z(index_info, "set", name=name, identifier=uri)
    for (uri, index), target in sorted(context_sets.INDEXES.items()):
        entry = _z(
            index_info,
            "index",
            search="true",
            scan="true" if target in SCANNABLE else "false",
            sort="true" if _sortable(uri, index) else "false",
        )
        _z(entry, "title", f"{names[uri]}.{index} → {target or 'every field'}")
        mapping = _z(entry, "map")
        _z(mapping, "name", index, set=names[uri])


def _supports(config: etree._Element) -> None:
    for kind, value in (
        ("booleanModifier", "and or not"),
        ("relation", " ".join(dict.fromkeys((*TEXT_RELATIONS, *DATE_RELATIONS)))),
        ("relationModifier", " ".join(sorted(HARMLESS_MODIFIERS))),
        ("maskingCharacter", "*"),
        ("emptyTerm", "false"),
        ("sort", "dc.title dc.creator dc.date title author date year"),
        ("sortModifier", "sort.ascending sort.descending sort.ignoreCase sort.ignoreAccents"),
        ("sortModifier", "sort.missingLow"),
        ("sortKeys", "SRU 1.1 path,schema,ascending (one key); CQL sortBy form (SRU 2.0)"),
        ("resultSets", "false"),
    ):
        _z(config, "supports", value, type=kind)
    _z(
        config,
        "supports",
        "* masks any characters at the end of a word (prefix), before it or inside it "
        "(words of letters and digits, two of them at least; not inside Han or Hangul words); "
        "? and ^ are not supported (diagnostics 28, 31); \\ escapes",
        type="masking",
    )
    _z(
        config,
        "supports",
        "= on several words is their phrase (CQL 1.2, as adj); SRU 1.1 requests: every word",
        type="relationSemantics",
    )
    for operation, names in sorted(sru_parameters.BY_OPERATION.items()):
        _z(config, "supports", " ".join(sorted(names)), type=f"parameters.{operation}")


SCHEMA_TITLES = {
    "marcxml": "MARC 21 (CNMARC and KORMARC records converted)",
    "dc": "Dublin Core",
    "unimarc": "UNIMARC XML: CNMARC/UNIMARC records as catalogued (others: diagnostic 67)",
}


def explain_record(
    title: str, base_url: str, schemas: Mapping[str, str], *, limits: Mapping[str, int]
) -> etree._Element:
    """The ZeeRex record: server, database, indexes, schemas, what is supported, limits."""
    explain = etree.Element(f"{{{ZEEREX}}}explain", nsmap={"zr": ZEEREX})
    host, _, rest = base_url.split("://", 1)[-1].partition("/")
    hostname, _, port = host.partition(":")
    server = _z(explain, "serverInfo", protocol="SRU", version="1.1 1.2 2.0")
    _z(server, "host", hostname)
    _z(server, "port", port or "80")
    _z(server, "database", rest or "sru")
    info = _z(explain, "databaseInfo")
    _z(info, "title", title, lang="en", primary="true")
    _z(
        info,
        "description",
        "The catalogue of the library network: MARC 21, CNMARC and KORMARC records.",
        lang="en",
    )
    _indexes(explain)
    schema_info = _z(explain, "schemaInfo")
    for short, uri in schemas.items():
        schema = _z(
            schema_info, "schema", identifier=uri, name=short, retrieve="true", sort="false"
        )
        _z(schema, "title", SCHEMA_TITLES.get(short, short))
    config = _z(explain, "configInfo")
    _z(config, "default", str(limits["numberOfRecords"]), type="numberOfRecords")
    _z(config, "setting", str(limits["maximumRecords"]), type="maximumRecords")
    _z(config, "setting", str(limits["maximumTerms"]), type="maximumTerms")
    _z(config, "default", "marcxml", type="retrieveSchema")
    _supports(config)
    return explain
