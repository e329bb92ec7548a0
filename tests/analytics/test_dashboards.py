"""/staff/dashboards (issue 21 item 3): the charts' figures in the page's tables and in the
CSV and XLSX files (parsed back here: the XLSX by its XML, not by the library that wrote it),
hidden below k readers everywhere, with last year's loans beside this year's."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

from fastapi.testclient import TestClient
from lxml import etree

from analytics.helpers import StatsLibrary
from analytics.test_counters import deliver
from shelfwise import app as composition
from shelfwise.analytics.boards import COLUMNS
from shelfwise.analytics.dashboards import VIEWS
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock

PASSWORD = "dashboards-password-1"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _library(stats: StatsLibrary, clock: FrozenClock) -> None:
    """A year ago: three loans at CEN. Today: seven readers at CEN (shown), a canary reader
    alone in category 'senior' (hidden), two readers at BR1 (hidden), five at BR2 (hidden:
    the smallest beside BR1)."""
    services = stats.services
    cen = stats.title("clc:K", 12)
    br1 = stats.title("ddc:900", 2, "BR1")
    past = [stats.reader(f"p{i}", "adult", 1970).card_number for i in range(5)]
    now = clock.now()
    clock.set(now - timedelta(days=365))
    for card, barcode in zip(past, cen[7:12], strict=True):
        services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
        services.circulation.checkin(barcode, "CEN", actor=SYSTEM)
    clock.set(now)
    for i, barcode in enumerate(cen[:7]):
        card = stats.reader(f"c{i}", "adult", 1985).card_number
        services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
    canary = services.readers.register(name="canary", category="senior", birth_year=1931).reader
    services.circulation.checkout(canary.card_number, cen[7], "CEN", actor=SYSTEM)
    for i, barcode in enumerate(br1):
        card = stats.reader(f"b{i}", "child", 2016).card_number
        services.circulation.checkout(card, barcode, "BR1", actor=SYSTEM)
    for i, barcode in enumerate(stats.title("kdc:800", 5, "BR2")):
        card = stats.reader(f"d{i}", "adult", 1985).card_number
        services.circulation.checkout(card, barcode, "BR2", actor=SYSTEM)
    deliver(stats, relays=1)
    services.analytics.take_stock()  # the hourly job: the collection's figures


def _same(rows: list[list[str]]) -> list[list[str | float]]:
    """Cells compared as numbers where they are numbers (XLSX keeps 0.0 as 0)."""

    def cell(text: str) -> str | float:
        try:
            return float(text)
        except ValueError:
            return text

    return [[cell(c) for c in row] for row in rows]


def _title_of(stats: StatsLibrary, record_id: int) -> str:
    return stats.services.catalogue.get_record(record_id).title


def _manager(stats: StatsLibrary, lang: str, branches: tuple[str, ...] = ()) -> TestClient:
    name = "dash-" + "-".join(("all", *branches)).lower()
    stats.services.access.create_staff(name, "Manager", PASSWORD, "admin", branches)
    client = TestClient(composition.asgi_app(stats.services), follow_redirects=False)
    client.get(f"/lang/{lang}")
    token = CSRF.search(client.get("/staff/login").text)
    assert token is not None
    data = {"username": name, "password": PASSWORD, "csrf": token.group(1)}
    assert client.post("/staff/login", data=data).status_code == 303
    return client


def _table(html: str, chart: str) -> list[list[str]]:
    section = html.split(f'id="h-{chart}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>", 1)[1], flags=re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in rows
    ]


def _xlsx_rows(body: bytes) -> list[list[str]]:
    """The first sheet's cells as text, read from the workbook's XML."""
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        shared = [
            "".join(str(text) for text in si.itertext())
            for si in etree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{SHEET}si")
        ]
        sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    width = len(next(sheet.iter(f"{SHEET}row")))  # the header row names every column
    for row in sheet.iter(f"{SHEET}row"):
        cells = [""] * width  # an empty text is no cell at all: placed by its reference
        for c in row.iter(f"{SHEET}c"):
            value = c.findtext(f"{SHEET}v") or ""
            column = ord(str(c.get("r"))[0]) - ord("A")
            cells[column] = shared[int(value)] if c.get("t") == "s" else value
        rows.append(cells)
    return rows


def test_the_dashboard_and_its_files_hide_small_cells_and_show_last_year(
    stats: StatsLibrary, clock: FrozenClock
) -> None:
    _library(stats, clock)
    client = _manager(stats, "en")
    page = client.get("/staff/dashboards", params={"days": 30})
    assert page.status_code == 200, page.text[-500:]
    html = page.text
    assert "echarts.simple.min.js" in html
    assert "Figures from fewer than 5 readers are hidden" in html
    assert _table(html, "by_branch") == [["BR1", "hidden"], ["BR2", "hidden"], ["CEN", "8"]]
    categories = {row[0]: row[1] for row in _table(html, "by_category")}
    # the canary alone in 'senior' is hidden, and so is 'child' beside it (or the total
    # would give it away); 'adult' has seven readers
    assert categories == {"adult": "12", "child": "hidden", "senior": "hidden"}
    today = stats.services.clock.today().isoformat()
    over_time = {row[0]: row[1:] for row in _table(html, "over_time")}
    assert over_time[today] == ["15", "5"]  # every branch today; five loans a year ago
    collection = client.get("/staff/dashboards", params={"days": 30, "view": "collection"})
    turnover = {row[0]: row[1:] for row in _table(collection.text, "turnover")}
    assert turnover["clc:K"] == ["8", "12", "0.67"]

    csv_file = client.get("/staff/dashboards/by_category.csv", params={"days": 30})
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_file.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows == [
        ["Reader category", "Loans"],
        ["adult", "12"],
        ["child", "hidden"],
        ["senior", "hidden"],
    ]
    xlsx = client.get("/staff/dashboards/by_category.xlsx", params={"days": 30})
    assert xlsx.content[:2] == b"PK"
    assert _xlsx_rows(xlsx.content) == rows


def test_the_same_period_last_year_and_a_managers_branch(
    stats: StatsLibrary, clock: FrozenClock
) -> None:
    _library(stats, clock)
    client = _manager(stats, "zh", ("BR1",))
    mine = client.get("/staff/dashboards", params={"days": 365})
    assert mine.status_code == 200
    assert "统计看板" in mine.text
    assert [r[0] for r in _table(mine.text, "by_branch")] == ["BR1"]
    assert client.get("/staff/dashboards", params={"branch": "CEN"}).status_code == 403
    everything = _manager(stats, "ko").get("/staff/dashboards", params={"days": 365})
    by_month = {row[0]: row[1:] for row in _table(everything.text, "over_time")}
    month = stats.services.clock.today().strftime("%Y-%m")
    # Last year's five loans by five readers at CEN are shown in this month's row.
    assert by_month[month][1] == "5"


def test_every_view_and_every_chart_file_from_the_counters_and_the_stock(
    stats: StatsLibrary, clock: FrozenClock
) -> None:
    """Each view's page and each of its charts as CSV and XLSX (the same cells); the
    collection lists the copies never lent, the holds view a title five readers wait for."""
    _library(stats, clock)
    wanted = stats.title("clc:T", 1)
    never = stats.title("ddc:900", 2)
    (record_id,) = [r for r, c in stats.titles.items() if c == "clc:T"]
    for i in range(5):
        card = stats.reader(f"h{i}").card_number
        stats.services.circulation.place_hold(card, record_id, "CEN", actor=SYSTEM)
    stats.services.circulation.checkout(
        stats.reader("keeper").card_number, wanted[0], "CEN", actor=SYSTEM
    )
    deliver(stats, relays=1)
    stats.services.analytics.take_stock()
    client = _manager(stats, "en")
    for view, charts in VIEWS.items():
        page = client.get("/staff/dashboards", params={"days": 90, "view": view})
        assert page.status_code == 200, (view, page.text[-300:])
        for chart in charts:
            table = _table(page.text, chart)
            csv_file = client.get(f"/staff/dashboards/{chart}.csv", params={"days": 90})
            rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
            xlsx = client.get(f"/staff/dashboards/{chart}.xlsx", params={"days": 90})
            assert _same(_xlsx_rows(xlsx.content)) == _same(rows), chart
            if rows[1:]:
                assert _same(rows[1:]) == _same(table), chart
            else:
                assert table == [["Nothing in this period."]], chart
            built = stats.services.dashboards().build(
                actor=SYSTEM, days=90, branch="", until=clock.today(), view=view
            )
            assert set(built.chart(chart).columns) <= set(COLUMNS), chart
    listed = _table(
        client.get("/staff/dashboards", params={"view": "collection", "years": 1}).text,
        "idle_copies",
    )
    # The two copies nobody ever took first, then the four clc:K copies last lent a year
    # ago (cen[8:12]); nothing lent since.
    assert [(r[0], r[-1]) for r in listed[:2]] == [(b, "—") for b in never]
    year_ago = (clock.today() - timedelta(days=365)).isoformat()
    assert [r[-1] for r in listed[2:]] == [year_ago] * 4
    assert not any(r[0] in wanted for r in listed)
    holds = client.get("/staff/dashboards", params={"view": "holds"})
    assert [r[:3] for r in _table(holds.text, "wanted")] == [
        [_title_of(stats, record_id), "5", "1"]
    ]
    screen = client.get("/staff/dashboards/big-screen")
    assert screen.status_code == 200
    assert 'data-refresh="300"' in screen.text  # dashboards.js reloads it
    figures = re.findall(r'<span class="figure">([^<]*)</span>', screen.text)
    assert figures[0] == "16"  # fifteen loans today and the keeper's, by enough readers
