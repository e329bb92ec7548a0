"""A chart's figures as the page's table, a CSV file, an XLSX workbook and the JSON the
chart script draws: one chart, four forms, the same cells (a hidden one is the word
"hidden" in the page's language in the table and files, null in the JSON)."""

from __future__ import annotations

import csv
import io
import json

import xlsxwriter

from shelfwise.analytics.dashboards import Chart, Dashboard, Figure
from shelfwise.web.pages import Page


def headers(chart: Chart, page: Page) -> list[str]:
    return [page.t(f"dash.col.{c}") for c in chart.columns]


def shown(value: Figure, page: Page) -> str | int | float:
    return page.t("dash.hidden") if value is None else value


def chart_csv(chart: Chart, page: Page) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(chart, page))
    for row in chart.rows:
        writer.writerow([shown(v, page) for v in row])
    # With a byte-order mark, so that spreadsheet programs read the CJK text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def chart_xlsx(chart: Chart, page: Page) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(page.t(f"dash.{chart.name}")[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, headers(chart, page), bold)
    for n, row in enumerate(chart.rows, start=1):
        sheet.write_row(n, 0, [shown(v, page) for v in row])
    book.close()
    return out.getvalue()


def chart_json(board: Dashboard) -> str:
    """What static/dashboards.js draws: per chart, its kind, columns and rows."""
    charts = {c.name: {"kind": c.kind, "columns": c.columns, "rows": c.rows} for c in board.charts}
    # Safe inside <script type="application/json">: no "</" can close the element.
    return json.dumps(charts, ensure_ascii=False).replace("</", "<\\/")
