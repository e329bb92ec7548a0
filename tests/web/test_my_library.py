"""My library on the pages (both engines): a visitor's choice in a cookie, a reader's on the
account through the readers service; it is the pickup default; a hold on a title on loan to
the reader is refused with a sentence in her language; the ready hold shows its code."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shelfwise.circulation.scope import SYSTEM
from shelfwise.services import Services
from shelfwise.web import i18n
from shelfwise.web.record_view import BRANCH_COOKIE
from shelfwise.web.security import LANG_COOKIE
from web.reader_pages import furnish
from web.shared_demo import (  # noqa: F401 - one demo library per backend, copied per test
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_pages import ALERT, a_record, csrf, login


def test_a_visitor_chooses_a_library_in_a_cookie(client: TestClient) -> None:
    page = client.get("/my-library")
    assert page.status_code == 200
    assert 'action="/prefs/branch"' in page.text  # no account: a GET form, no CSRF
    chose = client.get("/prefs/branch", params={"code": "NGQ", "next": "/search?q=历史"})
    assert chose.status_code == 303
    assert chose.headers["location"] == "/search?q=%E5%8E%86%E5%8F%B2"
    assert f"{BRANCH_COOKIE}=NGQ" in chose.headers["set-cookie"]
    client.cookies.set(BRANCH_COOKIE, "NGQ")
    assert '<option value="NGQ" selected>' in client.get("/my-library").text
    unknown = client.get("/prefs/branch", params={"code": "NOPE"})
    assert unknown.status_code == 404
    assert "set-cookie" not in unknown.headers or BRANCH_COOKIE not in unknown.headers.get(
        "set-cookie", ""
    )


def test_a_reader_chooses_her_library_and_holds_go_there(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    card = demo[3]
    login(client, card)
    token = csrf(client, "/account")
    assert i18n.catalogue().text("mylib.unset", "zh") in client.get("/account").text
    saved = client.post("/my-library", data={"code": "CYQ", "next": "/account", "csrf": token})
    assert saved.status_code == 303
    assert services.readers.home_branch(card) == "CYQ"
    overview = client.get("/account").text
    assert i18n.catalogue().format("mylib.current", "zh", {"branch": "朝阳区分馆"}) in overview
    # Without CSRF nothing changes.
    client.post("/my-library", data={"code": "NGQ"})
    assert services.readers.home_branch(card) == "CYQ"

    # A hold without a pickup choice is picked up at my library.
    record = next(
        r
        for r in (a_record(services, q) for q in ("history", "历史", "역사"))
        if services.circulation.hold_refusal(card, r) is None
    )
    placed = client.post(f"/record/{record}/hold", data={"pickup": "", "csrf": token})
    assert placed.status_code == 303, ALERT.findall(placed.text)
    hold = next(h for h in services.circulation.holds_of(card) if h.record_id == record)
    cyq = next(b.id for b in services.catalogue.list_branches() if b.code == "CYQ")
    assert hold.pickup_branch_id == cyq


def test_no_hold_on_a_title_on_loan_is_said_in_the_readers_language(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    card = demo[0]
    loan = services.circulation.loans_of(card)[0]
    login(client, card)
    client.cookies.set(LANG_COOKIE, "ko")
    token = csrf(client, "/account")
    refused = client.post(f"/record/{loan.record_id}/hold", data={"pickup": "CEN", "csrf": token})
    assert refused.status_code == 409
    assert ALERT.findall(refused.text) == ["이 자료는 지금 대출 중이어서 예약할 필요가 없습니다."]
    assert not [h for h in services.circulation.holds_of(card) if h.record_id == loan.record_id]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_ready_hold_shows_its_pickup_code_and_shelf_slot(
    client: TestClient, services: Services, demo: list[str], language: i18n.PageLanguage
) -> None:
    me = furnish(services, demo)
    ready = next(h for h in services.circulation.holds_of(me) if h.status == "ready")
    assert ready.pickup_code
    login(client, me)
    client.cookies.set(LANG_COOKIE, language)
    page = client.get("/account/holds").text
    assert f'<dd class="code">{ready.pickup_code}</dd>' in page
    assert i18n.catalogue().text("holds.pickup_code", language) in page


@pytest.mark.parametrize("language", ["zh", "ko", "en"])
def test_a_waiting_hold_says_about_when_it_will_be_ready(
    client: TestClient, services: Services, demo: list[str], language: i18n.PageLanguage
) -> None:
    # Every copy of a title lent out: the reader queues, and the page names a day.
    me = services.readers.register(name="等书", category="adult", pin="1234").reader.card_number
    other = services.readers.register(name="借书", category="adult").reader.card_number
    record = a_record(services, "历史")
    for copy in services.circulation.record_status(record):
        if copy.availability == "on_shelf":
            services.circulation.checkout(other, copy.barcode, "CEN", actor=SYSTEM)
    services.circulation.place_hold(me, record, "CEN", actor=SYSTEM)
    (hold,) = services.circulation.holds_of(me)
    day = services.hold_waits.ready_by(me)[hold.id]
    assert day is not None
    assert day > services.clock.today()  # on loan: not today
    login(client, me)
    client.cookies.set(LANG_COOKIE, language)
    page = client.get("/account/holds").text
    wait = page.split('<p class="wait">')[1].split("</p>")[0]
    words = i18n.catalogue().format(
        "holds.estimate", language, {"date": i18n.format_date(day, language, services.clock.zone)}
    )
    assert wait.endswith(words), wait
