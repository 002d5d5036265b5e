"""The printed cards of a token batch: an A4 sheet of 3 × 4 cards, each with a QR code that opens
the answer page and the code printed below it (for phones without a camera). Drawn with ReportLab:
the QR codes are vector squares, the text is Liberation Serif (Vietnamese letters).

A card carries the survey's title and the code, nothing else: not the unit (the issuer knows it;
a card passed on should not tell where it came from), not a number in the batch.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import segno
from django.utils.translation import gettext as _

from lantoa.core.pdf_fonts import register_serif

COLUMNS = 3
ROWS = 4
PER_PAGE = COLUMNS * ROWS


def _draw_qr(canvas: object, matrix: Sequence[Sequence[int]], x: float, y: float, size: float) -> None:
    modules = len(matrix)
    cell = size / modules
    path = canvas.beginPath()  # type: ignore[attr-defined]
    for row_index, row in enumerate(matrix):
        top = y + size - row_index * cell
        column = 0
        while column < modules:
            if row[column]:
                start = column
                while column < modules and row[column]:
                    column += 1
                path.rect(x + start * cell, top - cell, (column - start) * cell, cell)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)  # type: ignore[attr-defined]


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def cards_pdf(*, title: str, codes: Sequence[str], url_for: Callable[[str], str], code_page: str) -> bytes:
    """The sheet for ``codes``; ``url_for(code)`` is a card's answer address, ``code_page`` the
    page where a code is typed by hand."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = register_serif()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    page_width, page_height = A4
    margin = 10 * mm
    card_width = (page_width - 2 * margin) / COLUMNS
    card_height = (page_height - 2 * margin) / ROWS
    qr_size = 40 * mm
    for index, code in enumerate(codes):
        if index and index % PER_PAGE == 0:
            canvas.showPage()
        slot = index % PER_PAGE
        column, row = slot % COLUMNS, slot // COLUMNS
        x = margin + column * card_width
        y = page_height - margin - (row + 1) * card_height
        canvas.setDash(2, 3)
        canvas.setLineWidth(0.3)
        canvas.rect(x, y, card_width, card_height, stroke=1, fill=0)
        canvas.setDash()
        inner = card_width - 8 * mm
        canvas.setFont(font + "-Bold", 9)
        canvas.drawCentredString(x + card_width / 2, y + card_height - 8 * mm, _fit(title, font + "-Bold", 9, inner))
        canvas.setFont(font, 7.5)
        canvas.drawCentredString(
            x + card_width / 2,
            y + card_height - 12 * mm,
            _fit(_("Anonymous survey: scan the code to answer"), font, 7.5, inner),
        )
        matrix = segno.make_qr(url_for(code), error="m", boost_error=False).matrix
        _draw_qr(canvas, matrix, x + (card_width - qr_size) / 2, y + 14 * mm, qr_size)
        canvas.setFont(font + "-Bold", 13)
        canvas.drawCentredString(x + card_width / 2, y + 8 * mm, f"{code[:5]} {code[5:]}")
        canvas.setFont(font, 6.5)
        canvas.drawCentredString(
            x + card_width / 2,
            y + 4 * mm,
            _fit(_("or type the code at %(page)s") % {"page": code_page}, font, 6.5, inner),
        )
    if not codes:
        canvas.setFont(font, 11)
        canvas.drawString(margin, page_height - margin - 12, _("Every card of this batch has been used."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
