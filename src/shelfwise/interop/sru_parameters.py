"""Which SRU request parameters we take, per operation, and the diagnostic for the rest.

An unknown parameter is diagnostic 8 (unsupported parameter), never ignored —
except extension parameters (``x-…``), which the SRU standard says a server that
does not know them ignores.  Parameters we know but cannot honour get their own
diagnostics: ``stylesheet`` 110, ``recordXPath`` 72; a ``queryType`` other than
CQL, an ``httpAccept``/``responseType`` other than XML, SRU 2.0's
``recordPacking=unpacked``, a ``resultSetTTL`` that is not a number: 6.
``resultSetTTL`` itself is accepted and has nothing to keep: results are not held
between requests, every page is computed again in the same total order.
"""

from __future__ import annotations

from collections.abc import Mapping

from shelfwise.interop.cql import Diagnostic

COMMON = frozenset({"version", "operation", "stylesheet"})
BY_OPERATION: dict[str, frozenset[str]] = {
    "searchRetrieve": frozenset(
        {
            "query",
            "queryType",
            "startRecord",
            "maximumRecords",
            "recordPacking",
            "recordXMLEscaping",
            "recordSchema",
            "recordXPath",
            "resultSetTTL",
            "sortKeys",
            "httpAccept",
            "responseType",
        }
    ),
    "scan": frozenset(
        {"scanClause", "responsePosition", "maximumTerms", "httpAccept", "responseType"}
    ),
    "explain": frozenset({"recordPacking", "recordXMLEscaping", "httpAccept", "responseType"}),
}
XML_TYPES = frozenset(
    {"application/sru+xml", "text/xml", "application/xml", "*/*", "application/*", "text/*"}
)


def check(operation: str, args: Mapping[str, str], *, v2: bool) -> Diagnostic | None:
    """The first thing in ``args`` this server cannot do for ``operation``, or None."""
    allowed = COMMON | BY_OPERATION.get(operation, frozenset())
    for name in args:
        if name.startswith("x-"):
            continue  # extension parameters: ignored when unknown (SRU 1.2 and 2.0)
        if name not in allowed:
            return Diagnostic(8, "Unsupported parameter", name)
    if args.get("stylesheet"):
        return Diagnostic(110, "Stylesheets not supported", args["stylesheet"])
    if args.get("queryType", "cql") != "cql":
        return Diagnostic(6, "Unsupported parameter value", f"queryType={args['queryType']}")
    for name in ("httpAccept", "responseType"):
        media = args.get(name, "").split(";")[0].strip().lower()
        if media and media not in XML_TYPES:
            return Diagnostic(6, "Unsupported parameter value", f"{name}={args[name]}")
    if v2 and args.get("recordPacking", "packed") != "packed":
        return Diagnostic(
            6, "Unsupported parameter value", f"recordPacking={args['recordPacking']}"
        )
    ttl = args.get("resultSetTTL", "0").strip()
    if not ttl.isdigit():
        return Diagnostic(6, "Unsupported parameter value", f"resultSetTTL={ttl}")
    return None
