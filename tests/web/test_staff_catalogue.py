"""Cataloguing in the staff client, on both backends: the access rule, a MARC upload
imported in the background with its progress (page and JSON twin) and rejects file, a
record's MARC table, adding an item, merging a duplicate."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shelfwise.services import Services
from shelfwise.testing.records import write_records
from shelfwise.web import i18n
from shelfwise.web.staff.cataloguing import DONE

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "staff-pass-1234"


def sign_in(client: TestClient, services: Services, role: str) -> str:
    services.access.create_staff(f"web-{role}", f"Web {role}", PASSWORD, role)
    token = CSRF.search(client.get("/staff/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/staff/login",
        data={"username": f"web-{role}", "password": PASSWORD, "next": "/staff", "csrf": token},
    )
    assert done.status_code == 303
    client.cookies.set("sw_lang", "en")
    return token


def test_cataloguing_needs_the_catalogue_permission(client: TestClient, services: Services) -> None:
    for path in ("/staff/catalogue", "/staff/catalogue/records/1"):
        assert client.get(path).headers["location"].startswith("/staff/login")
    token = sign_in(client, services, "desk")
    assert client.get("/staff/catalogue").status_code == 403
    assert client.get("/staff/catalogue/records/1").status_code == 403
    refused = client.post("/staff/catalogue/import", files={"file": ("a.mrc", b"x")})
    assert refused.status_code == 403  # no CSRF token
    wrong_role = client.post(
        "/staff/catalogue/import", data={"csrf": token}, files={"file": ("a.mrc", b"x")}
    )
    assert wrong_role.status_code == 403


def test_a_marc_upload_is_imported_with_progress_and_rejects(
    client: TestClient, services: Services, tmp_path: Path
) -> None:
    token = sign_in(client, services, "cataloguer")
    assert client.get("/staff/catalogue").status_code == 200
    marc = tmp_path / "upload.mrc"
    write_records(marc, 30, seed=7)
    body = marc.read_bytes() + b"99999this is not a MARC record\x1d"
    started = client.post(
        "/staff/catalogue/import",
        data={"csrf": token},
        files={"file": ("new books.mrc", body, "application/marc")},
    )
    assert started.status_code == 303
    progress_url = started.headers["location"]
    assert progress_url.startswith("/staff/catalogue/import/")
    page = client.get(progress_url)
    assert page.status_code == 200
    assert "<progress" in page.text
    deadline = time.monotonic() + 120
    while True:
        # The page asks the browser to refresh until the import is finished, and only until then.
        refreshing = '<meta http-equiv="refresh"' in client.get(progress_url).text
        job = client.get(progress_url + ".json").json()
        if not refreshing:
            assert job["done"], job
        if job["done"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert job["done"], job
    assert job["error"] is None
    assert (job["read"], job["rejected"]) == (30, 1), job
    assert job["added"] + job["merged"] + job["updated"] + job["unchanged"] == 30
    finished = client.get(progress_url)
    assert "The import is finished." in finished.text
    assert 'http-equiv="refresh"' not in finished.text
    rejects = client.get(progress_url + "/rejects")
    assert rejects.status_code == 200
    assert b'"reason"' in rejects.content
    assert "new_books.mrc" in client.get("/staff/catalogue").text
    empty = client.post("/staff/catalogue/import", data={"csrf": token})
    assert empty.status_code == 422
    assert client.get("/staff/catalogue/import/nope").status_code == 404


def test_a_record_its_marc_items_and_merge(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    token = sign_in(client, services, "cataloguer")
    first, second = sorted({services.catalogue.get_item(b).record_id for b in _barcodes(services)})[
        :2
    ]
    opened = client.get(f"/staff/catalogue/records?id={first}")
    assert opened.headers["location"] == f"/staff/catalogue/records/{first}"
    page = client.get(f"/staff/catalogue/records/{first}")
    assert page.status_code == 200
    assert services.catalogue.get_record(first).title in page.text
    assert 'class="marc"' in page.text
    assert "<b>$a</b>" in page.text
    added = client.post(
        f"/staff/catalogue/records/{first}/items",
        data={"barcode": "WEB-NEW-1", "branch": "CEN", "call_number": "I247/1", "csrf": token},
    )
    assert added.status_code == 303
    assert services.catalogue.get_item("WEB-NEW-1").record_id == first
    again = client.post(
        f"/staff/catalogue/records/{first}/items",
        data={"barcode": "WEB-NEW-1", "branch": "CEN", "csrf": token},
    )
    assert again.status_code == 422
    assert "WEB-NEW-1" in again.text
    merged = client.post(
        f"/staff/catalogue/records/{first}/merge", data={"duplicate": str(second), "csrf": token}
    )
    assert merged.status_code == 303
    assert services.catalogue.get_record(second).merged_into_id == first
    itself = client.post(
        f"/staff/catalogue/records/{first}/merge", data={"duplicate": str(first), "csrf": token}
    )
    assert itself.status_code == 422


def _barcodes(services: Services) -> list[str]:
    from sqlalchemy import select

    from shelfwise.storage.tables import items

    with services.db.read() as conn:
        return list(conn.execute(select(items.c.barcode).limit(20)).scalars())


@pytest.mark.parametrize("done", DONE)
def test_catalogue_notices_exist(done: str) -> None:
    assert "staff.cat.done." + done in i18n.catalogue().texts
