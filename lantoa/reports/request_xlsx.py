"""Data requests in spreadsheets: the form a request generates for one unit, reading it back
(all-or-nothing, every problem named with its cell), and the totals as an export.

The form has one row per field from row :data:`FIRST_ROW`: the field's code (column A, which
the reader matches), its label, the value to type (C), Lantoa's computed figure (D) and an
explanation of a difference (E). Cell B3 holds the assignment's key, so a form filled for one
unit cannot be filed for another.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection

from lantoa.core.errors import ImportRejected, ValidationFailed
from lantoa.core.spreadsheets import MAX_PROBLEMS, FileRefused, read_upload, sheets
from lantoa.reports.exports import XLSX_TYPE, _text
from lantoa.reports.models import DataField, DataRequestAssignment, DataSubmission, FieldKind, SubmissionSource
from lantoa.reports.request_selectors import Totals
from lantoa.reports.request_services import computed_figures, submission_file

__all__ = ["XLSX_TYPE", "assignment_form_xlsx", "filing_from_xlsx", "totals_xlsx"]

KEY_CELL_ROW = 3
HEADER_ROW = 5
FIRST_ROW = 6
MAX_FORM_ROWS = 200
_COMPUTED_FILL = PatternFill("solid", fgColor="E8F0FE")


def assignment_key(assignment: DataRequestAssignment) -> str:
    return f"LANTOA-DR-{assignment.request_id}-{assignment.pk}"


def _bounds(data_field: DataField) -> str:
    if data_field.kind == FieldKind.INDICATOR:
        return _("Computed by Lantoa; type a different figure only with an explanation")
    if data_field.kind == FieldKind.TEXT:
        return _("Text, at most %(max)s characters") % {"max": data_field.max_length}
    return _("Whole number from %(low)s to %(high)s") % {"low": data_field.min_value, "high": data_field.max_value}


def assignment_form_xlsx(assignment: DataRequestAssignment, current: DataSubmission | None = None) -> bytes:
    """The form for ``assignment``, pre-filled with the computed figures (and with the current
    version's values when there is one)."""
    fields = list(assignment.request.data_set.fields.all())
    computed = computed_figures(assignment, fields)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Form")[:31]
    request = assignment.request
    sheet["A1"] = _text(request.title)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("Unit")
    sheet["B2"] = _text(assignment.unit.name)
    sheet["A3"] = _("Key (do not change)")
    sheet[f"B{KEY_CELL_ROW}"] = assignment_key(assignment)
    sheet["A4"] = _("Period")
    sheet["B4"] = f"{request.period.start:%d/%m/%Y} – {request.period.end:%d/%m/%Y}"
    sheet["D4"] = _("Deadline")
    sheet["E4"] = f"{request.deadline:%d/%m/%Y}"
    sheet["F4"] = _("Data cut-off")
    sheet["G4"] = f"{request.cutoff:%d/%m/%Y}"
    headers = [_("Code"), _("Field"), _("Value"), _("Computed by Lantoa"), _("Explanation of a difference"), _("Rule")]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
    values = current.values if current is not None else {}
    notes = current.explanations if current is not None else {}
    for offset, data_field in enumerate(fields):
        row = FIRST_ROW + offset
        sheet.cell(row=row, column=1, value=data_field.code)
        sheet.cell(row=row, column=2, value=_text(data_field.label))
        if data_field.kind == FieldKind.INDICATOR:
            figure = computed.get(data_field.code)
            sheet.cell(row=row, column=4, value=figure).fill = _COMPUTED_FILL
            typed = values.get(data_field.code)
            sheet.cell(row=row, column=3, value=typed if typed is not None and typed != figure else None)
        else:
            value = values.get(data_field.code)
            sheet.cell(row=row, column=3, value=_text(value) if isinstance(value, str) else value)
        if notes.get(data_field.code):
            sheet.cell(row=row, column=5, value=_text(notes[data_field.code]))
        sheet.cell(row=row, column=6, value=_bounds(data_field))
        for column in (3, 5):
            sheet.cell(row=row, column=column).protection = Protection(locked=False)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 42
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 18
    sheet.column_dimensions["E"].width = 40
    sheet.column_dimensions["F"].width = 48
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def filing_from_xlsx(*, by: Any, assignment: DataRequestAssignment, file: Any, reason: str = "") -> DataSubmission:
    """Read the filled form and file it as a new version, or refuse the whole file with every
    problem named by its cell (``extra["errors"]``: [{"cell", "message"}]); nothing is stored then."""
    problems: list[dict[str, str]] = []

    def refuse() -> ImportRejected:
        return ImportRejected(
            _("The spreadsheet was not filed: %(count)s problem(s).") % {"count": len(problems)},
            extra={"errors": problems[:MAX_PROBLEMS], "count": len(problems)},
        )

    fields = {f.code: f for f in assignment.request.data_set.fields.all()}
    values: dict[str, Any] = {}
    explanations: dict[str, Any] = {}
    rows_of: dict[str, int] = {}
    try:
        content = read_upload(file)
        sheet = next((s for s in sheets(content) if s.visible), None)
        if sheet is None:
            raise FileRefused(_("the workbook has no visible sheet"))
        key_found = ""
        for number, cells in sheet.rows:
            if number > FIRST_ROW + MAX_FORM_ROWS:
                problems.append({"cell": f"A{number}", "message": _("The form has more rows than its fields.")})
                break
            padded = [*cells, None, None, None, None, None][:5]
            if number == KEY_CELL_ROW:
                key_found = str(padded[1] or "").strip()
            if number < FIRST_ROW:
                continue
            code = str(padded[0] or "").strip().lower()
            if not code:
                continue
            if code not in fields:
                problems.append(
                    {"cell": f"A{number}", "message": _("%(code)s is not a field of this form.") % {"code": code}}
                )
                continue
            if code in rows_of:
                problems.append(
                    {"cell": f"A{number}", "message": _("The field %(code)s appears twice.") % {"code": code}}
                )
                continue
            rows_of[code] = number
            value = _cell_text(padded[2])
            if value not in (None, ""):
                values[code] = value
            if padded[4] not in (None, ""):
                explanations[code] = str(padded[4])
    except FileRefused as refused:
        problems.append({"cell": f"A{refused.row}", "message": refused.message})
        raise refuse() from None
    if key_found != assignment_key(assignment):
        problems.insert(
            0,
            {
                "cell": f"B{KEY_CELL_ROW}",
                "message": _("This form was generated for another unit or request; download the form of this page."),
            },
        )
    for code in fields:
        if code not in rows_of:
            problems.append({"cell": "A", "message": _("The row of the field %(code)s is missing.") % {"code": code}})
    if problems:
        raise refuse()
    try:
        return submission_file(
            by=by,
            assignment=assignment,
            values=values,
            explanations=explanations,
            reason=reason,
            source=SubmissionSource.XLSX,
        )
    except ValidationFailed as failed:
        for problem in failed.extra.get("problems", []):
            row = rows_of.get(problem["field"])
            problems.append({"cell": f"C{row}" if row else _("rule"), "message": problem["message"]})
        if not failed.extra.get("problems"):
            raise
        raise refuse() from None


def totals_xlsx(totals: Totals) -> bytes:
    """Each unit's filed figures, one row per unit, the total last; an empty cell is no data."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append([_("Unit code"), _("Unit"), _("Status"), *[_text(f.label) for f in totals.fields]])
    for assignment, values in totals.rows:
        sheet.append(
            [
                assignment.unit.code,
                _text(assignment.unit.name),
                str(assignment.get_status_display()),
                *[_text(v) if isinstance(v := values.get(f.code), str) else v for f in totals.fields],
            ]
        )
    sheet.append(
        [
            "",
            _("Total (%(filed)s of %(assigned)s units filed)") % {"filed": totals.filed, "assigned": totals.assigned},
            "",
            *[totals.totals.get(f.code) if f.kind != FieldKind.TEXT else None for f in totals.fields],
        ]
    )
    sheet.append([])
    request = totals.request
    sheet.append([_("Request"), _text(request.title)])
    sheet.append([_("Period"), f"{request.period.start:%d/%m/%Y} – {request.period.end:%d/%m/%Y}"])
    sheet.append([_("An empty cell: no data (not zero).")])
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "D2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
