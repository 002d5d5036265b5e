"""Certificates for a stage's prize winners: one PDF, one A4 landscape page per winner, in
Vietnamese and Liberation Serif (embedded, from :mod:`lantoa.core.pdf_fonts`).

Each page: the heading "GIẤY CHỨNG NHẬN", the competition, the stage, the entry's title, the
entrant (the person, or the team of a unit), the prize, the place (the stage's organising unit)
and the date (the day the results were published, else computed), and the signature block of
the jury's chair. The texts are translated, and drawn under ``translation.override("vi")``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Frame, KeepInFrame, PageBreak, Paragraph, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate

from lantoa.core.pdf_fonts import register_serif
from lantoa.judging.models import EntryStage, JuryMember, Stage
from lantoa.judging.presenters import entrant_name

PDF_TYPE = "application/pdf"
MARGIN = 18 * mm


@dataclass(frozen=True)
class Certificate:
    competition: str
    stage: str
    title: str
    entrant: str
    prize: str


def certificates_filename(stage: Stage) -> str:
    return f"certificates-stage-{stage.pk}.pdf"


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def certificate_day(stage: Stage) -> dt.date:
    """The date on the certificates: the results' publication, else their computation."""
    moment = stage.results_published_at or stage.results_computed_at or timezone.now()
    return timezone.localdate(moment)


def date_line(place: str, day: dt.date) -> str:
    """ "Xã Tân Lập, ngày 05 tháng 8 năm 2026": a leading zero on days below 10 and on January
    and February (as on the reports' documents)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def certificates_of(rows: Sequence[EntryStage], stage: Stage) -> list[Certificate]:
    return [
        Certificate(
            competition=stage.competition.title,
            stage=stage.name,
            title=row.entry.title,
            entrant=entrant_name(row.entry),
            prize=row.prize,
        )
        for row in rows
    ]


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
        "competition": style("competition", 18, bold=True, after=10),
        "entrant": style("entrant", 24, bold=True, after=6),
        "title": style("title", 15, italic=True, after=8),
        "prize": style("prize", 22, bold=True, after=14),
        "date": style("date", 13, italic=True, after=4),
        "role": style("role", 13, bold=True, after=36),
        "signer": style("signer", 14, bold=True),
    }


def _text(value: str) -> str:
    return escape(value) if value else "&nbsp;"


def draw(
    *, stage: Stage, certificates: Sequence[Certificate], chair: JuryMember | None, issuer: str, day: dt.date
) -> bytes:
    """The PDF: one page per certificate, in the order given."""
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
            title=_("Certificates: %(stage)s") % {"stage": str(stage)},
            author=issuer,
        )
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id="page")
        document.addPageTemplates([PageTemplate(id="certificate", frames=[frame])])
        story: list = []
        signer = chair.person.full_name if chair is not None else ""
        for index, item in enumerate(certificates):
            if index:
                story.append(PageBreak())
            page = [
                Paragraph(_text(issuer.upper()), styles["issuer"]),
                Paragraph(_text(_("CERTIFICATE")), styles["heading"]),
                Paragraph(_text(_("In the contest")), styles["line"]),
                Paragraph(_text(item.competition), styles["competition"]),
                Paragraph(_text(_("Stage: %(stage)s") % {"stage": item.stage}), styles["line"]),
                Paragraph(_text(_("Awarded to")), styles["line"]),
                Paragraph(_text(item.entrant), styles["entrant"]),
                Paragraph(_text(_("for the entry “%(title)s”") % {"title": item.title}), styles["title"]),
                Paragraph(_text(item.prize), styles["prize"]),
                Spacer(1, 6),
                Paragraph(_text(date_line(issuer, day)), styles["date"]),
                Paragraph(_text(_("CHAIR OF THE JURY")), styles["role"]),
                Paragraph(_text(signer), styles["signer"]),
            ]
            # A long title shrinks its page rather than spilling onto another: one page each.
            story.append(KeepInFrame(frame._aW, frame._aH, page, mode="shrink"))
        document.build(story)
    return buffer.getvalue()
