"""A report as PDF with reportlab: the same :class:`~.content.Document` as the DOCX, on A4 with
the decree's margins, in Liberation Serif 14 (embedded; metric-compatible with Times New Roman),
the header as a two-column table, charts as vector graphics, pages numbered from the second.
Generated numbers are links to the records behind them when the report has an address."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from lantoa.core.pdf_fonts import SERIF, register_serif
from lantoa.reports.documents import formats
from lantoa.reports.documents.charts import drawing
from lantoa.reports.documents.content import Chart, Document, Heading, Paragraph, Table
from lantoa.reports.narrative import Num

PDF_TYPE = "application/pdf"
FONT = SERIF
TEXT_WIDTH = (formats.PAGE_WIDTH_MM - formats.MARGIN_LEFT_MM - formats.MARGIN_RIGHT_MM) * mm
LEFT_COLUMN = formats.LEFT_COLUMN_MM * mm


def _register() -> None:
    register_serif()


def _style(size: float, *, align: int = TA_LEFT, indent: float = 0, after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}{align}{indent}{after}",
        fontName=FONT,
        fontSize=size,
        leading=size * 1.25,
        alignment=align,
        firstLineIndent=indent,
        spaceAfter=after,
    )


def _markup(text: str, bold: bool = False, underline: bool = False, italic: bool = False) -> str:
    out = escape(text) if text else "&nbsp;"
    if underline:
        out = f"<u>{out}</u>"
    if italic:
        out = f"<i>{out}</i>"
    if bold:
        out = f"<b>{out}</b>"
    return out


def _column(lines: list[tuple[str, bool, bool, bool]]) -> list[Flowable]:
    style = _style(formats.HEADER_PT, align=TA_CENTER)
    national = _style(formats.NATIONAL_PT, align=TA_CENTER)
    return [
        PdfParagraph(_markup(*line), national if line[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" else style)
        for line in lines
    ]


def _header(document: Document) -> Flowable:
    head = formats.header(document)
    table = PdfTable([[_column(head.left), _column(head.right)]], colWidths=[LEFT_COLUMN, TEXT_WIDTH - LEFT_COLUMN])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _parts(parts: list[str | Num]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Num):
            text = escape(part.text)
            out.append(f'<a href="{escape(part.url, {chr(34): "&quot;"})}">{text}</a>' if part.url else text)
        else:
            out.append(escape(part))
    return "".join(out)


def _table(block: Table) -> list[Flowable]:
    cell = _style(formats.SMALL_PT - 1)
    number = _style(formats.SMALL_PT - 1, align=TA_RIGHT)
    head = _style(formats.SMALL_PT - 1, align=TA_CENTER)
    rows: list[list[Flowable]] = [[PdfParagraph(_markup(v, bold=True), head) for v in block.header]]
    for values in [*block.rows, *([block.total] if block.total else [])]:
        rows.append(
            [PdfParagraph(_markup(v, bold=block.total is values), number if i else cell) for i, v in enumerate(values)]
        )
    first = TEXT_WIDTH * 0.34
    rest = (TEXT_WIDTH - first) / max(len(block.header) - 1, 1)
    table = PdfTable(rows, colWidths=[first] + [rest] * (len(block.header) - 1), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    out: list[Flowable] = []
    if block.title:
        out.append(PdfParagraph(_markup(block.title, bold=True), _style(formats.SMALL_PT, align=TA_CENTER, after=4)))
    out.append(table)
    if block.note:
        out.append(PdfParagraph(_markup(block.note, italic=True), _style(formats.SMALL_PT - 1)))
    out.append(Spacer(1, 6))
    return out


def _closing(document: Document) -> Flowable:
    text, bold, underline, italic = formats.recipients_heading(document.letterhead.format)
    small = _style(formats.SMALL_PT - 1)
    left: list[Flowable] = [PdfParagraph(_markup(text, bold, underline, italic), _style(formats.SMALL_PT))]
    left += [PdfParagraph(escape(f"- {recipient}"), small) for recipient in document.recipients]
    sign = document.signature
    centre = _style(formats.BODY_PT, align=TA_CENTER)
    right: list[Flowable] = [
        PdfParagraph(_markup(line, bold=True), centre) for line in (sign.on_behalf, sign.position) if line
    ]
    right += [Spacer(1, 60), PdfParagraph(_markup(sign.name, bold=True), centre)]
    table = PdfTable([[left, right]], colWidths=[LEFT_COLUMN + 10 * mm, TEXT_WIDTH - LEFT_COLUMN - 10 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 8), table])


def _page_number(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    """The page number at the top centre, from the second page (HD 36, NĐ 30)."""
    if doc.page > 1:
        canvas.setFont(FONT, formats.BODY_PT)
        canvas.drawCentredString(
            A4[0] / 2 + (formats.MARGIN_LEFT_MM - formats.MARGIN_RIGHT_MM) * mm / 2, A4[1] - 12 * mm, str(doc.page)
        )


def render_pdf(document: Document) -> bytes:
    _register()
    output = io.BytesIO()
    template = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=formats.MARGIN_LEFT_MM * mm,
        rightMargin=formats.MARGIN_RIGHT_MM * mm,
        topMargin=formats.MARGIN_TOP_MM * mm,
        bottomMargin=formats.MARGIN_BOTTOM_MM * mm,
        title=f"{document.title} {document.subtitle}".strip(),
        lang="vi-VN",
    )
    body = _style(formats.BODY_PT, align=TA_JUSTIFY, indent=formats.FIRST_LINE_INDENT_MM * mm, after=6)
    story: list[Flowable] = [_header(document), Spacer(1, 10)]
    for text, size in ((document.title, formats.TITLE_PT), (document.subtitle, formats.BODY_PT)):
        if text:
            story.append(PdfParagraph(_markup(text, bold=True), _style(size, align=TA_CENTER)))
    story += [PdfParagraph("-----", _style(formats.BODY_PT, align=TA_CENTER, after=8))]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(PdfParagraph(_markup(block.text, bold=True), body))
        elif isinstance(block, Paragraph):
            story.append(PdfParagraph(_parts(block.parts), body))
        elif isinstance(block, Table):
            story += _table(block)
        elif isinstance(block, Chart):
            story += [drawing(block.chart, TEXT_WIDTH, FONT), Spacer(1, 8)]
    story.append(_closing(document))
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return output.getvalue()
