"""A reader's new PIN or password from the account page, and the desk's reset, through the
ASGI app with one TestClient per browser: the old secret is refused and the new one
accepted at the login, the reader's other sessions end, a wrong current secret counts
towards the card's lock, the desk's reset is audited; the strings exist in the four page
languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.core.errors import ShelfwiseError
from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.web import i18n

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
ALERT = re.compile(r'role="alert"[^>]*>([^<]+)<')
NOTICE = re.compile(r'role="status"[^>]*>([^<]+)<')
PIN = "1357"
STAFF_PASSWORD = "desk-password-1"


@dataclass
class Library:
    services: Services
    card: str
    browsers: list[TestClient]

    def browser(self) -> TestClient:
        client = TestClient(composition.asgi_app(self.services), follow_redirects=False)
        client.__enter__()
        self.browsers.append(client)
        return client


@pytest.fixture
def library(services: Services) -> Iterator[Library]:
    seed_branches(services.catalogue)
    card = services.readers.register(name="乙", category="adult", pin=PIN).reader.card_number
    services.access.create_staff("desk-a", "Desk", STAFF_PASSWORD, "desk")
    lib = Library(services, card, [])
    try:
        yield lib
    finally:
        for client in lib.browsers:
            client.__exit__(None, None, None)


def csrf(client: TestClient, path: str = "/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, card: str, secret: str) -> int:
    """The login's status: 303 when the secret is accepted."""
    data = {"card": card, "secret": secret, "next": "/account", "csrf": csrf(client)}
    return client.post("/login", data=data).status_code


def signed_in(client: TestClient) -> bool:
    return client.get("/account").status_code == 200


def change(client: TestClient, kind: str, current: str, new: str, again: str | None = None) -> Any:
    data = {"kind": kind, "current": current, "new": new, "new2": new if again is None else again}
    return client.post("/account/secret", data=data | {"csrf": csrf(client, "/account")})


def test_a_new_pin_ends_the_other_sessions_and_replaces_the_old(library: Library) -> None:
    here, elsewhere = library.browser(), library.browser()
    assert sign_in(here, library.card, PIN) == 303
    assert sign_in(elsewhere, library.card, PIN) == 303
    assert signed_in(elsewhere)

    done = change(here, "pin", PIN, "8642")
    assert done.status_code == 303
    assert done.headers["location"] == "/account?changed=pin"
    page = here.get(done.headers["location"])
    assert page.status_code == 200  # this browser carries on with its new session
    assert NOTICE.search(page.text).group(1) == i18n.catalogue().text(  # type: ignore[union-attr]
        "account.secret.changed.pin", "zh"
    )
    assert not signed_in(elsewhere)  # the other session ended
    assert elsewhere.get("/account").headers["location"] == "/login?next=/account"

    fresh = library.browser()
    assert sign_in(fresh, library.card, PIN) == 401  # the old PIN is refused
    assert sign_in(fresh, library.card, "8642") == 303  # the new one accepted
    assert signed_in(fresh)


def test_a_new_password_signs_in_and_the_pin_stays(library: Library) -> None:
    here = library.browser()
    assert sign_in(here, library.card, PIN) == 303
    assert change(here, "password", PIN, "a long passphrase").status_code == 303
    fresh = library.browser()
    assert sign_in(fresh, library.card, "a long passphrase") == 303
    other = library.browser()
    assert sign_in(other, library.card, PIN) == 303  # only the password was changed


@pytest.mark.parametrize(
    ("current", "new", "again", "status", "error"),
    [
        ("0000", "8642", None, 403, "access.current_secret_wrong"),
        (PIN, "12", None, 422, "readers.pin_invalid"),
        (PIN, "8642", "8643", 422, None),  # the two entries differ: the page's own sentence
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    library: Library, current: str, new: str, again: str | None, status: int, error: str | None
) -> None:
    here = library.browser()
    assert sign_in(here, library.card, PIN) == 303
    refused = change(here, "pin", current, new, again)
    assert refused.status_code == status
    said = ALERT.search(refused.text)
    assert said
    want = (
        ShelfwiseError(error).message("zh")
        if error
        else i18n.catalogue().text("account.secret.mismatch", "zh")
    )
    assert said.group(1) == want
    assert signed_in(here)  # nothing ended
    assert sign_in(library.browser(), library.card, PIN) == 303  # the PIN is the old one
    assert sign_in(library.browser(), library.card, new) == 401


def test_guessing_the_current_secret_locks_the_card_as_failed_logins_do(
    library: Library,
) -> None:
    here = library.browser()
    assert sign_in(here, library.card, PIN) == 303
    attempts = library.services.settings.access_login_attempts
    for n in range(attempts):
        assert change(here, "pin", f"{n:04d}9", "8642").status_code in (403, 429)
    # Locked now: even the right current PIN is refused, and so is the login.
    assert change(here, "pin", PIN, "8642").status_code == 429
    assert sign_in(library.browser(), library.card, PIN) == 429


def test_the_desk_resets_the_password_audited_and_the_reader_is_signed_out(
    library: Library,
) -> None:
    reader = library.browser()
    assert sign_in(reader, library.card, PIN) == 303
    desk = library.browser()
    data = {"username": "desk-a", "password": STAFF_PASSWORD, "csrf": csrf(desk, "/staff/login")}
    assert desk.post("/staff/login", data=data).status_code == 303
    path = f"/staff/readers/{library.card}"
    token = csrf(desk, path)
    reset = desk.post(f"{path}/password", data={"password": "given at the desk", "csrf": token})
    assert reset.status_code == 303
    assert reset.headers["location"] == f"{path}?done=password"
    shown = desk.get(reset.headers["location"]).text
    assert NOTICE.search(shown).group(1) == i18n.catalogue().text(  # type: ignore[union-attr]
        "staff.reader.done.password", "zh"
    )
    assert not signed_in(reader)
    assert sign_in(library.browser(), library.card, "given at the desk") == 303
    trail = library.services.access.audit_trail(card_number=library.card)
    assert any(e.action == "update" and "password" in e.fields for e in trail), trail
    short = desk.post(f"{path}/password", data={"password": "short", "csrf": token})
    assert short.status_code == 422
    assert ALERT.search(short.text).group(1) == ShelfwiseError(  # type: ignore[union-attr]
        "readers.password_invalid"
    ).message("zh")


@pytest.mark.parametrize("lang", i18n.PAGE_LANGUAGES)
def test_the_forms_speak_the_four_page_languages(library: Library, lang: i18n.PageLanguage) -> None:
    here = library.browser()
    here.get(f"/lang/{lang}?next=/")
    assert sign_in(here, library.card, PIN) == 303
    page = here.get("/account").text
    texts = i18n.catalogue()
    for key in ("heading", "current", "new", "new2", "hint", "submit", "kind.pin"):
        assert texts.text(f"account.secret.{key}", lang) in page, key
    refused = change(here, "pin", "0000", "8642").text
    wrong = ShelfwiseError("access.current_secret_wrong")
    expected = (
        i18n.to_traditional(wrong.message("zh")) if lang == "zh-Hant" else wrong.message(lang)
    )
    assert expected in refused
    headings = {texts.text("account.secret.heading", other) for other in i18n.PAGE_LANGUAGES}
    assert len(headings) == 4  # four distinct texts, none missing
