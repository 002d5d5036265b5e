"""The XLSX export of a survey's results: the same suppressed tables as the page (a hidden cell is
"—"), one sheet per structure's question tables, then the response rates. Raw answers are never
exported."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from lantoa.surveys.selectors import RateRow, SurveyResults

LEGEND_SYMBOL = "—"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """Text that a spreadsheet program never reads as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def results_xlsx(results: SurveyResults, rates: list[RateRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([_text(results.survey.title)])
    sheet.append([_("— : fewer than 10 answers, or computable from cells shown")])
    for question in results.questions:
        sheet.append([])
        sheet.append([_text(f"{question.version.text} ({_('version')} {question.version.number})")])
        sheet.append([_("Unit"), *(_text(column.label) for column in question.columns)])
        for row, cells in question.rows:
            sheet.append([_text(row.label), *(LEGEND_SYMBOL if cell.value is None else cell.value for cell in cells)])
        if question.mean is not None:
            sheet.append([pgettext("survey", "Mean"), question.mean])
    rate_sheet = workbook.create_sheet(_("Response rates")[:31])
    rate_sheet.append([_("Unit"), _("Cards issued"), _("Answers"), _("Response rate (%)")])
    for rate in rates:
        rate_sheet.append([_text(rate.row.label), rate.issued, rate.answers, rate.rate])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
