"""The printed ballots: an A4 sheet of 3 × 8 ballots of 70 × 37 mm (the common office label
sheet, as the library's QR labels), each with its QR code — the public vote page with the code
filled in — and the code in large letters for those who type it."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.core.errors import NotFound
from lantoa.core.pdf_fonts import register_serif
from lantoa.core.text import fold
from lantoa.judging.audience import selectors
from lantoa.judging.audience.services import shown_ballot
from lantoa.judging.certificates import pdf_response
from lantoa.judging.models import Stage

COLUMNS, ROWS = 3, 8
PAGE_MM = (210.0, 297.0)
BALLOT_MM = (70.0, 37.0)
PADDING_MM = 2.5


def _matrix(url: str) -> list[list[int]]:
    # Level M survives a fold; the code still fits a ballot.
    return [list(row) for row in segno.make_qr(url, error="m", boost_error=False).matrix]


def _draw_qr(canvas: Any, matrix: Sequence[Sequence[int]], x: float, y: float, size: float) -> None:
    """The dark modules as filled rectangles (a row's runs merged), with two modules of margin."""
    modules = len(matrix)
    cell = size / (modules + 4)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (2 + row_index) * cell
        column = 0
        while column < modules:
            if row[column]:
                start = column
                while column < modules and row[column]:
                    column += 1
                path.rect(x + (2 + start) * cell, top - cell, (column - start) * cell, cell)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines = list(simpleSplit(" ".join(text.split()), font, size, width))
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = _fit(kept[-1] + " " + lines[max_lines], font, size, width)
    return kept


def ballots_pdf(*, stage: Stage, codes: Sequence[str], url_for: Callable[[str], str]) -> bytes:
    """The A4 PDF of ``codes``' ballots; ``url_for(code)`` is the address each QR code opens."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = register_serif()
    bold = font + "-Bold"
    buffer = io.BytesIO()
    page_w, page_h = PAGE_MM[0] * mm, PAGE_MM[1] * mm
    canvas = Canvas(buffer, pagesize=(page_w, page_h))
    canvas.setTitle(_("Audience ballots") + f" — {stage.name}")
    canvas.setCreator("Lantoa")
    ballot_w, ballot_h = BALLOT_MM[0] * mm, BALLOT_MM[1] * mm
    margin_x = (page_w - COLUMNS * ballot_w) / 2
    margin_y = (page_h - ROWS * ballot_h) / 2
    pad = PADDING_MM * mm
    qr_size = ballot_h - 2 * pad
    text_x_offset = pad + qr_size + 1.5 * mm
    text_w = ballot_w - text_x_offset - pad
    title = stage.competition.title
    per_page = COLUMNS * ROWS
    heading = _("Audience vote")
    label = _("Ballot code")
    for index, code in enumerate(codes):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        column, row = slot % COLUMNS, slot // COLUMNS
        left = margin_x + column * ballot_w
        bottom = page_h - margin_y - (row + 1) * ballot_h
        canvas.setStrokeGray(0.85)
        canvas.setLineWidth(0.3)
        canvas.rect(left, bottom, ballot_w, ballot_h, stroke=1, fill=0)
        canvas.setFillGray(0)
        _draw_qr(canvas, _matrix(url_for(code)), left + pad, bottom + pad, qr_size)
        x = left + text_x_offset
        y = bottom + ballot_h - pad - 8
        canvas.setFont(bold, 8.5)
        canvas.drawString(x, y, _fit(heading, bold, 8.5, text_w))
        y -= 9
        canvas.setFont(font, 7)
        for line in _wrap(title, font, 7, text_w, 2) + _wrap(stage.name, font, 7, text_w, 1):
            canvas.drawString(x, y, line)
            y -= 8
        canvas.setFont(font, 6.5)
        canvas.drawString(x, bottom + pad + 14, _fit(label, font, 6.5, text_w))
        canvas.setFont(bold, 12)
        canvas.drawString(x, bottom + pad + 2, shown_ballot(code))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ballots_filename(stage: Stage, batch: int | None) -> str:
    name = slugify(fold(stage.name))[:40].strip("-") or "stage"
    return f"ballots-{stage.pk}-{name}" + (f"-{batch}" if batch else "") + ".pdf"


def ballots_response(request: HttpRequest, stage: Stage, batch: int | None) -> HttpResponse:
    """The PDF of one batch (or every batch) of the stage's ballots; 404 when there is none."""
    codes = selectors.ballot_codes(stage, batch)
    if not codes:
        raise NotFound(_("No ballots have been generated for this."), extra={"batch": batch})
    base = request.build_absolute_uri(reverse("judging:vote", args=[stage.pk]))
    data = ballots_pdf(stage=stage, codes=codes, url_for=lambda code: f"{base}?ballot={code}")
    return pdf_response(data, ballots_filename(stage, batch))
