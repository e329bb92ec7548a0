"""Readers: registration, card numbers, slow salted secrets, ID-card hashes, blocks, consent."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import ReaderStatus
from shelfwise.readers.security import luhn_digit
from shelfwise.services import Services


def _code(exc: pytest.ExceptionInfo[ShelfwiseError]) -> str:
    return exc.value.code


def test_card_numbers_are_generated_with_a_check_digit(services: Services) -> None:
    reader = services.readers.register(name="王小明", category="adult").reader
    assert reader.card_number.startswith("SW")
    body = reader.card_number[2:-1]
    assert reader.card_number[-1] == luhn_digit(body)
    assert reader.status is ReaderStatus.ACTIVE
    assert not reader.history_opt_in  # P1: reading history off by default
    (consent,) = services.readers.consents(reader.card_number)
    assert (consent.purpose, consent.granted) == ("reading_history", False)


def test_pin_and_password_are_argon2_hashes(services: Services) -> None:
    reader = services.readers.register(
        name="李华", category="student", pin="4821", password="correct horse"
    ).reader
    with services.db.read() as conn:
        pin_hash, pw_hash = conn.execute(
            text("SELECT pin_hash, password_hash FROM readers WHERE id = :i"), {"i": reader.id}
        ).one()
    assert pin_hash.startswith("$argon2id$")
    assert "4821" not in pin_hash
    assert pw_hash.startswith("$argon2id$")
    assert services.readers.authenticate(reader.card_number, "4821").id == reader.id
    assert services.readers.authenticate(reader.card_number, "correct horse", kind="password")
    with pytest.raises(ShelfwiseError) as wrong:
        services.readers.authenticate(reader.card_number, "0000")
    with pytest.raises(ShelfwiseError) as unknown:
        services.readers.authenticate("SW-NOBODY", "4821")
    assert _code(wrong) == _code(unknown) == "readers.login_failed"
    with pytest.raises(ShelfwiseError) as bad:
        services.readers.set_pin(reader.card_number, "12")
    assert _code(bad) == "readers.pin_invalid"


def test_identity_card_is_keyed_hash_and_last_four(services: Services) -> None:
    number = "11010519491231002X"
    reader = services.readers.register(name="张三", category="senior", id_card=number).reader
    assert reader.id_card_last4 == "002X"
    with services.db.read() as conn:
        row = conn.execute(
            text("SELECT id_card_hash FROM readers WHERE id = :i"), {"i": reader.id}
        ).scalar_one()
    assert number not in row
    assert len(row) == 64
    with pytest.raises(ShelfwiseError) as twice:
        services.readers.register(name="张三", category="senior", id_card=number.lower())
    assert _code(twice) == "readers.id_card_registered"
    with pytest.raises(ShelfwiseError) as invalid:
        services.readers.register(name="x", category="adult", id_card="12345")
    assert _code(invalid) == "readers.id_card_invalid"


def test_self_registration_waits_for_email_confirmation(services: Services) -> None:
    registration = services.readers.register(
        name="Kim", category="adult", email="kim@example.org", self_registered=True
    )
    assert registration.reader.status is ReaderStatus.PENDING
    assert registration.verify_token
    with pytest.raises(ShelfwiseError) as bad:
        services.readers.confirm_email(registration.reader.card_number, "wrong")
    assert _code(bad) == "readers.token_invalid"
    confirmed = services.readers.confirm_email(
        registration.reader.card_number, registration.verify_token
    )
    assert confirmed.status is ReaderStatus.ACTIVE


def test_categories_blocks_and_consents(services: Services) -> None:
    with pytest.raises(ShelfwiseError) as unknown:
        services.readers.register(name="x", category="alien")
    assert _code(unknown) == "readers.unknown_category"
    reader = services.readers.register(name="赵六", category="child").reader
    assert services.readers.block(reader.card_number, "card reported stolen").manual_block
    assert services.readers.unblock(reader.card_number).manual_block is None
    opted = services.readers.set_consent(reader.card_number, "reading_history", True)
    assert opted.history_opt_in
    withdrawn = services.readers.set_consent(reader.card_number, "reading_history", False)
    assert not withdrawn.history_opt_in
    log = [(c.purpose, c.granted) for c in services.readers.consents(reader.card_number)]
    assert log == [
        ("reading_history", False),
        ("reading_history", True),
        ("reading_history", False),
    ]


def test_the_desk_edits_a_readers_details(services: Services) -> None:
    from shelfwise.testing.demo import seed_branches

    seed_branches(services.catalogue)
    reader = services.readers.register(
        name="金美英", category="adult", email="a@example.org", phone="1"
    ).reader
    changed = services.readers.update_details(
        reader.card_number, name="김미영", category="senior", birth_year=1950, home_branch="CEN"
    )
    assert (changed.name, changed.category, changed.birth_year) == ("김미영", "senior", 1950)
    assert (changed.email, changed.phone) == (None, None)  # left out: cleared
    assert changed.home_branch_id is not None
    assert changed.version == reader.version + 1
    with pytest.raises(ShelfwiseError):
        services.readers.update_details(reader.card_number, name="x", category="robot")
    with pytest.raises(ShelfwiseError):
        services.readers.update_details(
            reader.card_number, name="x", category="adult", email="nope"
        )
    with pytest.raises(ShelfwiseError):
        services.readers.update_details(reader.card_number, name=" ", category="adult")
    with pytest.raises(ShelfwiseError) as unknown:
        services.readers.update_details(
            reader.card_number, name="x", category="adult", home_branch="NOPE"
        )
    assert _code(unknown) == "catalogue.branch_not_found"


def test_the_hot_reader_reads_are_built_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout, a SIP2 patron message and a web request each read a reader by card or
    id: the statements are built at import with bound parameters, not per call (building
    and keying a select cost about as much as running it on SQLite)."""
    from shelfwise.readers import reading, repo

    reader = services.readers.register(name="王小明", category="adult").reader

    def built(*_: object, **__: object) -> None:
        raise AssertionError("a select built per call")

    monkeypatch.setattr(repo, "select", built)
    with services.db.write() as conn:
        assert reading.find_reader_id(conn, reader.card_number) == reader.id
        assert repo.row_by_card(conn, reader.card_number, lock=True).id == reader.id  # type: ignore[union-attr]
        assert repo.row_by_id(conn, reader.id, lock=True).card_number == reader.card_number  # type: ignore[union-attr]
        assert repo.row_by_id(conn, reader.id).name == "王小明"  # type: ignore[union-attr]
        assert repo.session_holder(conn, reader.id).card_number == reader.card_number  # type: ignore[union-attr]
        assert repo.session_epoch(conn, reader.id) is not None
