"""Every page of the reader catalogue and account through Starlette's TestClient, on both
backends: status, language, CSRF refusals as pages, security headers, the reader's actions."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.search.models import Filters, SearchRequest
from shelfwise.services import Services
from shelfwise.web import i18n
from web.shared_demo import (  # noqa: F401 - one demo library per backend, copied per test
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
ALERT = re.compile(r'role="alert"[^>]*>([^<]+)<')


def csrf(client: TestClient, path: str = "/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def login(client: TestClient, card: str, pin: str = "1234") -> None:
    response = client.post(
        "/login", data={"card": card, "secret": pin, "next": "/account", "csrf": csrf(client)}
    )
    assert response.status_code == 303, response.text[-500:]
    assert response.headers["location"] == "/account"


def a_record(services: Services, q: str = "") -> int:
    found = services.search.search(
        SearchRequest(q=q, filters=Filters(lang=("zh", "ko", "en")), size=5, facets=False)
    )
    return found.works[0].records[0].record_id


def test_public_pages_render_with_security_headers(client: TestClient, services: Services) -> None:
    record = a_record(services)
    for path in [
        "/",
        "/search?q=历史",
        "/search?q=history&lang=en&sort=newest",
        "/search",
        f"/record/{record}",
        "/login",
        "/register",
        "/register/confirm",
        "/pin-help",
    ]:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, (path, response.text[-800:])
        headers = response.headers
        assert "text/html" in headers["content-type"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["content-encoding"] == "gzip"
        assert "<script>" not in response.text
        assert ' style="' not in response.text
        assert '<a class="skip" href="#main">' in response.text
    cookie = client.get("/").headers.get("set-cookie", "")
    assert ("HttpOnly" in cookie and "SameSite=Lax" in cookie) or "sw_csrf" in client.cookies


def test_results_have_facets_availability_and_paging(
    client: TestClient, services: Services
) -> None:
    page = client.get("/search?q=历史 OR history OR 역사").text
    assert '<details class="drawer"' in page
    assert 'class="chip' in page  # availability per branch
    browse = client.get("/search?lang=zh&lang=ko&lang=en&sort=title").text
    assert 'aria-label="分页"' in browse
    assert 'rel="next"' in browse
    assert 'href="/search?lang=zh&amp;lang=ko&amp;lang=en&amp;sort=title&amp;p=2"' in browse
    assert 'lang="ko"' in page or 'lang="en"' in page  # foreign titles on a Chinese page
    korean = client.get("/search?q=력사").text  # the Chinese-Korean spelling finds 역사
    assert re.search(r'<a href="/record/\d+" lang="ko">', korean), "no Korean record found"
    nothing = client.get("/search?q=zzzzqqqxx").text
    assert "没有找到符合的图书" in nothing
    missing = client.get("/record/999999")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert client.get("/no/such/page").status_code == 404
    # A record page lists the other editions of its work, as the results group them.
    works = services.search.search(
        SearchRequest(q="", filters=Filters(lang=("zh", "ko", "en")), size=100, facets=False)
    ).works
    work = next(w for w in works if len(w.records) > 1)
    record = client.get(f"/record/{work.records[0].record_id}").text
    assert f'href="/record/{work.records[1].record_id}"' in record
    # Without web_public_url the share link is the address the request came to
    # (the browser tests set it, and their screenshots show it).
    assert f'value="http://testserver/record/{work.records[0].record_id}"' in record
    assert client.get("/api/v1/no-such").headers["content-type"].startswith("application/json")


def test_language_chosen_by_browser_then_by_the_reader(client: TestClient) -> None:
    korean = client.get("/login", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert '<html lang="ko"' in korean.text
    assert "로그인" in korean.text
    assert '<html lang="zh-Hant"' in client.get("/", headers={"Accept-Language": "zh-TW"}).text
    switched = client.get("/lang/en?next=/login")
    assert switched.status_code == 303
    assert switched.headers["location"] == "/login"
    assert "sw_lang=en" in switched.headers["set-cookie"]
    assert "HttpOnly" in switched.headers["set-cookie"]
    english = client.get("/login", headers={"Accept-Language": "ko"})
    assert '<html lang="en"' in english.text
    assert "Card number" in english.text
    client.get("/lang/zh-Hant?next=/")
    assert "登入" in client.get("/login").text
    assert client.get("/lang/xx?next=/").status_code == 404
    assert client.get("/lang/ko?next=https://evil.example/").headers["location"] == "/"
    large = client.get("/prefs/large-text?on=true&next=/")
    assert "sw_large=1" in large.headers["set-cookie"]
    assert '<html lang="ko" class="large">' in client.get("/").text  # ko from the last link


def test_a_post_without_a_good_csrf_token_gets_a_clear_page(
    client: TestClient, demo: list[str]
) -> None:
    for data in ({"card": demo[0], "secret": "1234"}, {"card": demo[0], "csrf": "0" * 64}):
        response = client.post("/login", data=data)
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"]
        assert "表单已过期" in response.text
        assert "sw_session" not in response.headers.get("set-cookie", "")
    other = TestClient(client.app)  # another browser: its own cookie, so my token fails
    token = csrf(client)
    refused = other.post("/login", data={"card": demo[0], "secret": "1234", "csrf": token})
    assert refused.status_code == 403


def test_the_reader_account(client: TestClient, services: Services, demo: list[str]) -> None:
    card = demo[0]
    wrong = client.post(
        "/login", data={"card": card, "secret": "9999", "next": "/account", "csrf": csrf(client)}
    )
    assert wrong.status_code == 401
    assert ALERT.search(wrong.text)
    assert client.get("/account").headers["location"] == "/login?next=/account"
    login(client, card)
    for section in ("", "/loans", "/holds", "/history", "/fees", "/card", "/privacy"):
        response = client.get("/account" + section)
        assert response.status_code == 200, section
    token = csrf(client, "/account/loans")
    # Renew: a loan that cannot be renewed shows why instead of a button; renewing one shows
    # its title and new due date (30 days on from the old one), and the loan has that date.
    _hold_on_one_of(services, card, demo)
    page = client.get("/account/loans").text
    loans = services.circulation.renewals_of(card)
    reasons = {x.loan.barcode: x.refusal.message("zh") for x in loans if x.refusal is not None}
    assert reasons
    for barcode, reason in reasons.items():
        assert f'name="barcode" value="{barcode}"' not in page
        assert str(escape(reason)) in page
    assert any(x.title in reasons.get(x.loan.barcode, "") for x in loans)  # named by title
    x = next(x for x in loans if x.refusal is None)
    assert f'name="barcode" value="{x.loan.barcode}"' in page
    done = client.post("/account/loans/renew", data={"barcode": x.loan.barcode, "csrf": token})
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    new_due = next(
        y.loan.due_on for y in services.circulation.renewals_of(card) if y.loan.id == x.loan.id
    )
    assert new_due == x.renewed_due_on
    assert new_due == max(x.loan.due_on, services.clock.today()) + timedelta(days=30)
    notice = f"《{escape(x.title)}》已续借，新的应还日期 {i18n.format_date(new_due, 'zh')}。"
    assert notice in shown
    # Hold, move its pickup branch, cancel it.
    record = a_record(services, "history")
    placed = client.post(f"/record/{record}/hold", data={"pickup": "CEN", "csrf": token})
    assert placed.status_code == 303, ALERT.findall(placed.text)
    hold = next(h for h in services.circulation.holds_of(card) if h.record_id == record)
    moved = client.post(f"/account/holds/{hold.id}/pickup", data={"pickup": "NGQ", "csrf": token})
    assert moved.status_code == 303
    branch_ids = {b.code: b.id for b in services.catalogue.list_branches()}
    assert (
        services.circulation.get_hold(hold.id, actor=SYSTEM).pickup_branch_id == branch_ids["NGQ"]
    )
    # Cancelling asks first: the link opens a confirmation; only its POST cancels.
    holds_page = client.get("/account/holds").text
    assert f'href="/account/holds/{hold.id}/cancel"' in holds_page
    assert f'action="/account/holds/{hold.id}/cancel"' not in holds_page
    asked = client.get(f"/account/holds/{hold.id}/cancel")
    assert asked.status_code == 200
    assert f'action="/account/holds/{hold.id}/cancel"' in asked.text
    assert services.circulation.get_hold(hold.id, actor=SYSTEM).status == "waiting"
    cancelled = client.post(f"/account/holds/{hold.id}/cancel", data={"csrf": token})
    assert cancelled.status_code == 303
    assert (
        i18n.catalogue().text("holds.cancelled", "zh")
        in client.get(cancelled.headers["location"]).text
    )
    assert services.circulation.get_hold(hold.id, actor=SYSTEM).status == "cancelled"
    # Someone else's hold is not mine to cancel.
    others = [
        h for c in demo[1:] for h in services.circulation.holds_of(c) if h.status == "waiting"
    ]
    if others:
        assert client.get(f"/account/holds/{others[0].id}/cancel").status_code == 403
        refused = client.post(f"/account/holds/{others[0].id}/cancel", data={"csrf": token})
        assert refused.status_code == 403  # access.not_yours, decided by the service
        assert services.circulation.get_hold(others[0].id, actor=SYSTEM).status == "waiting"
    # Privacy: history appears once opted in; export is a JSON download.
    assert "借阅历史" in client.get("/account/history").text
    saved = client.post("/account/privacy", data={"reading_history": "on", "csrf": token})
    assert saved.status_code == 303
    assert services.readers.get(card).history_opt_in
    export = client.get("/account/export")
    assert export.headers["content-disposition"].startswith("attachment")
    assert json.loads(export.text)["profile"]["card_number"] == card
    assert "<svg" in client.get("/account/card").text
    out = client.post("/logout", data={"csrf": token})
    assert out.status_code == 303
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert client.get("/account").status_code == 303


def test_self_registration(client: TestClient, services: Services) -> None:
    token = csrf(client, "/register")
    form = {"name": "林小雨", "email": "xiaoyu@example.org", "home_branch": "CEN", "csrf": token}
    mismatch = client.post("/register", data=form | {"pin": "2468", "pin2": "1357"})
    assert mismatch.status_code == 422
    assert "两次输入的密码不一致" in mismatch.text
    done = client.post("/register", data=form | {"pin": "2468", "pin2": "2468"})
    assert done.status_code == 200
    card = re.search(r'class="cardno">([^<]+)<', done.text)
    assert card is not None
    reader = services.readers.get(card.group(1))
    assert reader.name == "林小雨"
    assert reader.email == "xiaoyu@example.org"
    login(client, card.group(1), "2468")
    assert "林小雨" in client.get("/account").text


def test_change_pickup_in_the_service(services: Services, demo: list[str]) -> None:
    record = a_record(services, "history")
    hold = services.circulation.place_hold(demo[1], record, "CEN", actor=SYSTEM)
    moved = services.circulation.change_pickup(hold.id, "XSL", actor=reader_self(demo[1]))
    assert moved.pickup_branch_id != hold.pickup_branch_id
    with pytest.raises(ShelfwiseError) as refused:
        services.circulation.change_pickup(hold.id, "CEN", actor=reader_self(demo[2]))
    assert refused.value.code == "access.not_yours"


def test_the_pickup_change_is_in_the_rest_api_too(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    record = a_record(services, "history")
    hold = services.circulation.place_hold(demo[1], record, "CEN", actor=SYSTEM)
    session = client.post("/api/v1/sessions", json={"card_number": demo[1], "secret": "1234"})
    assert session.status_code == 201, session.text
    bearer = {"Authorization": f"Bearer {session.json()['token']}"}
    moved = client.put(
        f"/api/v1/holds/{hold.id}/pickup",
        json={"pickup_branch": "XSL", "card_number": demo[1]},
        headers=bearer,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["pickup_branch_id"] != hold.pickup_branch_id


def test_registration_page_shares_the_per_address_limit_and_hides_unknown_cards(
    client: TestClient, services: Services
) -> None:
    token = csrf(client, "/register")
    limit = services.settings.access_registrations_per_hour
    statuses = [
        client.post(
            "/register",
            data={
                "name": f"读者{k}",
                "email": f"w{k}@example.org",
                "pin": "2468",
                "pin2": "2468",
                "csrf": token,
            },
        ).status_code
        for k in range(limit + 1)
    ]
    assert statuses == [200] * limit + [429]
    unknown = client.post(
        "/register/confirm", data={"card": "SW-NOBODY", "token": "x", "csrf": token}
    )
    assert unknown.status_code == 422
    assert "验证链接无效或已使用" in unknown.text


def test_a_nul_character_is_an_invalid_request_on_the_pages(client: TestClient) -> None:
    token = csrf(client, "/login")
    for response in (
        client.get("/search", params={"q": "历史\x00"}),
        client.post("/login", data={"card": "SW\x00", "secret": "1234", "csrf": token}),
    ):
        assert response.status_code == 422
        assert "text/html" in response.headers["content-type"]


def _hold_on_one_of(services: Services, card: str, demo: list[str]) -> None:
    """Another reader places a hold on one of ``card``'s loans, so that it cannot be renewed."""
    loan = services.circulation.loans_of(card)[0]
    with contextlib.suppress(ShelfwiseError):  # the demo may have placed it already
        services.circulation.place_hold(demo[-1], loan.record_id, "CEN", actor=SYSTEM)
