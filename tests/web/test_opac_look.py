"""The catalogue's look as a page carries it: the library's name in each language, the
preference links that keep the reader's search, the header's icons (TestClient, both
backends; what a browser measures is in test_e2e_opac.py)."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import select

from shelfwise.circulation.scope import reader_self
from shelfwise.config import Settings
from shelfwise.media.models import Access
from shelfwise.services import Services
from shelfwise.storage.tables import items, loans
from shelfwise.stories import documents
from shelfwise.stories.models import Placement
from shelfwise.testing import media_files as made
from shelfwise.web import icons
from shelfwise.web.pages import library_names
from shelfwise.wishes.models import WishDraft, WishKind
from web.shared_demo import (  # noqa: F401 - one demo library per backend, copied per test
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

LANG_LINK = re.compile(r'href="(/lang/ko\?next=[^"]+)"')
SIZE_LINK = re.compile(r'class="textsize" href="([^"]+)"')


def test_the_library_is_named_in_each_page_language() -> None:
    names = library_names(
        Settings.load(
            {"library_name": "Riverside Library", "library_name_zh": "河畔图书馆"}, environ={}
        )
    )
    assert names == {
        "zh": "河畔图书馆",
        "zh-Hant": "河畔圖書館",
        "ko": "서림시 도서관",  # the default Korean name
        "en": "Riverside Library",
    }
    unset = library_names(
        Settings.load(
            {"library_name": "X", "library_name_zh": "", "library_name_ko": ""}, environ={}
        )
    )
    assert unset == {"zh": "X", "zh-Hant": "X", "ko": "X", "en": "X"}


def test_pages_show_the_name_in_the_page_language(client: TestClient) -> None:
    for accept, name in (
        ("zh-CN", "书林市图书馆"),
        ("zh-TW", "書林市圖書館"),
        ("ko", "서림시 도서관"),
    ):
        page = client.get("/", headers={"Accept-Language": accept}).text
        assert f'<span class="name">{name}</span>' in page, accept
        assert "Shelfwise City Library" not in page


def test_language_and_text_size_links_keep_filters_sort_and_page(client: TestClient) -> None:
    searched = "/search?q=%E5%8E%86%E5%8F%B2&lang=zh&material=book&sort=newest&p=2"
    page = client.get(searched).text
    for pattern, prefix in ((LANG_LINK, "/lang/ko"), (SIZE_LINK, "/prefs/large-text")):
        found = pattern.search(page)
        assert found, prefix
        response = client.get(html.unescape(found.group(1)))
        assert response.status_code == 303
        assert response.headers["location"] == searched, prefix


def test_header_icons_are_hidden_from_screen_readers_and_labelled() -> None:
    for name in icons.SHAPES:
        svg = str(icons.icon(name))
        assert 'aria-hidden="true"' in svg
        assert "style=" not in svg  # the CSP allows no inline style
    assert "aria-hidden" in icons.LOGO


def _applied(page: str) -> list[str]:
    block = re.search(r'<ul class="applied".*?</ul>', page, re.S)
    return re.findall(r'<a [^>]*href="([^"]+)"', block.group(0)) if block else []


def test_applied_filters_are_chips_with_clear_all(client: TestClient) -> None:
    page = client.get("/search?q=%E5%8E%86%E5%8F%B2&lang=zh&material=book&sort=newest").text
    chips = [html.unescape(u) for u in _applied(page)]
    # one chip per filter, each removing itself only (query and sort kept), then clear all
    assert chips == [
        "/search?q=%E5%8E%86%E5%8F%B2&material=book&sort=newest",
        "/search?q=%E5%8E%86%E5%8F%B2&lang=zh&sort=newest",
        "/search?q=%E5%8E%86%E5%8F%B2&sort=newest",
    ]
    assert "中文" in page.split('class="applied"')[1].split("</ul>")[0]  # named, not "zh"
    assert _applied(client.get("/search?q=%E5%8E%86%E5%8F%B2").text) == []


def test_a_facet_with_one_value_is_not_offered(client: TestClient) -> None:
    page = client.get("/search?q=%E5%8E%86%E5%8F%B2&lang=zh").text
    facets = (
        page.split('class="facets"')[1].split("</aside>")[0] if 'class="facets"' in page else ""
    )
    assert "<h2>语言</h2>" not in facets  # every match is Chinese now: nothing to narrow
    assert "&amp;lang=zh" in page  # the chosen language is a chip instead


def test_zero_results_help(client: TestClient) -> None:
    # a confident correction: its results are shown, with the words as typed one tap away
    fixed = client.get("/search?q=histroy").text
    assert "“history”" in fixed
    assert re.search(r'<li class="hit">', fixed)
    assert 'href="/search?q=histroy&amp;exact=1"' in fixed
    exact = client.get("/search?q=histroy&exact=1").text
    assert '<li class="hit">' not in exact
    assert 'href="/search?q=history"' in exact  # did you mean, kept
    # nothing at all: a wish, and no "fewer filters" when none are set
    nothing = client.get("/search?q=zzzzqqqxx").text
    assert 'href="/wishes/new?q=zzzzqqqxx"' in nothing
    assert 'href="/interlibrary-loan?q=zzzzqqqxx"' in nothing  # or borrow it from elsewhere
    assert "去掉筛选条件" not in nothing
    filtered = client.get("/search?q=zzzzqqqxx&lang=ko").text
    assert "去掉筛选条件" in filtered
    assert 'href="/search?q=zzzzqqqxx"' in filtered  # the way back without the filters


def test_interlibrary_loan_says_where_to_ask_and_offers_a_wish(
    client: TestClient, services: Services
) -> None:
    page = client.get("/interlibrary-loan", params={"q": "呼兰河传"}).text
    assert "<strong>呼兰河传</strong>" in page  # what to tell the desk
    assert 'href="/wishes/new?q=%E5%91%BC%E5%85%B0%E6%B2%B3%E4%BC%A0"' in page
    desks = re.findall(r'<h3><a class="stretch" href="/branches/(\w+)">', page)
    staffed = [
        b.code for b in services.catalogue.list_branches() if b.kind in ("central", "branch")
    ]
    assert sorted(desks) == sorted(staffed)  # a person at each; no kiosk, no 24-hour room
    assert len(staffed) < len(services.catalogue.list_branches())
    client.cookies.set("sw_branch", staffed[-1])
    mine = client.get("/interlibrary-loan").text
    assert re.findall(r'<h3><a class="stretch" href="/branches/(\w+)">', mine)[0] == staffed[-1]
    assert 'href="/wishes/new"' in mine


RIGHTS = "http://rightsstatements.org/vocab/NoC-US/1.0/"
BRANCH_HEADINGS = re.compile(r'<h3><a href="/branches/(\w+)">')


def test_record_copies_by_branch_with_shelf_and_mine_first(
    client: TestClient, services: Services
) -> None:
    record = next(
        r
        for r in range(1, 400)
        if len({i.home_branch_id for i in services.catalogue.items_of(r)}) >= 2
        and all(i.location_id for i in services.catalogue.items_of(r))
    )
    items = services.catalogue.items_of(record)
    page = client.get(f"/record/{record}").text
    shown = BRANCH_HEADINGS.findall(page)
    assert len(shown) == len({i.home_branch_id for i in items})  # one group per branch
    places = {loc.id: loc.name for loc in services.catalogue.list_locations()}
    for item in items:  # every copy with its shelf and call number
        assert places[item.location_id or 0] in page
        assert item.call_number in page
    client.cookies.set("sw_branch", shown[-1])  # a visitor's "my library"
    mine = client.get(f"/record/{record}").text
    assert BRANCH_HEADINGS.findall(mine)[0] == shown[-1]
    assert '<span class="tag">我的图书馆</span>' in mine
    assert f'<option value="{shown[-1]}" selected>' in mine or "/login?next=" in mine


def test_record_shows_what_the_catalogue_holds(client: TestClient, services: Services) -> None:
    detail = next(
        d
        for d in (services.catalogue.record_detail(r) for r in range(1, 400))
        if d.summary and d.extent and d.series and d.subjects and d.subtitles
    )
    page = html.unescape(client.get(f"/record/{detail.id}").text)
    for text in (detail.summary, detail.extent, detail.subtitles[0], detail.publisher):
        assert text
        assert text in page
    assert f"/search?subject={quote(detail.subjects[0])}" in page
    name = detail.contributors[0].name
    author_query = quote(f'author:"{name}"', safe="")
    assert f"/search?q={author_query}" in page
    assert 'class="primary"' in page  # one clear primary action


def test_branch_page_hours_map_and_my_library(client: TestClient) -> None:
    page = client.get("/branches/CEN").text
    assert page.count('<th scope="row">') == 7  # the week
    assert page.count('class="today"') == 1
    assert "09:00–21:00" in page
    assert 'href="geo:0,0?q=' in page  # the phone's map app; no tiles fetched
    assert re.search(r'class="badge (open|shut)"', page)
    assert "外文图书" in page  # a service read from the branch's shelves
    assert client.get("/branches/NOPE").status_code == 404
    kiosk = client.get("/branches/RMG").text
    assert "开放时间未公布" in kiosk and "geo:" not in kiosk  # noqa: PT018 - one page
    chosen = client.get("/branches/CYQ/mine")
    assert chosen.status_code == 303
    assert "sw_branch=CYQ" in chosen.headers["set-cookie"]
    home = client.get("/").text
    assert 'href="/branches/CYQ"' in home  # my library's day on the home page
    assert "这是您的图书馆" in client.get("/branches/CYQ").text


def test_home_shows_new_arrivals_with_covers_and_nothing_empty(
    client: TestClient, services: Services
) -> None:
    home = client.get("/").text
    newest = services.catalogue.new_arrivals(10)
    assert newest
    assert f'href="/record/{newest[0]}"' in home
    arrivals = home.split('id="new-h"')[1].split("</section>")[0]
    assert arrivals.count('<div class="cover">') == len(newest)
    assert "专题书单" not in home  # the empty section is gone
    assert 'href="/branches"' in home  # no library chosen yet: the way to choose one


def test_a_record_with_an_open_picture_shows_it_as_its_cover(
    client: TestClient, services: Services, tmp_path: Path
) -> None:
    record = 3
    drawn = client.get(f"/record/{record}").text
    assert '<svg class="drawn"' in drawn.split('class="rec-head"')[1][:3000]
    picture = made.picture(tmp_path / "cover.png", (300, 420), colour="#806040")
    shared = services.media.ingest_file(picture, rights=RIGHTS, actor="t", record_id=record)
    hidden = made.picture(tmp_path / "staff.png", (300, 421), colour="#204060")
    services.media.ingest_file(
        hidden, rights=RIGHTS, actor="t", record_id=record + 1, access=Access.STAFF
    )
    page = client.get(f"/record/{record}").text
    head = page.split('class="rec-head"')[1][:3000]
    assert f'<img src="/media/{shared.object.id}/thumb" alt="" loading="lazy"' in head
    assert client.get(f"/media/{shared.object.id}/thumb").status_code == 200
    other = client.get(f"/record/{record + 1}").text.split('class="rec-head"')[1][:3000]
    assert "<img" not in other  # a staff-only picture is no cover for visitors


def test_popular_this_month_counts_loans_and_names_no_reader(
    client: TestClient, services: Services
) -> None:
    since = services.clock.now() - timedelta(days=30)
    with services.db.read() as conn:  # counted here independently, by hand
        rows = conn.execute(
            select(items.c.record_id, loans.c.loaned_at).join(items, items.c.id == loans.c.item_id)
        ).all()
    counts = Counter(r for r, at in rows if _aware(at) >= since)
    expected = sorted(((r, n) for r, n in counts.items() if n >= 2), key=lambda x: (-x[1], x[0]))
    assert services.popularity.popular(10) == expected[:10]
    home = client.get("/").text
    if expected:
        popular = home.split('id="pop-h"')[1]
        assert f'href="/record/{expected[0][0]}"' in popular
        assert f"借出 {expected[0][1]} 次" in popular
    else:
        assert 'id="pop-h"' not in home  # nothing empty shown
    for record, n in counts.items():
        if n < 2:
            assert (record, n) not in services.popularity.popular(50)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_home_and_branch_pages_show_stories_events_and_wishes(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    coming = services.events.upcoming(None, days=30)
    assert coming  # the demo's three events
    home = client.get("/").text
    events = home.split('id="events-h"')[1].split("</section>")[0]
    for event in coming[:4]:
        assert f'href="/events/{event.id}"' in events
    # No story is featured and nobody has wished yet: neither section is shown empty.
    assert 'id="stories-h"' not in home
    assert 'id="wishes-h"' not in home

    wish = services.wishes.post(
        WishDraft(kind=WishKind.BOOK, title="呼兰河传（插图本）", display_name="小林"),
        actor=reader_self(demo[0]),
    )
    story = services.stories.create(
        "harbin-winter", documents.from_data({"title": {"zh": "哈尔滨的冬天"}}), "e"
    )
    services.stories.save(
        story.id,
        story.document,
        "e",
        placement=Placement(featured_home=True, featured_branch="NGQ"),
    )
    services.stories.act(story.id, "publish", "e")
    home = client.get("/").text
    wishes = home.split('id="wishes-h"')[1].split("</section>")[0]
    assert f'href="/wishes/{wish.id}"' in wishes
    assert "呼兰河传（插图本）" in wishes
    stories = home.split('id="stories-h"')[1].split("</section>")[0]
    assert 'href="/stories/harbin-winter"' in stories
    assert '<div class="cover">' in stories  # no picture: a drawn cover

    # A branch page: its own events and the stories featured there; none at another.
    ngq = client.get("/branches/NGQ").text
    at_ngq = [e for e in coming if e.branch == "NGQ"]
    assert at_ngq
    for event in at_ngq:
        assert f'href="/events/{event.id}"' in ngq
    for event in coming:
        if event.branch != "NGQ":
            assert f'href="/events/{event.id}"' not in ngq
    assert 'href="/stories/harbin-winter"' in ngq
    hpj = client.get("/branches/HPJ").text
    assert 'id="events-h"' not in hpj
    assert 'id="stories-h"' not in hpj
