"""The wish wall's pages: from a search that found nothing to a posted wish, supported
by a second reader; text shown escaped; the wall in each page language."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from shelfwise.services import Services
from shelfwise.wishes.models import WishStatus
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

from .test_pages import csrf, login


def _token(client: TestClient, path: str) -> str:
    return csrf(client, path)


def test_a_wish_from_a_search_that_found_nothing(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    results = client.get("/search", params={"q": "量子纠缠的诗"})
    assert "/wishes/new?q=" in results.text  # the zero-results page links to the form
    form = client.get("/wishes/new", params={"q": "量子纠缠的诗"})
    assert "/login?next=%2Fwishes%2Fnew%3Fq%3D" in form.text  # back here after signing in
    login(client, demo[0])
    page = client.get("/wishes/new", params={"q": "量子纠缠的诗"})
    assert 'name="title" value="量子纠缠的诗"' in page.text
    data = {
        "kind": "book",
        "title": "<script>alert(1)</script>量子纠缠的诗",
        "display_name": "星 ✨",
        "isbn": "9787536692931",
        "branch": "",
        "csrf": _token(client, "/wishes/new"),
    }
    refused = client.post("/wishes/new", data=data)
    assert refused.status_code == 422
    assert "0" in refused.text
    assert 'value="星 ✨"' in refused.text
    data["isbn"] = ""
    done = client.post("/wishes/new", data=data)
    assert done.status_code == 303
    wish_path = done.headers["location"].split("?")[0]
    shown = client.get(wish_path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
    assert "<script>alert(1)" not in shown.text
    client.post("/logout", data={"csrf": _token(client, wish_path)})

    login(client, demo[1])
    supported = client.post(
        wish_path + "/support", data={"notify": "1", "csrf": _token(client, wish_path)}
    )
    assert supported.status_code == 303
    again = client.get(wish_path)
    assert re.search(r"1 (人支持|support)", again.text)
    wall = client.get("/wishes", params={"order": "supported"})
    assert wish_path in wall.text
    assert "星 ✨" in wall.text
    assert demo[0] not in wall.text  # never the card


def test_the_wall_speaks_each_page_language(client: TestClient) -> None:
    for lang, word in (("zh", "心愿墙"), ("ko", "소원의 벽"), ("en", "Wish wall")):
        page = client.get("/wishes", headers={"Accept-Language": lang})
        assert page.status_code == 200
        assert word in page.text
    traditional = client.get("/lang/zh-Hant?next=/wishes")
    assert traditional.status_code in (302, 303, 307)


def test_staff_accept_a_wish_from_the_queue_page(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    from shelfwise.circulation.scope import SYSTEM, reader_self
    from shelfwise.wishes.models import WishDraft, WishKind

    from .test_staff import csrf as staff_csrf
    from .test_staff import sign_in

    services.wishes.add_word("广告", actor=SYSTEM, by="t")
    draft = WishDraft(WishKind.SERVICE, "周末延长开放 广告", "夜读", branch="CEN")
    wish = services.wishes.post(draft, actor=reader_self(demo[0]))
    sign_in(client, services)
    page = client.get("/staff/wishes", params={"branch": "CEN"})
    assert page.status_code == 200
    assert "周末延长开放" in page.text  # in the queue: the sensitive word
    token = staff_csrf(client, "/staff/wishes?branch=CEN")
    shown = client.post(f"/staff/wishes/{wish.id}/show", data={"csrf": token})
    assert shown.status_code == 303
    accepted = client.post(
        f"/staff/wishes/{wish.id}/accept", data={"note": "十月起试行", "csrf": token}
    )
    assert accepted.status_code == 303
    done = services.wishes.get(wish.id)
    assert (done.status, done.answer) == (WishStatus.ACCEPTED, "十月起试行")


def _settled(services: Services, done: Callable[[], bool]) -> None:
    """Deliver the outbox until ``done``: the app's own background relay (its lifespan
    runs one under the TestClient) may hold an event this test's drain cannot claim."""
    from shelfwise.runtime import Runtime

    relay = Runtime(services, follow_search=False).outbox_relay()
    deadline = time.monotonic() + 60
    while True:
        relay.drain()
        if done():
            return
        assert time.monotonic() < deadline, "the outbox did not deliver"
        time.sleep(0.05)


def _selected(html: str, name: str) -> str:
    """The value a select named ``name`` starts at."""
    block = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert block, f"no select {name}"
    found = re.search(r'<option value="([^"]*)" selected>', block.group(0))
    assert found, f"nothing preselected in {name}"
    return found.group(1)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def test_order_a_wish_in_two_clicks_and_receive_it_by_scanning(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    """The wish's order link, then the form's button: vendor, fund and price proposed (the
    branch's fund with the most money); the funds overview follows the money; scanning the
    order line receives and shelves the copy, and the wisher's hold waits on the shelf."""
    from shelfwise.circulation.scope import SYSTEM, reader_self
    from shelfwise.wishes.models import WishDraft, WishKind

    from .test_staff import csrf as staff_csrf
    from .test_staff import sign_in

    acq = services.acquisitions
    year = services.clock.today().year
    acq.save_vendor("XH", "新华书店", actor=SYSTEM)
    acq.save_vendor("ZT", "中图公司", actor=SYSTEM)
    acq.save_fund("SMALL", year, "CEN", "小额经费", 4_000, actor=SYSTEM)
    acq.save_fund("BOOKS", year, "CEN", "中文图书", 100_000, actor=SYSTEM)
    acq.save_fund("NGQB", year, "NGQ", "南岗图书", 900_000, actor=SYSTEM)
    from shelfwise.acquisitions.models import LineDraft

    from .test_pages import a_record

    # The branch's last order went to ZT at 38.50 (from the small fund, now nearly spent).
    earlier = LineDraft("SMALL", "CEN", 3_850, record_id=a_record(services))
    acq.order("ZT", [earlier], actor=SYSTEM, by="t")
    draft = WishDraft(WishKind.BOOK, "寂静的春天", "春", author="蕾切尔·卡森", branch="CEN")
    wish = services.wishes.post(draft, actor=reader_self(demo[0]))

    sign_in(client, services, "admin")
    queue = client.get("/staff/wishes", params={"branch": "CEN"})
    link = f"/staff/acquisitions/order?wish={wish.id}"
    assert f'href="{link}"' in queue.text  # the first click
    form = client.get(link)
    assert form.status_code == 200
    assert "寂静的春天" in form.text
    assert (_selected(form.text, "vendor"), _selected(form.text, "fund")) == ("ZT", "BOOKS")
    assert _field(form.text, "price") == "38.50"  # the branch's last price
    data = {
        "wish": str(wish.id),
        "branch": _field(form.text, "branch"),
        "vendor": "ZT",
        "fund": "BOOKS",
        "price": "abc",
        "quantity": "1",
        "csrf": staff_csrf(client, link),
    }
    wrong = client.post("/staff/acquisitions/order", data=data)
    assert wrong.status_code == 422
    assert "abc" in wrong.text
    assert 'class="alert"' in wrong.text
    too_dear = client.post("/staff/acquisitions/order", data=data | {"price": "5000"})
    assert too_dear.status_code == 409
    assert "1000.00" in too_dear.text  # what the fund has left, said
    assert len(services.acquisitions.orders()) == 1  # the earlier one only
    placed = client.post("/staff/acquisitions/order", data=data | {"price": "38.50"})  # click 2
    assert placed.status_code == 303
    assert placed.headers["location"].startswith("/staff/acquisitions?branch=CEN&ordered=")
    _settled(services, lambda: services.wishes.get(wish.id).status is WishStatus.ORDERED)
    order = services.acquisitions.orders()[0]  # newest first
    (line,) = order.lines
    assert (order.vendor, line.fund, line.price_cents, line.wish_id) == (
        "ZT",
        "BOOKS",
        3850,
        wish.id,
    )

    overview = client.get(placed.headers["location"])
    books = re.search(r"中文图书.*?</tr>", overview.text, re.S)
    assert books
    cells = re.findall(r'data-cents="(-?\d+)"', books.group(0))
    assert cells == ["100000", "3850", "0", "96150"]  # allocated, committed, spent, available

    receiving = client.get("/staff/acquisitions/receive", params={"branch": "CEN"})
    assert f"L{line.id}" in receiving.text
    token = staff_csrf(client, "/staff/acquisitions/receive?branch=CEN")
    nothing = client.post(
        "/staff/acquisitions/receive",
        data={"branch": "CEN", "scanned": "9780000000000", "shelve": "1", "csrf": token},
    )
    assert nothing.status_code == 404
    assert 'role="alert"' in nothing.text
    assert 'value="9780000000000"' in nothing.text
    got = client.post(
        "/staff/acquisitions/receive",
        data={"branch": "CEN", "scanned": f"L{line.id}", "shelve": "1", "csrf": token},
    )
    assert got.status_code == 303
    assert got.headers["location"].endswith(f"got={line.barcodes[0]}")
    shown = client.get(got.headers["location"])
    assert "on the shelf" in shown.text
    record_id = services.wishes.get(wish.id).record_id

    def ready() -> bool:
        mine = [h for h in services.circulation.holds_of(demo[0]) if h.record_id == record_id]
        return [str(h.status) for h in mine] == ["ready"]

    _settled(services, ready)
    _settled(services, lambda: services.wishes.get(wish.id).status is WishStatus.FULFILLED)
    after = client.get("/staff/acquisitions", params={"branch": "CEN"})
    books = re.search(r"中文图书.*?</tr>", after.text, re.S)
    assert books
    assert re.findall(r'data-cents="(-?\d+)"', books.group(0)) == ["100000", "0", "3850", "96150"]
