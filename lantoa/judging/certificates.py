"""Certificates for a stage's prize winners: one PDF, one A4 landscape page per winner
(drawn by :mod:`lantoa.core.certificates`).

Each page: the stage's organising unit, the heading "GIẤY CHỨNG NHẬN", the competition, the
stage, the entrant (the person, or the team of a unit), the entry's title and the prize; at the
bottom right the place and date (the day the results were published, else computed) and the
signature block of the jury's chair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.core.certificates import PDF_TYPE, Signature, Style, certificates_pdf, pdf_response
from lantoa.judging.models import EntryStage, JuryMember, Stage
from lantoa.judging.presenters import entrant_name

__all__ = [
    "PDF_TYPE",
    "Certificate",
    "certificate_day",
    "certificates_filename",
    "certificates_of",
    "draw",
    "pdf_response",
]


@dataclass(frozen=True)
class Certificate:
    competition: str
    stage: str
    title: str
    entrant: str
    prize: str


def certificates_filename(stage: Stage) -> str:
    return f"certificates-stage-{stage.pk}.pdf"


def certificate_day(stage: Stage) -> dt.date:
    """The date on the certificates: the results' publication, else their computation."""
    moment = stage.results_published_at or stage.results_computed_at or timezone.now()
    return timezone.localdate(moment)


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


def _page(item: Certificate, issuer: str) -> list[tuple[Style, str]]:
    return [
        ("issuer", issuer.upper()),
        ("heading", _("CERTIFICATE")),
        ("line", _("In the contest")),
        ("subject", item.competition),
        ("line", _("Stage: %(stage)s") % {"stage": item.stage}),
        ("line", _("Awarded to")),
        ("recipient", item.entrant),
        ("title", _("for the entry “%(title)s”") % {"title": item.title}),
        ("prize", item.prize),
    ]


def draw(
    *, stage: Stage, certificates: Sequence[Certificate], chair: JuryMember | None, issuer: str, day: dt.date
) -> bytes:
    """The PDF: one page per certificate, in the order given."""
    with translation.override("vi"):
        pages = [_page(item, issuer) for item in certificates]
        title = _("Certificates: %(stage)s") % {"stage": str(stage)}
        role = _("CHAIR OF THE JURY")
    signature = Signature(place=issuer, day=day, role=role, name=chair.person.full_name if chair else "")
    return certificates_pdf(title=title, author=issuer, pages=pages, signature=signature)
