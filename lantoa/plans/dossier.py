"""An inspection's follow-ups as an XLSX workbook (openpyxl): one row per conclusion, with what
it asks, of whom, by when, and how it was closed. Text is always written as text, never as a
formula. And the whole dossier as DOCX (python-docx, laid out as the reports lay out an official
document): the inspection, team, units, topics, findings, conclusions and follow-ups."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lantoa.org.selectors import today
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


# --- The dossier as DOCX ---------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The layout of an official document (Decree 30/2020/NĐ-CP and the Party's Guidance 36-HD/VPTW), as
# the reports write theirs: A4, margins 20/20/30/15 mm, Times New Roman 14, the header as a
# borderless two-column table.
FONT = "Times New Roman"
BODY_PT, HEADER_PT, SMALL_PT, TITLE_PT = 14, 13, 12, 15
MARGINS_MM = (20, 20, 30, 15)  # top, bottom, left, right
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_COLUMN_MM = 76
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def _fonts(element: Any) -> None:
    """Every script slot of a style's fonts, so Vietnamese letters keep the font."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
         size: float | None = None) -> None:  # fmt: skip
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)


def _widths(table: Any, widths_mm: list[float]) -> None:
    """Column widths in the grid (which LibreOffice reads) and on every cell (which Word reads)."""
    from docx.shared import Mm

    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _centred(cell: Any, lines: list[tuple[str, bool, bool, bool]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for index, (text, bold, italic, underline) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=HEADER_PT)


def _grid(doc: Any, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    _widths(table, widths_mm)
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs onto
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _run(paragraph, value, bold=r == 0, size=SMALL_PT)


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def inspection_docx(inspection: Inspection, *, on: dt.date | None = None) -> bytes:
    """The inspection's dossier as one DOCX: what was decided and by whom, the team, the units
    inspected, the topics asked, the findings, the numbered conclusions and what each asked of
    whom, with how it was carried out; the recommendations that came from it. Reads only the
    records (five queries)."""
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    day = on or today()
    parts = inspection_parts(inspection)
    recommendations = list(inspection.recommendations.select_related("addressee_unit").order_by("sent_on", "pk"))
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    doc.core_properties.title = inspection.title
    doc.core_properties.language = "vi-VN"

    head = doc.add_table(rows=1, cols=2)
    head.autofit = False
    _widths(head, [LEFT_COLUMN_MM, TEXT_WIDTH_MM - LEFT_COLUMN_MM])
    _centred(head.cell(0, 0), [(inspection.unit.name.upper(), True, False, False), ("*", False, False, False)])
    dated = _("Compiled on %(day)s") % {"day": day.strftime("%d/%m/%Y")}
    _centred(head.cell(0, 1), [(PARTY, True, False, True), (dated, False, True, False)])

    for text, size in ((_("INSPECTION DOSSIER"), TITLE_PT), (inspection.title, BODY_PT)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12 if size == TITLE_PT else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, bold=True, size=size)
    rule = doc.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(rule, "-----")

    def heading(text: str) -> None:
        _run(doc.add_paragraph(), text, bold=True)

    def body(text: str) -> None:
        for line in text.splitlines() or [""]:
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
            paragraph.paragraph_format.space_after = Pt(6)
            _run(paragraph, line)

    kinds = {"inspection": _("Inspection"), "supervision": _("Supervision")}
    heading(_("1. General"))
    decision = " ".join(
        part for part in (inspection.decision_number, _day(inspection.decided_on) and _("of %(day)s") % {
            "day": _day(inspection.decided_on)}) if part
    )  # fmt: skip
    for label, value in (
        (_("Kind"), kinds.get(inspection.kind, inspection.kind)),
        (_("Plan year"), str(inspection.year)),
        (_("Deciding body"), inspection.deciding_body),
        (_("Decision"), decision or "—"),
        (_("Dates"), f"{_day(inspection.starts_on)} – {_day(inspection.ends_on)}"),
        (_("Recorded by"), inspection.unit.name),
    ):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, f"{label}: ", bold=True)
        _run(paragraph, value)

    heading(_("2. Units inspected"))
    for unit in parts["inspected"]:
        body(f"- {unit.name} ({unit.code})")

    heading(_("3. The team"))
    roles = {"chief": _("Head of the team"), "member": _("Member"), "secretary": _("Secretary")}
    if parts["team"]:
        rows = [[str(n), m.display_name, roles.get(m.role, m.role)] for n, m in enumerate(parts["team"], start=1)]
        _grid(doc, [_("No."), _("Name"), _("Role")], rows, [15, 100, TEXT_WIDTH_MM - 115])
    else:
        body(_("No member recorded."))

    heading(_("4. Topics and questions"))
    body(inspection.topics)
    heading(_("5. Findings"))
    body(inspection.findings or _("No finding recorded."))

    heading(_("6. Conclusions"))
    if not parts["conclusions"]:
        body(_("No conclusion recorded."))
    for conclusion in parts["conclusions"]:
        body(f"{conclusion.number}. {conclusion.text}")

    heading(_("7. Carrying out the conclusions"))
    labels = {
        "open": pgettext("follow-up", "Open"),
        "overdue": _("Overdue"),
        "closed": pgettext("follow-up", "Closed"),
    }
    follow_ups = [(c, c.follow_up) for c in parts["conclusions"] if getattr(c, "follow_up", None) is not None]
    if follow_ups:
        rows = [
            [str(c.number), f.owner_unit.name, _day(f.due_on), labels[follow_up_status(f, on=day)],
             " ".join(x for x in (_day(f.closed_on), f.evidence, f.evidence_url) if x)]
            for c, f in follow_ups
        ]  # fmt: skip
        header = [_("No."), _("Owner unit"), _("Deadline"), _("Status"), _("Closed on, evidence")]
        _grid(doc, header, rows, [15, 45, 25, 25, TEXT_WIDTH_MM - 110])
    else:
        body(_("No conclusion asks for action."))

    if recommendations:
        heading(_("8. Recommendations that came from it"))
        for n, item in enumerate(recommendations, start=1):
            body(f"{n}. {item.topic} — {item.addressee} ({_day(item.sent_on)}): {item.get_status_display()}")

    output = io.BytesIO()
    doc.save(output)
    return output.getvalue()


def dossier_docx_filename(inspection: Inspection) -> str:
    return f"kiem-tra-{inspection.pk}-ho-so.docx"
