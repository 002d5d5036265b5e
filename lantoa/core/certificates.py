"""Certificates as one PDF, an A4 landscape page each, in Liberation Serif (embedded, from
:mod:`lantoa.core.pdf_fonts`) so Vietnamese diacritics print everywhere.

A page is its centred body (the issuing body, "GIẤY CHỨNG NHẬN", what it is for, to whom, the
prize) and, at the bottom right as Vietnamese documents place it, the place and date and the
signature block: the signer's role, room to sign and stamp, the signer's name. The judged
contests' and the quiz contests' certificates are both drawn here; each module says what its
pages say.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Frame, KeepInFrame, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate

from lantoa.core.pdf_fonts import register_serif

PDF_TYPE = "application/pdf"
MARGIN = 18 * mm
SIGNING_ROOM = 22 * mm  # for the signature and the stamp

Style = Literal["issuer", "heading", "line", "subject", "recipient", "title", "prize"]


@dataclass(frozen=True)
class Signature:
    """The block at the bottom right: "<place>, ngày … tháng … năm …", the role, the name."""

    place: str
    day: dt.date
    role: str
    name: str = ""


def date_line(place: str, day: dt.date) -> str:
    """ "Xã Tân Lập, ngày 05 tháng 8 năm 2026": a leading zero on days below 10 and on January
    and February (as on official documents)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _styles(font: str) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, *, bold: bool = False, italic: bool = False, after: float = 0) -> ParagraphStyle:
        face = font + ("-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else "")
        return ParagraphStyle(
            name=name, fontName=face, fontSize=size, leading=size * 1.3, alignment=TA_CENTER, spaceAfter=after
        )

    return {
        "issuer": style("issuer", 13, bold=True, after=14),
        "heading": style("heading", 32, bold=True, after=10),
        "line": style("line", 15, after=4),
        "subject": style("subject", 18, bold=True, after=10),
        "recipient": style("recipient", 24, bold=True, after=6),
        "title": style("title", 15, italic=True, after=8),
        "prize": style("prize", 22, bold=True, after=10),
        "date": style("date", 13, italic=True, after=4),
        "role": style("role", 13, bold=True),
        "signer": style("signer", 14, bold=True),
    }


def _text(value: str) -> str:
    return escape(value) if value else "&nbsp;"


def _signature_block(signature: Signature, styles: dict[str, ParagraphStyle], width: float) -> Table:
    """Two columns: nothing on the left, the date and the signature on the right half."""
    right = [
        Paragraph(_text(date_line(signature.place, signature.day)), styles["date"]),
        Paragraph(_text(signature.role.upper()), styles["role"]),
        Spacer(1, SIGNING_ROOM),
        Paragraph(_text(signature.name), styles["signer"]),
    ]
    table = Table([["", right]], colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def certificates_pdf(
    *, title: str, author: str, pages: Sequence[Sequence[tuple[Style, str]]], signature: Signature
) -> bytes:
    """The PDF: one page per item of ``pages`` (its lines, each with its style), in order, each
    ending with the same signature block. Drawn in Vietnamese whatever the reader's language."""
    font = register_serif()
    styles = _styles(font)
    buffer = io.BytesIO()
    size = landscape(A4)
    with translation.override("vi"):
        document = BaseDocTemplate(
            buffer,
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author=author,
        )
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id="page")
        document.addPageTemplates([PageTemplate(id="certificate", frames=[frame])])
        story: list = []
        for index, lines in enumerate(pages):
            if index:
                story.append(PageBreak())
            flowables: list = [Paragraph(_text(text), styles[style]) for style, text in lines]
            flowables += [Spacer(1, 6), _signature_block(signature, styles, frame._aW)]
            # A long title shrinks its page rather than spilling onto another: one page each.
            story.append(KeepInFrame(frame._aW, frame._aH, flowables, mode="shrink"))
        document.build(story)
    return buffer.getvalue()
