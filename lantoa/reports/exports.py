"""The dashboard's children table as XLSX: one row per child, the unit's total last; no data is an
empty cell, never 0."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lantoa.reports.selectors import Dashboard, Figure

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def _text(value: str) -> str:
    """Text that a spreadsheet program never reads as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(figure: Figure) -> Any:
    return figure.value  # an int, a Decimal, or None (an empty cell: no data)


def dashboard_workbook(board: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Units")[:31]
    sheet.append([_("Unit code"), _("Unit"), *[f"{c.name} (%)" if c.rate else c.name for c in board.columns]])
    for row in board.children:
        sheet.append([row.unit.code, _text(row.name), *[_number(f) for f in row.cells(board.columns)]])
    total = board.total
    sheet.append(
        [
            total.unit.code,
            _text(_("Total, %(unit)s") % {"unit": total.name}),
            *[_number(f) for f in total.cells(board.columns)],
        ]
    )
    sheet.append([])
    sheet.append([_("Period"), f"{board.period.start.isoformat()} – {board.period.end.isoformat()}"])
    sheet.append(
        [_("Units"), _("As the tree stood then") if board.structure == "historical" else _("As the tree stands today")]
    )
    sheet.append([_("An empty cell: no data (not zero).")])
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def filename(board: Dashboard) -> str:
    code = _UNSAFE_IN_FILENAME.sub("-", board.unit.code)
    return f"dashboard-{code}-{board.period.start.isoformat()}-{board.period.end.isoformat()}.xlsx"
