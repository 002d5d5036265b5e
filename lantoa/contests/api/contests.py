"""Contests and their rounds over the API, for organisers: the list, creating one, one contest,
changing it, adding a round, one round, changing it and its live figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.contests import selectors, services
from lantoa.contests.models import Contest, Round
from lantoa.contests.permissions import (
    access_bank,
    access_contest,
    access_organising_unit,
    access_round,
    may_change_contest,
)
from lantoa.contests.schemas import (
    BankQuery,
    ContestDetailOut,
    ContestIn,
    ContestListOut,
    ContestPatch,
    Id,
    RoundFiguresOut,
    RoundIn,
    RoundOut,
    RoundPatch,
)
from lantoa.core.schemas import ERRORS, page

router = Router()


def contest_out(contest: Contest, *, may_change: bool) -> dict[str, Any]:
    return {
        "id": contest.pk,
        "unit": contest.unit.code,
        "unit_name": contest.unit.name,
        **{name: getattr(contest, name) for name in services.CONTEST_FIELDS},
        "may_change": may_change,
        "created_at": contest.created_at,
        "updated_at": contest.updated_at,
    }


def round_out(round_: Round) -> dict[str, Any]:
    fields = (
        "number",
        "title",
        "opens_at",
        "closes_at",
        "window_start",
        "window_end",
        "weekdays",
        "questions_per_attempt",
        "draw_rules",
        "time_limit_seconds",
        "grace_seconds",
        "attempts_allowed",
        "prediction_kind",
        "prediction_prompt",
        "prediction_actual",
        "closed_at",
        "ranking_order",
        "results_published_at",
    )
    return {"id": round_.pk, "contest": round_.contest_id, "bank": round_.bank_id} | {
        name: getattr(round_, name) for name in fields
    }


def _detail(by: Any, contest: Contest) -> dict[str, Any]:
    return {
        **contest_out(contest, may_change=may_change_contest(by, contest)),
        "rounds": [round_out(r) for r in selectors.contest_rounds(contest)],
    }


@router.get(
    "",
    response={200: ContestListOut, **ERRORS},
    summary="Contests in your scope",
    operation_id="lantoa_contests_api_contest_list",
)
def contest_list(request: HttpRequest, filters: Query[BankQuery]) -> Any:
    """Contests organised by the units in your scope, newest first (``q``: part of the title)."""
    contests = selectors.contest_list_for_user(request.user, q=filters.q)
    window = page(contests, limit=filters.limit, offset=filters.offset)
    window["items"] = [contest_out(c, may_change=may_change_contest(request.user, c)) for c in window["items"]]
    return window


@router.post(
    "",
    response={200: ContestDetailOut, 201: ContestDetailOut, **ERRORS},
    summary="Create a contest",
    operation_id="lantoa_contests_api_contest_create",
)
def contest_create(request: HttpRequest, body: ContestIn) -> Any:
    """A contest organised by ``unit``. Answers 201, or 200 with the first contest when the same
    ``client_key`` was already received for the unit. Needs the right to record the unit's work."""
    by = request.user
    unit = access_organising_unit(
        by=by, code=body.unit, refusal=_("Your role does not allow organising contests for this unit.")
    )
    values = body.model_dump()
    values["unit"] = unit
    result = services.contest_create(by=by, data=services.ContestData(**values))
    return Status(201 if result.created else 200, _detail(by, result.obj))


@router.get(
    "/{contest_id}",
    response={200: ContestDetailOut, **ERRORS},
    summary="One contest with its rounds",
    operation_id="lantoa_contests_api_contest_detail",
)
def contest_detail(request: HttpRequest, contest_id: Id) -> Any:
    return _detail(request.user, access_contest(by=request.user, pk=contest_id))


@router.patch(
    "/{contest_id}",
    response={200: ContestDetailOut, **ERRORS},
    summary="Change a contest",
    operation_id="lantoa_contests_api_contest_update",
)
def contest_update(request: HttpRequest, contest_id: Id, body: ContestPatch) -> Any:
    """Only the fields sent change; ``min_age`` sent as null removes the minimum age."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    changes = body.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "min_age"}
    contest = services.contest_update(by=request.user, contest=contest, changes=changes)
    return _detail(request.user, contest)


@router.post(
    "/{contest_id}/rounds",
    response={201: RoundOut, **ERRORS},
    summary="Add a round to a contest",
    operation_id="lantoa_contests_api_round_create",
)
def round_create(request: HttpRequest, contest_id: Id, body: RoundIn) -> Any:
    """A round drawing from ``bank`` (a bank you may read). Numbered after the last when
    ``number`` is not sent; a number already used answers 409 ``round_number_taken``."""
    by = request.user
    contest = access_contest(by=by, pk=contest_id, capability=Capability.EDIT_RECORDS)
    values = body.model_dump()
    values["bank"] = access_bank(by=by, pk=body.bank)
    round_ = services.round_create(by=by, contest=contest, data=services.RoundData(**values))
    return Status(201, round_out(round_))


@router.get(
    "/rounds/{round_id}",
    response={200: RoundOut, **ERRORS},
    summary="One round",
    operation_id="lantoa_contests_api_round_detail",
)
def round_detail(request: HttpRequest, round_id: Id) -> Any:
    return round_out(access_round(by=request.user, pk=round_id))


@router.patch(
    "/rounds/{round_id}",
    response={200: RoundOut, **ERRORS},
    summary="Change a round",
    operation_id="lantoa_contests_api_round_update",
)
def round_update(request: HttpRequest, round_id: Id, body: RoundPatch) -> Any:
    """Only the fields sent change; the daily window's ends sent as null remove the window. The
    bank can no longer change once attempts were made (409 ``round_started``)."""
    by = request.user
    round_ = access_round(by=by, pk=round_id, capability=Capability.EDIT_RECORDS)
    changes = body.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k in {"window_start", "window_end"}}
    if "bank" in changes:
        changes["bank"] = access_bank(by=by, pk=changes["bank"])
    return round_out(services.round_update(by=by, round_=round_, changes=changes))


@router.get(
    "/rounds/{round_id}/figures",
    response={200: RoundFiguresOut, **ERRORS},
    summary="A round's live figures",
    operation_id="lantoa_contests_api_round_figures",
)
def round_figures(request: HttpRequest, round_id: Id) -> Any:
    """Attempts started, entries (attempts submitted) and distinct contestants, in all and by
    the attempts' units."""
    return selectors.round_figures(access_round(by=request.user, pk=round_id))
