"""The inspection's dossier as PDF, drawn with reportlab as the reports draw theirs: the same
blocks as the DOCX, on A4 with the decree's margins, in Liberation Serif (embedded,
metric-compatible with Times New Roman), pages numbered from the second."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from lantoa.core.pdf_fonts import SERIF, register_serif
from lantoa.plans.dossier.content import PARTY, Body, Dossier, Fields, Grid, Heading, dossier_content
from lantoa.plans.dossier.word import BODY_PT, HEADER_PT, LEFT_COLUMN_MM, MARGINS_MM, SMALL_PT, TEXT_WIDTH_MM, TITLE_PT
from lantoa.plans.models import Inspection

PDF_TYPE = "application/pdf"


def _style(size: float, *, align: int = 0, indent: float = 0, after: float = 0) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(name=f"p{size}-{align}-{indent}-{after}", fontName=SERIF, fontSize=size,
                          leading=size * 1.25, alignment=align, firstLineIndent=indent, spaceAfter=after)  # fmt: skip


def _markup(text: str, *, bold: bool = False, italic: bool = False, underline: bool = False) -> str:
    out = escape(text) if text else "&nbsp;"
    out = f"<u>{out}</u>" if underline else out
    out = f"<i>{out}</i>" if italic else out
    return f"<b>{out}</b>" if bold else out


def _masthead(dossier: Dossier) -> list[Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    centre = _style(HEADER_PT, align=TA_CENTER)
    left = [Paragraph(_markup(dossier.unit_name.upper(), bold=True), centre), Paragraph("*", centre)]
    right = [Paragraph(_markup(PARTY, bold=True, underline=True), centre),
             Paragraph(_markup(dossier.dated, italic=True), centre)]  # fmt: skip
    head = Table([[left, right]], colWidths=[LEFT_COLUMN_MM * mm, (TEXT_WIDTH_MM - LEFT_COLUMN_MM) * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return [
        head,
        Spacer(1, 10),
        Paragraph(_markup(dossier.title, bold=True), _style(TITLE_PT, align=TA_CENTER)),
        Paragraph(_markup(dossier.subtitle, bold=True), _style(BODY_PT, align=TA_CENTER)),
        Paragraph("-----", _style(BODY_PT, align=TA_CENTER, after=8)),
    ]


def _grid(grid: Grid) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    cell = _style(SMALL_PT - 1)
    rows = [[Paragraph(_markup(v, bold=True), cell) for v in grid.header]]
    rows += [[Paragraph(_markup(v), cell) for v in values] for values in grid.rows]
    table = Table(rows, colWidths=[share * TEXT_WIDTH_MM * mm for share in grid.shares], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#000000"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table, Spacer(1, 6)]


def _block(block: Any) -> list[Any]:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    body = _style(BODY_PT, align=TA_JUSTIFY, indent=10 * mm, after=6)
    if isinstance(block, Heading):
        return [Paragraph(_markup(block.text, bold=True), _style(BODY_PT, after=4))]
    if isinstance(block, Body):
        return [Paragraph(_markup(block.text), body)]
    if isinstance(block, Fields):
        line = _style(BODY_PT)
        return [Paragraph(f"{_markup(label + ':', bold=True)} {_markup(value)}", line) for label, value in block.rows]
    if isinstance(block, Grid):
        return _grid(block)
    return []


def _page_number(canvas: Any, doc: Any) -> None:
    """The page number at the top centre, from the second page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    if doc.page > 1:
        canvas.setFont(SERIF, BODY_PT)
        canvas.drawCentredString(A4[0] / 2 + (MARGINS_MM[2] - MARGINS_MM[3]) * mm / 2, A4[1] - 12 * mm, str(doc.page))


def inspection_pdf(inspection: Inspection, *, on: dt.date | None = None) -> bytes:
    """The inspection's dossier (:func:`~lantoa.plans.dossier.content.dossier_content`) as one PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_serif()
    dossier = dossier_content(inspection, on=on)
    top, bottom, left, right = MARGINS_MM
    output = io.BytesIO()
    template = SimpleDocTemplate(
        output, pagesize=A4, leftMargin=left * mm, rightMargin=right * mm, topMargin=top * mm,
        bottomMargin=bottom * mm, title=dossier.subtitle, lang="vi-VN",
    )  # fmt: skip
    story = _masthead(dossier)
    for block in dossier.blocks:
        story += _block(block)
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return output.getvalue()


def dossier_pdf_filename(inspection: Inspection) -> str:
    return f"kiem-tra-{inspection.pk}-ho-so.pdf"
