"""The staff client through Starlette's TestClient, on both backends: sign-in, the access
rule of every page (anonymous → login, wrong role → 403, no CSRF token → refused), the desk
(summary audited with field names only, checkout, refusals with their reason, renewal,
a reload that replays), check-in with its routing and hold slips, the hold shelf, fees,
registering and changing readers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from shelfwise.access.models import ROLES
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.readers.models import DEFAULT_CATEGORIES, ReaderStatus
from shelfwise.services import Services
from shelfwise.web import i18n
from shelfwise.web.staff.checkin import SLIP_FIELDS
from shelfwise.web.staff.desk import SUMMARY_FIELDS
from shelfwise.web.staff.readers import ACTIONS, cents
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
PASSWORD = "staff-pass-1234"
# Every staff page, and the permission it needs.
PAGES = [
    ("/staff", None),
    ("/staff/desk", "circulation.desk"),
    ("/staff/checkin", "circulation.desk"),
    ("/staff/holds", "circulation.desk"),
    ("/staff/readers/new", "readers.write"),
]
POSTS = [
    "/staff/desk/checkout",
    "/staff/desk/renew",
    "/staff/desk/renew-all",
    "/staff/checkin",
    "/staff/readers/new",
    "/staff/fees/1/pay",
    "/staff/readers/X/block",
]


def csrf(client: TestClient, path: str = "/staff/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, services: Services, role: str = "desk") -> None:
    username = f"web-{role}"
    try:
        services.access.staff_account(username)
    except Exception:
        services.access.create_staff(username, f"Web {role}", PASSWORD, role)
    token = csrf(client)
    done = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "next": "/staff/desk", "csrf": token},
    )
    assert done.status_code == 303, done.text[-400:]
    assert done.headers["location"] == "/staff/desk"
    client.cookies.set("sw_lang", "en")


def on_shelf(services: Services, branch: str = "CEN", skip: int = 0) -> str:
    """A barcode of a copy on the shelf at ``branch`` with no hold on its record."""
    from sqlalchemy import select

    from shelfwise.storage.tables import branches, holds, items

    with services.db.read() as conn:
        rows = conn.execute(
            select(items.c.barcode, items.c.record_id)
            .join(branches, branches.c.id == items.c.home_branch_id)
            .where(branches.c.code == branch)
            .order_by(items.c.id.desc())
        ).all()
        held = set(conn.execute(select(holds.c.record_id)).scalars())
    free: list[str] = [
        r.barcode
        for r in rows
        if r.record_id not in held
        and str(services.circulation.item_status(r.barcode).availability) == "on_shelf"
    ]
    return free[skip]


def test_anonymous_and_readers_are_sent_to_the_staff_login(
    client: TestClient, demo: list[str]
) -> None:
    for path, _permission in PAGES:
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/staff/login?next=")
    form = client.get("/staff/login?next=/account")
    assert form.status_code == 200
    assert 'name="next" value="/staff"' in form.text  # a reader page is no place to land
    reader = client.post(
        "/login", data={"card": demo[0], "secret": "1234", "next": "/account", "csrf": csrf(client)}
    )
    assert reader.status_code == 303
    assert client.get("/staff/desk").headers["location"].startswith("/staff/login")


def test_staff_login_refuses_a_wrong_password(client: TestClient, services: Services) -> None:
    services.access.create_staff("web-desk", "Web desk", PASSWORD, "desk")
    client.cookies.set("sw_lang", "en")
    refused = client.post(
        "/staff/login", data={"username": "web-desk", "password": "nope", "csrf": csrf(client)}
    )
    assert refused.status_code == 401
    assert 'role="alert"' in refused.text
    assert "sw_session" not in refused.headers.get("set-cookie", "")


def test_wrong_role_gets_a_403_page(client: TestClient, services: Services) -> None:
    sign_in(client, services, "cataloguer")
    home = client.get("/staff")
    assert home.status_code == 200
    for path, permission in PAGES:
        if permission is None:
            continue
        response = client.get(path)
        assert response.status_code == 403, path
        assert 'role="alert"' in response.text
    token = csrf(client, "/staff")
    refused = client.post("/staff/checkin", data={"barcode": "x", "csrf": token})
    assert refused.status_code == 403


def test_every_staff_post_wants_a_csrf_token(client: TestClient, services: Services) -> None:
    sign_in(client, services, "admin")
    for path in POSTS:
        response = client.post(path, data={"card": "x", "barcode": "x"})
        assert response.status_code == 403, path
        assert 'role="alert"' in response.text


def test_the_desk_checks_out_renews_and_refuses_with_the_reason(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services)
    card = demo[1]
    reader = services.readers.get(card)
    page = client.get(f"/staff/desk?card={card}")
    assert page.status_code == 200
    assert reader.name in page.text
    assert "May borrow." in page.text
    trail = services.access.audit_trail(card_number=card)
    assert trail
    assert trail[0].door == "web"
    assert trail[0].action == "read"
    assert set(trail[0].fields) == set(SUMMARY_FIELDS)
    assert reader.name not in ",".join(trail[0].fields)  # names of fields, never values

    barcode = on_shelf(services)
    token, key = CSRF.search(page.text), KEY.search(page.text)
    assert token
    assert key
    form = {"card": card, "barcode": barcode, "key": key.group(1), "csrf": token.group(1)}
    done = client.post("/staff/desk/checkout", data=form)
    assert done.status_code == 200, done.text[-500:]
    assert "Checked out: " in done.text
    assert barcode in done.text
    assert 'id="barcode"' in done.text
    assert "autofocus" in done.text
    again = client.post("/staff/desk/checkout", data=form)  # a reload posts the same key
    assert again.status_code == 200
    assert "Checked out: " in again.text
    loans = [x for x in services.circulation.loans_of(card) if x.barcode == barcode]
    assert len(loans) == 1

    form["key"] = KEY.search(again.text).group(1)  # type: ignore[union-attr]
    refused = client.post("/staff/desk/checkout", data=form)
    assert refused.status_code == 409
    assert "already" in refused.text.lower()  # circ.item_already_yours, in English
    other = client.post("/staff/desk/checkout", data=form | {"card": demo[2]})
    assert other.status_code == 409
    assert "on loan" in other.text.lower()

    before = loans[0].due_on
    renewed = client.post(
        "/staff/desk/renew",
        data={"card": card, "barcode": barcode, "key": form["key"] + "-1", "csrf": form["csrf"]},
    )
    assert renewed.status_code == 200
    (after,) = [x.due_on for x in services.circulation.loans_of(card) if x.barcode == barcode]
    assert after == before + timedelta(days=30)  # from the due date, not from today
    # The librarian reads the title and the new due date, not just "renewed".
    title = services.catalogue.get_record(loans[0].record_id).title
    due = i18n.format_date(after, "en")
    assert f"Renewed &#39;{escape(title)}&#39; ({barcode}): now due {due}" in renewed.text
    unknown = client.get("/staff/desk?card=NO-SUCH-CARD")
    assert unknown.status_code == 404
    assert 'role="alert"' in unknown.text


def test_the_desk_shows_the_standing_circulation_enforces(
    client: TestClient, services: Services, demo: list[str], clock: FrozenClock
) -> None:
    """Issue 12 item 7: the desk said "May borrow." beside two overdue loans; it shows the
    service's standing now, and each loan that cannot be renewed says why instead of a button."""
    card = services.readers.register(
        name="逾期读者", category="adult", pin="1357"
    ).reader.card_number
    lent = [
        services.circulation.checkout(card, on_shelf(services, skip=k), "CEN", actor=SYSTEM)
        for k in (0, 1)
    ]
    services.circulation.place_hold(demo[0], lent[1].record_id, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=40))
    sign_in(client, services)  # after the 40 days: a staff session lasts hours
    page = client.get(f"/staff/desk?card={card}").text
    assert "May borrow." not in page
    assert "This reader may not borrow now:" in page
    assert "2 overdue and 0 lost loan(s)" in page  # circ.overdue_loans, as checkout says it
    assert f'name="barcode" value="{lent[0].barcode}"' in page  # renewable: a button
    assert f'name="barcode" value="{lent[1].barcode}"' not in page  # on hold: the reason
    assert "is reserved by another reader" in page


def test_checkin_prints_the_routing_slip_and_traps_the_hold(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services)
    circ = services.circulation
    far, near = demo[4], demo[5]
    travelling = on_shelf(services, "CEN", 0)
    staying = on_shelf(services, "CEN", 1)
    far_hold = circ.place_hold(
        far, services.catalogue.get_item(travelling).record_id, "NGQ", actor=SYSTEM
    )
    near_hold = circ.place_hold(
        near, services.catalogue.get_item(staying).record_id, "CEN", actor=SYSTEM
    )
    page = client.get("/staff/checkin")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    key = KEY.search(page.text).group(1)  # type: ignore[union-attr]

    sent = client.post("/staff/checkin", data={"barcode": travelling, "key": key, "csrf": token})
    assert sent.status_code == 200, sent.text[-500:]
    assert 'class="slip"' in sent.text
    assert "Routing slip" in sent.text
    ngq = next(b for b in services.catalogue.list_branches() if b.code == "NGQ")
    assert f"Send to: {ngq.name_en}" in sent.text
    assert "Hold trapped" in sent.text
    assert services.readers.get(far).name in sent.text
    assert circ.get_hold(far_hold.id, actor=SYSTEM).status == "in_transit"
    audited = services.access.audit_trail(card_number=far)
    assert audited
    assert set(audited[0].fields) == set(SLIP_FIELDS)

    key = KEY.search(sent.text).group(1)  # type: ignore[union-attr]
    ready = client.post("/staff/checkin", data={"barcode": staying, "key": key, "csrf": token})
    assert "hold shelf" in ready.text
    assert "Routing slip" not in ready.text
    assert circ.get_hold(near_hold.id, actor=SYSTEM).status == "ready"

    shelf_page = client.get("/staff/holds")
    assert shelf_page.status_code == 200
    assert services.readers.get(near).name in shelf_page.text
    assert staying in shelf_page.text

    plain = on_shelf(services, "CEN", 0)
    key = KEY.search(ready.text).group(1)  # type: ignore[union-attr]
    back = client.post("/staff/checkin", data={"barcode": plain, "key": key, "csrf": token})
    assert "Back to the shelf." in back.text
    assert 'class="slip"' not in back.text
    missing = client.post(
        "/staff/checkin", data={"barcode": "NO-SUCH", "key": key + "x", "csrf": token}
    )
    assert missing.status_code == 404
    assert 'role="alert"' in missing.text


def test_fees_take_a_payment_and_waive(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    sign_in(client, services)
    card = demo[2]  # the demo charges this reader 8.00 for a coffee stain
    (fee,) = [f for f in services.fees.fees_of(card) if f.status == "open"]
    page = client.get(f"/staff/desk?card={card}")
    assert f"/staff/fees/{fee.id}/pay" in page.text
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    paid = client.post(
        f"/staff/fees/{fee.id}/pay", data={"card": card, "amount": "3.00", "csrf": token}
    )
    assert paid.status_code == 303
    assert services.fees.fees_of(card)[0].balance_cents == 500
    elsewhere = client.post(
        f"/staff/fees/{fee.id}/pay", data={"card": demo[0], "amount": "1", "csrf": token}
    )
    assert elsewhere.status_code == 404  # another reader's card: no such fee there
    bad = client.post(
        f"/staff/fees/{fee.id}/pay", data={"card": card, "amount": "x", "csrf": token}
    )
    assert bad.status_code == 422
    waived = client.post(
        f"/staff/fees/{fee.id}/waive", data={"card": card, "note": "goodwill", "csrf": token}
    )
    assert waived.status_code == 303
    assert not [f for f in services.fees.fees_of(card) if f.status == "open"]
    assert cents("12.5") == 1250
    assert cents("¥1,000") == 100_000


def test_register_block_and_unblock_a_reader(client: TestClient, services: Services) -> None:
    sign_in(client, services)
    token = csrf(client, "/staff/readers/new")
    form = {"name": "최지우", "category": "student", "home_branch": "CEN", "pin": "4321"}
    made = client.post("/staff/readers/new", data=form | {"csrf": token})
    assert made.status_code == 303, made.text[-400:]
    card = made.headers["location"].split("card=")[1].split("&")[0]
    assert services.readers.get(card).name == "최지우"
    assert "The reader is registered" in client.get(made.headers["location"]).text
    created = services.access.audit_trail(card_number=card)
    assert created[-1].action == "create"
    assert "name" in created[-1].fields
    blocked = client.post(
        f"/staff/readers/{card}/block", data={"reason": "lost card", "csrf": token}
    )
    assert blocked.status_code == 303
    desk = client.get(f"/staff/desk?card={card}")
    assert "The reader card is blocked: lost card" in desk.text  # circ.reader_blocked
    assert client.post(f"/staff/readers/{card}/unblock", data={"csrf": token}).status_code == 303
    assert services.readers.get(card).manual_block is None
    weak = client.post(f"/staff/readers/{card}/pin", data={"pin": "1", "csrf": token})
    assert weak.status_code == 422
    assert 'role="alert"' in weak.text
    edited = client.post(
        f"/staff/readers/{card}/details",
        data={"name": "최지우", "category": "adult", "phone": "010-1234", "csrf": token},
    )
    assert edited.status_code == 303
    assert (services.readers.get(card).category, services.readers.get(card).phone) == (
        "adult",
        "010-1234",
    )
    assert services.readers.get(card).home_branch_id is None  # left empty: cleared
    assert "details are saved." in client.get(edited.headers["location"]).text
    bad_mail = client.post(
        f"/staff/readers/{card}/details",
        data={"name": "최지우", "category": "adult", "email": "nope", "csrf": token},
    )
    assert bad_mail.status_code == 422
    record = client.get(f"/staff/readers/{card}")
    assert record.status_code == 200
    assert "최지우" in record.text
    bad = client.post("/staff/readers/new", data={"name": "", "category": "adult", "csrf": token})
    assert bad.status_code == 422


@pytest.mark.parametrize("lang", ["zh", "zh-Hant", "ko", "en"])
def test_the_staff_pages_speak_every_language(
    client: TestClient, services: Services, demo: list[str], lang: str
) -> None:
    sign_in(client, services, "admin")
    client.cookies.set("sw_lang", lang)
    for path in ["/staff", f"/staff/desk?card={demo[2]}", "/staff/checkin", "/staff/holds"]:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[-300:])
        assert f'lang="{i18n.HTML_LANG[lang]}"' in page.text  # type: ignore[index]
    expected = i18n.catalogue().text("staff.desk.title", lang)  # type: ignore[arg-type]
    assert expected in client.get("/staff/desk").text


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("category.", list(DEFAULT_CATEGORIES)),
        ("staff.role.", list(ROLES)),
        ("staff.reader.status.", [str(s) for s in ReaderStatus]),
        ("staff.reader.done.", list(ACTIONS)),
    ],
)
def test_staff_keys_built_from_values_exist(prefix: str, values: list[str]) -> None:
    texts = i18n.catalogue().texts
    assert not [v for v in values if prefix + v not in texts]
