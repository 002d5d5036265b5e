"""Certificates for a closed round's prize winners, drawn by :mod:`lantoa.core.certificates`:
one page per individual prize (the contestant, their unit, their rank) and per collective prize
(the unit, its rank), dated the day the round closed and signed as the contest says (the head of
the organising board when it says nothing)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.contests import results
from lantoa.contests.models import Round
from lantoa.core.certificates import Signature, Style, certificates_pdf


def certificates_filename(round_: Round) -> str:
    return f"certificates-round-{round_.pk}.pdf"


def _heading(round_: Round) -> list[tuple[Style, str]]:
    contest = round_.contest
    return [
        ("issuer", contest.unit.name.upper()),
        ("heading", _("CERTIFICATE")),
        ("line", _("In the contest")),
        ("subject", contest.title),
        ("line", round_.title or _("Round %(number)s") % {"number": round_.number}),
        ("line", _("Awarded to")),
    ]


def round_certificate_pages(round_: Round) -> list[list[tuple[Style, str]]]:
    """The pages of a closed round's prizes, individual ones first, in rank order."""
    pages = []
    for row in results.prize_winners(round_):
        unit = row.unit.name if row.unit is not None else ""
        prize = _("Individual prize, rank %(rank)s") % {"rank": row.rank}
        pages.append([*_heading(round_), ("recipient", row.contestant.name), ("title", unit), ("prize", prize)])
    for unit_row in results.stored_unit_ranking(round_):
        if unit_row.prize:
            prize = _("Collective prize, rank %(rank)s") % {"rank": unit_row.rank}
            pages.append([*_heading(round_), ("recipient", unit_row.unit.name), ("prize", prize)])
    return pages


def round_certificates_pdf(round_: Round, pages: list[list[tuple[Style, str]]]) -> bytes:
    contest = round_.contest
    with translation.override("vi"):
        role = contest.signer_role or _("HEAD OF THE ORGANISING BOARD")
        title = _("Certificates: %(round)s") % {"round": f"{contest.title} — {round_}"}
    signature = Signature(
        place=contest.unit.name,
        day=timezone.localdate(round_.closed_at or timezone.now()),
        role=role,
        name=contest.signer_name,
    )
    return certificates_pdf(title=title, author=contest.unit.name, pages=pages, signature=signature)
