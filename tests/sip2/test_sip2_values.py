"""SIP dates, typed field views and the catalogue itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.sip2 import (
    CATALOGUE,
    FIELD_NAMES,
    Direction,
    DisplayKind,
    DisplayLine,
    ItemList,
    Message,
    MessageSpec,
    PatronCondition,
    PatronStatus,
    display_fields,
    display_lines,
    format_sip_date,
    parse_sip_date,
    selected_list,
    summary_for,
    supported_messages,
    supported_messages_field,
)
from shelfwise.sip2.values import format_count, parse_count, transaction_date

SUPPORT_DOC = Path(__file__).parents[2] / "docs" / "sip2.md"


def test_local_time_is_written_with_four_blanks() -> None:
    assert format_sip_date(datetime(2024, 1, 31, 14, 25)) == "20240131    142500"
    assert parse_sip_date("20240131    142500") == datetime(2024, 1, 31, 14, 25)


def test_zone_letters_both_ways() -> None:
    assert format_sip_date(datetime(2024, 1, 31, 6, 25, tzinfo=UTC)) == "20240131   Z062500"
    beijing = timezone(timedelta(hours=8))
    assert format_sip_date(datetime(2024, 1, 31, 14, 25, tzinfo=beijing)) == "20240131   H142500"
    # Q = Atlantic Standard Time (UTC-4), the Guide's own example.
    parsed = parse_sip_date("20240131   Q102500")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=-4)


def test_blank_and_zero_dates_mean_no_date() -> None:
    assert parse_sip_date(" " * 18) is None
    assert parse_sip_date("0" * 18) is None
    assert format_sip_date(None) == " " * 18


@pytest.mark.parametrize(
    "text",
    ["2024013114250000000", "20240131EST 142500", "20241331    000000", "20240131   J142500"],
)
def test_malformed_dates_raise_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_sip_date(text)


def test_offsets_without_a_zone_letter_are_refused() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    with pytest.raises(ValueError, match="no SIP2 zone letter"):
        format_sip_date(datetime(2024, 1, 31, tzinfo=india))


@settings(max_examples=60, deadline=None)
@given(
    when=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    hours=st.one_of(st.none(), st.integers(-12, 12)),
)
def test_dates_round_trip(when: datetime, hours: int | None) -> None:
    zone = None if hours is None else timezone(timedelta(hours=hours))
    value = when.replace(microsecond=0, tzinfo=zone)
    assert parse_sip_date(format_sip_date(value)) == value


def test_transaction_date_accessor() -> None:
    message = Message.of("35", {"transaction_date": "20250314    093015"})
    assert transaction_date(message) == datetime(2025, 3, 14, 9, 30, 15)
    assert transaction_date(Message.of("97")) is None


def test_patron_status_bitmap() -> None:
    status = PatronStatus.parse("Y   Y     N   ")
    assert status.conditions == {
        PatronCondition.CHARGE_PRIVILEGES_DENIED,
        PatronCondition.CARD_REPORTED_LOST,
    }
    assert status.to_field() == "Y   Y         "
    assert len(PatronStatus().to_field()) == 14


def test_summary_selects_the_first_list() -> None:
    assert selected_list("  Y       ") is ItemList.CHARGED
    assert selected_list(" Y Y      ") is ItemList.OVERDUE
    assert selected_list("      Y   ") is None  # position 6 is undefined
    assert ItemList.UNAVAILABLE_HOLDS.fid == "CD"
    assert summary_for(ItemList.FINE) == "   Y      "
    assert selected_list(summary_for(None)) is None


def test_bx_supported_messages() -> None:
    value = supported_messages_field({"23", "11", "09", "99", "97", "93", "63", "17"})
    assert value == "YYYNYYYYNNYNNNNN"
    assert supported_messages(value) == {"23", "11", "09", "99", "97", "93", "63", "17"}
    with pytest.raises(ValueError, match="not a BX message pair"):
        supported_messages_field({"12"})


def test_counts() -> None:
    assert format_count(7) == "0007"
    assert format_count(None) == "    "
    assert parse_count("0012") == 12
    assert parse_count("    ") is None
    with pytest.raises(ValueError, match="does not fit"):
        format_count(10_000)


def test_long_display_text_is_split_into_fields_of_255() -> None:
    fields = display_fields([DisplayLine(DisplayKind.SCREEN, "书" * 300)])
    assert [(fid, len(value)) for fid, value in fields] == [("AF", 255), ("AF", 45)]
    message = Message.of("96", {}, [*fields, ("AG", "line")])
    assert display_lines(message)[-1] == DisplayLine(DisplayKind.PRINT, "line")


def test_catalogue_pairs_every_request_with_a_response() -> None:
    assert len(CATALOGUE) == 31
    for spec in CATALOGUE.values():
        if spec.response is not None:
            assert CATALOGUE[spec.response].direction is Direction.ACS_TO_SC
        for field in spec.fields:
            assert field.fid in FIELD_NAMES
        fixed_keys = [f.key for f in spec.fixed]
        assert len(fixed_keys) == len(set(fixed_keys)), spec.command


def _support_row(spec: MessageSpec) -> str:
    fixed = ", ".join(f"{f.key} ({f.length})" for f in spec.fixed) or "–"
    required = " ".join(f.fid for f in spec.fields if f.required) or "–"
    optional = (
        " ".join(f.fid + ("\\*" if f.repeatable else "") for f in spec.fields if not f.required)
        or "–"
    )
    return f"| {spec.command} | {spec.name} | {spec.direction.value} | {fixed} | {required} | {optional} |"


def _section(title: str) -> list[str]:
    """The table rows of one ``## title`` section of docs/sip2.md (header rows left out)."""
    text = SUPPORT_DOC.read_text(encoding="utf-8").split(f"\n## {title}\n", 1)[1]
    lines = text.split("\n## ", 1)[0].splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    return rows[1:]  # the first row is the header


def test_support_table_matches_the_catalogue() -> None:
    doc = _section("Messages")
    expected = [_support_row(spec) for spec in CATALOGUE.values()]
    for row in expected:
        assert row in doc, f"docs/sip2.md is out of date; row:\n{row}"
    assert len(doc) == len(expected), "docs/sip2.md lists a message the catalogue does not"


def test_field_table_matches_the_catalogue() -> None:
    expected = [f"| {fid} | {name} |" for fid, name in FIELD_NAMES.items()]
    assert _section("Fields") == expected, "docs/sip2.md Fields table is out of date"


def test_server_table_names_what_the_server_answers() -> None:
    from shelfwise.sip2.handlers import HANDLERS

    answered = {*HANDLERS, "93", "97"}
    requests = [s for s in CATALOGUE.values() if s.direction is Direction.SC_TO_ACS]
    rows = _section("What the server answers")
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [s.command for s in requests]
    for spec, row in zip(requests, rows, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1:3] == [spec.name, spec.response or "–"], row
        verdict = "answered" if spec.command in answered else "refused"
        assert cells[3].startswith(verdict), f"docs/sip2.md: {spec.command} is {verdict}"
