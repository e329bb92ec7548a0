"""A chart's figures as the page's table, a CSV file, an XLSX workbook and the JSON the
chart script draws: one chart, four forms, the same cells (a hidden one is the word
"hidden" in the page's language in the table and files, null in the JSON; a code in the
first column is worded in the page's language in all four)."""

from __future__ import annotations

import csv
import io
import json
import re

import xlsxwriter

from shelfwise.analytics.dashboards import Chart, Dashboard, Figure
from shelfwise.web.pages import Page


def headers(chart: Chart, page: Page) -> list[str]:
    return [page.t(f"dash.col.{c}") for c in chart.columns]


def shown(value: Figure, page: Page) -> str | int | float:
    return page.t("dash.hidden") if value is None else value


def worded(chart: Chart, page: Page) -> list[list[Figure]]:
    """The rows with the first column's codes in words (``Chart.codes``)."""
    out: list[list[Figure]] = []
    for row in chart.rows:
        first = row[0]
        if chart.codes and first is not None:
            first = page.t(f"{chart.codes}{first}")
        out.append([first, *row[1:]])
    return out


def chart_csv(chart: Chart, page: Page) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(chart, page))
    for row in worded(chart, page):
        writer.writerow([shown(v, page) for v in row])
    # With a byte-order mark, so that spreadsheet programs read the CJK text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def chart_xlsx(chart: Chart, page: Page) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    # A sheet's name: at most 31 characters, none of []:*?/\ (Excel's rules).
    name = re.sub(r"[\[\]:*?/\\]", " ", page.t(f"dash.{chart.name}"))[:31].strip()
    sheet = book.add_worksheet(name or chart.name)
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, headers(chart, page), bold)
    for n, row in enumerate(worded(chart, page), start=1):
        sheet.write_row(n, 0, [shown(v, page) for v in row])
    book.close()
    return out.getvalue()


def chart_json(board: Dashboard, page: Page) -> str:
    """What static/dashboards.js draws: per chart, its kind, columns and rows (worded)."""
    charts = {
        c.name: {"kind": c.kind, "columns": c.columns, "rows": worded(c, page)}
        for c in board.charts
        if c.kind != "table"
    }
    # Safe inside <script type="application/json">: no "</" can close the element.
    return json.dumps(charts, ensure_ascii=False).replace("</", "<\\/")
