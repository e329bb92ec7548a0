"""MARC as MarcEdit's mnemonic text (marc/mnemonic.py), the copy-cataloguing review form's
format: any record survives a round trip, a literal $ included; each malformed line is
named with its number and reason, nothing guessed."""

from __future__ import annotations

from hypothesis import given, settings
from marc_strategies import records

from shelfwise.marc.mnemonic import LineError, read_lines, write_lines
from shelfwise.marc.record import Field, Record


@settings(max_examples=200, deadline=None)
@given(records())
def test_any_record_survives_the_text_form(record: Record) -> None:
    assert read_lines(write_lines(record)) == record


def test_the_text_a_cataloguer_reads() -> None:
    record = Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data="ocm1"),
            Field("245", " 0", [("a", "Price $5 /"), ("c", "张三.")]),
        ],
    )
    text = write_lines(record)
    assert text == (
        "=LDR  00000nam a2200000 a 4500\n=001  ocm1\n=245  \\0$aPrice {dollar}5 /$c张三.\n"
    )
    assert read_lines(text) == record


def test_wrong_lines_are_named() -> None:
    text = "\n".join(
        [
            "=LDR  00000nam a2200000 a 4500",
            "245  10$aNo equals sign",
            "=245  1$aOne indicator",
            "=650  \\0aNo dollar",
            "=500  \\\\$aFine$$bEmpty code",
            "",
            "=LDR  short",
        ]
    )
    assert read_lines(text) == [
        LineError(2, "line_form"),
        LineError(3, "indicators"),
        LineError(4, "indicators"),
        LineError(5, "no_subfields"),
        LineError(7, "leader_length"),
    ]
    assert read_lines("=245  10$aNo leader") == [LineError(1, "leader_length")]
