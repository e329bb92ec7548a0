"""Access: staff logins and roles, reader logins, shared lockouts, tokens, and the P7 audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise.app import asgi_app
from shelfwise.catalogue.models import BranchKind
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.services import Services
from shelfwise.testing.access import staff_token

PASSWORD = "a long staff password"


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(asgi_app(services)) as c:
        yield c


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_staff_login_opens_a_session_with_the_role(services: Services) -> None:
    services.catalogue.add_branch(code="BR1", kind=BranchKind.BRANCH, name_zh="一分馆")
    services.access.create_staff("Desk.Li", "李娜", PASSWORD, "desk", ["BR1"])
    session = services.access.login_staff("desk.li", PASSWORD)
    principal = services.access.principal(session.token)
    assert principal is not None
    assert (principal.kind, principal.role, principal.branches) == ("staff", "desk", ("BR1",))
    assert principal.can("circulation.desk", "BR1")
    assert not principal.can("circulation.desk", "CEN")  # scoped to its branch
    assert not principal.can("circulation.rules")
    with services.db.read() as conn:
        stored = conn.execute(text("SELECT token_hash FROM access_tokens")).scalars().all()
    assert session.token not in stored  # only the SHA-256 is kept
    services.access.logout(session.token)
    assert services.access.principal(session.token) is None


def test_wrong_password_and_unknown_user_get_the_same_refusal(services: Services) -> None:
    services.access.create_staff("admin1", "Admin", PASSWORD, "admin")
    codes = []
    for username, password in (("admin1", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(ShelfwiseError) as refused:
            services.access.login_staff(username, password)
        codes.append(refused.value.code)
    assert codes == ["access.login_failed", "access.login_failed"]


def test_lockout_after_repeated_failures_refuses_even_the_right_password(
    services: Services, clock: FrozenClock
) -> None:
    services.access.create_staff("cat", "Cataloguer", PASSWORD, "cataloguer")
    limit = services.access.lockout.limit
    codes = []
    for _ in range(limit):
        with pytest.raises(ShelfwiseError) as refused:
            services.access.login_staff("cat", "not the password")
        codes.append(refused.value.code)
    assert codes[:-1] == ["access.login_failed"] * (limit - 1)
    assert codes[-1] == "access.locked"
    with pytest.raises(ShelfwiseError) as locked:
        services.access.login_staff("cat", PASSWORD)
    assert locked.value.code == "access.locked"
    clock.advance(timedelta(seconds=services.access.lockout.seconds + 1))
    assert services.access.login_staff("cat", PASSWORD).principal.role == "cataloguer"


def test_reader_login_with_pin_or_password_shares_the_lock_across_doors(services: Services) -> None:
    card = services.readers.register(
        name="朴敏", category="adult", pin="2468", password="reader password"
    ).reader.card_number
    assert services.access.login_reader(card, "2468").principal.card_number == card
    assert services.access.login_reader(card, "reader password").principal.kind == "reader"
    for _ in range(services.access.lockout.limit):
        with pytest.raises(ShelfwiseError):
            services.access.login_reader(card, "0000")
    # The subject is the card: a kiosk checking the same PIN sees the same lock.
    assert services.access.lockout.locked_until(f"reader:{card}") is not None
    with pytest.raises(ShelfwiseError) as locked:
        services.access.login_reader(card, "2468")
    assert locked.value.code == "access.locked"


def test_staff_accounts_validate_role_name_and_password(services: Services) -> None:
    for args, code in (
        (("ok-name", "X", PASSWORD, "librarian"), "access.role_unknown"),
        (("Bad Name", "X", PASSWORD, "desk"), "access.username_invalid"),
        (("short", "X", "short", "desk"), "access.password_weak"),
    ):
        with pytest.raises(ShelfwiseError) as refused:
            services.access.create_staff(*args)
        assert refused.value.code == code
    services.access.create_staff("twice", "X", PASSWORD, "desk")
    with pytest.raises(ShelfwiseError) as taken:
        services.access.create_staff("twice", "Y", PASSWORD, "desk")
    assert taken.value.code == "access.username_taken"


def test_disabling_staff_ends_sessions_and_tokens_stop_working(services: Services) -> None:
    services.access.create_staff("leaver", "Leaver", PASSWORD, "desk")
    session = services.access.login_staff("leaver", PASSWORD)
    token = services.access.issue_api_token("leaver", "kiosk dashboard")
    assert services.access.principal(token) is not None
    services.access.update_staff("leaver", enabled=False)
    assert services.access.principal(session.token) is None
    assert services.access.principal(token) is None  # a disabled account's tokens are dead too
    (listed,) = services.access.api_tokens()
    assert listed.label == "kiosk dashboard"


def test_expired_api_token_is_refused(services: Services, clock: FrozenClock) -> None:
    services.access.create_staff("sys", "System", PASSWORD, "admin")
    token = services.access.issue_api_token("sys", "harvester", days=1)
    assert services.access.principal(token) is not None
    clock.advance(timedelta(days=1, seconds=1))
    assert services.access.principal(token) is None


def test_api_refuses_anonymous_and_wrong_role(client: TestClient, services: Services) -> None:
    anonymous = client.post("/api/v1/readers", json={"name": "某人", "category": "adult"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "access.unauthenticated"
    cataloguer = _bearer(staff_token(services, "cataloguer"))
    forbidden = client.post(
        "/api/v1/readers", json={"name": "某人", "category": "adult"}, headers=cataloguer
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "access.forbidden"
    assert client.get("/api/v1/search", params={"q": "x"}).status_code == 200  # public
    assert client.get("/api/v1/branches").status_code == 200  # public


def test_a_reader_sees_only_their_own_account(client: TestClient, services: Services) -> None:
    mine = services.readers.register(name="金", category="adult", pin="1357").reader.card_number
    other = services.readers.register(name="李", category="adult", pin="9753").reader.card_number
    login = client.post("/api/v1/sessions", json={"card_number": mine, "secret": "1357"})
    assert login.status_code == 201
    me = _bearer(login.json()["token"])
    assert client.get("/api/v1/sessions/current", headers=me).json()["card_number"] == mine
    assert client.get(f"/api/v1/readers/{mine}/loans", headers=me).status_code == 200
    refused = client.get(f"/api/v1/readers/{other}/loans", headers=me)
    assert refused.status_code == 403
    assert client.delete("/api/v1/sessions/current", headers=me).status_code == 204
    assert client.get("/api/v1/sessions/current", headers=me).status_code == 401


def test_staff_reads_of_reader_data_are_audited_with_field_names_only(
    client: TestClient, services: Services
) -> None:
    """P7: who, when, which reader, which fields; nothing of the reader's data; kept after erasure."""
    reader = services.readers.register(
        name="审计对象甲", category="adult", email="audit.me@example.org", pin="8642"
    ).reader
    desk = _bearer(staff_token(services, "desk"))
    admin = _bearer(staff_token(services, "admin"))
    assert client.get(f"/api/v1/readers/{reader.card_number}", headers=desk).status_code == 200
    assert client.get(f"/api/v1/readers/{reader.card_number}/fees", headers=desk).status_code == 200
    # The reader reading their own account is not a staff read.
    own = client.post(
        "/api/v1/sessions", json={"card_number": reader.card_number, "secret": "8642"}
    ).json()["token"]
    client.get(f"/api/v1/readers/{reader.card_number}", headers=_bearer(own))
    trail = client.get(
        "/api/v1/audit", params={"card_number": reader.card_number}, headers=admin
    ).json()
    assert [(e["action"], e["door"], e["actor_kind"]) for e in trail] == [
        ("read", "api", "staff"),
        ("read", "api", "staff"),
    ]
    assert trail[0]["fields"] == ["fees"]
    assert {"name", "email"} <= set(trail[1]["fields"])
    assert client.delete(f"/api/v1/readers/{reader.card_number}", headers=desk).status_code == 204
    with services.db.read() as conn:
        rows = conn.execute(text("SELECT * FROM audit_log")).all()
    dump = repr(rows)
    assert len(rows) == 3  # two reads and the deletion survive the erasure
    for secret in ("审计对象甲", "audit.me@example.org", reader.card_number, "8642"):
        assert secret not in dump


def test_admin_manages_staff_and_tokens_over_http(client: TestClient, services: Services) -> None:
    admin = _bearer(staff_token(services, "admin"))
    made = client.post(
        "/api/v1/staff",
        json={"username": "wang", "name": "王", "password": PASSWORD, "role": "desk"},
        headers=admin,
    )
    assert made.status_code == 201
    assert "password" not in made.text
    issued = client.post(
        "/api/v1/api-tokens", json={"username": "wang", "label": "desk app"}, headers=admin
    ).json()["token"]
    assert client.get("/api/v1/sessions/current", headers=_bearer(issued)).json()["role"] == "desk"
    tokens = client.get("/api/v1/api-tokens", headers=admin).json()
    mine = next(t for t in tokens if t["label"] == "desk app")
    assert client.delete(f"/api/v1/api-tokens/{mine['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/sessions/current", headers=_bearer(issued)).status_code == 401
    desk = _bearer(staff_token(services, "desk"))
    assert client.get("/api/v1/staff", headers=desk).status_code == 403


def test_self_registration_is_limited_per_address_and_confirmation_per_card(
    client: TestClient, services: Services, clock: FrozenClock
) -> None:
    """D12: more than R registrations an hour from one address → 429."""
    limit = services.settings.access_registrations_per_hour
    statuses = [
        client.post(
            "/api/v1/registrations",
            json={
                "name": f"读者{k}",
                "email": f"r{k}@example.org",
                "category": "adult",
                "pin": "1234",
            },
        ).status_code
        for k in range(limit + 1)
    ]
    assert statuses == [201] * limit + [429]
    clock.advance(timedelta(hours=1))
    again = client.post(
        "/api/v1/registrations",
        json={"name": "读者X", "email": "x@example.org", "category": "adult", "pin": "1234"},
    )
    assert again.status_code == 201
    card = again.json()["card_number"]
    tries = services.settings.access_confirmations_per_hour
    codes = [
        client.post(
            "/api/v1/registrations/confirm", json={"card_number": card, "token": f"guess{k}"}
        ).json()["error"]["code"]
        for k in range(tries + 1)
    ]
    assert codes == ["readers.token_invalid"] * tries + ["access.rate_limited"]


def test_lockout_subjects_with_nul_bytes_or_too_long_are_stored_as_digests(
    services: Services,
) -> None:
    """A typed card number reaches the counter as is; PostgreSQL text cannot hold NUL."""
    for subject in ("confirm:\x00", "reader:" + "9" * 300):
        for _ in range(services.access.lockout.limit):
            services.access.lockout.fail(subject)
        assert services.access.lockout.locked_until(subject) is not None
    assert services.access.lockout.locked_until("confirm:") is None  # a different subject


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/registrations/confirm", {"card_number": "SW\x001", "token": "x"}),
        ("POST", "/api/v1/sessions", {"card_number": "\x00", "secret": "1234"}),
        ("GET", "/api/v1/readers/SW%001", None),
        ("GET", "/api/v1/search?q=%00", None),
    ],
)
def test_a_nul_character_is_an_invalid_request_on_both_engines(
    client: TestClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    """PostgreSQL cannot store NUL: without the check this was a 404 on SQLite, a 500 on PG."""
    response = client.request(method, path, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "request.invalid"
