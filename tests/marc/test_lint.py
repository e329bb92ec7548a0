"""The MARC checker the editor runs before a save (shelfwise.marc.lint): each rule fires on
the fault it names, at the field it names, in MARC 21, KORMARC and CNMARC; generated
records of every dialect draw no error; and on MARC 21 it flags the fields MARC::Lint
(Debian libmarc-lint-perl, the Library of Congress rules in Perl) flags."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest

from shelfwise.marc.description import Dialect
from shelfwise.marc.detection import dialect_of_record
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.lint import Finding, errors, lint
from shelfwise.marc.record import Field, Record
from shelfwise.testing.marc_lint import lint_warnings, need_marc_lint
from shelfwise.testing.records import generate_records

LEADER = "00000nam a2200000 a 4500"
F008 = "261207s2024    cc            000 0 chi d"


def marc21() -> Record:
    return Record(
        LEADER,
        [
            Field("001", data="sw-1"),
            Field("008", data=F008),
            Field("020", "  ", [("a", "9787101003048"), ("c", "CNY48.00")]),
            Field("100", "1 ", [("a", "Wang, Li.")]),
            Field("245", "14", [("a", "The history of Beijing /"), ("c", "Wang Li.")]),
            Field("264", " 1", [("a", "Beijing :"), ("b", "Zhonghua,"), ("c", "2024.")]),
            Field("300", "  ", [("a", "312 p. ;"), ("c", "23 cm")]),
            Field("650", " 0", [("a", "Beijing (China)"), ("x", "History.")]),
            Field("856", "40", [("u", "https://example.org/book"), ("z", "Full text")]),
        ],
    )


def cnmarc() -> Record:
    return Record(
        "00000nam0 2200000   450 ",
        [
            Field("001", data="cn-1"),
            Field("010", "  ", [("a", "978-7-101-00304-8"), ("d", "CNY48.00")]),
            Field("100", "  ", [("a", "20241207d2024    em y0chiy50      ea")]),
            Field("101", "0 ", [("a", "chi")]),
            Field("200", "1 ", [("a", "北京史"), ("9", "bei jing shi"), ("f", "王立著")]),
            Field("701", " 0", [("a", "王立"), ("9", "wang li"), ("4", "著")]),
        ],
    )


def kormarc() -> Record:
    record = marc21()
    record.fields[2] = Field("020", "  ", [("a", "9788936433673"), ("g", "03810")])
    record.fields.append(Field("056", "  ", [("a", "911.05"), ("2", "6")]))
    return record


def codes(found: list[Finding]) -> list[tuple[str, str, int | None]]:
    return [(f.severity, f.code, f.field) for f in found]


def test_a_clean_record_of_each_dialect_has_nothing_to_say() -> None:
    assert lint(marc21(), Dialect.MARC21) == []
    assert lint(kormarc(), Dialect.KORMARC) == []
    assert lint(cnmarc(), Dialect.UNIMARC) == []
    assert len(cnmarc().fields[2].subfields[0][1]) == 36


def _set(index: int, f: Field) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        record.fields[index] = f

    return change


# (what is changed, the finding expected: severity, code, field index)
MARC21_FAULTS: dict[str, tuple[Callable[[Record], object], tuple[str, str, int | None]]] = {
    "no 245": (lambda r: r.fields.pop(4), ("error", "title_missing", None)),
    "two 245": (
        lambda r: r.fields.insert(5, Field("245", "00", [("a", "Again")])),
        ("error", "title_repeated", 5),
    ),
    "short leader": (lambda r: setattr(r, "leader", LEADER[:20]), ("error", "leader_length", None)),
    "leader type": (
        lambda r: setattr(r, "leader", LEADER[:6] + "x" + LEADER[7:]),
        ("warning", "leader_value", None),
    ),
    "008 of 39": (_set(1, Field("008", data=F008[:39])), ("error", "fixed_length", 1)),
    "008/06": (
        _set(1, Field("008", data=F008[:6] + "x" + F008[7:])),
        ("warning", "fixed_value", 1),
    ),
    "tag of two": (_set(6, Field("30", "  ", [("a", "x")])), ("error", "tag_invalid", 6)),
    "no subfields": (_set(6, Field("300", "  ", [])), ("error", "no_subfields", 6)),
    "bad indicator": (_set(6, Field("300", "A ", [("a", "x")])), ("error", "indicator_invalid", 6)),
    "bad code": (_set(6, Field("300", "  ", [("$", "x")])), ("error", "code_invalid", 6)),
    "empty control": (_set(0, Field("001", data="")), ("error", "control_empty", 0)),
    "isbn check digit": (
        _set(2, Field("020", "  ", [("a", "9787101003049")])),
        ("warning", "isbn_invalid", 2),
    ),
    "undefined indicator": (
        _set(4, Field("245", "24", [("a", "The history")])),
        ("warning", "indicator_undefined", 4),
    ),
    "undefined subfield": (
        _set(6, Field("300", "  ", [("a", "312 p."), ("d", "x")])),
        ("warning", "code_undefined", 6),
    ),
    "repeated subfield": (
        _set(6, Field("300", "  ", [("a", "312 p."), ("b", "ill."), ("b", "maps")])),
        ("warning", "code_not_repeatable", 6),
    ),
    "repeated field": (
        lambda r: r.fields.insert(2, Field("008", data=F008)),
        ("warning", "field_not_repeatable", 2),
    ),
    "two main entries": (
        lambda r: r.fields.insert(4, Field("110", "2 ", [("a", "Zhonghua")])),
        ("warning", "main_entry_repeated", 4),
    ),
    "unknown tag": (
        lambda r: r.fields.append(Field("202", "  ", [("a", "x")])),
        ("warning", "tag_unknown", 9),
    ),
    "245 not $a first": (
        _set(4, Field("245", "10", [("c", "Wang"), ("a", "History")])),
        ("warning", "title_a_first", 4),
    ),
    "nonfiling": (
        _set(4, Field("245", "13", [("a", "The history")])),
        ("warning", "nonfiling", 4),
    ),
    "856 url": (
        _set(8, Field("856", "40", [("u", "www.example.org")])),
        ("warning", "url_invalid", 8),
    ),
    "empty subfield": (
        _set(6, Field("300", "  ", [("a", " ")])),
        ("warning", "subfield_empty", 6),
    ),
}


@pytest.mark.parametrize("fault", MARC21_FAULTS)
def test_each_marc21_rule_finds_its_fault_at_its_field(fault: str) -> None:
    change, expected = MARC21_FAULTS[fault]
    record = marc21()
    change(record)
    found = lint(record, Dialect.MARC21)
    assert expected in codes(found), codes(found)
    # Errors come only from the faults that make a record unstorable.
    assert (expected[0] == "error") == bool(errors(found)), codes(found)


def test_local_tags_and_fields_are_not_checked() -> None:
    record = marc21()
    record.fields += [Field("949", "xy", [("z", "local")]), Field("590", "  ", [("q", "mine")])]
    assert lint(record, Dialect.MARC21) == []
    # CNMARC defines 690 (the Chinese Library Classification): it is checked there.
    cn = cnmarc()
    cn.fields.append(Field("690", "  ", [("a", "K291"), ("q", "x")]))
    assert codes(lint(cn, Dialect.UNIMARC)) == [("warning", "code_undefined", 6)]


def test_kormarc_adds_its_own_subfields_and_fields() -> None:
    record = kormarc()
    assert lint(record, Dialect.KORMARC) == []
    # 020 $g (the Korean additional code) and 056 (KDC) are not MARC 21's.
    assert codes(lint(record, Dialect.MARC21)) == [
        ("warning", "code_undefined", 2),
        ("warning", "tag_unknown", 9),
    ]


def test_cnmarc_rules() -> None:
    no_title = cnmarc()
    no_title.fields.pop(4)
    assert ("error", "title_missing", None) in codes(lint(no_title, Dialect.UNIMARC))
    short = cnmarc()
    short.fields[2] = Field("100", "  ", [("a", "20241207d2024")])
    assert codes(lint(short, Dialect.UNIMARC)) == [("error", "fixed_length", 2)]
    bad_isbn = cnmarc()
    bad_isbn.fields[1] = Field("010", "  ", [("a", "7-101-00304-1")])
    assert codes(lint(bad_isbn, Dialect.UNIMARC)) == [("warning", "isbn_invalid", 1)]
    empty_title = cnmarc()
    empty_title.fields[4] = Field("200", "1 ", [("f", "王立著")])
    assert ("error", "title_no_a", 4) in codes(lint(empty_title, Dialect.UNIMARC))
    # 245 means nothing in UNIMARC (there it is unknown, not a title).
    as_marc21 = cnmarc()
    as_marc21.fields.append(Field("245", "10", [("a", "x")]))
    assert ("warning", "tag_unknown", 6) in codes(lint(as_marc21, Dialect.UNIMARC))


def test_generated_records_of_every_dialect_draw_no_error() -> None:
    records = list(generate_records(200, seed=11))
    dialects = {dialect_of_record(r) for r in records}
    assert dialects == set(Dialect)
    for record in records:
        dialect = dialect_of_record(record)
        assert errors(lint(record, dialect)) == [], (dialect, record)


LINT_TAG = re.compile(r"^(\d{3}|LDR)\b")


@pytest.mark.parametrize(
    "fault",
    [
        "isbn check digit",
        "repeated subfield",
        "undefined subfield",
        "undefined indicator",
        "two 245",
    ],
)
def test_marc_lint_flags_the_field_we_flag(fault: str) -> None:
    """Differential: MARC::Lint says nothing of the clean record, and of the faulty one it
    names the tag our lint names."""
    need_marc_lint()
    assert lint_warnings(io.BytesIO(encode(marc21(), dialect=Dialect.MARC21))) == {}
    change, (_, _, index) = MARC21_FAULTS[fault]
    record = marc21()
    change(record)
    assert index is not None
    theirs = lint_warnings(io.BytesIO(encode(record, dialect=Dialect.MARC21)))
    their_tags = {m.group(1) for w in theirs if (m := LINT_TAG.match(w))}
    ours = {f.tag for f in lint(record, Dialect.MARC21)}
    assert record.fields[index].tag in their_tags & ours, (theirs, ours)
