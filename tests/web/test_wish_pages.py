"""The wish wall's pages: from a search that found nothing to a posted wish, supported
by a second reader; text shown escaped; the wall in each page language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from shelfwise.services import Services
from shelfwise.wishes.models import WishStatus

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
