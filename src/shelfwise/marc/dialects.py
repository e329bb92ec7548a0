"""MARC record → normalised Description, for each MARC dialect.

The mapping itself is data: one table of rules per dialect
(``mapping_marc21``, ``mapping_unimarc``, ``mapping_kormarc``). This module runs
them and renders them as the markdown tables of ``docs/marc-mapping.md``, so
the document cannot drift from the code (a test compares them; regenerate with
``python -m shelfwise.marc.dialects docs/marc-mapping.md``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from shelfwise.marc import crosswalk_unimarc, mapping_kormarc, mapping_marc21, mapping_unimarc
from shelfwise.marc.description import Description, Dialect
from shelfwise.marc.mapping_compiled import Describe, compile_rules
from shelfwise.marc.mapping_rules import ClassSource, HoldingSource, Rule, Source, SubjectSource
from shelfwise.marc.record import Record

__all__ = [
    "RULES",
    "TITLE_PROPER",
    "describe",
    "fallback_title_tags",
    "interpret",
    "render_doc",
    "render_tables",
]

RULES: dict[Dialect, tuple[Rule, ...]] = {
    Dialect.MARC21: mapping_marc21.RULES,
    Dialect.UNIMARC: mapping_unimarc.RULES,
    Dialect.KORMARC: mapping_kormarc.RULES,
}
# Where each dialect keeps the title proper, and where it looks when that is empty.
TITLE_PROPER: dict[Dialect, str] = {
    Dialect.MARC21: "245",
    Dialect.UNIMARC: "200",
    Dialect.KORMARC: "245",
}
_FALLBACK_TITLES: dict[Dialect, tuple[str, ...]] = {
    Dialect.MARC21: mapping_marc21.FALLBACK_TITLE_TAGS,
    Dialect.UNIMARC: mapping_unimarc.FALLBACK_TITLE_TAGS,
    Dialect.KORMARC: mapping_kormarc.FALLBACK_TITLE_TAGS,
}


def fallback_title_tags(dialect: Dialect) -> tuple[str, ...]:
    return _FALLBACK_TITLES[dialect]


_CLASSES: dict[Dialect, tuple[ClassSource, ...]] = {
    Dialect.MARC21: mapping_marc21.CLASSES,
    Dialect.UNIMARC: mapping_unimarc.CLASSES,
    Dialect.KORMARC: mapping_kormarc.CLASSES,
}
_SUBJECTS: dict[Dialect, tuple[SubjectSource, ...]] = {
    Dialect.MARC21: mapping_marc21.SUBJECTS,
    Dialect.UNIMARC: mapping_unimarc.SUBJECTS,
    Dialect.KORMARC: mapping_marc21.SUBJECTS,
}
_HOLDINGS: dict[Dialect, tuple[HoldingSource, ...]] = {
    Dialect.MARC21: mapping_marc21.HOLDINGS,
    Dialect.UNIMARC: mapping_unimarc.HOLDINGS,
    Dialect.KORMARC: mapping_kormarc.HOLDINGS,
}
_MATERIAL: dict[Dialect, tuple[dict[str, str], str]] = {
    Dialect.MARC21: (mapping_marc21.LEADER_TYPES, mapping_marc21.SERIAL_LEVELS),
    Dialect.UNIMARC: (mapping_unimarc.LEADER_TYPES, mapping_unimarc.SERIAL_LEVELS),
    Dialect.KORMARC: (mapping_marc21.LEADER_TYPES, mapping_marc21.SERIAL_LEVELS),
}


# Each table compiled once, when this module is imported (mapping_compiled.py).
_COMPILED: dict[Dialect, Describe] = {d: compile_rules(rules) for d, rules in RULES.items()}


def describe(record: Record, dialect: Dialect) -> Description:
    """The normalised description of ``record`` read with ``dialect``'s mapping table."""
    # UNIMARC has no 880 mechanism: its vernacular is in the ordinary subfields.
    source = Source(record, link_880=dialect is not Dialect.UNIMARC)
    desc = Description()
    _COMPILED[dialect](source, desc)
    return desc


def interpret(record: Record, dialect: Dialect) -> Description:
    """:func:`describe` by interpreting the table rule by rule (:meth:`Rule.apply`): the
    reference the compiled tables are tested against."""
    source = Source(record, link_880=dialect is not Dialect.UNIMARC)
    desc = Description()
    for rule in RULES[dialect]:
        rule.apply(source, desc)
    return desc


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$") if text else "–"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def _codes(codes: str) -> str:
    return " ".join(f"${c}" for c in codes)


def render_tables(dialect: Dialect) -> str:
    """The markdown tables for one dialect: fields, classes, subjects, holdings, material."""
    rule_rows = [(f"`{r.target}`", r.source_label, r.collect.value, r.note) for r in RULES[dialect]]
    lines = _table(("attribute", "source", "collected", "notes"), rule_rows)
    class_rows = [
        (
            c.tag,
            c.scheme.value if c.scheme else "from $2",
            f"${c.number}",
            f"${c.edition}" if c.edition else "",
            c.note,
        )
        for c in _CLASSES[dialect]
    ]
    lines += ["", "Classification fields:", ""]
    lines += _table(("tag", "scheme", "number", "edition", "notes"), class_rows)
    subject_rows = [
        (
            ", ".join(s.tags),
            _codes(s.head),
            _codes(s.subdivisions),
            "each $a is a subject" if s.split else "",
        )
        for s in _SUBJECTS[dialect]
    ]
    lines += ["", "Subject fields:", ""]
    lines += _table(("tags", "heading", "subdivisions", "notes"), subject_rows)
    holding_rows = [
        (
            h.tag,
            _codes(h.barcode),
            _call_label(h),
            _codes(h.branch),
            _codes(h.location),
            _codes(h.price),
            h.note,
        )
        for h in _HOLDINGS[dialect]
    ]
    lines += ["", "Holdings fields (one HoldingCopy per field):", ""]
    lines += _table(
        ("tag", "barcode", "call number", "branch", "location", "price", "notes"), holding_rows
    )
    types, serial = _MATERIAL[dialect]
    material_rows = [(f"`{code}`", kind) for code, kind in types.items()]
    lines += [
        "",
        f"Material type from leader/06 (leader/07 in `{serial}` makes a book a serial;"
        " any other code is a book):",
        "",
    ]
    lines += _table(("leader/06", "material_type"), material_rows)
    return "\n".join(lines)


def _call_label(spec: HoldingSource) -> str:
    parts = [f"${c}" for c in spec.call_parts]
    label = parts[0] if parts else ""
    for index, part in enumerate(parts[1:]):
        sep = spec.call_seps[index] if index < len(spec.call_seps) else " "
        label += f"{sep!r}{part}".replace("'", "") if sep.strip() else f" {part}"
    if spec.call_fallback:
        label += f", else ${spec.call_fallback}"
    return label


_GENERATED = re.compile(
    r"(<!-- BEGIN GENERATED: (\w+) -->\n).*?(<!-- END GENERATED: \2 -->)", re.DOTALL
)


def render_crosswalk() -> str:
    """The UNIMARC → MARC 21 field table (``crosswalk_unimarc``) as markdown."""
    rows = [
        (
            m.source,
            m.target,
            m.indicators.replace(" ", "#").replace("=", "(kept)"),
            " ".join(f"${a}→${b}" for a, b in m.codes.items()),
            " ".join(f"${c} {v}" for c, v in m.extra),
            m.note,
        )
        for m in crosswalk_unimarc.FIELD_MAPS
    ]
    lines = _table(("UNIMARC", "MARC 21", "indicators", "subfields", "added", "notes"), rows)
    notes = sorted(crosswalk_unimarc.NOTES.items())
    lines += ["", "Notes (each `$a` one note):", ""]
    grouped: dict[str, list[str]] = {}
    for source, target in notes:
        grouped.setdefault(target, []).append(source)
    lines += _table(
        ("MARC 21", "from UNIMARC"),
        [(target, ", ".join(tags)) for target, tags in sorted(grouped.items())],
    )
    links = sorted(crosswalk_unimarc.LINKS.items())
    lines += ["", "Linking entries (`$1` embedded fields read too):", ""]
    lines += _table(
        ("UNIMARC", "MARC 21", "2nd indicator"),
        [(s, t, i.replace(" ", "#")) for s, (t, i) in links],
    )
    return "\n".join(lines)


def _block(name: str) -> str:
    return render_crosswalk() if name == "unimarc_to_marc21" else render_tables(Dialect(name))


def render_doc(text: str) -> str:
    """``text`` with every generated block replaced by the current tables."""
    return _GENERATED.sub(lambda m: m.group(1) + _block(m.group(2)) + "\n" + m.group(3), text)


def main(argv: Sequence[str]) -> int:
    """Rewrite the generated blocks of the given markdown files in place."""
    for path in argv:
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(render_doc(current))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
