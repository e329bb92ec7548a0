"""An SRU client for other libraries' catalogues (copy cataloguing, the wish wall's lookups).

``SruClient().search(target, query, maximum=10)`` sends one searchRetrieve (SRU 1.1, 1.2
or 2.0, HTTP GET) and returns a :class:`~shelfwise.catalogue.remote.RemoteResult`: the
hit count and the records decoded from MARCXML (MARC 21 slim, MarcXchange, CNMARC-XML,
packed as XML or as an escaped string) with the dialect each is in. ``query`` is CQL, or
:class:`~shelfwise.catalogue.remote.Words` that become one quoted CQL term.

Anything that stops an answer (no connection, a timeout, HTTP errors, XML that does not
parse, an SRU diagnostic such as an unsupported index) raises
:class:`~shelfwise.catalogue.remote.RemoteSearchError` with a reason a cataloguer can
read; a single record that cannot be decoded is listed in ``unreadable`` and the others
are kept. The XML parser resolves no entities and fetches nothing (a remote answer is
untrusted input).
"""

from __future__ import annotations

import httpx
from lxml import etree

from shelfwise.catalogue.remote import (
    MAX_RECORDS,
    RemoteRecord,
    RemoteResult,
    RemoteSearchError,
    Target,
    Words,
)
from shelfwise.marc.detection import dialect_of_record
from shelfwise.marc.marcxml import MARC_NAMESPACES, record_from_element

_USER_AGENT = "Shelfwise copy cataloguing (SRU client)"


def cql_of(query: str | Words) -> str:
    """CQL as sent: CQL unchanged, words as one quoted term (quotes and backslashes escaped)."""
    if isinstance(query, Words):
        text = " ".join(query.text.split())
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return query.strip()


class SruClient:
    """Stateless; one :class:`httpx.Client` per search (targets are few and far apart)."""

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        self._transport = transport  # tests may hand in a mock transport; none = the network

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult:
        cql = cql_of(query)
        if not cql:
            raise RemoteSearchError(target, "the query is empty")
        params = {
            "operation": "searchRetrieve",
            "version": target.sru_version,
            "query": cql,
            "maximumRecords": str(max(0, min(maximum, MAX_RECORDS))),
            "recordSchema": target.record_schema,
        }
        if target.sru_version != "2.0":
            params["recordPacking"] = "xml"
        body = self._get(target, params)
        return parse_response(target, cql, body)

    def _get(self, target: Target, params: dict[str, str]) -> bytes:
        try:
            with httpx.Client(
                timeout=target.timeout_seconds,
                follow_redirects=True,
                headers={"User-Agent": _USER_AGENT},
                transport=self._transport,
            ) as client:
                answer = client.get(target.address, params=params)
        except httpx.TimeoutException as exc:
            raise RemoteSearchError(
                target, f"no answer within {target.timeout_seconds:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise RemoteSearchError(target, f"cannot connect ({type(exc).__name__})") from exc
        if answer.status_code != 200:
            raise RemoteSearchError(target, f"the server answered HTTP {answer.status_code}")
        return answer.content


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag[:1] == "{" else ""


def parse_response(target: Target, query: str, body: bytes) -> RemoteResult:
    """A searchRetrieveResponse (SRU 1.x or 2.0) as a :class:`RemoteResult`."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise RemoteSearchError(target, f"the answer is not XML ({exc})") from exc
    if _local(root.tag) != "searchRetrieveResponse":
        raise RemoteSearchError(target, f"the answer is a {_local(root.tag)!r}, not an SRU one")
    diagnostics = [d for d in root if _local(d.tag) == "diagnostics"]
    total_text = next((c.text for c in root if _local(c.tag) == "numberOfRecords"), None)
    holder = next((c for c in root if _local(c.tag) == "records"), None)
    # A fatal diagnostic comes with no records (servers still say numberOfRecords 0); one
    # beside records is a warning (a record not available in the schema) and they are kept.
    if diagnostics and (holder is None or len(holder) == 0):
        raise RemoteSearchError(target, _diagnostic_text(diagnostics[0]))
    try:
        total = int((total_text or "").strip())
    except ValueError as exc:
        raise RemoteSearchError(target, "the answer has no numberOfRecords") from exc
    result = RemoteResult(target, query, total)
    for position, wrapper in enumerate(
        (w for w in (holder if holder is not None else []) if _local(w.tag) == "record"), 1
    ):
        _add_record(result, wrapper, position)
    return result


def _diagnostic_text(diagnostics: etree._Element) -> str:
    first = next(iter(diagnostics), None)
    if first is None:
        return "the server sent an empty diagnostic"
    parts = {_local(c.tag): (c.text or "").strip() for c in first}
    uri = parts.get("uri", "")
    number = uri.rsplit("/", 1)[-1] if uri else "?"
    words = " ".join(p for p in (parts.get("message"), parts.get("details")) if p)
    return f"SRU diagnostic {number}: {words or uri}"


def _add_record(result: RemoteResult, wrapper: etree._Element, position: int) -> None:
    fields = {_local(c.tag): c for c in wrapper}
    given = fields.get("recordPosition")
    if given is not None and (given.text or "").strip().isdigit():
        position = int((given.text or "").strip())
    data = fields.get("recordData")
    if data is None:
        result.unreadable.append(f"record {position}: no recordData")
        return
    marc = _marc_element(data)
    if marc is None:
        schema = (fields["recordSchema"].text or "") if "recordSchema" in fields else ""
        result.unreadable.append(f"record {position}: no MARC record in it ({schema.strip()})")
        return
    read = record_from_element(marc)
    if isinstance(read, str):
        result.unreadable.append(f"record {position}: {read}")
        return
    record, repairs = read
    dialect = dialect_of_record(record)
    result.records.append(RemoteRecord(position, record, dialect, tuple(repairs)))


def _marc_element(data: etree._Element) -> etree._Element | None:
    """The MARC ``record`` inside recordData, packed as XML or as an escaped string."""
    for element in data.iter():
        in_marc = _namespace(element.tag) in MARC_NAMESPACES
        if _local(element.tag) == "record" and in_marc and element is not data:
            return element
    text = (data.text or "").strip()
    if text.startswith("<"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            inner = etree.fromstring(text.encode("utf-8"), parser)
        except etree.XMLSyntaxError:
            return None
        for element in inner.iter():
            if _local(element.tag) == "record":
                return element
    return None
