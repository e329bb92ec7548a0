"""MARCXML: a streaming reader (lxml pull parser) and a streaming writer.

Records are ``record`` elements in one of :data:`MARC_NAMESPACES` (MARC 21
slim, none, CNMARC-XML ``http://www.nlc.cn/``, the SRU ``unimarcxml`` schema,
MARCXchange) wherever they sit: bare, in a ``collection``, inside an SRU
``searchRetrieveResponse`` or an OAI-PMH response. SRU and OAI-PMH wrappers that
hold no MARC record (a deleted OAI record, Dublin Core metadata) are reported as
rejections, so that nothing in a harvest disappears silently.

Memory stays flat: each record element is cleared, and finished siblings
dropped, as soon as it has been turned into a :class:`Record`.

Offsets: lxml does not tell where an element starts, so the offset given for a
record is the file position of the 64 KiB chunk being parsed when the record's
start tag was seen. The record starts at or after that offset, within one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from shelfwise.marc.control_characters import repair
from shelfwise.marc.record import LEADER_LENGTH, Field, Record

SLIM = "http://www.loc.gov/MARC21/slim"
SLIM_XSD = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
# ISO 25577 MarcXchange: MARCXML's shape for any MARC format (format="UNIMARC").
MARCXCHANGE = "info:lc/xmlns/marcxchange-v1"
MARCXCHANGE_XSD = "http://www.loc.gov/standards/iso25577/marcxchange-1-1.xsd"
# UNIMARC XML as Aleph and dp2 SRU servers serve it (recordSchema unimarcxml).
UNIMARCXML = "info:srw/schema/8/unimarcxml-v0.1"
MARC_NAMESPACES = frozenset(
    {
        "",
        SLIM,
        "http://www.nlc.cn/",  # CNMARC-XML as served by Chinese SRU servers
        "info:srw/schema/8/unimarcxml-v0.1",
        "info:lc/xmlns/marcxchange-v1",
        "info:lc/xmlns/marcxchange-v2",
    }
)
_WRAPPER_CHILDREN = frozenset({"header", "metadata", "recordData", "recordSchema"})
CHUNK = 1 << 16

# What the readers yield: offset, raw bytes, and a record with its repairs or a reason.
Item = tuple[int, bytes, tuple[Record, list[str]] | str]


def _split(tag: object) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "#", ""  # comment or processing instruction
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


_MARC_CHILDREN = frozenset({"leader", "controlfield", "datafield"})


def _is_wrapper(elem: etree._Element) -> bool:
    return any(_split(c.tag)[1] in _WRAPPER_CHILDREN for c in elem)


def _is_marc_record(elem: etree._Element) -> bool:
    """A ``record`` in a MARC namespace, or in any namespace if it has MARC children."""
    ns, local = _split(elem.tag)
    if local != "record" or _is_wrapper(elem):
        return False
    return ns in MARC_NAMESPACES or any(_split(c.tag)[1] in _MARC_CHILDREN for c in elem)


def record_from_element(elem: etree._Element) -> tuple[Record, list[str]] | str:
    """A record and its repairs, or the reason it cannot be read."""
    leader: str | None = None
    fields: list[Field] = []
    repairs: list[str] = []
    for child in elem:
        local = _split(child.tag)[1]
        if local == "leader":
            leader = child.text or ""
        elif local == "controlfield":
            tag = child.get("tag")
            if tag is None:
                return "a controlfield has no tag attribute, so the field cannot be placed"
            fields.append(Field(tag, "  ", [], child.text or ""))
        elif local == "datafield":
            made = _datafield(child, repairs)
            if isinstance(made, str):
                return made
            fields.append(made)
    if leader is None and not fields:
        return "the record element is empty: no leader and no fields"
    if leader is None:
        repairs.append("no leader; used a blank one")
        leader = Record().leader
    elif len(leader) != LEADER_LENGTH:
        repairs.append(f"leader is {len(leader)} characters, not 24; padded or cut to 24")
        leader = (leader + " " * LEADER_LENGTH)[:LEADER_LENGTH]
    return Record(leader, fields), repairs


def _datafield(child: etree._Element, repairs: list[str]) -> Field | str:
    tag = child.get("tag")
    if tag is None:
        return "a datafield has no tag attribute, so the field cannot be placed"
    ind = []
    for name in ("ind1", "ind2"):
        value = child.get(name)
        if value is None or len(value) != 1:
            repairs.append(f"field {tag} {name} is {value!r}; used a blank")
            value = " "
        ind.append(value)
    subfields = []
    for sf in child:
        if _split(sf.tag)[1] != "subfield":
            continue
        code = sf.get("code")
        if code is None:
            return f"a subfield of field {tag} has no code attribute"
        subfields.append((code, sf.text or ""))
    return Field(tag, "".join(ind), subfields)


def _wrapper_reason(elem: etree._Element) -> str:
    """Why a ``record`` element that is not MARC (an SRU/OAI wrapper, say) gave nothing."""
    children = {_split(c.tag)[1]: c for c in elem if isinstance(c.tag, str)}
    if "header" in children:
        header = children["header"]
        ident = next((c.text for c in header if _split(c.tag)[1] == "identifier"), None)
        if header.get("status") == "deleted":
            return f"OAI-PMH record {ident} is marked deleted in the source: nothing to import"
        meta = children.get("metadata")
        kinds = (
            [_split(c.tag)[1] for c in meta if isinstance(c.tag, str)] if meta is not None else []
        )
        kind = kinds[0] if kinds else "no"
        return (
            f"OAI-PMH record {ident} carries {kind} metadata, not MARC; "
            "harvest with a MARC metadataPrefix (marc21 / marcxml)"
        )
    if "recordData" in children:
        schema = children.get("recordSchema")
        name = schema.text if schema is not None else "unknown"
        return f"SRU record in schema {name!r} holds no MARC record"
    ns = _split(elem.tag)[0]
    return f"a <record> element in namespace {ns!r} with no MARC fields: not MARCXML"


def _string_packed(elem: etree._Element) -> list[etree._Element]:
    """MARC records inside an SRU ``recordPacking=string`` recordData, if any."""
    for child in elem:
        if _split(child.tag)[1] == "recordData" and (child.text or "").strip().startswith("<"):
            try:
                inner = etree.fromstring((child.text or "").strip().encode("utf-8"), _safe_parser())
            except etree.XMLSyntaxError:
                return []
            return [e for e in inner.iter() if _is_marc_record(e)]
    return []


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True)


def iter_records(stream: BinaryIO, *, chunk_size: int = CHUNK) -> Iterator[Item]:
    """Yield every MARC record (or the reason it was rejected) in document order."""
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, remove_comments=True
    )
    offset = 0
    state = _State()
    first, wrapped = True, False
    while True:
        chunk = stream.read(chunk_size)
        try:
            if first:
                opened, wrapped = _open_wrapper(chunk)
                parser.feed(opened)
                first = False
            elif chunk:
                parser.feed(chunk)
            if not chunk:
                if wrapped:
                    parser.feed(_WRAPPER_CLOSE)
                parser.close()
        except etree.XMLSyntaxError as err:
            yield from state.handle(parser.read_events(), offset)
            where = f"{state.yielded} record(s) were read before the error"
            yield offset, chunk[:4096], f"the file is not well-formed XML ({err}); {where}"
            return
        yield from state.handle(parser.read_events(), offset)
        if not chunk:
            return
        offset += len(chunk)


_WRAPPER_OPEN = b"<shelfwise-wrapper>"
_WRAPPER_CLOSE = b"</shelfwise-wrapper>"


def _open_wrapper(first: bytes) -> tuple[bytes, bool]:
    """Put the document inside one synthetic root element, after the XML declaration.

    Exports often concatenate ``<record>`` elements with no collection around
    them, which is not well-formed XML; with a root of our own they parse. Not
    done when a DOCTYPE must come first, or for UTF-16 (the tag is ASCII).
    """
    if not first or b"<!DOCTYPE" in first[:4096] or b"\x00" in first[:4]:
        return first, False
    body = first.lstrip(b"\xef\xbb\xbf \t\r\n")
    cut = len(first) - len(body)
    if body.startswith(b"<?xml"):
        end = body.find(b"?>")
        if end < 0:
            return first, False
        cut += end + 2
    return first[:cut] + _WRAPPER_OPEN + first[cut:], True


class _State:
    """Bookkeeping across pull-parser events: where records started, how many were read."""

    def __init__(self) -> None:
        self.yielded = 0
        self.open: list[tuple[int, int]] = []  # (chunk offset, yielded at start) per open record

    def handle(self, events: Iterator[tuple[str, object]], offset: int) -> Iterator[Item]:
        for event, elem in events:
            if not isinstance(elem, etree._Element) or _split(elem.tag)[1] != "record":
                continue
            if event == "start":
                self.open.append((offset, self.yielded))
                continue
            start, before = self.open.pop() if self.open else (offset, self.yielded)
            if _is_marc_record(elem):
                raw = etree.tostring(elem, encoding="utf-8")
                self.yielded += 1
                yield start, raw, record_from_element(elem)
            elif self.yielded == before:
                yield from self._wrapper(elem, start)
            _release(elem)

    def _wrapper(self, elem: etree._Element, start: int) -> Iterator[Item]:
        packed = _string_packed(elem)
        for inner in packed:
            self.yielded += 1
            yield start, etree.tostring(inner, encoding="utf-8"), record_from_element(inner)
        if not packed:
            self.yielded += 1
            yield start, etree.tostring(elem, encoding="utf-8")[:4096], _wrapper_reason(elem)


def _release(elem: etree._Element) -> None:
    elem.clear(keep_tail=True)  # type: ignore[call-arg]
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


# --------------------------------------------------------------------------- writing


def record_to_element(
    record: Record, *, namespace: str = SLIM, attributes: dict[str, str] | None = None
) -> etree._Element:
    """A ``<record>`` in the MARC 21 slim namespace (or ``namespace``: the same shape serves
    UNIMARC as MarcXchange or UNIMARC XML).

    Never fails on a stored record: characters XML cannot hold are repaired
    first (``control_characters.repair``), as they would have been on import.
    """
    record = repair(record)[0]
    q = f"{{{namespace}}}"
    root = etree.Element(q + "record", attrib=attributes or {}, nsmap={None: namespace})  # type: ignore[dict-item]
    etree.SubElement(root, q + "leader").text = record.leader
    for f in record.fields:
        if f.data is not None:
            el = etree.SubElement(root, q + "controlfield", tag=f.tag)
            el.text = f.data
            continue
        ind = (f.indicators + "  ")[:2]
        el = etree.SubElement(root, q + "datafield", tag=f.tag, ind1=ind[0], ind2=ind[1])
        for code, value in f.subfields:
            etree.SubElement(el, q + "subfield", code=code).text = value
    return root


def record_to_xml(record: Record) -> bytes:
    return etree.tostring(record_to_element(record), encoding="utf-8")


COLLECTION_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="' + SLIM.encode() + b'">\n'
)
COLLECTION_CLOSE = b"</collection>\n"


def record_in_collection(record: Record) -> bytes:
    """One record as a child of the writer's collection (the namespace is declared there)."""
    text = record_to_xml(record)
    return text.replace(b' xmlns="' + SLIM.encode() + b'"', b"", 1) + b"\n"
