"""Issue 12 item 5: keys made on first start and never a published one; identity cards found
under an earlier key and hashed again; sessions that end when the PIN, the password or the
standing of the reader changes; a web cookie that must be a login; staff bound to branches
that exist; login counters that do not stay forever; Argon2 that waits its turn; and access
logs without card numbers or confirmation codes (P13)."""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.config import Settings, SettingsError
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.security import SecretHasher
from shelfwise.runtime import Runtime
from shelfwise.secret_keys import FORMER_ID_CARD_DEFAULT
from shelfwise.services import Services
from shelfwise.storage.tables import access_tokens, login_attempts, readers
from shelfwise.testing.access import staff_token
from shelfwise.testing.servers import SLOW_MACHINE, live_server
from shelfwise.web.security import Signer

ID_CARD = "11010519491231002X"


def settings(folder: Path, database_url: str, **more: object) -> Settings:
    return Settings.load(
        {
            "data_dir": folder,
            "database_url": database_url,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
            **more,
        },
        environ={},
    )


def keyed(key: str, number: str) -> str:
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()


def test_keys_are_made_once_in_the_data_folder_and_a_published_one_is_refused(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    first = composition.build(settings(tmp_path / "data", database_url), clock=clock)
    folder = tmp_path / "data" / "keys"
    for name in ("web_secret_key", "reader_id_card_key"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
        assert len((folder / name).read_text().strip()) >= 48
    reader = first.readers.register(name="甲", category="adult", id_card=ID_CARD).reader
    with first.db.read() as conn:
        stored = conn.execute(
            select(readers.c.id_card_hash).where(readers.c.id == reader.id)
        ).scalar_one()
    # The hash is not what anyone can compute from a key in the source.
    assert stored != keyed(FORMER_ID_CARD_DEFAULT, ID_CARD)
    assert stored == keyed((folder / "reader_id_card_key").read_text().strip(), ID_CARD)
    seed = "0123456789abcdef0123456789abcdef"
    token = Signer(first.keys.web).csrf_token(seed)
    first.close()
    # A restart (or a second process) reads the same keys: forms and hashes still match.
    again = composition.build(settings(tmp_path / "data", database_url), clock=clock)
    assert Signer(again.keys.web).csrf_token(seed) == token
    assert again.readers.identify(ID_CARD).card_number == reader.card_number
    again.close()
    for name, value in (
        ("reader_id_card_key", FORMER_ID_CARD_DEFAULT),
        ("web_secret_key", "change-me"),
    ):
        with pytest.raises(SettingsError, match=name):
            composition.build(settings(tmp_path / "other", database_url, **{name: value}))
    with pytest.raises(SettingsError, match="reader_confirm_link"):
        composition.build(
            settings(
                tmp_path / "other",
                database_url,
                reader_confirm_link="https://x.example/confirm?card={card}&token={token}",
            )
        )


def test_an_identity_card_hashed_under_an_earlier_key_is_found_and_hashed_again(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    old = composition.build(
        settings(tmp_path / "d", database_url, reader_id_card_key="the-old-key-of-2025"),
        clock=clock,
    )
    before = old.readers.register(name="乙", category="adult", id_card=ID_CARD).reader
    formerly = old.readers.register(name="丙", category="adult").reader
    with old.db.write() as conn:  # registered before keys were made: the built-in key
        conn.execute(
            update(readers)
            .where(readers.c.id == formerly.id)
            .values(id_card_hash=keyed(FORMER_ID_CARD_DEFAULT, "110105194912310037"))
        )
    old.close()
    new = composition.build(
        settings(
            tmp_path / "d",
            database_url,
            reader_id_card_key="the-new-key-of-2026",
            reader_id_card_old_keys="the-old-key-of-2025",
        ),
        clock=clock,
    )
    with pytest.raises(ShelfwiseError) as twice:
        new.readers.register(name="冒名", category="adult", id_card=ID_CARD)
    assert twice.value.code == "readers.id_card_registered"
    assert new.readers.identify(ID_CARD).card_number == before.card_number
    assert new.readers.identify("110105194912310037").card_number == formerly.card_number
    with new.db.read() as conn:
        hashes = dict(conn.execute(select(readers.c.id, readers.c.id_card_hash)).all())
    assert hashes[before.id] == keyed("the-new-key-of-2026", ID_CARD)  # typed: hashed again
    assert hashes[formerly.id] == keyed("the-new-key-of-2026", "110105194912310037")
    # The desk finds the reader by the identity card too.
    new.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    new.access.create_staff("desk-one", "Desk", "a-long-password", "desk")
    with TestClient(composition.asgi_app(new), follow_redirects=False) as client:
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/staff/login").text)
        assert token is not None
        login = {"username": "desk-one", "password": "a-long-password", "csrf": token.group(1)}
        assert client.post("/staff/login", data=login).status_code == 303
        desk = client.get("/staff/desk", params={"card": ID_CARD})
        assert desk.status_code == 200
        assert before.card_number in desk.text
    new.close()


def test_a_new_pin_a_new_password_a_block_or_deletion_ends_the_readers_sessions(
    services: Services,
) -> None:
    card = services.readers.register(name="丁", category="adult", pin="1357").reader.card_number
    access = services.access
    pin = "1357"

    def signed_in() -> str:
        return access.login_reader(card, pin).token

    token = signed_in()
    assert access.principal(token) is not None
    services.readers.set_pin(card, "2468")
    assert access.principal(token) is None
    pin = "2468"
    token = signed_in()
    assert access.principal(token) is not None
    services.readers.set_password(card, "a new password")
    assert access.principal(token) is None
    token = signed_in()
    services.readers.update_details(card, name="丁二", category="adult")
    assert access.principal(token) is not None  # other changes keep the reader signed in
    services.readers.block(card, "lost card reported")
    assert access.principal(token) is None
    token = signed_in()
    services.readers.unblock(card)
    services.reader_rights.erase(card)
    assert access.principal(token) is None
    with services.db.read() as conn:
        assert (
            conn.execute(
                select(access_tokens.c.id).where(access_tokens.c.reader_id.isnot(None))
            ).all()
            == []
        )


def test_a_staff_api_token_is_not_a_web_session(services: Services) -> None:
    token = staff_token(services, "admin")
    with TestClient(composition.asgi_app(services), follow_redirects=False) as client:
        client.cookies.set("sw_session", token)
        refused = client.get("/staff/admin")
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/staff/login")
        # The same token still works where it belongs: the API.
        api = client.get("/api/v1/staff", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 200


def test_staff_accounts_refuse_branches_that_do_not_exist(services: Services) -> None:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    with pytest.raises(ShelfwiseError) as typo:
        services.access.create_staff("desk-two", "Desk", "a-long-password", "desk", ["CNE"])
    assert (typo.value.code, typo.value.params["branch"]) == ("access.branch_unknown", "CNE")
    services.access.create_staff("desk-two", "Desk", "a-long-password", "desk", ["CEN"])
    with pytest.raises(ShelfwiseError) as moved:
        services.access.update_staff("desk-two", branches=["CEN", "XXX"])
    assert moved.value.code == "access.branch_unknown"
    assert services.access.staff_account("desk-two").branches == ("CEN",)
    headers = {"Authorization": f"Bearer {staff_token(services, 'admin')}"}
    with TestClient(composition.asgi_app(services)) as client:
        body = {"username": "d3", "name": "D", "password": "a-long-password", "role": "desk"}
        made = client.post("/api/v1/staff", json=body | {"branches": ["NOPE"]}, headers=headers)
        assert (made.status_code, made.json()["error"]["code"]) == (422, "access.branch_unknown")


def test_login_counters_are_pruned_once_idle(services: Services, clock: FrozenClock) -> None:
    card = services.readers.register(name="戊", category="adult", pin="1357").reader.card_number
    for _ in range(5):  # locked for access_lockout_seconds (15 minutes)
        with pytest.raises(ShelfwiseError):
            services.access.login_reader(card, "0000")
    with pytest.raises(ShelfwiseError):
        services.access.login_staff("nobody", "wrong")
    services.access.throttle("register-ip:10.0.0.9", limit=10, seconds=3600)

    def subjects() -> set[str]:
        with services.db.read() as conn:
            return set(conn.execute(select(login_attempts.c.subject)).scalars())

    assert subjects() == {f"reader:{card}", "staff:nobody", "register-ip:10.0.0.9"}
    clock.advance(timedelta(hours=23))
    assert services.access.prune_login_attempts() == 0  # inside the retention (24 h)
    clock.advance(timedelta(hours=2))
    assert "retention" in Runtime(services).scheduler().run_due()  # the hourly job
    assert subjects() == set()


def test_password_hashing_waits_its_turn(services: Services) -> None:
    assert services.readers.hasher.gate.limit == 2  # password_hash_concurrency
    # Long enough (tens of milliseconds each) that eight started together overlap.
    hasher = SecretHasher(time_cost=2, memory_kib=32768, id_card_key="k" * 40, max_concurrent=2)
    stored = hasher.hash("1357")
    start = threading.Barrier(8)
    results: list[bool] = []

    def login() -> None:
        start.wait()
        results.append(hasher.verify(stored, "1357"))

    threads = [threading.Thread(target=login) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [True] * 8
    # Eight logins at once, never more than two hashes (2 × 32 MiB) in memory together.
    assert hasher.gate.peak == 2


def test_the_access_log_masks_card_numbers_and_confirmation_codes(
    services: Services, capfd: pytest.CaptureFixture[str]
) -> None:
    """P13 over a real server's access log (uvicorn, as ``serve`` runs it)."""
    made = services.readers.self_register(source="t", name="己", email="j@example.org", pin="2468")
    card, code = made.reader.card_number, made.verify_token or ""
    session = services.access.login_reader(card, "2468").token
    with (
        live_server(services, access_log=True) as base,
        httpx.Client(base_url=base, timeout=SLOW_MACHINE) as http,
    ):
        bearer = {"Authorization": f"Bearer {session}"}
        assert http.get(f"/api/v1/readers/{card}/loans", headers=bearer).status_code == 200
        assert http.get(f"/register/confirm/{card}/{code}").status_code == 200
        assert (
            http.get("/register/confirm", params={"card": card, "token": code}).status_code == 200
        )
        http.get("/staff/desk", params={"card": card})
        http.get(f"/staff/readers/{card}")
    logged = "".join(capfd.readouterr())
    assert "/api/v1/readers/***/loans" in logged  # the requests were logged, masked
    assert "/register/confirm/***" in logged
    assert card not in logged
    assert code not in logged
