"""The inspection's dossier as DOCX (python-docx), laid out as the reports lay out an official
document (Decree 30/2020/NĐ-CP and the Party's Guidance 36-HD/VPTW): A4, margins 20/20/30/15 mm,
Times New Roman 14, the header as a borderless two-column table."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from lantoa.plans.dossier.content import PARTY, Body, Dossier, Fields, Grid, Heading, dossier_content
from lantoa.plans.models import Inspection

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_PT, HEADER_PT, SMALL_PT, TITLE_PT = 14, 13, 12, 15
MARGINS_MM = (20, 20, 30, 15)  # top, bottom, left, right
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_COLUMN_MM = 76


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


def _grid(doc: Any, grid: Grid) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=len(grid.rows) + 1, cols=len(grid.header))
    table.style = "Table Grid"
    table.autofit = False
    _widths(table, [share * TEXT_WIDTH_MM for share in grid.shares])
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs onto
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, (row, values) in enumerate(zip(table.rows, [grid.header, *grid.rows], strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _run(paragraph, value, bold=r == 0, size=SMALL_PT)


def _setup(doc: Any, dossier: Dossier) -> None:
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    doc.core_properties.title = dossier.subtitle
    doc.core_properties.language = "vi-VN"


def _masthead(doc: Any, dossier: Dossier) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    head = doc.add_table(rows=1, cols=2)
    head.autofit = False
    _widths(head, [LEFT_COLUMN_MM, TEXT_WIDTH_MM - LEFT_COLUMN_MM])
    _centred(head.cell(0, 0), [(dossier.unit_name.upper(), True, False, False), ("*", False, False, False)])
    _centred(head.cell(0, 1), [(PARTY, True, False, True), (dossier.dated, False, True, False)])
    for text, size in ((dossier.title, TITLE_PT), (dossier.subtitle, BODY_PT)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12 if size == TITLE_PT else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, bold=True, size=size)
    rule = doc.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(rule, "-----")


def _block(doc: Any, block: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if isinstance(block, Heading):
        _run(doc.add_paragraph(), block.text, bold=True)
    elif isinstance(block, Body):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
        _run(paragraph, block.text)
    elif isinstance(block, Fields):
        for label, value in block.rows:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            _run(paragraph, f"{label}: ", bold=True)
            _run(paragraph, value)
    elif isinstance(block, Grid):
        _grid(doc, block)


def inspection_docx(inspection: Inspection, *, on: dt.date | None = None) -> bytes:
    """The inspection's dossier (:func:`~lantoa.plans.dossier.content.dossier_content`) as one DOCX."""
    from docx import Document as new_document

    dossier = dossier_content(inspection, on=on)
    doc = new_document()
    _setup(doc, dossier)
    _masthead(doc, dossier)
    for block in dossier.blocks:
        _block(doc, block)
    output = io.BytesIO()
    doc.save(output)
    return output.getvalue()


def dossier_docx_filename(inspection: Inspection) -> str:
    return f"kiem-tra-{inspection.pk}-ho-so.docx"
