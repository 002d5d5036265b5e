"""Likely duplicate contestants over the API, for those who may change the contest: the pairs
(contacts masked), marking a pair "not a duplicate", excluding a contestant from the rankings.
The same reads and services as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from lantoa.accounts.roles import Capability
from lantoa.contests import duplicates
from lantoa.contests.permissions import access_contest
from lantoa.contests.schemas import DismissIn, DuplicatesOut, ExclusionIn, ExclusionOut, Id
from lantoa.contests.services.duplicates import contestant_exclude, duplicate_dismiss
from lantoa.core.schemas import ERRORS

router = Router()


@router.get(
    "/{contest_id}/duplicates",
    response={200: DuplicatesOut, **ERRORS},
    summary="A contest's likely duplicate contestants",
    operation_id="lantoa_contests_api_duplicates",
)
def contest_duplicates(request: HttpRequest, contest_id: Id) -> Any:
    """Pairs sharing a phone or e-mail: ``same_person`` (same folded name and unit too) or
    ``same_contact`` (different names), with each one's submitted attempts."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    items = [duplicates.pair_out(pair) for pair in duplicates.duplicate_pairs(contest)]
    return {"contest": contest.pk, "items": items, "count": len(items)}


@router.post(
    "/{contest_id}/duplicates/dismissal",
    response={200: DuplicatesOut, **ERRORS},
    summary="Mark two contestants as not duplicates",
    operation_id="lantoa_contests_api_duplicate_dismiss",
)
def duplicate_dismissal(request: HttpRequest, contest_id: Id, body: DismissIn) -> Any:
    """Answers the remaining pairs."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    duplicate_dismiss(by=request.user, contest=contest, first=body.first, second=body.second)
    items = [duplicates.pair_out(pair) for pair in duplicates.duplicate_pairs(contest)]
    return {"contest": contest.pk, "items": items, "count": len(items)}


@router.post(
    "/{contest_id}/contestants/{contestant_id}/exclusion",
    response={200: ExclusionOut, **ERRORS},
    summary="Exclude a contestant from the rankings, or include them again",
    operation_id="lantoa_contests_api_contestant_exclusion",
)
def contestant_exclusion(request: HttpRequest, contest_id: Id, contestant_id: Id, body: ExclusionIn) -> Any:
    """Takes effect when each round is next closed; the attempts are kept."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    person = contestant_exclude(by=request.user, contest=contest, contestant_id=contestant_id, excluded=body.excluded)
    return {"contestant": person.pk, "excluded": person.excluded_at is not None, "excluded_at": person.excluded_at}
