"""Registering online over the API: validation codes, a pending reader, and the e-mail.

The confirmation e-mail goes through the outbox to a real SMTP server in the test
(aiosmtpd); the code is read out of the received message and confirms the reader.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise import app as composition
from shelfwise.app import asgi_app
from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.circulation.notices import SmtpChannel
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.readers.models import ReaderStatus
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.testing.mail import Inbox, smtp_server

LINK = "https://library.example.org/register/confirm/{card}/{token}"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def services(
    database_url: str, tmp_path: Path, clock: FrozenClock, smtp: tuple[Inbox, int]
) -> Iterator[Services]:
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "smtp_port": smtp[1],
            "reader_confirm_link": LINK,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
        },
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(asgi_app(services), headers={"Accept-Language": "en"}) as c:
        yield c


def _deliver(services: Services) -> int:
    return Runtime(services).outbox_relay().drain()


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


VALID = {
    "name": "金美善",
    "email": "meishan@example.org",
    "category": "adult",
    "phone": "13800000000",
    "pin": "4821",
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category": "child"}, "readers.category_not_self_service"),
        ({"category": "alien"}, "readers.category_not_self_service"),
        ({"pin": None}, "readers.secret_required"),
        ({"email": "not-an-address"}, "readers.email_invalid"),
        ({"pin": "12"}, "readers.pin_invalid"),
        ({"pin": None, "password": "short"}, "readers.password_invalid"),
        ({"name": ""}, "request.invalid"),
        ({"email": None}, "request.invalid"),
    ],
)
def test_registration_input_is_checked(
    client: TestClient, change: dict[str, object], code: str
) -> None:
    body = {k: v for k, v in {**VALID, **change}.items() if v is not None}
    got = client.post("/api/v1/registrations", json=body)
    assert got.status_code == 422
    assert got.json()["error"]["code"] == code


def test_register_online_confirm_by_email_then_borrow(
    services: Services, client: TestClient, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, _ = smtp
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    marc = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data="reg-1"), Field("245", "10", [("a", "活着")])],
    )
    (tmp_path / "r.mrc").write_bytes(encode(marc))
    services.importer().import_file(tmp_path / "r.mrc")
    with services.db.read() as conn:
        record = int(conn.execute(text("SELECT max(id) FROM records")).scalar_one())
    services.catalogue.add_item(
        record_id=record, barcode="B1", branch_code="CEN", lifecycle=Lifecycle.IN_SERVICE
    )

    made = client.post("/api/v1/registrations", json={**VALID, "password": "long enough"})
    assert made.status_code == 201, made.text
    card = made.json()["card_number"]
    assert made.json()["status"] == "pending"
    assert "token" not in made.text.lower()  # the code travels by e-mail only

    with pytest.raises(ShelfwiseError) as pending:
        services.circulation.checkout(card, "B1", "CEN", actor=SYSTEM)
    assert pending.value.code == "circ.reader_pending"

    assert inbox.messages == []  # nothing is sent inside the transaction
    _deliver(services)
    # The app's own scheduler may have claimed the event first: wait for its e-mail.
    deadline = time.monotonic() + 30
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    (mail,) = inbox.messages
    assert mail["To"] == "meishan@example.org"
    body = _body(mail)
    assert card in body
    found = re.search(r"confirmation code: (\S+)", body)
    assert found is not None
    token = found.group(1)
    assert f"/register/confirm/{card}/{token}" in body  # the link of reader_confirm_link

    wrong = client.post("/api/v1/registrations/confirm", json={"card_number": card, "token": "x"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "readers.token_invalid")
    nobody = client.post(
        "/api/v1/registrations/confirm", json={"card_number": "NO-SUCH", "token": token}
    )
    assert nobody.json()["error"]["code"] == "readers.token_invalid"  # no card probing

    done = client.post("/api/v1/registrations/confirm", json={"card_number": card, "token": token})
    assert done.json() == {"card_number": card, "status": "active"}
    assert services.readers.get(card).status is ReaderStatus.ACTIVE
    again = client.post("/api/v1/registrations/confirm", json={"card_number": card, "token": token})
    assert again.json()["error"]["code"] == "readers.token_invalid"  # one use
    assert services.circulation.checkout(card, "B1", "CEN", actor=SYSTEM).barcode == "B1"
    assert services.readers.authenticate(card, "long enough", kind="password").card_number == card


def test_a_confirmed_or_deleted_reader_gets_no_mail(
    services: Services, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    services.notice_channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    first = services.readers.self_register(
        source="test", name="A", email="a@example.org", category="adult", pin="1234"
    )
    assert first.verify_token is not None
    services.readers.confirm_email(first.reader.card_number, first.verify_token)
    second = services.readers.self_register(
        source="test", name="B", email="b@example.org", category="senior", pin="1234"
    )
    services.reader_rights.erase(second.reader.card_number)
    assert _deliver(services) == 2  # both events handled ...
    assert inbox.messages == []  # ... and neither mailed
