"""Check a MARC record before it is saved: MARC::Lint's rules, in Python, per dialect.

Each finding names the field it is about (its position in the record; ``None`` for the
leader or the record as a whole), a stable code and the values the message needs, so
a page can show it beside that field in the reader's language (``lint.<code>`` in the
web's messages). Two severities:

- ``error``: the record cannot be stored as MARC or has no title proper to show, find
  or match it by (a malformed tag, indicator or subfield code, a data field without
  subfields, a leader or 008/100 of the wrong length, no 245/200 or two of them). The
  catalogue refuses to save a record with an error.
- ``warning``: what MARC::Lint reports against the standard's tables (an unknown tag,
  a repeated non-repeatable field or subfield, an indicator or subfield the field does
  not define, an ISBN whose check digit is wrong, a 245 $a not first...). Saved, and
  shown, because records arrive with them and a cataloguer must be able to fix one
  thing at a time.

The tables are in :mod:`shelfwise.marc.lint_tags`.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from shelfwise.core import isbn
from shelfwise.marc.description import Dialect
from shelfwise.marc.lint_tags import LOCAL_CODES, TAGS, TagRule, is_local
from shelfwise.marc.record import LEADER_LENGTH, Field, Record

Severity = Literal["error", "warning"]

TITLE_TAG: dict[Dialect, str] = {
    Dialect.MARC21: "245",
    Dialect.KORMARC: "245",
    Dialect.UNIMARC: "200",
}
ISBN_TAG: dict[Dialect, str] = {
    Dialect.MARC21: "020",
    Dialect.KORMARC: "020",
    Dialect.UNIMARC: "010",
}
FIXED_LENGTH_008 = 40  # MARC 21 and KORMARC 008
FIXED_LENGTH_100A = 36  # UNIMARC/CNMARC 100 $a, the general processing data

_TAG = re.compile(r"[0-9A-Za-z]{3}")
_INDICATOR = re.compile(r"[0-9a-z ]")
_CODE = re.compile(r"[0-9a-z]")
# MARC 21 leader values the format defines (record status, type, bibliographic level,
# encoding level, descriptive cataloguing form); UNIMARC's differ in 17 and 18.
_LEADER_MARC21 = {
    5: "acdnp",
    6: "acdefgijkmoprt",
    7: "abcdims",
    17: " 1234578uzIKLM",
    18: " acinu",
}
_LEADER_UNIMARC = {5: "cdnop", 6: "abcdefgijklmr", 7: "acims", 17: " 123", 18: " in"}
_DATE_TYPE_008 = " bcdeikmnpqrstu|"
_YEAR = re.compile(r"[0-9u|# ]{4}")


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str  # the message is ``lint.<code>``
    field: int | None  # index in record.fields; None: the leader or the whole record
    tag: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)


def lint(record: Record, dialect: Dialect) -> list[Finding]:
    """Every finding about ``record`` read as ``dialect``: the record's first, then by field."""
    found: list[Finding] = []
    found += _leader(record.leader, dialect)
    found += _title_and_repeats(record, dialect)
    for index, f in enumerate(record.fields):
        found += _field(index, f, dialect)
    return found


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def _leader(leader: str, dialect: Dialect) -> list[Finding]:
    if len(leader) != LEADER_LENGTH:
        return [
            Finding("error", "leader_length", None, "LDR", {"length": str(len(leader))}),
        ]
    allowed = _LEADER_UNIMARC if dialect is Dialect.UNIMARC else _LEADER_MARC21
    out = []
    for position, values in allowed.items():
        if leader[position] not in values:
            out.append(
                Finding(
                    "warning",
                    "leader_value",
                    None,
                    "LDR",
                    {"position": f"{position:02d}", "value": leader[position]},
                )
            )
    return out


def _title_and_repeats(record: Record, dialect: Dialect) -> list[Finding]:
    title = TITLE_TAG[dialect]
    out = []
    tags = Counter(f.tag for f in record.fields)
    if tags[title] == 0:
        out.append(Finding("error", "title_missing", None, title, {"tag": title}))
    if tags[title] > 1:
        second = [i for i, f in enumerate(record.fields) if f.tag == title][1]
        out.append(Finding("error", "title_repeated", second, title, {"tag": title}))
    rules = TAGS[dialect]
    seen: set[str] = set()
    for index, f in enumerate(record.fields):
        rule = rules.get(f.tag)
        if f.tag in seen and f.tag != title and rule is not None and not rule.repeatable:
            out.append(Finding("warning", "field_not_repeatable", index, f.tag, {"tag": f.tag}))
        seen.add(f.tag)
    if dialect is not Dialect.UNIMARC:
        main = [i for i, f in enumerate(record.fields) if f.tag.startswith("1")]
        if len(main) > 1:
            out.append(
                Finding("warning", "main_entry_repeated", main[1], record.fields[main[1]].tag)
            )
    return out


def _field(index: int, f: Field, dialect: Dialect) -> list[Finding]:
    if not _TAG.fullmatch(f.tag):
        return [Finding("error", "tag_invalid", index, f.tag, {"tag": f.tag})]
    if f.tag.startswith("00"):
        return _control(index, f, dialect)
    if f.is_control:
        return [Finding("error", "data_as_control", index, f.tag, {"tag": f.tag})]
    out = _shape(index, f)
    if f.tag == TITLE_TAG[dialect] and not (f.first("a") or "").strip():
        out.append(Finding("error", "title_no_a", index, f.tag, {"tag": f.tag}))
    if any(x.severity == "error" for x in out) or is_local(f.tag, dialect):
        return out
    rule = TAGS[dialect].get(f.tag)
    if rule is None:
        return [*out, Finding("warning", "tag_unknown", index, f.tag, {"tag": f.tag})]
    out += _against(index, f, rule, LOCAL_CODES[dialect])
    out += _content(index, f, dialect)
    return out


def _control(index: int, f: Field, dialect: Dialect) -> list[Finding]:
    if not f.is_control or not f.data:
        return [Finding("error", "control_empty", index, f.tag, {"tag": f.tag})]
    out = []
    if f.tag not in TAGS[dialect]:
        out.append(Finding("warning", "tag_unknown", index, f.tag, {"tag": f.tag}))
    if f.tag == "008" and dialect is not Dialect.UNIMARC:
        if len(f.data) != FIXED_LENGTH_008:
            length = {"length": str(len(f.data)), "expected": str(FIXED_LENGTH_008)}
            return [*out, Finding("error", "fixed_length", index, f.tag, length)]
        if f.data[6] not in _DATE_TYPE_008:
            out.append(
                Finding(
                    "warning", "fixed_value", index, f.tag, {"position": "06", "value": f.data[6]}
                )
            )
        if not _YEAR.fullmatch(f.data[7:11]):
            out.append(
                Finding(
                    "warning",
                    "fixed_value",
                    index,
                    f.tag,
                    {"position": "07-10", "value": f.data[7:11]},
                )
            )
    return out


def _shape(index: int, f: Field) -> list[Finding]:
    """What the record format itself demands of every data field."""
    out = []
    if len(f.indicators) != 2 or not all(_INDICATOR.fullmatch(c) for c in f.indicators):
        out.append(
            Finding(
                "error",
                "indicator_invalid",
                index,
                f.tag,
                {"value": f.indicators.replace(" ", "#")},
            )
        )
    if not f.subfields:
        out.append(Finding("error", "no_subfields", index, f.tag, {"tag": f.tag}))
    for code, value in f.subfields:
        if not _CODE.fullmatch(code):
            out.append(Finding("error", "code_invalid", index, f.tag, {"code": code}))
        elif not value.strip():
            out.append(Finding("warning", "subfield_empty", index, f.tag, {"code": code}))
    return out


def _against(index: int, f: Field, rule: TagRule, local: frozenset[str]) -> list[Finding]:
    """The field checked against its definition in the dialect's table."""
    out = []
    for n, allowed in ((1, rule.ind1), (2, rule.ind2)):
        value = f.indicators[n - 1]
        if allowed and value not in allowed:
            out.append(
                Finding(
                    "warning",
                    "indicator_undefined",
                    index,
                    f.tag,
                    {"n": str(n), "value": value.replace(" ", "#"), "tag": f.tag},
                )
            )
    if not rule.codes:
        return out
    counts = Counter(code for code, _ in f.subfields)
    for code, count in counts.items():
        if code in local:
            continue
        if code not in rule.codes:
            out.append(
                Finding("warning", "code_undefined", index, f.tag, {"code": code, "tag": f.tag})
            )
        elif count > 1 and code not in rule.repeatable_codes:
            out.append(
                Finding(
                    "warning", "code_not_repeatable", index, f.tag, {"code": code, "tag": f.tag}
                )
            )
    return out


def _content(index: int, f: Field, dialect: Dialect) -> list[Finding]:
    """Rules about what a few fields hold (MARC::Lint's per-field checks)."""
    out = []
    if f.tag == ISBN_TAG[dialect]:
        for code, value in f.subfields:
            # $a is the ISBN; $z is the cancelled or invalid one, kept on purpose.
            digits = isbn.compact(value.split("(")[0])
            if code == "a" and digits and not isbn.is_valid(digits):
                out.append(Finding("warning", "isbn_invalid", index, f.tag, {"value": value}))
    if f.tag == TITLE_TAG[dialect]:
        if (
            (f.first("a") or "").strip()
            and dialect is not Dialect.UNIMARC
            and f.subfields[0][0] not in ("a", "6")
        ):
            out.append(Finding("warning", "title_a_first", index, f.tag, {"tag": f.tag}))
        if dialect is not Dialect.UNIMARC:
            out += _nonfiling(index, f)
    if f.tag == "100" and dialect is Dialect.UNIMARC:
        general = f.first("a") or ""
        if len(general) != FIXED_LENGTH_100A:
            length = {"length": str(len(general)), "expected": str(FIXED_LENGTH_100A)}
            out.append(Finding("error", "fixed_length", index, f.tag, length))
    if f.tag == "856":
        for code, value in f.subfields:
            if code == "u" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value.strip()):
                out.append(Finding("warning", "url_invalid", index, f.tag, {"value": value}))
    return out


def _nonfiling(index: int, f: Field) -> list[Finding]:
    """245 second indicator: the characters to skip ("The ", "L'") must end a word."""
    skip = f.indicators[1]
    title = f.first("a") or ""
    if not skip.isdigit() or skip == "0":
        return []
    n = int(skip)
    if len(title) > n and not title[n - 1].isalnum():
        return []
    return [Finding("warning", "nonfiling", index, f.tag, {"n": skip})]
