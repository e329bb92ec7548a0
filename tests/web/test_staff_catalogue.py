"""Cataloguing in the staff client, on both backends: the access rule, a MARC upload
imported in the background with its progress (page and JSON twin) and rejects file, a
record's MARC table, adding an item, merging a duplicate."""

from __future__ import annotations

import re
import time
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from shelfwise.catalogue.models import Lifecycle
from shelfwise.services import Services
from shelfwise.testing.records import write_records
from shelfwise.web import i18n
from shelfwise.web.staff.cataloguing import DONE
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_untranslated import problems

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
    before = services.catalogue.counts()["records"]
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
    # staged: nothing is public until the review's approval (tests/web/test_staff_staging.py)
    assert f'href="/staff/catalogue/staged/{job["staging"]}"' in finished.text
    assert services.catalogue.counts()["records"] == before
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


# --- copies: edit one, bulk edit a selection, spine labels (issue 20) ----------------


def _record_with_copies(services: Services, least: int = 3) -> int:
    counts: dict[int, int] = {}
    for barcode in _barcodes(services):
        record_id = services.catalogue.get_item(barcode).record_id
        counts[record_id] = counts.get(record_id, 0) + 1
    return max(counts, key=lambda r: counts[r])


def _location(services: Services, branch: str) -> str:
    branch_id = next(b.id for b in services.catalogue.list_branches() if b.code == branch)
    return next(
        loc.code for loc in services.catalogue.list_locations() if loc.branch_id == branch_id
    )


def test_an_item_is_edited_and_moved(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    token = sign_in(client, services, "cataloguer")
    barcode = _barcodes(services)[0]
    item = services.catalogue.get_item(barcode)
    page = client.get(f"/staff/catalogue/items/{barcode}")
    assert page.status_code == 200
    assert f'name="version" value="{item.version}"' in page.text
    where = f"NGQ/{_location(services, 'NGQ')}"
    saved = client.post(
        f"/staff/catalogue/items/{barcode}",
        data={
            "csrf": token,
            "version": str(item.version),
            "call_number": "K928.6/99",
            "where": where,
            "lifecycle": "damaged",
            "item_type": "reference",
        },
    )
    assert saved.status_code == 303, saved.text
    moved = services.catalogue.get_item(barcode)
    ngq = next(b for b in services.catalogue.list_branches() if b.code == "NGQ")
    location = next(
        loc for loc in services.catalogue.list_locations() if loc.id == moved.location_id
    )
    assert (moved.home_branch_id, location.branch_id, location.code) == (ngq.id, ngq.id, where[4:])
    assert (moved.call_number, moved.lifecycle, moved.item_type) == (
        "K928.6/99",
        "damaged",
        "reference",
    )
    # The form of the version before is stale: refused, nothing changed.
    stale = client.post(
        f"/staff/catalogue/items/{barcode}",
        data={"csrf": token, "version": str(item.version), "call_number": "X", "where": where},
    )
    assert stale.status_code == 409
    assert services.catalogue.get_item(barcode).call_number == "K928.6/99"
    # A location of another branch is not one of this branch.
    elsewhere = client.post(
        f"/staff/catalogue/items/{barcode}",
        data={
            "csrf": token,
            "version": str(moved.version),
            "where": f"CEN/{_location(services, 'NGQ')}",
            "lifecycle": "damaged",
        },
    )
    assert elsewhere.status_code == 422
    assert services.catalogue.get_item(barcode).home_branch_id == ngq.id
    # A move the lifecycle does not allow (damaged -> on order) is refused in words.
    client.cookies.set("sw_lang", "zh")
    backwards = client.post(
        f"/staff/catalogue/items/{barcode}",
        data={
            "csrf": token,
            "version": str(moved.version),
            "where": where,
            "lifecycle": "on_order",
        },
    )
    assert backwards.status_code == 409
    assert "破损" in backwards.text
    assert "已订购" in backwards.text
    assert problems(backwards.text, "zh") == []


def test_a_selection_is_changed_in_bulk_and_its_labels_printed(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    token = sign_in(client, services, "cataloguer")
    record_id = _record_with_copies(services)
    copies = services.catalogue.items_of(record_id)
    assert len(copies) >= 2
    first, second = copies[0].barcode, copies[1].barcode
    services.catalogue.set_lifecycle(second, Lifecycle.WITHDRAWN)  # withdrawn is final
    page = client.get(f"/staff/catalogue/records/{record_id}")
    assert f'name="barcode" value="{first}"' in page.text
    where = f"CEN/{_location(services, 'CEN')}"
    done = client.post(
        "/staff/catalogue/items/bulk",
        data={
            "csrf": token,
            "barcode": [first, second],
            "barcodes": "NO-SUCH-COPY",
            "where": where,
            "lifecycle": "missing",
            "item_type": "children",
            "back": f"/staff/catalogue/records/{record_id}",
        },
    )
    assert done.status_code == 200, done.text
    assert "1 item changed." in done.text
    assert "2 items were not changed" in done.text
    assert "NO-SUCH-COPY" in done.text
    assert second in done.text
    changed = services.catalogue.get_item(first)
    assert (changed.lifecycle, changed.item_type) == (Lifecycle.MISSING, "children")
    assert services.catalogue.get_item(second).lifecycle == Lifecycle.WITHDRAWN
    assert services.catalogue.get_item(second).item_type != "children"
    nothing = client.post("/staff/catalogue/items/bulk", data={"csrf": token, "lifecycle": "lost"})
    assert nothing.status_code == 422

    labels = client.get("/staff/catalogue/labels", params={"barcode": [first], "barcodes": "NOPE"})
    assert labels.status_code == 200
    root: lxml.html.HtmlElement = lxml.html.document_fromstring(labels.text)
    spine = root.find_class("spine")
    assert len(spine) == 1
    call = [s.text for s in spine[0].find_class("spine-call")[0]]
    parts = changed.call_number.split("/")
    assert "/" in changed.call_number  # the demo's call numbers: "TP18/152:1"
    assert call == [parts[0] + "/", *parts[1:]]
    assert first in spine[0].text_content()
    assert "NOPE" in labels.text


@pytest.mark.parametrize("language", i18n.PAGE_LANGUAGES)
def test_record_and_item_pages_show_no_raw_code(
    client: TestClient, services: Services, demo: list[str], language: i18n.PageLanguage
) -> None:
    sign_in(client, services, "cataloguer")
    client.cookies.set("sw_lang", language)
    barcode = _barcodes(services)[0]
    record_id = services.catalogue.get_item(barcode).record_id
    for path in (
        f"/staff/catalogue/records/{record_id}",
        f"/staff/catalogue/items/{barcode}",
        "/staff/catalogue/items",
        f"/staff/catalogue/labels?barcode={barcode}",
        "/staff/catalogue",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert problems(page.text, language) == [], path
        assert "in_service" not in page.text.replace('value="in_service"', ""), path
