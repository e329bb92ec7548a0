"""Issue 12 item 9: registering online is one path, ``ReaderService.self_register``, for the web
form and the API alike: the categories the library allows online, the limit per address and
the refusal that does not tell unknown cards from wrong codes hold at both doors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
CARD = re.compile(r'class="cardno">([^<]+)<')


@pytest.fixture
def services(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "reader_self_registration_categories": "student",
            "access_registrations_per_hour": 3,
            "access_confirmations_per_hour": 2,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
        },
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    instance.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    yield instance
    instance.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    app = composition.asgi_app(services)
    with TestClient(app, follow_redirects=False, headers={"Accept-Language": "en"}) as c:
        yield c


def _form(client: TestClient, **values: str) -> dict[str, str]:
    found = CSRF.search(client.get("/register").text)
    assert found
    return (
        {"name": "王同学", "email": "wang@example.org", "home_branch": "CEN"}
        | values
        | {
            "pin": "2468",
            "pin2": "2468",
            "csrf": found.group(1),
        }
    )


def test_the_web_form_registers_only_what_the_library_allows_online(
    client: TestClient, services: Services
) -> None:
    page = client.get("/register").text
    assert re.findall(
        r'<option value="(\w+)"', page.split('id="category"')[1].split("</select>")[0]
    ) == ["student"]
    done = client.post("/register", data=_form(client))
    assert done.status_code == 200, done.text[-500:]
    card = CARD.search(done.text)
    assert card is not None
    reader = services.readers.get(card.group(1))
    assert (reader.category, str(reader.status)) == ("student", "pending")
    adult = client.post("/register", data=_form(client, category="adult", email="a@example.org"))
    assert adult.status_code == 422
    assert "student" in adult.text  # the refusal names what is allowed
    api = client.post(
        "/api/v1/registrations",
        json={"name": "成人", "email": "b@example.org", "category": "adult", "pin": "2468"},
    )
    assert api.json()["error"]["code"] == "readers.category_not_self_service"


def test_the_limit_per_address_counts_both_doors(client: TestClient) -> None:
    body = {"name": "甲", "email": "x@example.org", "pin": "2468"}
    assert client.post("/api/v1/registrations", json=body).status_code == 201
    assert client.post("/register", data=_form(client, email="y@example.org")).status_code == 200
    assert client.post("/api/v1/registrations", json=body).status_code == 201
    web = client.post("/register", data=_form(client, email="z@example.org"))
    assert web.status_code == 429
    api = client.post("/api/v1/registrations", json=body)
    assert api.json()["error"]["code"] == "access.rate_limited"


def test_confirming_does_not_tell_unknown_cards_from_wrong_codes(
    client: TestClient, services: Services
) -> None:
    made = services.readers.self_register(
        source="test", name="乙", email="c@example.org", pin="1357"
    )
    card = made.reader.card_number
    unknown = client.post(
        "/api/v1/registrations/confirm", json={"card_number": "SW-NOBODY", "token": "x"}
    )
    wrong = client.post("/api/v1/registrations/confirm", json={"card_number": card, "token": "x"})
    assert unknown.status_code == wrong.status_code == 422
    assert unknown.json()["error"] == wrong.json()["error"]
    assert unknown.json()["error"]["code"] == "readers.token_invalid"
    token = CSRF.search(client.get("/register/confirm").text)
    assert token is not None
    csrf = token.group(1)
    web = client.post("/register/confirm", data={"card": "SW-NOBODY", "token": "x", "csrf": csrf})
    assert web.status_code == 422
    again = client.post("/register/confirm", data={"card": card, "token": "y", "csrf": csrf})
    assert again.status_code == 422
    # Two tries per card an hour, whichever door: the right code is refused after that.
    right = {"card": card, "token": made.verify_token or "", "csrf": csrf}
    assert client.post("/register/confirm", data=right).status_code == 429
    assert str(services.readers.get(card).status) == "pending"
