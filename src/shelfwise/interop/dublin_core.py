"""Dublin Core of a record, from its normalised description (the MARC master's mapping).

One list of (element, value) pairs, rendered as OAI-PMH ``oai_dc`` or as SRU's
``info:srw/schema/1/dc-v1.1``. Records of every dialect (MARC 21, CNMARC,
KORMARC) give the same elements, because the description is dialect-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from shelfwise.marc.control_characters import xml_text

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SRW_DC = "info:srw/schema/1/dc-schema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_TYPES = {
    "book": "Text",
    "serial": "Text",
    "map": "Image",
    "music": "Sound",
    "video": "MovingImage",
}


def elements(description: Mapping[str, Any], record_id: int) -> list[tuple[str, str]]:
    """(DC element, value) pairs in the usual order; empty values left out."""
    d = description
    out: list[tuple[str, str]] = [("title", str(d.get("title") or ""))]
    out += [("title", str(t)) for t in d.get("parallel_titles", [])]
    agents = d.get("agents", [])
    # the main entry is the creator; with none marked, the first agent named
    main = [a for a in agents if a.get("primary")] or agents[:1]
    out += [("creator", str(a["name"])) for a in main]
    out += [("contributor", str(a["name"])) for a in agents if a not in main]
    out += [("subject", str(s)) for s in d.get("subjects", [])]
    out += [("subject", f"{c['scheme']}:{c['number']}") for c in d.get("classifications", [])]
    out += [("description", str(n)) for n in d.get("notes", [])]
    out.append(("publisher", str(d.get("publisher") or "")))
    if d.get("year"):
        out.append(("date", str(d["year"])))
    material = str(d.get("material_type") or "book")
    out.append(("type", _TYPES.get(material, "Text")))
    out += [("identifier", f"urn:isbn:{i}") for i in d.get("isbns", [])]
    out.append(("identifier", f"shelfwise:record:{record_id}"))
    out += [("language", str(code)) for code in d.get("languages", [])]
    out += [("relation", str(s)) for s in d.get("series", [])]
    return [(name, value) for name, value in out if value.strip()]


def oai_dc(description: Mapping[str, Any], record_id: int) -> etree._Element:
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_XSD}")
    _fill(root, description, record_id)
    return root


def srw_dc(description: Mapping[str, Any], record_id: int) -> etree._Element:
    root = etree.Element(f"{{{SRW_DC}}}dc", nsmap={"srw_dc": SRW_DC, "dc": DC})
    _fill(root, description, record_id)
    return root


def _fill(root: etree._Element, description: Mapping[str, Any], record_id: int) -> None:
    for name, value in elements(description, record_id):
        etree.SubElement(root, f"{{{DC}}}{name}").text = xml_safe(value)


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 forbids (control characters a MARC source may carry)."""
    return xml_text(text)
