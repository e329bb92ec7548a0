"""End to end in Chromium: a librarian at a desktop signs in, checks out at the desk,
checks in a copy a hold is waiting for (routing slip and hold-trap notice, printable),
and looks at the hold shelf; axe-core checks every staff page visited.

The same harness as ``test_e2e_browser.py`` (Debian's ``/usr/bin/chromium`` through
Playwright, ``live_server`` on the module's SQLite demo library, axe-core from
``node_modules/``), with its own fixtures. Screenshots go to a
temporary folder (``./scripts/screenshots`` refreshes ``docs/screenshots/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shelfwise.circulation.scope import SYSTEM
from shelfwise.services import Services
from shelfwise.storage.tables import branches, holds, items
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import live_server
from web.browser import Visit, launch_chromium

DESKTOP = {"width": 1366, "height": 900}
USERNAME, PASSWORD = "desk-e2e", "desk-e2e-password"


@pytest.fixture(scope="module")
def staff_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    services.access.create_staff(USERNAME, "Desk E2E", PASSWORD, "desk")
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


def _free_copies(services: Services, branch: str, count: int) -> list[str]:
    """Barcodes of copies on the shelf at ``branch`` whose records nobody holds."""
    with services.db.read() as conn:
        rows = conn.execute(
            select(items.c.barcode, items.c.record_id)
            .join(branches, branches.c.id == items.c.home_branch_id)
            .where(branches.c.code == branch)
            .order_by(items.c.id.desc())
        ).all()
        held = set(conn.execute(select(holds.c.record_id)).scalars())
    found: list[str] = []
    for row in rows:
        if row.record_id in held or row.record_id in {
            services.catalogue.get_item(b).record_id for b in found
        }:
            continue
        if str(services.circulation.item_status(row.barcode).availability) == "on_shelf":
            found.append(row.barcode)
        if len(found) == count:
            return found
    raise AssertionError(f"fewer than {count} free copies at {branch}")


def test_a_librarian_at_the_desk(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    screenshots: Path,
) -> None:
    services, cards = demo_library
    lend, travelling, staying = _free_copies(services, "CEN", 3)
    borrower, far, near = cards[3], cards[6], cards[7]
    far_record = services.catalogue.get_item(travelling).record_id
    services.circulation.checkout(
        cards[2], travelling, "CEN", actor=SYSTEM
    )  # it comes back at the desk
    services.circulation.place_hold(far, far_record, "NGQ", actor=SYSTEM)
    services.circulation.place_hold(
        near, services.catalogue.get_item(staying).record_id, "CEN", actor=SYSTEM
    )

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    desk = Visit(context.new_page(), staff_url, screenshots)
    page = desk.page
    # Signing in: the desk sends an anonymous visitor to the staff login, and back.
    desk.go("/staff/desk")
    assert "/staff/login" in page.url
    page.fill("#username", USERNAME)
    desk.submit("#password", PASSWORD)
    assert page.url.endswith("/staff/desk")
    assert desk.focused() == "card"

    # The desk: scan the card, then the item; the barcode field keeps the focus.
    desk.submit("#card", borrower)
    assert (
        page.locator("section.reader h2")
        .inner_text()
        .startswith(services.readers.get(borrower).name)
    )
    assert desk.focused() == "barcode"
    desk.submit("#barcode", lend)
    assert lend in page.locator("p.notice").inner_text()
    assert desk.focused() == "barcode"
    assert page.locator(f"table td:text-is('{lend}')").count() == 1
    assert [x.barcode for x in services.circulation.loans_of(borrower)].count(lend) == 1
    desk.shot("staff-desk-desktop")
    desk.submit("#barcode", lend)  # the same copy again: refused, with the reason
    assert page.locator("p.alert").count() == 1

    # Check-in of a copy a hold at another branch is waiting for: slip and trap notice.
    desk.go("/staff/checkin")
    assert desk.focused() == "barcode"
    desk.submit("#barcode", travelling)
    slip = page.locator("#slip")
    assert slip.is_visible()
    assert services.readers.get(far).name in slip.inner_text()
    ngq = next(b for b in services.catalogue.list_branches() if b.code == "NGQ")
    assert ngq.name_zh in slip.inner_text()
    assert travelling in page.locator("p.notice").inner_text()  # returned, then routed
    desk.shot("staff-checkin-desktop")
    page.emulate_media(media="print")  # the printed page is the slip alone
    assert not page.locator("header.top").is_visible()
    assert not page.locator("form.scanrow").is_visible()
    assert slip.is_visible()
    page.emulate_media(media="screen")

    # A copy for a hold at this branch goes to the hold shelf, which lists it.
    desk.submit("#barcode", staying)
    assert page.locator("#slip").is_visible()
    desk.go("/staff/holds")
    ready = page.locator("table").first.inner_text()
    assert staying in ready
    assert services.readers.get(near).name in ready
    desk.shot("staff-holds-desktop")

    page.click("header form[action='/staff/logout'] button")
    page.wait_for_load_state()
    assert "/staff/login" in page.url
    context.close()
    assert len(desk.checked) >= 8
    assert not [e for e in desk.errors if not e.startswith("Failed to load resource")], desk.errors


def test_an_administrator_pages(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    tmp_path: Path,
    screenshots: Path,
) -> None:
    services, cards = demo_library
    services.access.create_staff("admin-e2e", "Admin E2E", PASSWORD, "admin")
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    desk = Visit(context.new_page(), staff_url, screenshots)
    page = desk.page
    desk.go("/staff/login")
    page.fill("#username", "admin-e2e")
    desk.submit("#password", PASSWORD)
    assert page.url.endswith("/staff")
    for path in (
        "/staff/admin",
        "/staff/rules",
        "/staff/readers/new",
        f"/staff/readers/{cards[0]}",
    ):
        desk.go(path)
    desk.go("/staff/admin")
    page.fill("#tok-label", "e2e sync")
    page.click("form[action='/staff/admin/tokens'] button")
    page.wait_for_load_state()
    desk.axe()
    assert page.locator("code.token").inner_text().startswith("swt_")
    desk.go("/staff/admin")
    assert page.locator("code.token").count() == 0
    # Cataloguing: an upload imported in the background; staff.js follows the progress.
    marc = tmp_path / "few.mrc"
    write_records(marc, 12, seed=11)
    desk.go("/staff/catalogue")
    page.set_input_files("#file", str(marc))
    page.click("form[action='/staff/catalogue/import'] button")
    page.wait_for_url("**/staff/catalogue/import/*")
    page.wait_for_selector("dd[data-count='read']", timeout=60_000)
    desk.axe()
    assert page.locator("dd[data-count='read']").inner_text() == "12"
    record_id = services.catalogue.get_item(_free_copies(services, "CEN", 1)[0]).record_id
    desk.go(f"/staff/catalogue/records/{record_id}")
    assert page.locator("table.marc tbody tr").count() > 3
    context.close()
    assert not [e for e in desk.errors if not e.startswith("Failed to load resource")], desk.errors
