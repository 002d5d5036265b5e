"""Certificates for a closed round's prize winners, drawn by :mod:`lantoa.core.certificates`:
one page per individual prize (the contestant, their unit, their rank) and per collective prize
(the unit, its rank), dated the day the round closed and signed as the contest says (the head of
the organising board when it says nothing).

Referral ("spreading") prizes are the whole contest's: their pages (the referrer, their unit,
the prize's rank and how many people they brought) come with the certificates of the contest's
last round, once every round has closed — the counts cannot change after that."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.contests import referrals, results
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
    if _closes_the_contest(round_):
        for winner in referrals.referral_winners(round_.contest):
            unit = winner.contestant.unit.name if winner.contestant.unit is not None else ""
            prize = _("Referral prize, rank %(rank)s") % {"rank": winner.rank}
            brought = ngettext(
                "%(count)s person brought to the contest",
                "%(count)s people brought to the contest",
                winner.referred,
            ) % {"count": winner.referred}
            heading = [*_heading(round_)[:4], ("line", _("Awarded to"))]
            pages.append(
                [*heading, ("recipient", winner.contestant.name), ("title", unit), ("prize", prize), ("line", brought)]
            )
    return pages


def _closes_the_contest(round_: Round) -> bool:
    """Whether ``round_`` is the contest's last round and every round has closed (one query)."""
    figures = round_.contest.rounds.aggregate(
        last=Max("number"), still_open=Count("pk", filter=Q(closed_at__isnull=True))
    )
    return figures["still_open"] == 0 and figures["last"] == round_.number


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
