"""Renewals that renew (issue 12, item 2): the period runs from the due date (Koha's
RenewalPeriodBase), every door answers with the new due date, a loan that cannot be renewed
says why — by title — and a reader can renew everything at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from circ_helpers import LendingLibrary, make_library
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings, SettingsError
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.testing.access import staff_headers


def test_a_renewal_on_the_day_of_the_loan_extends_it(library: LendingLibrary) -> None:
    """The reported bug: same day → same due date, a renewal used up, "Renewed."."""
    circ = library.services.circulation
    _, (barcode,) = library.title("活着")
    card = library.reader().card_number
    lent = circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    renewed = circ.renew(card, barcode, actor=SYSTEM)
    assert renewed.due_on == lent.due_on + timedelta(days=30)
    assert renewed.renewals == 1
    again = circ.renew(card, barcode, actor=SYSTEM)
    assert again.due_on == lent.due_on + timedelta(days=60)


def test_an_overdue_loan_renews_from_today(library: LendingLibrary, clock: FrozenClock) -> None:
    """From its due date, the renewal of a loan 20 days overdue would end in the past."""
    circ = library.services.circulation
    _, (barcode,) = library.title()
    card = library.reader().card_number
    lent = circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=50))
    renewed = circ.renew(card, barcode, actor=SYSTEM)
    assert lent.due_on < clock.now().date()
    assert renewed.due_on == clock.now().date() + timedelta(days=30)


@pytest.fixture
def from_today(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[LendingLibrary]:
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "renewal_period_base": "today",
        },
        environ={},
    )
    services = composition.build(settings, clock=clock)
    yield make_library(services, tmp_path)
    services.close()


def test_counting_from_today_refuses_a_renewal_that_would_not_extend(
    from_today: LendingLibrary, clock: FrozenClock
) -> None:
    circ = from_today.services.circulation
    _, (barcode,) = from_today.title("三体")
    card = from_today.reader().card_number
    lent = circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    with pytest.raises(ShelfwiseError) as refused:
        circ.renew(card, barcode, actor=SYSTEM)
    assert refused.value.code == "circ.renew_too_soon"
    assert "三体" in refused.value.message("zh")
    assert circ.loans_of(card)[0].renewals == 0  # no renewal spent
    clock.advance(timedelta(days=10))
    renewed = circ.renew(card, barcode, actor=SYSTEM)
    assert renewed.due_on == clock.now().date() + timedelta(days=30)
    assert renewed.due_on == lent.due_on + timedelta(days=10)


def test_a_bad_renewal_base_is_a_clear_settings_error(tmp_path: Path) -> None:
    # Refused as the settings are read, before anything is built.
    with pytest.raises(SettingsError, match=r"renewal_period_base.*due_date \| today"):
        Settings.load({"data_dir": tmp_path, "renewal_period_base": "tomorrow"}, environ={})


def test_refusals_name_the_title(library: LendingLibrary) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title("平凡的世界")
    card, other = library.reader().card_number, library.reader("他人").card_number
    circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    circ.place_hold(other, record_id, "CEN", actor=SYSTEM)
    with pytest.raises(ShelfwiseError) as refused:
        circ.renew(card, barcode, actor=SYSTEM)
    assert refused.value.code == "circ.renew_on_hold"
    for language in ("zh", "ko", "en"):
        message = refused.value.message(language)
        assert "平凡的世界" in message
        assert barcode in message


def test_renew_all_renews_what_it_may_and_says_why_not_for_the_rest(
    library: LendingLibrary,
) -> None:
    circ = library.services.circulation
    _, (b1,) = library.title("围城")
    held_record, (b2,) = library.title("边城")
    card, other = library.reader().card_number, library.reader("他人").card_number
    due = {b: circ.checkout(card, b, "CEN", actor=SYSTEM).due_on for b in (b1, b2)}
    circ.place_hold(other, held_record, "CEN", actor=SYSTEM)
    done = circ.renew_all(
        card, idempotency_key=RequestKey("sip2-terminal:7", "kiosk-7:1"), actor=SYSTEM
    )
    assert [(x.loan.barcode, x.loan.due_on) for x in done.renewed] == [
        (b1, due[b1] + timedelta(days=30))
    ]
    ((refused),) = done.refused
    assert (refused.loan.barcode, refused.loan.due_on) == (b2, due[b2])
    assert refused.refusal is not None
    assert refused.refusal.code == "circ.renew_on_hold"
    assert "边城" in refused.refusal.message("en")
    # A retry with the same key answers the same without renewing again.
    again = circ.renew_all(
        card, idempotency_key=RequestKey("sip2-terminal:7", "kiosk-7:1"), actor=SYSTEM
    )
    assert [x.loan.due_on for x in again.renewed] == [due[b1] + timedelta(days=30)]
    assert circ.renewals_of(card)[0].loan.renewals == 1


def test_each_loan_says_whether_it_can_be_renewed(library: LendingLibrary) -> None:
    circ = library.services.circulation
    library.services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"renewals": 1}, actor=SYSTEM
    )
    _, (b1, b2) = library.title("家", copies=2)
    card = library.reader().card_number
    first = circ.checkout(card, b1, "CEN", actor=SYSTEM)
    circ.checkout(card, b2, "CEN", actor=SYSTEM)
    circ.renew(card, b2, actor=SYSTEM)
    view = {x.loan.barcode: x for x in circ.renewals_of(card)}
    assert view[b1].refusal is None
    assert view[b1].renewed_due_on == first.due_on + timedelta(days=30)
    assert view[b2].renewed_due_on is None
    assert getattr(view[b2].refusal, "code", None) == "circ.renew_limit"
    assert view[b2].title.startswith("家")


def test_renewals_over_http(library: LendingLibrary) -> None:
    """The API answers with the new due date; renew-all and the renewal view in one place."""
    circ = library.services.circulation
    _, (b1,) = library.title("春")
    held_record, (b2,) = library.title("秋")
    card, other = library.reader().card_number, library.reader("他人").card_number
    lent = circ.checkout(card, b1, "CEN", actor=SYSTEM)
    circ.checkout(card, b2, "CEN", actor=SYSTEM)
    circ.place_hold(other, held_record, "CEN", actor=SYSTEM)
    headers = staff_headers(library.services, "desk") | {"Accept-Language": "en"}
    with TestClient(composition.asgi_app(library.services), headers=headers) as client:
        one = client.post("/api/v1/renew", json={"card_number": card, "barcode": b1})
        assert one.status_code == 200, one.text
        assert one.json()["due_on"] == (lent.due_on + timedelta(days=30)).isoformat()
        view = client.get(f"/api/v1/readers/{card}/renewals").json()
        assert [(x["loan"]["barcode"], x["renewable"]) for x in view] == [(b1, True), (b2, False)]
        assert view[0]["renewed_due_on"] == (lent.due_on + timedelta(days=60)).isoformat()
        assert view[1]["refusal"]["code"] == "circ.renew_on_hold"
        assert "秋" in view[1]["refusal"]["message"]
        every = client.post(f"/api/v1/readers/{card}/renew-all")
        assert every.status_code == 200, every.text
        body = every.json()
        assert [x["loan"]["due_on"] for x in body["renewed"]] == [
            (lent.due_on + timedelta(days=60)).isoformat()
        ]
        assert [x["refusal"]["code"] for x in body["refused"]] == ["circ.renew_on_hold"]
