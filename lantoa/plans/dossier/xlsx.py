"""An inspection's follow-ups as an XLSX workbook (openpyxl): one row per conclusion, with what
it asks, of whom, by when, and how it was closed. Text is always written as text, never as a
formula."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lantoa.plans.models import Inspection
from lantoa.plans.selectors import follow_up_status, inspection_parts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def follow_ups_xlsx(inspection: Inspection, *, on: dt.date | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    parts = inspection_parts(inspection)
    labels = {
        "open": pgettext("follow-up", "Open"),
        "overdue": _("Overdue"),
        "closed": pgettext("follow-up", "Closed"),
    }
    book = Workbook()
    sheet = book.active
    sheet.title = _("Follow-ups")[:31]
    sheet.append([inspection.title])
    sheet.append([f"{inspection.deciding_body} — {inspection.starts_on:%d/%m/%Y}–{inspection.ends_on:%d/%m/%Y}"])
    sheet.append([])
    header = [_("No."), _("Conclusion"), _("Owner unit"), _("Deadline"), _("Status"), _("Closed on"), _("Evidence")]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for conclusion in parts["conclusions"]:
        follow_up = getattr(conclusion, "follow_up", None)
        row = [conclusion.number, conclusion.text]
        if follow_up is None:
            row += ["", "", "", "", ""]
        else:
            evidence = " ".join(x for x in (follow_up.evidence, follow_up.evidence_url) if x)
            row += [
                follow_up.owner_unit.name,
                follow_up.due_on,
                labels[follow_up_status(follow_up, on=on)],
                follow_up.closed_on,
                evidence,
            ]
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a value, never a formula
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFG", (6, 60, 30, 12, 12, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dossier_filename(inspection: Inspection) -> str:
    return f"kiem-tra-{inspection.pk}-viec-sau-ket-luan.xlsx"
