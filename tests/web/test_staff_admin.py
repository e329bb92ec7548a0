"""Administration and loan rules in the staff client, on both backends: the access rule
of each page, staff accounts (create, disable, reset password, role), API tokens (shown
once, revoked), SIP2 terminals with their counters, the audit log, rules and calendars."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise.circulation.rules import RULE_FIELDS
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.storage.outbox import Event
from shelfwise.web import i18n
from shelfwise.web.staff.admin import DONE as ADMIN_DONE
from shelfwise.web.staff.rules import DONE as RULES_DONE
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "staff-pass-1234"
PAGES = ["/staff/admin", "/staff/rules"]
POSTS = [
    "/staff/admin/staff",
    "/staff/admin/staff/x/disable",
    "/staff/admin/tokens",
    "/staff/admin/tokens/1/revoke",
    "/staff/admin/terminals/x/disable",
    "/staff/admin/alerts/1/acknowledge",
    "/staff/rules",
    "/staff/rules/1/delete",
    "/staff/calendars/CEN",
    "/staff/calendars/CEN/hours",
]


def sign_in(client: TestClient, services: Services, role: str) -> str:
    username = f"web-{role}"
    services.access.create_staff(username, f"Web {role}", PASSWORD, role)
    token = CSRF.search(client.get("/staff/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "next": "/staff", "csrf": token},
    )
    assert done.status_code == 303
    client.cookies.set("sw_lang", "en")
    return token


def test_administration_needs_an_administrator(client: TestClient, services: Services) -> None:
    for path in PAGES:
        assert client.get(path).headers["location"].startswith("/staff/login")
    token = sign_in(client, services, "desk")
    for path in PAGES:
        assert client.get(path).status_code == 403
    for path in POSTS:
        assert client.post(path, data={"csrf": token}).status_code == 403, path
        assert client.post(path, data={}).status_code == 403, path  # and no CSRF token


def test_staff_accounts_tokens_terminals_and_the_audit_log(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    token = sign_in(client, services, "admin")
    services.access.audit(
        services.access.login_staff("web-admin", PASSWORD).principal,
        door="api",
        action="read",
        card_number=demo[0],
        fields=["name"],
    )
    services.terminals.create(
        name="kiosk-7", password="kiosk-pass-1234", branch="CEN", institution="SW"
    )
    page = client.get("/staff/admin")
    assert page.status_code == 200
    assert "web-admin" in page.text
    assert "kiosk-7" in page.text
    assert "Last seen" in page.text
    assert "Audit log" in page.text
    assert ">name<" in page.text  # field names, never values

    form = {"username": "new.clerk", "name": "New Clerk", "password": "clerk-pass-123"}
    made = client.post("/staff/admin/staff", data=form | {"role": "desk", "csrf": token})
    assert made.headers["location"] == "/staff/admin?done=created"
    assert services.access.staff_account("new.clerk").role == "desk"
    weak = client.post(
        "/staff/admin/staff",
        data=form | {"username": "x2", "password": "short"} | {"role": "desk", "csrf": token},
    )
    assert weak.status_code == 422
    assert 'role="alert"' in weak.text
    assert (
        client.post("/staff/admin/staff/new.clerk/disable", data={"csrf": token}).status_code == 303
    )
    assert not services.access.staff_account("new.clerk").enabled
    client.post("/staff/admin/staff/new.clerk/enable", data={"csrf": token})
    client.post("/staff/admin/staff/new.clerk/role", data={"role": "cataloguer", "csrf": token})
    assert services.access.staff_account("new.clerk").role == "cataloguer"
    reset = client.post(
        "/staff/admin/staff/new.clerk/password", data={"password": "brand-new-pass", "csrf": token}
    )
    assert reset.status_code == 303
    assert services.access.login_staff("new.clerk", "brand-new-pass").principal.role == "cataloguer"

    issued = client.post(
        "/staff/admin/tokens",
        data={"username": "new.clerk", "label": "catalogue sync", "days": "30", "csrf": token},
    )
    assert issued.status_code == 200
    assert issued.headers["cache-control"] == "no-store"
    secret = re.search(r"swt_[A-Za-z0-9_-]+", issued.text)
    assert secret is not None
    assert services.access.principal(secret.group(0)) is not None
    assert secret.group(0) not in client.get("/staff/admin").text  # shown once
    (api_token,) = [k for k in services.access.api_tokens() if k.label == "catalogue sync"]
    revoked = client.post(f"/staff/admin/tokens/{api_token.id}/revoke", data={"csrf": token})
    assert revoked.status_code == 303
    assert services.access.principal(secret.group(0)) is None


def test_loan_rules_and_calendars(client: TestClient, services: Services) -> None:
    token = sign_in(client, services, "admin")
    assert client.get("/staff/rules").status_code == 200
    saved = client.post(
        "/staff/rules",
        data={"reader_category": "child", "branch": "CEN", "loan_days": "14", "csrf": token},
    )
    assert saved.status_code == 303
    (rule,) = [r for r in services.loan_rules.rules() if r.reader_category == "child"]
    assert rule.loan_days == 14
    bad = client.post("/staff/rules", data={"loan_days": "-3", "csrf": token})
    assert bad.status_code == 422
    page = client.get("/staff/rules?done=rule")
    assert "The rule is saved." in page.text
    client.post(f"/staff/rules/{rule.id}/delete", data={"csrf": token})
    assert not [r for r in services.loan_rules.rules() if r.reader_category == "child"]

    # The web demo opens CEN every day (d5b149d): Monday's hours must go before Monday can
    # close, or the calendar would say both (the service refuses that, tested at the end).
    refused = client.post("/staff/calendars/CEN", data={"weekday": ["0"], "csrf": token})
    assert refused.status_code == 422
    assert "hours on a closed day: weekday 1" in refused.text
    cleared = client.post("/staff/calendars/CEN/hours", data={"hours": "", "csrf": token})
    assert cleared.status_code == 303
    closed = client.post(
        "/staff/calendars/CEN",
        data={"weekday": ["0"], "days": "2026-10-01, 2026-10-02", "csrf": token},
    )
    assert closed.status_code == 303
    calendar = services.calendars.calendar("CEN")
    assert calendar.closed_weekdays == frozenset({0})
    assert calendar.closed_days == frozenset({date(2026, 10, 1), date(2026, 10, 2)})
    wrong = client.post("/staff/calendars/CEN", data={"days": "tomorrow", "csrf": token})
    assert wrong.status_code == 422
    # Opening hours (issue 12, item 4): a line per weekday (1 = Monday) or date.
    hours = "2 09:00-12:00 13:30-21:00\n2026-10-03 10:00-16:00"
    kept = client.post("/staff/calendars/CEN/hours", data={"hours": hours, "csrf": token})
    assert kept.status_code == 303
    calendar = services.calendars.calendar("CEN")
    assert [str(h) for h in calendar.weekly_hours[1]] == ["09:00-12:00", "13:30-21:00"]
    assert [str(h) for h in calendar.special_hours[date(2026, 10, 3)]] == ["10:00-16:00"]
    assert calendar.closed_weekdays == frozenset({0})  # the closures stay
    shown = client.get("/staff/rules?done=hours").text
    assert "Opening hours saved." in shown
    # Shown in the time pickers of Tuesday (weekday 1), not as text.
    assert 'name="open-1-0" value="09:00"' in shown
    assert 'name="close-1-1" value="21:00"' in shown
    on_closed = client.post(
        "/staff/calendars/CEN/hours", data={"hours": "1 09:00-17:00", "csrf": token}
    )
    assert on_closed.status_code == 422  # Monday is closed
    assert "hours on a closed day: weekday 1" in on_closed.text
    assert services.calendars.calendar("CEN").weekly_hours[1]  # unchanged


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("staff.admin.done.", list(ADMIN_DONE)),
        ("staff.rules.done.", list(RULES_DONE)),
        ("staff.rule.", list(RULE_FIELDS)),
        ("staff.weekday.", [str(d) for d in range(7)]),
    ],
)
def test_admin_keys_built_from_values_exist(prefix: str, values: list[str]) -> None:
    texts = i18n.catalogue().texts
    assert not [v for v in values if prefix + v not in texts]


def test_kiosk_alerts_are_shown_until_acknowledged_and_a_terminal_is_disabled_from_the_page(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """S-3: an ``sip2.alert`` event reaches the administration page through its outbox
    handler (a WARNING line too), once however often it is delivered; an administrator
    acknowledges it, and disables and enables a kiosk account there."""
    token = sign_in(client, services, "admin")
    services.terminals.create(
        name="kiosk-9", password="kiosk-pass-1234", branch="CEN", institution="SW"
    )
    services.terminals.alert(
        {"kind": "login_backoff", "subject": "sip2-terminal:kiosk-9", "terminal": "kiosk-9",
         "ip": "10.8.0.7", "count": 5, "until": "2026-09-01T09:31:00+00:00"}
    )  # fmt: skip
    runtime = Runtime(services)
    handlers = runtime.outbox_handlers()
    runtime.outbox_relay(handlers).drain(max_rounds=5)
    assert "kiosk alert: login_backoff on sip2-terminal:kiosk-9 from 10.8.0.7" in caplog.text
    (alert,) = services.kiosk_alerts.recent()
    assert (alert.terminal, alert.peer, alert.failures) == ("kiosk-9", "10.8.0.7", 5)
    with services.db.read() as conn:
        event = conn.execute(
            text("SELECT id, topic, payload FROM outbox WHERE topic = 'sip2.alert'")
        ).one()
    handlers["sip2.alert"](Event(int(event.id), event.topic, json.loads(event.payload), 2))
    assert len(services.kiosk_alerts.recent()) == 1  # delivered again: still one alert

    page = client.get("/staff/admin")
    assert "Kiosk alerts (1)" in page.text
    panel = page.text.split('id="kiosk-alerts"', 1)[1].split("</table>", 1)[0]
    assert "sip2-terminal:kiosk-9 (10.8.0.7)" in panel
    assert f"/staff/admin/alerts/{alert.id}/acknowledge" in panel
    done = client.post(f"/staff/admin/alerts/{alert.id}/acknowledge", data={"csrf": token})
    assert done.headers["location"] == "/staff/admin?done=acknowledged#alerts-h"
    assert services.kiosk_alerts.open_count() == 0
    page = client.get("/staff/admin?done=acknowledged")
    assert "The alert is acknowledged." in page.text
    assert "Acknowledged by Web admin" in page.text
    assert "Kiosk alerts (1)" not in page.text

    off = client.post("/staff/admin/terminals/kiosk-9/disable", data={"csrf": token})
    assert off.headers["location"] == "/staff/admin?done=terminal_disable#terminals-h"
    assert services.terminals.login("kiosk-9", "kiosk-pass-1234") is None
    assert 'action="/staff/admin/terminals/kiosk-9/enable"' in client.get("/staff/admin").text
    client.post("/staff/admin/terminals/kiosk-9/enable", data={"csrf": token})
    assert services.terminals.login("kiosk-9", "kiosk-pass-1234") is not None
    missing = client.post("/staff/admin/terminals/no-such-kiosk/disable", data={"csrf": token})
    assert missing.status_code == 404


def test_opening_hours_from_the_time_pickers(client: TestClient, services: Services) -> None:
    """A weekday's spans come from <input type=time> pairs; special dates are kept; a
    span that ends before it begins, or two that overlap, are refused and nothing changes."""
    token = sign_in(client, services, "admin")
    text = "2026-10-03 10:00-16:00"
    assert (
        client.post("/staff/calendars/CEN/hours", data={"hours": text, "csrf": token}).status_code
        == 303
    )
    page = client.get("/staff/rules").text
    assert page.count('type="time"') == 7 * 2 * 2 * len(services.catalogue.list_branches())
    picked = {"csrf": token, "open-0-0": "09:00", "close-0-0": "12:00", "open-0-1": "13:30"}
    picked |= {"close-0-1": "20:30", "open-5-0": "10:00", "close-5-0": "17:00"}
    saved = client.post("/staff/calendars/CEN/hours", data=picked)
    assert saved.status_code == 303
    calendar = services.calendars.calendar("CEN")
    assert {d: [str(h) for h in spans] for d, spans in calendar.weekly_hours.items()} == {
        0: ["09:00-12:00", "13:30-20:30"],
        5: ["10:00-17:00"],
    }
    assert [str(h) for h in calendar.special_hours[date(2026, 10, 3)]] == ["10:00-16:00"]
    for bad in (
        {"open-2-0": "18:00", "close-2-0": "09:00"},
        {"open-2-0": "09:00", "close-2-0": "13:00", "open-2-1": "12:00", "close-2-1": "17:00"},
        {"open-2-0": "9 am", "close-2-0": "17:00"},
        {"open-2-0": "09:00"},
    ):
        refused = client.post("/staff/calendars/CEN/hours", data={"csrf": token, **bad})
        assert refused.status_code == 422, bad
        assert services.calendars.calendar("CEN").weekly_hours == calendar.weekly_hours


def test_loan_rule_money_is_in_yuan(client: TestClient, services: Services) -> None:
    token = sign_in(client, services, "admin")
    saved = client.post(
        "/staff/rules",
        data={
            "reader_category": "child",
            "fine_cents_per_day": "0.5",
            "fine_max_cents": "20",
            "lost_fee_cents": "1,200.05",
            "csrf": token,
        },
    )
    assert saved.status_code == 303
    (rule,) = [r for r in services.loan_rules.rules() if r.reader_category == "child"]
    assert (rule.fine_cents_per_day, rule.fine_max_cents, rule.lost_fee_cents) == (50, 2000, 120005)
    page = client.get("/staff/rules").text
    assert "Fine per day (yuan)" in page
    assert "¥0.50" in page
    assert "¥1,200.05" in page
    assert "(fen)" not in page
    for bad in ("0.505", "-1", "1e3", "¥5"):
        refused = client.post("/staff/rules", data={"fine_max_cents": bad, "csrf": token})
        assert refused.status_code == 422, bad


def test_staff_are_not_addressed_as_the_reader(client: TestClient, services: Services) -> None:
    """A refusal worded to a reader ("已借给您") is worded about the reader on staff pages."""
    from shelfwise.core.errors import ShelfwiseError
    from shelfwise.web.i18n import refusal

    error = ShelfwiseError("circ.item_already_yours", barcode="B1")
    assert "您" in refusal(error, "zh")  # the reader's own wording, kept for readers
    sign_in(client, services, "desk")
    client.cookies.set("sw_lang", "zh")
    desk = client.get("/staff/desk")
    assert desk.status_code in (200, 303)
    texts = i18n.catalogue().texts
    for key in [k for k in texts if k.startswith("staff.about_reader.")]:
        assert "您" not in texts[key]["zh"], key
        assert "you" not in texts[key]["en"].lower().split(), key
