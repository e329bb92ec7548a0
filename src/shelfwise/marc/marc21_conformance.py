"""Make any record valid MARC 21 slim: what the Library of Congress schema and MARC 21 demand.

The schema (MARC21slim.xsd) constrains the shape, not the content: a 24-character
leader of a given pattern, control fields (``00X``) before data fields, tags,
indicators and subfield codes from fixed alphabets, and at least one subfield in
every data field. Records from other systems break each of these (a leader with
``nam0`` and ``450 ``, a lower-case indicator from KORMARC, a field with a tag
like ``Fmt``, an empty ``245 10``). :func:`conform` repairs them the same way
every time, so that every door that promises MARC 21 (OAI-PMH ``marc21``, SRU
``marcxml``, the MARC 21 exports) can keep its promise; the original record is
never changed and stays available as it arrived.
"""

from __future__ import annotations

import re

from shelfwise.marc.record import LEADER_LENGTH, Field, Record

_CONTROL_TAG = re.compile(r"00[1-9A-Za-z]")
_DATA_TAG = re.compile(
    r"(0([1-9A-Z][0-9A-Z])|0([1-9a-z][0-9a-z]))|(([1-9A-Z][0-9A-Z]{2})|([1-9a-z][0-9a-z]{2}))"
)
_INDICATOR = re.compile(r"[0-9a-z ]")
_CODE = re.compile(r"[0-9A-Za-z!\"#$%&'()*+,\-./:;<=>?{}_^`~\[\]\\]")
# A field whose tag MARC 21 cannot carry keeps its text in a local note.
LOCAL_NOTE = "590"


def _leader(raw: str) -> str:
    lead = list((raw + " " * LEADER_LENGTH)[:LEADER_LENGTH])

    def keep(pos: int, allowed: str, default: str) -> None:
        if not (lead[pos].isascii() and (lead[pos].isalnum() or lead[pos] in allowed)):
            lead[pos] = default

    for pos in range(5):
        if not (lead[pos].isascii() and (lead[pos].isdigit() or lead[pos] == " ")):
            lead[pos] = "0"
    keep(5, " ", "n")
    keep(6, "", "a")
    for pos in (7, 8, 9, 17, 18, 19):
        keep(pos, " ", " ")
    for pos in range(12, 17):
        if not (lead[pos].isascii() and (lead[pos].isdigit() or lead[pos] == " ")):
            lead[pos] = "0"
    return "".join(lead[:10]) + "22" + "".join(lead[12:20]) + "4500"


def _data_tag(tag: str) -> str | None:
    if _DATA_TAG.fullmatch(tag):
        return tag
    upper = tag.upper()
    return upper if _DATA_TAG.fullmatch(upper) else None


def conform(record: Record) -> Record:
    """``record`` reshaped to validate against the MARC 21 slim schema (a new record)."""
    controls: list[Field] = []
    data: list[Field] = []
    for f in record.fields:
        if f.data is not None:
            _control(f, controls, data)
        else:
            _datafield(f, controls, data)
    return Record(_leader(record.leader), controls + data)


def _control(f: Field, controls: list[Field], data: list[Field]) -> None:
    if _CONTROL_TAG.fullmatch(f.tag):
        controls.append(Field(f.tag, "  ", [], f.data))
        return
    tag = _data_tag(f.tag)
    text = f.data or ""
    if not text:
        return
    if tag is not None and not tag.startswith("00"):
        data.append(Field(tag, "  ", [("a", text)]))
    else:
        data.append(Field(LOCAL_NOTE, "  ", [("a", f"{f.tag}: {text}")]))


def _datafield(f: Field, controls: list[Field], data: list[Field]) -> None:
    subfields = [(_code(c), v) for c, v in f.subfields]
    if not subfields:
        return  # the schema requires a subfield; an empty field carries nothing
    if _CONTROL_TAG.fullmatch(f.tag):
        # A control tag written as a data field: its text is its subfields' text.
        controls.append(Field(f.tag, "  ", [], "".join(v for _, v in subfields)))
        return
    tag = _data_tag(f.tag)
    if tag is None:
        text = " ".join(v for _, v in subfields if v)
        if text:
            data.append(Field(LOCAL_NOTE, "  ", [("a", f"{f.tag}: {text}")]))
        return
    ind = "".join(ch if _INDICATOR.fullmatch(ch) else " " for ch in (f.indicators + "  ")[:2])
    data.append(Field(tag, ind, subfields))


def _code(code: str) -> str:
    if len(code) == 1 and _CODE.fullmatch(code):
        return code
    return "?"
