"""SRU 1.2 and 2.0 at ``/sru``: explain, searchRetrieve and scan, with SRU diagnostics.

CQL is parsed by ``cql.py`` and mapped onto the search service by
``cql_search.py``; every error (syntax, unsupported index or relation, a request
too large) is a diagnostic with its ``info:srw/diagnostic/1/N`` URI in an HTTP
200 response, never a server error. Records are MARC 21 (``marcxml``: CNMARC and
KORMARC masters converted, ``marc/crosswalk.py``), Dublin Core (``dc``) or, for
records catalogued in it, the UNIMARC original (``unimarc``; any other record is a
surrogate diagnostic 67). Scan browses titles and main authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from lxml import etree

from shelfwise.catalogue.harvest import ChangedRecord, ChangeQuery
from shelfwise.catalogue.models import RECORD_ID_MAX
from shelfwise.core.errors import ShelfwiseError
from shelfwise.interop import (
    context_sets,
    cql,
    cql_search,
    dublin_core,
    sorting,
    sru_explain,
    sru_parameters,
)
from shelfwise.interop.cql import Diagnostic
from shelfwise.marc.marcxml import UNIMARCXML, record_to_element
from shelfwise.search.models import SearchRequest

if TYPE_CHECKING:
    from shelfwise.interop.bundle import InteropServices

SRW = "http://www.loc.gov/zing/srw/"
SRW_DIAG = "http://www.loc.gov/zing/srw/diagnostic/"
SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
SRU2_SCAN = "http://docs.oasis-open.org/ns/search-ws/scan"
SRU2_DIAG = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
VERSIONS = ("1.1", "1.2", "2.0")
SCHEMAS = {
    "marcxml": "info:srw/schema/1/marcxml-v1.1",
    "dc": "info:srw/schema/1/dc-v1.1",
    "unimarc": UNIMARCXML,
}
SURROGATE = "info:srw/schema/1/diagnostics-v1.1"
_SCHEMA_NAMES = {
    "unimarc": "unimarc",
    "unimarcxml": "unimarc",
    UNIMARCXML: "unimarc",
    "marcxml": "marcxml",
    "marc21": "marcxml",
    "info:srw/schema/1/marcxml-v1.1": "marcxml",
    "dc": "dc",
    "info:srw/schema/1/dc-v1.1": "dc",
}
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
DEEPEST = 2000  # the search service ranks at most this many records of one query
DEFAULT_TERMS = 20
MAX_TERMS = 100
PAGE = 100
LIMITS = {
    "numberOfRecords": DEFAULT_RECORDS,
    "maximumRecords": MAX_RECORDS,
    "maximumTerms": MAX_TERMS,
}


class SruError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _bad(code: int, message: str, details: str) -> SruError:
    return SruError(Diagnostic(code, message, details))


@dataclass(frozen=True, slots=True)
class Dialect:
    """The namespaces and names one SRU version uses."""

    version: str
    ns: str
    scan_ns: str
    diag_ns: str

    @property
    def v2(self) -> bool:
        return self.version == "2.0"


V12 = Dialect("1.2", SRW, SRW, SRW_DIAG)
V20 = Dialect("2.0", SRU2, SRU2_SCAN, SRU2_DIAG)


def _root(name: str, dialect: Dialect) -> etree._Element:
    ns = dialect.scan_ns if name == "scanResponse" else dialect.ns
    prefix = "scan" if name == "scanResponse" and dialect.v2 else "srw"
    root = etree.Element(f"{{{ns}}}{name}", nsmap={prefix: ns})
    etree.SubElement(root, f"{{{ns}}}version").text = dialect.version
    return root


def _failure(name: str, dialect: Dialect, exc: SruError) -> bytes:
    root = _root(name, dialect)
    ns = root.nsmap[root.prefix]
    if name == "searchRetrieveResponse":
        etree.SubElement(root, f"{{{ns}}}numberOfRecords").text = "0"
    _diagnostics(root, ns, dialect, [exc.diagnostic])
    return _bytes(root)


class SruServer:
    def __init__(self, services: InteropServices) -> None:
        self.services = services

    def respond(self, args: Mapping[str, str], base_url: str) -> bytes:
        version = args.get("version")
        dialect = V20 if version == "2.0" else V12
        operation = args.get("operation") or (
            "searchRetrieve" if "query" in args else "scan" if "scanClause" in args else "explain"
        )
        if version is not None and version not in VERSIONS:
            return _failure("explainResponse", V12, _bad(5, "Unsupported version", "1.2"))
        name = {
            "searchRetrieve": "searchRetrieveResponse",
            "scan": "scanResponse",
            "explain": "explainResponse",
        }.get(operation)
        if name is None:
            return _failure("explainResponse", dialect, _bad(4, "Unsupported operation", operation))
        refused = sru_parameters.check(operation, args, v2=dialect.v2)
        if refused is not None:
            return _failure(name, dialect, SruError(refused))
        try:
            if operation == "searchRetrieve":
                root = self._search(args, dialect)
            elif operation == "scan":
                root = self._scan(args, dialect)
            else:
                root = self._explain(dialect, base_url)
        except SruError as exc:
            return _failure(name, dialect, exc)
        return _bytes(root)

    # --- searchRetrieve ----------------------------------------------------------------------

    def _search(self, args: Mapping[str, str], dialect: Dialect) -> etree._Element:
        query = args.get("query", "").strip()
        if not query:
            raise _bad(7, "Mandatory parameter not supplied", "query")
        start = _int(args, "startRecord", 1, low=1)
        maximum = _int(args, "maximumRecords", DEFAULT_RECORDS, low=0)
        if maximum > MAX_RECORDS:
            raise _bad(6, "Unsupported parameter value", f"maximumRecords (at most {MAX_RECORDS})")
        schema = _schema(args.get("recordSchema"))
        packing = _packing(args, dialect)
        if "recordXPath" in args:
            raise _bad(72, "XPath retrieval unsupported", "recordXPath")
        parsed = cql.parse(query)
        if isinstance(parsed, Diagnostic):
            raise SruError(parsed)
        parsed = _with_sort_keys(parsed, args.get("sortKeys", ""))
        plan = cql_search.plan(parsed, cql_version=_cql_version(args))
        if isinstance(plan, Diagnostic):
            raise SruError(plan)
        total, ids = self._run(plan, start, maximum)
        if maximum and total and start > total:
            raise _bad(61, "First record position out of range", str(start))
        root = _root("searchRetrieveResponse", dialect)
        ns = dialect.ns
        etree.SubElement(root, f"{{{ns}}}numberOfRecords").text = str(total)
        if ids:
            records = etree.SubElement(root, f"{{{ns}}}records")
            for position, record_id in enumerate(ids, start=start):
                self._record(records, ns, dialect, record_id, schema, packing, position)
        following = start + len(ids)
        if ids and following <= min(total, DEEPEST):
            etree.SubElement(root, f"{{{ns}}}nextRecordPosition").text = str(following)
        return root

    def _run(self, plan: cql_search.Plan, start: int, maximum: int) -> tuple[int, list[int]]:
        """(hit count, record ids at positions start .. start+maximum-1)."""
        if plan.record_ids is not None:
            found = [
                rid
                for rid in dict.fromkeys(plan.record_ids)
                if rid <= RECORD_ID_MAX  # a larger id names no record
                and any(
                    not r.deleted
                    for r in self.services.catalogue.changed_records(
                        ChangeQuery(record_id=rid), limit=1
                    )
                )
            ]
            return len(found), found[start - 1 : start - 1 + maximum]
        if start > DEEPEST:
            raise _bad(61, "First record position out of range", f"{start} (deepest {DEEPEST})")
        end = min(start + maximum, DEEPEST + 1)  # exclusive
        first_page = (start - 1) // PAGE + 1
        last_page = max(first_page, (end - 2) // PAGE + 1)
        total, ids = 0, []
        for page in range(first_page, last_page + 1):
            request = SearchRequest(
                q=plan.q,
                sort=plan.sort,
                page=page,
                size=PAGE,
                group=False,
                facets=False,
                reverse=plan.reverse,
            )
            try:
                result = self.services.search.search(request)
            except ShelfwiseError as exc:  # the index is being built: not "0 records"
                raise _bad(2, "System temporarily unavailable", exc.message("en")) from exc
            total = result.total_records
            ids += [w.records[0].record_id for w in result.works]
        offset = start - 1 - (first_page - 1) * PAGE
        return total, ids[offset : offset + max(0, end - start)]

    def _record(
        self,
        parent: etree._Element,
        ns: str,
        dialect: Dialect,
        record_id: int,
        schema: str,
        packing: str,
        position: int,
    ) -> None:
        found = self.services.catalogue.changed_records(ChangeQuery(record_id=record_id), limit=1)
        element = self._element(found[0], schema, dialect) if found else None
        surrogate = element is not None and element.tag == f"{{{dialect.diag_ns}}}diagnostic"
        record = etree.SubElement(parent, f"{{{ns}}}record")
        etree.SubElement(record, f"{{{ns}}}recordSchema").text = (
            SURROGATE if surrogate else SCHEMAS[schema]
        )
        packing_name = "recordXMLEscaping" if dialect.v2 else "recordPacking"
        etree.SubElement(record, f"{{{ns}}}{packing_name}").text = packing
        data = etree.SubElement(record, f"{{{ns}}}recordData")
        if element is not None:
            if packing == "string":
                data.text = etree.tostring(element, encoding="unicode")
            else:
                data.append(element)
        etree.SubElement(record, f"{{{ns}}}recordPosition").text = str(position)

    @staticmethod
    def _element(changed: ChangedRecord, schema: str, dialect: Dialect) -> etree._Element:
        if schema == "marcxml":
            return record_to_element(changed.marc21())
        if schema == "dc":
            return dublin_core.srw_dc(changed.description, changed.id)
        original = changed.unimarc()
        if original is not None:
            return record_to_element(original, namespace=UNIMARCXML)
        diagnostic = etree.Element(
            f"{{{dialect.diag_ns}}}diagnostic",
            nsmap={"diag": dialect.diag_ns},
        )
        etree.SubElement(diagnostic, f"{{{dialect.diag_ns}}}uri").text = "info:srw/diagnostic/1/67"
        etree.SubElement(
            diagnostic, f"{{{dialect.diag_ns}}}details"
        ).text = f"{changed.dialect}: ask for marcxml"
        etree.SubElement(
            diagnostic, f"{{{dialect.diag_ns}}}message"
        ).text = "Record not available in this schema"
        return diagnostic

    # --- scan --------------------------------------------------------------------------------

    def _scan(self, args: Mapping[str, str], dialect: Dialect) -> etree._Element:
        clause_text = args.get("scanClause", "").strip()
        if not clause_text:
            raise _bad(7, "Mandatory parameter not supplied", "scanClause")
        position = _int(args, "responsePosition", 1, low=0)
        count = _int(args, "maximumTerms", DEFAULT_TERMS, low=1)
        if count > MAX_TERMS:
            raise _bad(6, "Unsupported parameter value", f"maximumTerms (at most {MAX_TERMS})")
        if position > count + 1:
            raise _bad(120, "Response position out of range", str(position))
        parsed = cql.parse(clause_text)
        if isinstance(parsed, Diagnostic):
            raise SruError(parsed)
        node, target = _scan_target(parsed)
        if target not in ("title", "author"):
            raise _bad(16, "Unsupported index", f"{node.index} (scan: titles and authors)")
        if node.relation.base not in ("=", "==", "exact") or node.relation.modifiers:
            raise _bad(19, "Unsupported relation", node.relation.base)
        before = max(0, position - 1)
        try:
            headings = self.services.search.headings(
                target, node.term, preceding=before, count=max(0, count - before)
            )
            terms = [(h, self._hits(node, h, args)) for h in headings]
        except ShelfwiseError as exc:  # the index is being built
            raise _bad(2, "System temporarily unavailable", exc.message("en")) from exc
        root = _root("scanResponse", dialect)
        ns = dialect.scan_ns
        if terms:
            listing = etree.SubElement(root, f"{{{ns}}}terms")
            for value, hits in terms:
                term = etree.SubElement(listing, f"{{{ns}}}term")
                etree.SubElement(term, f"{{{ns}}}value").text = dublin_core.xml_safe(value)
                etree.SubElement(term, f"{{{ns}}}numberOfRecords").text = str(hits)
                etree.SubElement(term, f"{{{ns}}}displayTerm").text = dublin_core.xml_safe(value)
        return root

    def _hits(self, clause: cql.SearchClause, heading: str, args: Mapping[str, str]) -> int:
        """What a search for the heading on the scanned index finds (so the two agree)."""
        relation = cql.Relation("==" if clause.relation.base != "=" else "=")
        search = cql.SearchClause(clause.index or "dc.title", relation, _escaped(heading))
        plan = cql_search.plan(cql.CqlQuery(search), cql_version=_cql_version(args))
        return 0 if isinstance(plan, Diagnostic) else self.services.search.count(plan.q)

    # --- explain -----------------------------------------------------------------------------

    def _explain(self, dialect: Dialect, base_url: str) -> etree._Element:
        root = _root("explainResponse", dialect)
        ns = dialect.ns
        record = etree.SubElement(root, f"{{{ns}}}record")
        etree.SubElement(record, f"{{{ns}}}recordSchema").text = sru_explain.ZEEREX
        packing_name = "recordXMLEscaping" if dialect.v2 else "recordPacking"
        etree.SubElement(record, f"{{{ns}}}{packing_name}").text = "xml"
        data = etree.SubElement(record, f"{{{ns}}}recordData")
        title = self.services.library_name
        data.append(sru_explain.explain_record(title, base_url, SCHEMAS, limits=LIMITS))
        return root


# --- helpers -------------------------------------------------------------------------------------


def _diagnostics(
    root: etree._Element, ns: str, dialect: Dialect, diagnostics: list[Diagnostic]
) -> None:
    holder = etree.SubElement(root, f"{{{ns}}}diagnostics")
    for diag in diagnostics:
        el = etree.SubElement(
            holder, f"{{{dialect.diag_ns}}}diagnostic", nsmap={"diag": dialect.diag_ns}
        )
        etree.SubElement(el, f"{{{dialect.diag_ns}}}uri").text = diag.uri
        if diag.details:
            etree.SubElement(el, f"{{{dialect.diag_ns}}}details").text = dublin_core.xml_safe(
                diag.details
            )
        etree.SubElement(el, f"{{{dialect.diag_ns}}}message").text = diag.message


def _int(args: Mapping[str, str], name: str, default: int, *, low: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) < low:
        raise _bad(6, "Unsupported parameter value", name)
    return int(raw)


def _schema(name: str | None) -> str:
    if name is None or name == "":
        return "marcxml"
    short = _SCHEMA_NAMES.get(name) or _SCHEMA_NAMES.get(name.casefold())
    if short is None:
        raise _bad(66, "Unknown schema for retrieval", name)
    return short


def _packing(args: Mapping[str, str], dialect: Dialect) -> str:
    name = "recordXMLEscaping" if dialect.v2 else "recordPacking"
    packing = args.get(name) or "xml"
    if packing not in ("xml", "string"):
        raise _bad(71, "Unsupported record packing", packing)
    return packing


def _scan_target(parsed: cql.CqlQuery) -> tuple[cql.SearchClause, str]:
    """The scan clause and the field it browses (prefix assignments honoured)."""
    node, prefixes, default = parsed.root, dict(context_sets.CONTEXT_SETS), context_sets.LOCAL
    while isinstance(node, cql.Prefixed):
        for name, uri in node.assignments:
            if name is None:
                default = uri
            else:
                prefixes[name.casefold()] = uri
        node = node.query
    if not isinstance(node, cql.SearchClause):
        raise _bad(48, "Query feature unsupported", "scan takes one index, relation and term")
    target = context_sets.resolve_index(node.index or "dc.title", prefixes, default)
    if isinstance(target, Diagnostic):
        raise SruError(target)
    return node, target


def _cql_version(args: Mapping[str, str]) -> str:
    """SRU 1.1 speaks CQL 1.1; SRU 1.2 and 2.0 speak CQL 1.2 (``=`` on words: adjacency)."""
    return "1.1" if args.get("version") == "1.1" else "1.2"


def _escaped(term: str) -> str:
    """A heading as a CQL term: its own masking characters are literal."""
    return "".join("\\" + ch if ch in '\\*?^"' else ch for ch in term)


def _with_sort_keys(query: cql.CqlQuery, value: str) -> cql.CqlQuery:
    """``sortKeys`` (SRU 1.1's form, or CQL's sortBy form as SRU 2.0 clients send it)."""
    if not value.strip():
        return query
    keys = sorting.parse_sort_keys(value)
    if isinstance(keys, Diagnostic):
        raise SruError(keys)
    if query.sort:
        raise _bad(8, "Unsupported parameter", "sortKeys with a sortBy clause: give one of them")
    return cql.CqlQuery(query.root, keys)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def method_not_allowed(method: str, allow: str) -> Response:
    """405 for an HTTP method SRU does not use, as an SRU response with a diagnostic."""
    error = _bad(4, "Unsupported operation", f"HTTP {method}: SRU is requested with {allow}")
    body = _failure("explainResponse", V12, error)
    return Response(
        body, status_code=405, media_type="text/xml; charset=utf-8", headers={"Allow": allow}
    )


def install(app: FastAPI, services: InteropServices) -> None:
    """``/sru`` on ``app``, answered by one server over ``services`` (kept on ``app.state``)."""
    app.state.sru = SruServer(services)
    app.include_router(router)


def server_of(request: Request) -> SruServer:
    server: SruServer = request.app.state.sru
    return server


router = APIRouter(tags=["interop"])


@router.api_route("/sru", methods=["GET", "POST"], include_in_schema=False)
async def handle(request: Request, server: Annotated[SruServer, Depends(server_of)]) -> Response:
    """``GET``/``POST /sru``: a repeated parameter counts once (the first)."""
    args = dict(request.query_params)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", "replace")
        args.update(parse_qsl(body, keep_blank_values=True))
    base_url = str(request.url.replace(query=""))
    return Response(server.respond(args, base_url), media_type="text/xml; charset=utf-8")
