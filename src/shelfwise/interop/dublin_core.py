"""Dublin Core of a record, from its normalised description (the MARC master's mapping).

One list of (element, value) pairs, rendered as OAI-PMH ``oai_dc`` or as SRU's
``info:srw/schema/1/dc-v1.1``. Records of every dialect (MARC 21, CNMARC,
KORMARC) give the same elements, because the description is dialect-free. A digital
object has its own elements (``object_oai_dc``): captions and alt texts per language with
``xml:lang``, its rights statement and access rule, its IIIF manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from shelfwise.marc.control_characters import xml_text
from shelfwise.media.models import MediaObject

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


# --- digital objects (issue 17) ----------------------------------------------------------
_OBJECT_TYPES = {"image": "StillImage", "pdf": "Text", "audio": "Sound", "video": "MovingImage"}
_ACCESS = {
    "open": "Open to everyone",
    "signed_in": "Open to signed-in readers of the library",
    "on_site": "On site only, at branch {branch}",
    "staff": "Library staff only",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def object_elements(item: MediaObject, origin: str) -> list[tuple[str, str, str | None]]:
    """(DC element, value, language) of a digital object: its captions as titles and alt
    texts as descriptions per language, its DCMI type and format, its rights statement URI
    and who may see it, its IIIF manifest (image, PDF) or file, and the record it belongs to."""
    out: list[tuple[str, str, str | None]] = []
    for lang, text in sorted(item.texts.items()):
        out.append(("title", text.caption, lang))
    if not any(t.caption.strip() for t in item.texts.values()):
        out.append(("title", item.name, None))
    for lang, text in sorted(item.texts.items()):
        out.append(("description", text.alt, lang))
    out.append(("type", _OBJECT_TYPES[item.kind], None))
    out.append(("format", item.content_type, None))
    out.append(("date", item.created_at.strftime("%Y-%m-%d"), None))
    out.append(("rights", item.rights, None))
    out.append(("rights", _ACCESS[item.access.value].format(branch=item.branch_code), "en"))
    if item.kind in ("image", "pdf"):
        out.append(("identifier", f"{origin}/iiif/manifest/object/{item.id}", None))
    out.append(("identifier", f"{origin}/media/{item.id}/original", None))
    out.append(("identifier", f"shelfwise:media:{item.id}", None))
    if item.record_id is not None:
        out.append(("relation", f"shelfwise:record:{item.record_id}", None))
    return [(name, value, lang) for name, value, lang in out if value.strip()]


def object_oai_dc(item: MediaObject, origin: str) -> etree._Element:
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_XSD}")
    for name, value, lang in object_elements(item, origin):
        element = etree.SubElement(root, f"{{{DC}}}{name}")
        element.text = xml_safe(value)
        if lang is not None:
            element.set(XML_LANG, lang)
    return root
