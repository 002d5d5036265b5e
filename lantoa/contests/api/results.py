"""A round's results over the API: the ranking (final or provisional), closing, publishing, the
units' ranking, the prizes, the item analysis, the contest's overall ranking, and the
contestant's own standing. The same reads and presenters as the pages and the exports
(:mod:`lantoa.contests.results`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from lantoa.accounts.roles import Capability
from lantoa.contests import analysis, overall, referrals, results, services
from lantoa.contests.api.attempts import _contestant
from lantoa.contests.certificates import certificates_filename
from lantoa.contests.models import Round
from lantoa.contests.permissions import access_contest, access_ranked_unit, access_round
from lantoa.contests.schemas import (
    ClosedOut,
    CloseIn,
    Id,
    ItemsOut,
    OverallOut,
    PrizesOut,
    PublishIn,
    ReferralQuery,
    ReferralsOut,
    RoundResultsOut,
    StandingOut,
    UnitQuery,
    UnitRankingOut,
    Window,
)
from lantoa.core.certificates import PDF_TYPE, pdf_response
from lantoa.core.errors import NotFound
from lantoa.core.schemas import ERRORS

router = Router()


@router.get(
    "/rounds/{round_id}/results",
    response={200: RoundResultsOut, **ERRORS},
    summary="A round's ranking",
    operation_id="lantoa_contests_api_round_results",
)
def round_results(request: HttpRequest, round_id: Id, window: Query[Window]) -> Any:
    """Final once the round closed (the stored ranking), else provisional (without the
    prediction). ``rank`` is shared by ties; ``position`` is the line's place for paging."""
    round_ = access_round(by=request.user, pk=round_id)
    year = results.results_year(round_)
    rows = results.result_rows(round_, limit=window.limit, offset=window.offset)
    return {
        "round": round_.pk,
        "final": round_.closed_at is not None,
        "count": results.result_count(round_),
        "limit": min(window.limit, results.PAGE_MAX),
        "offset": window.offset,
        "items": [results.row_out(row, year=year) for row in rows],
    }


@router.post(
    "/rounds/{round_id}/close",
    response={200: ClosedOut, **ERRORS},
    summary="Close a round and rank it",
    operation_id="lantoa_contests_api_round_close",
)
def round_close(request: HttpRequest, round_id: Id, body: CloseIn) -> Any:
    """Closes the round (or closes it again after a correction, replacing its results whole).
    409 ``round_still_open`` while attempts may still be submitted."""
    round_ = access_round(by=request.user, pk=round_id, capability=Capability.EDIT_RECORDS)
    closed = services.round_close(by=request.user, round_=round_, actual=body.actual)
    return {
        "round": closed.round.pk,
        "results": closed.results,
        "reclosed": closed.reclosed,
        "prediction_actual": closed.round.prediction_actual,
        "closed_at": closed.round.closed_at,
    }


@router.post(
    "/rounds/{round_id}/publication",
    response={200: RoundResultsOut, **ERRORS},
    summary="Publish or withdraw a round's results",
    operation_id="lantoa_contests_api_round_publish",
)
def round_publish(request: HttpRequest, round_id: Id, body: PublishIn) -> Any:
    """Publishing needs a closed round (409 ``round_not_closed``). Answers the top of the ranking."""
    round_ = access_round(by=request.user, pk=round_id, capability=Capability.EDIT_RECORDS)
    round_ = services.round_publish_results(by=request.user, round_=round_, publish=body.published)
    year = results.results_year(round_)
    return {
        "round": round_.pk,
        "final": round_.closed_at is not None,
        "count": results.result_count(round_),
        "limit": results.TOP,
        "offset": 0,
        "items": [results.row_out(row, year=year) for row in results.result_rows(round_)],
    }


@router.get(
    "/rounds/{round_id}/units",
    response={200: UnitRankingOut, **ERRORS},
    summary="A round's units ranked",
    operation_id="lantoa_contests_api_round_units",
)
def round_units(request: HttpRequest, round_id: Id, filters: Query[UnitQuery]) -> Any:
    """The children of ``unit`` (default: the organiser; as stored at closing) ranked by
    participation rate, contestants and entries, in today's structure."""
    round_ = access_round(by=request.user, pk=round_id)
    root = results.ranking_root(round_.contest, results.ranking_day(round_))
    parent = access_ranked_unit(round_=round_, code=filters.unit) if filters.unit else root
    return {
        "round": round_.pk,
        "parent": parent.code,
        "final": round_.closed_at is not None and parent.pk == root.pk,
        "items": [results.unit_out(row) for row in results.round_unit_ranking(round_, parent)],
    }


@router.get(
    "/rounds/{round_id}/prizes",
    response={200: PrizesOut, **ERRORS},
    summary="A closed round's prizes",
    operation_id="lantoa_contests_api_round_prizes",
)
def round_prizes(request: HttpRequest, round_id: Id) -> Any:
    round_ = access_round(by=request.user, pk=round_id)
    year = results.results_year(round_)
    return {
        "round": round_.pk,
        "individual": [results.row_out(row, year=year) for row in results.prize_winners(round_)],
        "collective": [results.unit_out(row) for row in results.stored_unit_ranking(round_) if row.prize],
    }


@router.get(
    "/rounds/{round_id}/certificates.pdf",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The certificates as PDF, a page per prize",
                "content": {PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Prize certificates of a closed round (PDF)",
    operation_id="lantoa_contests_api_round_certificates",
)
def round_certificates(request: HttpRequest, round_id: Id) -> Any:
    """One A4 landscape page per individual and collective prize, in Vietnamese, signed as the
    contest says; for those who may change the contest (409 ``round_open`` before the round
    closes, ``no_prizes`` when it awards none)."""
    round_ = access_round(by=request.user, pk=round_id, capability=Capability.EDIT_RECORDS)
    data = services.round_certificates(by=request.user, round_=round_)
    return pdf_response(data, certificates_filename(round_))


@router.get(
    "/rounds/{round_id}/items",
    response={200: ItemsOut, **ERRORS},
    summary="Item analysis of a round",
    operation_id="lantoa_contests_api_round_items",
)
def round_items(request: HttpRequest, round_id: Id) -> Any:
    """Facility and corrected point-biserial discrimination of every question version used;
    ``flags``: hard, easy, weak, negative."""
    round_ = access_round(by=request.user, pk=round_id)
    return {"round": round_.pk, "items": [analysis.item_out(i) for i in analysis.cached_item_analysis(round_)]}


@router.get(
    "/{contest_id}/overall",
    response={200: OverallOut, **ERRORS},
    summary="A contest's overall ranking",
    operation_id="lantoa_contests_api_overall",
)
def contest_overall(request: HttpRequest, contest_id: Id, window: Query[Window]) -> Any:
    """Over the closed rounds: total counted score, then total prediction closeness, total time
    taken, the latest counted submission; ties share a rank. The same lines as the page and the
    export."""
    contest = access_contest(by=request.user, pk=contest_id)
    year = overall.overall_year(contest)
    rows = overall.overall_ranking(contest, limit=window.limit, offset=window.offset)
    return {
        "contest": contest.pk,
        "count": overall.overall_count(contest),
        "limit": min(window.limit, results.PAGE_MAX),
        "offset": window.offset,
        "items": [overall.overall_out(row, year=year) for row in rows],
    }


@router.get(
    "/{contest_id}/referrals",
    response={200: ReferralsOut, **ERRORS},
    summary="A contest's referral ranking",
    operation_id="lantoa_contests_api_referrals",
)
def contest_referrals(request: HttpRequest, contest_id: Id, filters: Query[ReferralQuery]) -> Any:
    """Referrers by the people registered with their code who submitted an attempt, in the
    contest or in round ``round``; the contest's top ``referral_prizes`` take its referral prizes."""
    contest = access_contest(by=request.user, pk=contest_id)
    round_ = referrals.round_numbered(contest, filters.round)
    year = overall.overall_year(contest)
    rows = referrals.referral_ranking(contest, round_=round_, limit=filters.limit)
    return {
        "contest": contest.pk,
        "round": round_.number if round_ is not None else None,
        "referral_prizes": contest.referral_prizes,
        "items": [referrals.referral_out(row, year=year) for row in rows],
    }


@router.get(
    "/rounds/{round_id}/standing",
    response={200: StandingOut, **ERRORS},
    summary="The contestant's own rank in a round",
    operation_id="lantoa_contests_api_round_standing",
    auth=None,
)
def round_standing(request: HttpRequest, round_id: Id) -> Any:
    """For the contestant whose key is sent: final once the round closed, else provisional."""
    contestant = _contestant(request)
    # Read, not cached: whether the round has closed decides between the final and provisional rank.
    round_ = Round.objects.filter(pk=round_id, contest_id=contestant.contest_id).first()
    if round_ is None:
        raise NotFound(_("No such round."), extra={"id": round_id})
    standing = results.own_standing(round_, contestant.pk)
    return {
        "round": round_.pk,
        "final": standing.final,
        "rank": standing.rank,
        "score": standing.score,
        "entries": standing.entries,
        "prize": standing.prize,
    }
