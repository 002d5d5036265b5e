"""A report's table as XLSX: one row per unit, the total last; no data is an empty cell, never 0."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lantoa.reports.exports import _text
from lantoa.reports.models import Report
from lantoa.reports.report_selectors import TableData


def table_workbook(report: Report, table: TableData) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = (table.title or _("Table"))[:31].translate(str.maketrans("/\\?*[]:", "-------"))
    sheet.append([_("Unit code"), *table.header])
    for row in [*table.rows, table.total]:
        sheet.append([row.code, _text(row.name), *row.values])
    sheet.append([])
    sheet.append([_("Period"), f"{report.start.isoformat()} – {report.end.isoformat()}"])
    sheet.append([_("An empty cell: no data (not zero).")])
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
