"""Referral ("spreading") rankings: referrers by the number of contestants they brought — people
registered with their referral code who submitted at least one attempt (in a round, or anywhere
in the contest). One grouped query over the submitted attempts, then the page's referrers; the
contest's top ``referral_prizes`` places (ties sharing the last) take its referral prizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from lantoa.contests.models import Attempt, Contest, Contestant, Round
from lantoa.contests.results import PAGE_MAX, TOP, public_name
from lantoa.core.errors import NotFound


@dataclass
class ReferralRow:
    rank: int
    contestant: Contestant
    referred: int
    prize: bool


def referral_ranking(contest: Contest, *, round_: Round | None = None, limit: int = TOP) -> list[ReferralRow]:
    """The top ``limit`` referrers of the contest (or of one round), most referred first; ties
    share a rank, and are listed by the referrer's id. Two queries."""
    attempts = Attempt.objects.filter(
        round__contest_id=contest.pk, submitted_at__isnull=False, contestant__referred_by__isnull=False
    )
    if round_ is not None:
        attempts = attempts.filter(round_id=round_.pk)
    counted = list(
        attempts.values("contestant__referred_by")
        .annotate(referred=Count("contestant_id", distinct=True))
        .order_by("-referred", "contestant__referred_by")[: max(0, min(limit, PAGE_MAX))]
    )
    people = Contestant.objects.select_related("unit").in_bulk([row["contestant__referred_by"] for row in counted])
    rows: list[ReferralRow] = []
    for index, row in enumerate(counted):
        tied = index and counted[index - 1]["referred"] == row["referred"]
        rank = rows[-1].rank if tied else index + 1
        prize = round_ is None and rank <= contest.referral_prizes
        rows.append(ReferralRow(rank, people[row["contestant__referred_by"]], row["referred"], prize))
    return rows


def referral_winners(contest: Contest) -> list[ReferralRow]:
    """Everyone taking one of the contest's referral prizes (the top ``referral_prizes`` places,
    ties at the last place sharing it), best first: two queries, whatever the number of
    referrers."""
    if contest.referral_prizes <= 0:
        return []
    counted = (
        Attempt.objects.filter(
            round__contest_id=contest.pk, submitted_at__isnull=False, contestant__referred_by__isnull=False
        )
        .values("contestant__referred_by")
        .annotate(referred=Count("contestant_id", distinct=True))
        .order_by("-referred", "contestant__referred_by")
    )
    kept: list[tuple[int, int, int]] = []  # (rank, referrer id, referred)
    for index, row in enumerate(counted.iterator()):
        referred = int(row["referred"])
        rank = kept[-1][0] if kept and kept[-1][2] == referred else index + 1
        if rank > contest.referral_prizes:
            break
        kept.append((rank, row["contestant__referred_by"] or 0, referred))
    people = Contestant.objects.select_related("unit").in_bulk([pk for _rank, pk, _n in kept])
    return [ReferralRow(rank, people[pk], referred, True) for rank, pk, referred in kept]


def round_numbered(contest: Contest, number: int | None) -> Round | None:
    """The contest's round numbered ``number`` (None for none asked; 404 for one that is not)."""
    if number is None:
        return None
    found = Round.objects.filter(contest_id=contest.pk, number=number).first()
    if found is None:
        raise NotFound(_("No such round."), extra={"round": number})
    return found


def referred_count(contestant: Contestant) -> int:
    """How many people registered with the contestant's code have submitted an attempt."""
    return (
        Attempt.objects.filter(contestant__referred_by_id=contestant.pk, submitted_at__isnull=False)
        .values("contestant_id")
        .distinct()
        .count()
    )


def referral_out(row: ReferralRow, *, year: int) -> dict[str, Any]:
    unit = row.contestant.unit
    return {
        "rank": row.rank,
        "contestant": row.contestant.pk,
        "name": row.contestant.name,
        "public_name": public_name(row.contestant, year),
        "unit": unit.code if unit is not None else None,
        "unit_name": unit.name if unit is not None else "",
        "referred": row.referred,
        "prize": row.prize,
    }
