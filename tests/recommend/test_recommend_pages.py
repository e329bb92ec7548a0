"""The doors of the recommendations (issue 21, P11): the account's "For you" section and
the record page on the web, and the two API routes — each suggestion with its reason, "for
you" only while the reader consents, nothing the reader has on loan or has borrowed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from recommend.helpers import Library
from shelfwise.app import asgi_app
from shelfwise.readers.models import Reader
from shelfwise.testing.access import staff_token
from shelfwise.web.security import LANG_COOKIE


@pytest.fixture
def client(library: Library) -> Iterator[TestClient]:
    with TestClient(asgi_app(library.services), follow_redirects=False) as test_client:
        test_client.cookies.set(LANG_COOKIE, "en")
        yield test_client


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found, path
    return found.group(1)


def _login(client: TestClient, card: str) -> None:
    form = {"card": card, "secret": "1234", "next": "/account", "csrf": _csrf(client, "/login")}
    assert client.post("/login", data=form).status_code == 303


def _history(library: Library) -> tuple[list[int], Reader]:
    """Six consenting readers borrowed t0 and t1; the reader "me" borrowed t0; trained."""
    titles = library.titles(4, copies=2)
    for i in range(6):
        reader = library.reader(f"读者{i}", consents=True)
        library.borrow(reader, titles[0])
        library.borrow(reader, titles[1])
    me = library.reader("我", consents=True, pin="1234")
    library.borrow(me, titles[0])
    library.deliver()
    library.services.recommend.train()
    return titles, me


def test_for_you_says_why_and_goes_at_once_when_consent_is_withdrawn(
    library: Library, client: TestClient
) -> None:
    titles, me = _history(library)
    title = library.services.catalogue.get_record
    _login(client, me.card_number)
    page = client.get("/account/suggestions")
    assert page.status_code == 200
    assert "From your loans" in page.text
    assert f'href="/record/{titles[1]}"' in page.text  # t1, which readers of t0 borrowed
    assert "Because you borrowed" in page.text
    assert f'<a href="/record/{titles[0]}"' in page.text.split("Because you borrowed", 1)[1]
    assert title(titles[0]).title in page.text
    # the record page: also borrowed, for everyone, less what the reader borrowed
    record = client.get(f"/record/{titles[1]}")
    assert record.status_code == 200
    assert "Readers who borrowed this also borrowed" not in record.text  # t0 was the only one
    anonymous = TestClient(asgi_app(library.services))
    anonymous.cookies.set(LANG_COOKIE, "en")
    shown = anonymous.get(f"/record/{titles[1]}").text
    assert "Readers who borrowed this also borrowed" in shown
    assert f'href="/record/{titles[0]}"' in shown.split("also-h", 1)[1].split("</section>")[0]
    # withdrawn on the privacy page: "for you" goes at once
    form = {"csrf": _csrf(client, "/account/privacy")}
    assert client.post("/account/privacy", data=form).status_code == 303
    page = client.get("/account/suggestions")
    assert "Personal suggestions are off" in page.text
    assert "Because you borrowed" not in page.text


def test_the_api_answers_the_reader_alone_and_co_borrowing_to_anyone(
    library: Library, client: TestClient
) -> None:
    titles, me = _history(library)
    made = client.post("/api/v1/sessions", json={"card_number": me.card_number, "secret": "1234"})
    mine = {"Authorization": f"Bearer {made.json()['token']}"}
    answer = client.get("/api/v1/recommendations", headers=mine)
    assert answer.status_code == 200
    body = answer.json()
    assert body["consents"] is True
    assert [(s["record_id"], s["reason"], s["because"]) for s in body["for_you"]][:1] == [
        (titles[1], "because_you_borrowed", titles[0])
    ]
    assert titles[0] not in {s["record_id"] for s in body["for_you"]}
    admin = {"Authorization": f"Bearer {staff_token(library.services, 'admin')}"}
    refused = client.get("/api/v1/recommendations", headers=admin)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "access.not_yours"
    also = client.get(f"/api/v1/records/{titles[1]}/also-borrowed").json()
    assert [(s["record_id"], s["reason"]) for s in also] == [(titles[0], "also_borrowed")]
    assert client.get(f"/api/v1/records/{titles[1]}/also-borrowed", headers=mine).json() == []
    library.services.readers.set_consent(me.card_number, "recommendations", False)
    assert client.get("/api/v1/recommendations", headers=mine).json()["for_you"] is None
