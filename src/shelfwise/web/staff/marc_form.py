"""The MARC editor's form, to a record and back (pure; the routes are in marc_editor.py).

The whole record travels in one plain form, so the editor works without JavaScript:
each field ``i`` posts ``f{i}.tag``, its indicators ``f{i}.ind1``/``f{i}.ind2`` and its
subfields ``f{i}.s{j}.c``/``f{i}.s{j}.v`` (``f{i}.n`` of them), a control field its
``f{i}.data``. The buttons are submit buttons named ``op`` (``up-3``, ``down-3``,
``del-3``, ``sub-3``, ``add``, ``check``, ``save``): the server applies the one pressed
and shows the draft again, saving only on ``save``. A field whose tag is emptied, and
a subfield whose code and value are both emptied, are left out.

The helpers name the positions of the leader, 008 (MARC 21, KORMARC) and 100 $a
(UNIMARC/CNMARC); a helper's value replaces its positions only when it was changed on
the page (``h.<part>.<pos>.was`` is the value it was shown with), so typing in the raw
leader or 008 is not undone by a helper nobody touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shelfwise.marc.description import Dialect
from shelfwise.marc.record import Field, Record

MAX_FIELDS = 2000  # a form claiming more is cut here (a record has a few dozen)
MAX_SUBFIELDS = 200
_OP = re.compile(r"^(up|down|del|sub)-(\d{1,4})$")


@dataclass(frozen=True, slots=True)
class Position:
    key: str  # the message staff.marc.pos.<part>.<key> names it
    start: int
    end: int
    options: tuple[str, ...] = ()  # codes offered in a select (staff.marc.code.<part>.<code>)

    @property
    def width(self) -> int:
        return self.end - self.start


LEADER = (
    Position("05", 5, 6),
    Position("06", 6, 7, tuple("acdefgijkmoprt")),
    Position("07", 7, 8, tuple("abcdims")),
    Position("17", 17, 18),
    Position("18", 18, 19),
)
LEADER_UNIMARC = (
    Position("05", 5, 6),
    Position("06", 6, 7, tuple("abcdefgijklmr")),
    Position("07", 7, 8, tuple("acims")),
    Position("17", 17, 18),
    Position("18", 18, 19),
)
FIXED_008 = (
    Position("00", 0, 6),
    Position("06", 6, 7),
    Position("07", 7, 11),
    Position("11", 11, 15),
    Position("15", 15, 18),
    Position("35", 35, 38),
    Position("38", 38, 39),
    Position("39", 39, 40),
)
GENERAL_100 = (
    Position("0", 0, 8),
    Position("8", 8, 9),
    Position("9", 9, 13),
    Position("13", 13, 17),
    Position("17", 17, 20),
    Position("22", 22, 25),
    Position("26", 26, 30),
    Position("34", 34, 36),
)
BLANK_008 = " " * 40
BLANK_100A = " " * 36


@dataclass(frozen=True, slots=True)
class Helper:
    part: str  # "ldr", "008", "100"
    positions: tuple[Position, ...]
    value: str  # the text the positions are read from (leader, 008, 100 $a)


def helpers(record: Record, dialect: Dialect) -> list[Helper]:
    """The helpers the editor shows for this record in its dialect."""
    if dialect is Dialect.UNIMARC:
        found = next((f for f in record.fields if f.tag == "100" and not f.is_control), None)
        general = (found.first("a") if found else None) or BLANK_100A
        return [Helper("ldr", LEADER_UNIMARC, record.leader), Helper("100", GENERAL_100, general)]
    fixed = next((f.data for f in record.fields if f.tag == "008" and f.data is not None), None)
    return [Helper("ldr", LEADER, record.leader), Helper("008", FIXED_008, fixed or BLANK_008)]


def cut(value: str, position: Position) -> str:
    return value.ljust(position.end)[position.start : position.end]


@dataclass(slots=True)
class Draft:
    record: Record
    version: int
    op: str
    new_tag: str = ""
    bad_tag: bool = False  # "add" was pressed with a tag that is not three characters


def parse(form: Mapping[str, Any], dialect: Dialect) -> Draft:
    """The record as the form has it, after the helpers and the button pressed."""
    leader = _raw(form, "leader")
    rows: list[tuple[int, Field]] = []
    for i in range(min(_int(form, "count"), MAX_FIELDS)):
        tag = _raw(form, f"f{i}.tag").strip()
        if not tag:
            continue
        if f"f{i}.data" in form:
            rows.append((i, Field(tag, "  ", [], _raw(form, f"f{i}.data"))))
            continue
        subfields = []
        for j in range(min(_int(form, f"f{i}.n"), MAX_SUBFIELDS)):
            code = _raw(form, f"f{i}.s{j}.c").strip()
            value = _raw(form, f"f{i}.s{j}.v").replace("\r", "").replace("\n", " ")
            if code or value:
                subfields.append((code, value))
        indicators = _indicator(form, f"f{i}.ind1") + _indicator(form, f"f{i}.ind2")
        rows.append((i, Field(tag, indicators, subfields)))
    record = Record(leader, [f for _, f in rows])
    _apply_helpers(form, record, dialect)
    op = _raw(form, "op").strip() or "check"
    draft = Draft(record, _int(form, "version"), op)
    _apply_op(draft, rows, _raw(form, "new_tag").strip())
    return draft


def _apply_op(draft: Draft, rows: list[tuple[int, Field]], new_tag: str) -> None:
    fields = draft.record.fields
    if draft.op == "add":
        if len(new_tag) != 3:
            draft.bad_tag = True
            draft.new_tag = new_tag
            return
        made = (
            Field(new_tag, "  ", [], "")
            if new_tag.startswith("00")
            else Field(new_tag, "  ", [("a", "")])
        )
        at = next((k for k, f in enumerate(fields) if f.tag > new_tag), len(fields))
        fields.insert(at, made)
        return
    match = _OP.match(draft.op)
    if match is None:
        return
    action, index = match.group(1), int(match.group(2))
    k = next((k for k, (i, _) in enumerate(rows) if i == index), None)
    if k is None:
        return
    if action == "del":
        del fields[k]
    elif action == "sub" and not fields[k].is_control:
        fields[k].subfields.append(("", ""))
    elif action == "up" and k > 0:
        fields[k - 1], fields[k] = fields[k], fields[k - 1]
    elif action == "down" and k + 1 < len(fields):
        fields[k + 1], fields[k] = fields[k], fields[k + 1]


def _apply_helpers(form: Mapping[str, Any], record: Record, dialect: Dialect) -> None:
    for helper in helpers(record, dialect):
        text = helper.value
        changed = False
        for p in helper.positions:
            name = f"h.{helper.part}.{p.key}"
            if name not in form:
                continue
            value = _raw(form, name).replace("#", " ")
            if value != _raw(form, name + ".was").replace("#", " "):
                text = text.ljust(p.end)
                text = text[: p.start] + value.ljust(p.width)[: p.width] + text[p.end :]
                changed = True
        if changed:
            _write_helper(record, helper.part, text)


def _write_helper(record: Record, part: str, text: str) -> None:
    if part == "ldr":
        record.leader = text
        return
    fields = record.fields
    if part == "008":
        found = next((f for f in fields if f.tag == "008" and f.data is not None), None)
        if found is None:
            at = next((k for k, f in enumerate(fields) if f.tag > "008"), len(fields))
            fields.insert(at, Field("008", "  ", [], text))
        else:
            found.data = text
        return
    general = next((f for f in fields if f.tag == "100" and not f.is_control), None)
    if general is None:
        at = next((k for k, f in enumerate(fields) if f.tag > "100"), len(fields))
        fields.insert(at, Field("100", "  ", [("a", text)]))
    elif general.first("a") is None:
        general.subfields.insert(0, ("a", text))
    else:
        k = next(k for k, (c, _) in enumerate(general.subfields) if c == "a")
        general.subfields[k] = ("a", text)


def _raw(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _int(form: Mapping[str, Any], name: str) -> int:
    text = _raw(form, name).strip()
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _indicator(form: Mapping[str, Any], name: str) -> str:
    """An indicator as typed; empty or ``#`` is a blank (cataloguers write blanks as #)."""
    value = _raw(form, name)
    return " " if value in ("", "#") else value


def record_as_form(record: Record) -> list[Field]:
    """The fields to show: a data field with no subfields gets an empty one to fill in."""
    out = []
    for f in record.fields:
        if not f.is_control and not f.subfields:
            out.append(Field(f.tag, f.indicators, [("", "")]))
        else:
            out.append(f)
    return out
