"""The wall over the REST API: the one error shape for bad input, the public wall shows
display names only, and the OpenAPI document describes the routes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.testing.access import staff_headers
from wishes.wish_helpers import WishLibrary


def _reader_headers(lib: WishLibrary, name: str) -> tuple[str, dict[str, str]]:
    reader = lib.services.readers.register(name=name, category="adult", pin="2580").reader
    token = lib.services.access.login_reader(reader.card_number, "2580").token
    return reader.card_number, {"Authorization": f"Bearer {token}"}


def test_the_wall_over_the_api(lib: WishLibrary) -> None:
    record_id = lib.title("三体", "9787536692930")
    client = TestClient(asgi_app(lib.services))
    card, me = _reader_headers(lib, "张三丰")
    _, fan = _reader_headers(lib, "李四")
    wish = {"kind": "book", "title": "<b>球状闪电</b>", "display_name": "🌙", "branch": "CEN"}

    bad = client.post("/api/v1/wishes", json={**wish, "isbn": "9787536692931"}, headers=me)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "wishes.isbn_check_digit"
    assert bad.json()["error"]["params"]["expected"] == "0"
    held = client.post("/api/v1/wishes", json={**wish, "isbn": "9787536692930"}, headers=me)
    assert held.status_code == 409
    assert held.json()["error"]["params"]["record_id"] == str(record_id)
    long = client.post("/api/v1/wishes", json={**wish, "title": "长" * 201}, headers=me)
    assert long.json()["error"]["code"] == "wishes.text_too_long"
    staff = client.post("/api/v1/wishes", json=wish, headers=staff_headers(lib.services))
    assert staff.status_code == 403

    made = client.post("/api/v1/wishes", json=wish, headers=me)
    assert made.status_code == 201
    wish_id = made.json()["id"]
    assert (
        client.post(f"/api/v1/wishes/{wish_id}/supports", json={}, headers=fan).status_code == 201
    )
    twice = client.post(f"/api/v1/wishes/{wish_id}/supports", json={}, headers=fan)
    assert twice.json()["error"]["code"] == "wishes.already_supported"

    wall = client.get("/api/v1/wishes", params={"order": "supported"}).json()
    assert [(w["id"], w["title"], w["display_name"], w["supporters"]) for w in wall] == [
        (wish_id, "<b>球状闪电</b>", "🌙", 1)
    ]
    assert card not in client.get("/api/v1/wishes").text
    assert "张三丰" not in client.get(f"/api/v1/wishes/{wish_id}").text
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/wishes" in paths
    assert "/api/v1/acquisitions/orders" in paths
