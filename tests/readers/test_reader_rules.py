"""Reader rules that had no test: self-registration needs an e-mail, a card number is
unique, PINs and passwords can be changed, a block needs a reason, consents are known
purposes, a card renewed on 29 February, an unknown card."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.services import Services


def _code(exc: pytest.ExceptionInfo[ShelfwiseError]) -> str:
    return exc.value.code


def test_self_registration_needs_an_email(services: Services) -> None:
    with pytest.raises(ShelfwiseError) as exc:
        services.readers.register(name="王芳", category="adult", pin="2468", self_registered=True)
    assert _code(exc) == "readers.email_required"


def test_a_card_number_is_issued_once(services: Services) -> None:
    first = services.readers.register(name="王芳", category="adult", card_number="2100000000017")
    assert first.reader.card_number == "2100000000017"
    with pytest.raises(ShelfwiseError) as exc:
        services.readers.register(name="李雷", category="adult", card_number="2100000000017")
    assert _code(exc) == "readers.card_taken"
    assert services.readers.get("2100000000017").name == "王芳"


def test_a_new_pin_and_password_replace_the_old(services: Services) -> None:
    card = services.readers.register(name="박지민", category="adult", pin="1357").reader.card_number
    services.readers.set_pin(card, "8642")
    assert services.readers.authenticate(card, "8642").card_number == card
    with pytest.raises(ShelfwiseError):
        services.readers.authenticate(card, "1357")
    services.readers.set_password(card, "correct horse battery")
    assert services.readers.authenticate(card, "correct horse battery", kind="password")
    with pytest.raises(ShelfwiseError):
        services.readers.authenticate(card, "wrong horse battery", kind="password")


def test_a_block_needs_a_reason(services: Services) -> None:
    card = services.readers.register(name="Ann Lee", category="adult").reader.card_number
    with pytest.raises(ShelfwiseError) as exc:
        services.readers.block(card, "   ")
    assert _code(exc) == "request.invalid"
    assert services.readers.get(card).manual_block is None


def test_consents_are_known_purposes_and_each_sets_its_flag(services: Services) -> None:
    card = services.readers.register(name="Ann Lee", category="adult").reader.card_number
    with pytest.raises(ShelfwiseError) as exc:
        services.readers.set_consent(card, "marketing", True)
    assert _code(exc) == "readers.unknown_purpose"
    assert services.readers.set_consent(card, "email_notices", True).notices_email
    reader = services.readers.set_consent(card, "email_notices", False)
    assert not reader.notices_email
    assert not reader.history_opt_in  # the other purpose is left alone
    logged = [(c.purpose, c.granted) for c in services.readers.consents(card)]
    assert ("email_notices", True) in logged
    assert logged[-1] == ("email_notices", False)


def test_a_card_renewed_on_29_february_expires_on_28_february(
    services: Services, clock: FrozenClock
) -> None:
    card = services.readers.register(name="Ann Lee", category="adult").reader.card_number
    clock.set(datetime(2028, 2, 29, 10, 0, tzinfo=UTC))
    years = services.readers.policy.card_years
    renewed = services.readers.renew_card(card)
    assert renewed.expires_on == date(2028 + years, 2, 28 if years % 4 else 29)


def test_an_unknown_card_is_not_found(services: Services) -> None:
    with pytest.raises(ShelfwiseError) as exc:
        services.readers.get("0000000000000")
    assert _code(exc) == "readers.not_found"
