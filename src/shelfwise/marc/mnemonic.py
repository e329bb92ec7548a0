"""MARC in MarcEdit's mnemonic text (``.mrk``): one line a field, what a cataloguer edits in a
plain text box when no field-by-field editor is at hand (copy cataloguing's review form).

    =LDR  00000nam a2200000 a 4500
    =001  ocm12345
    =245  10$aHistory of Heilongjiang /$cZhang San.

Blank indicators are ``\\``; a literal ``$`` in data is ``{dollar}``, a literal ``{`` stays
itself (MarcEdit's rule). :func:`read_lines` says which line is wrong and why, so a form
can show it; it never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shelfwise.marc.record import CONTROL_TAGS, LEADER_LENGTH, Field, Record

_LINE = re.compile(r"=(LDR|[0-9A-Za-z]{3})  (.*)")
DOLLAR = "{dollar}"


def _escape(text: str) -> str:
    return text.replace("$", DOLLAR)


def _unescape(text: str) -> str:
    return text.replace(DOLLAR, "$")


def write_lines(record: Record) -> str:
    lines = [f"=LDR  {_escape(record.leader)}"]
    for f in record.fields:
        if f.is_control:
            lines.append(f"={f.tag}  {_escape(f.data or '')}")
            continue
        indicators = "".join("\\" if c == " " else c for c in f.indicators)
        subfields = "".join(f"${code}{_escape(value)}" for code, value in f.subfields)
        lines.append(f"={f.tag}  {indicators}{subfields}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class LineError:
    line: int  # 1-based
    reason: str  # lint-like code: "line_form", "leader_length", "indicators", "no_subfields"


def read_lines(text: str) -> Record | list[LineError]:
    """The record the text describes, or every line that does not describe a field."""
    leader: str | None = None
    fields: list[Field] = []
    problems: list[LineError] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            problems.append(LineError(number, "line_form"))
            continue
        tag, body = match.groups()
        if tag == "LDR":
            leader = _unescape(body)
            if len(leader) != LEADER_LENGTH:
                problems.append(LineError(number, "leader_length"))
            continue
        if tag in CONTROL_TAGS:
            fields.append(Field(tag, "  ", [], _unescape(body)))
            continue
        indicators = body[:2].replace("\\", " ")
        if len(indicators) != 2 or body[2:3] != "$":
            problems.append(LineError(number, "indicators"))
            continue
        parts = body[3:].split("$")
        subfields = [(p[0], _unescape(p[1:])) for p in parts if p]
        if not subfields or any(not p for p in parts):
            problems.append(LineError(number, "no_subfields"))
            continue
        fields.append(Field(tag, indicators, subfields))
    if problems:
        return problems
    if leader is None:
        return [LineError(1, "leader_length")]
    return Record(leader, fields)
