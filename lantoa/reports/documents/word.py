"""A report as DOCX with python-docx: A4, the decree's margins, Times New Roman 14, the Party's
or the State's header as a borderless two-column table, the body, tables with a grid, charts as
PNG pictures, and the recipients beside the signature. Every generated number is a hyperlink to
the records behind it when the report has an address to link to (kept black and not underlined,
so the printed page reads as typed); without an address it is a plain number.

Only the document's default styles are used (Normal, Table Grid), so Word and LibreOffice open
and edit the file without surprises."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from lantoa.reports.documents import formats
from lantoa.reports.documents.charts import png
from lantoa.reports.documents.content import Chart, Document, Heading, Paragraph, Table
from lantoa.reports.narrative import Num

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_WIDTH_MM = formats.PAGE_WIDTH_MM - formats.MARGIN_LEFT_MM - formats.MARGIN_RIGHT_MM
LEFT_COLUMN_MM = formats.LEFT_COLUMN_MM
RIGHT_COLUMN_MM = TEXT_WIDTH_MM - LEFT_COLUMN_MM


def _set_fonts(element: object, name: str) -> None:
    """Every script slot of a run's or style's fonts, so Vietnamese letters keep the font."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _line(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    underline: bool = False,
    italic: bool = False,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.underline = underline or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)


def _hyperlink(paragraph: DocxParagraph, url: str, text: str) -> None:
    """A run inside a ``w:hyperlink`` to an external address (python-docx has no call for it)."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _column(cell: _Cell, lines: list[tuple[str, bool, bool, bool]], size: float) -> None:
    first = True
    for text, bold, underline, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        national = text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        _line(
            paragraph,
            text,
            bold=bold,
            underline=underline,
            italic=italic,
            size=formats.NATIONAL_PT if national else size,
        )


def _widths(table: object, widths_mm: list[float]) -> None:
    """Column widths in the grid (which LibreOffice reads) and on every cell (which Word reads)."""
    for column, width in zip(table.columns, widths_mm, strict=True):  # type: ignore[attr-defined]
        column.width = Mm(width)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _header(doc: object, document: Document) -> None:
    head = formats.header(document)
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.autofit = False
    _widths(table, [LEFT_COLUMN_MM, RIGHT_COLUMN_MM])
    _column(table.cell(0, 0), head.left, formats.HEADER_PT)
    _column(table.cell(0, 1), head.right, formats.HEADER_PT)


def _title(doc: object, document: Document) -> None:
    for index, (text, size) in enumerate(((document.title, formats.TITLE_PT), (document.subtitle, formats.BODY_PT))):
        if not text:
            continue
        paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12 if index == 0 else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        _line(paragraph, text, bold=True, size=size)
    rule = doc.add_paragraph()  # type: ignore[attr-defined]
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(rule, "-----")


def _body_paragraph(doc: object) -> DocxParagraph:
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(formats.FIRST_LINE_INDENT_MM)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def _table(doc: object, block: Table) -> None:
    if block.title:
        caption = doc.add_paragraph()  # type: ignore[attr-defined]
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(caption, block.title, bold=True, size=formats.SMALL_PT)
    rows = [block.header, *block.rows, *([block.total] if block.total else [])]
    table = doc.add_table(rows=len(rows), cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    first = TEXT_WIDTH_MM * 0.34  # the units' names; the figures share the rest
    rest = (TEXT_WIDTH_MM - first) / max(len(block.header) - 1, 1)
    _widths(table, [first] + [rest] * (len(block.header) - 1))
    # The header row repeats at the top of every page the table runs onto.
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    last = len(rows) - 1
    # Row by row (``table.cell(r, c)`` walks the whole grid on each call: quadratic).
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if c > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            bold = r == 0 or (block.total is not None and r == last)
            _line(paragraph, value, bold=bold, size=formats.SMALL_PT)
    if block.note:
        note = doc.add_paragraph()  # type: ignore[attr-defined]
        _line(note, block.note, italic=True, size=formats.SMALL_PT)


def _chart(doc: object, block: Chart) -> None:
    width_pt = Mm(TEXT_WIDTH_MM - 10).pt
    picture = doc.add_paragraph()  # type: ignore[attr-defined]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(png(block.chart, width_pt=width_pt)), width=Mm(TEXT_WIDTH_MM - 10))


def _closing(doc: object, document: Document) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.autofit = False
    _widths(table, [LEFT_COLUMN_MM + 10, RIGHT_COLUMN_MM - 10])
    left, right = table.cell(0, 0), table.cell(0, 1)
    text, bold, underline, italic = formats.recipients_heading(document.letterhead.format)
    heading = left.paragraphs[0]
    heading.paragraph_format.space_after = Pt(0)
    _line(heading, text, bold=bold, underline=underline, italic=italic, size=formats.SMALL_PT)
    for recipient in document.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _line(paragraph, f"- {recipient}", size=formats.SMALL_PT - 1)
    sign = document.signature
    lines = [(sign.on_behalf, True), (sign.position, True), ("", False), ("", False), ("", False), (sign.name, True)]
    first = True
    for value, bold in lines:
        if not value and bold:
            continue
        paragraph = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _line(paragraph, value, bold=bold)


def _page_numbers(section: object) -> None:
    """The page number at the top centre from the second page (HD 36, NĐ 30): a PAGE field in
    the header, none on the first page."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(document: Document) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(formats.PAGE_WIDTH_MM), Mm(formats.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(formats.MARGIN_TOP_MM), Mm(formats.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(formats.MARGIN_LEFT_MM), Mm(formats.MARGIN_RIGHT_MM)
    _page_numbers(section)
    normal = doc.styles["Normal"]
    normal.font.name = formats.FONT_NAME
    normal.font.size = Pt(formats.BODY_PT)
    _set_fonts(normal.element, formats.FONT_NAME)
    doc.core_properties.title = f"{document.title} {document.subtitle}".strip()
    doc.core_properties.language = "vi-VN"

    _header(doc, document)
    _title(doc, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = _body_paragraph(doc)
            _line(paragraph, block.text, bold=True)
        elif isinstance(block, Paragraph):
            paragraph = _body_paragraph(doc)
            for part in block.parts:
                if isinstance(part, Num) and part.url:
                    _hyperlink(paragraph, part.url, part.text)
                else:
                    _line(paragraph, part.text if isinstance(part, Num) else part)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
    _closing(doc, document)
    output = io.BytesIO()
    doc.save(output)
    return output.getvalue()
