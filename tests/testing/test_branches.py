"""The demo network and the item barcode check digit."""

from __future__ import annotations

import pytest

from shelfwise.testing.branches import (
    BRANCH_KINDS,
    DEMO_BRANCHES,
    LOCATION_KINDS,
    SHELVING,
    barcode,
    barcode_is_valid,
    branch_by_code,
    luhn_check_digit,
    shelving_table,
)


def test_network_has_the_four_kinds_and_unique_codes() -> None:
    kinds = {b.kind for b in DEMO_BRANCHES}
    assert kinds == set(BRANCH_KINDS)
    codes = [b.code for b in DEMO_BRANCHES]
    assert len(codes) == len(set(codes))
    assert sum(b.kind == "central" for b in DEMO_BRANCHES) == 1


def test_locations_are_unique_prefixed_and_of_known_kinds() -> None:
    seen: set[str] = set()
    for branch in DEMO_BRANCHES:
        assert branch.locations, branch.code
        assert branch.name_zh
        assert branch.name_ko
        assert branch.name_en
        for code, name, kind in branch.locations:
            assert code.startswith(branch.code + "-")
            assert code not in seen
            assert name
            assert kind in LOCATION_KINDS
            seen.add(code)


def test_branch_by_code() -> None:
    assert branch_by_code("CEN").kind == "central"
    with pytest.raises(KeyError):
        branch_by_code("NOPE")


def test_shelving_pools_name_existing_locations() -> None:
    for pool in SHELVING:
        table = shelving_table(pool)
        assert table
        for branch_code, location in table:
            assert location in {c for c, _, _ in branch_by_code(branch_code).locations}


def test_luhn_reference_value() -> None:
    # The textbook Luhn example: payload 7992739871 has check digit 3.
    assert luhn_check_digit("7992739871") == "3"


@pytest.mark.parametrize("serial", [0, 1, 9, 10, 123456789, 500000000, 999999999, 4 * 20_000 + 3])
def test_barcode_agrees_with_digit_by_digit_luhn(serial: int) -> None:
    code = barcode(serial)
    assert code == f"SW{serial:09d}{luhn_check_digit(f'{serial:09d}')}"
    assert barcode_is_valid(code)


def test_barcode_check_catches_a_mistyped_digit() -> None:
    code = barcode(123456789)
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    assert not barcode_is_valid(wrong)
    assert not barcode_is_valid("XX" + code[2:])
    with pytest.raises(ValueError, match="out of range"):
        barcode(10**9)
