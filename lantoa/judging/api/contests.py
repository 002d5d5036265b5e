"""Judged contests over the API: those the caller may see, one with its stages, and creating one
(staff who record the organising unit's work)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantoa.core.schemas import ERRORS
from lantoa.judging import services
from lantoa.judging.api._common import stage_out
from lantoa.judging.models import Competition
from lantoa.judging.permissions import access_competition, access_organising_unit, competitions_visible_to
from lantoa.judging.schemas import CompetitionDetailOut, CompetitionIn, CompetitionListOut, Id

router = Router()


def competition_out(competition: Competition) -> dict[str, Any]:
    return {
        "id": competition.pk,
        "unit": competition.unit.code,
        "unit_name": competition.unit.name,
        "title": competition.title,
        "kind": competition.kind,
        "starts_on": competition.starts_on,
        "ends_on": competition.ends_on,
    }


@router.get(
    "/competitions",
    response={200: CompetitionListOut, **ERRORS},
    summary="Judged contests you may see",
    operation_id="lantoa_judging_api_competition_list",
)
def competition_list(request: HttpRequest) -> Any:
    """Contests organised in your scope, and those whose jury you sit on; newest first."""
    items = list(competitions_visible_to(request.user).select_related("unit").order_by("-starts_on", "pk")[:200])
    return {"items": [competition_out(c) for c in items], "count": len(items)}


@router.get(
    "/competitions/{competition_id}",
    response={200: CompetitionDetailOut, **ERRORS},
    summary="One judged contest with its stages",
    operation_id="lantoa_judging_api_competition_detail",
)
def competition_detail(request: HttpRequest, competition_id: Id) -> Any:
    competition = access_competition(by=request.user, pk=competition_id)
    stages = competition.stages.select_related("unit", "rubric_version__rubric").order_by("number")
    return {
        **competition_out(competition),
        "stages": [stage_out(stage) for stage in stages],
        "entries": competition.entries.count(),
    }


@router.post(
    "/competitions",
    response={201: CompetitionDetailOut, **ERRORS},
    summary="Create a judged contest",
    operation_id="lantoa_judging_api_competition_create",
)
def competition_create(request: HttpRequest, body: CompetitionIn) -> Any:
    unit = access_organising_unit(by=request.user, code=body.unit)
    competition = services.competition_create(
        by=request.user,
        data=services.CompetitionData(
            unit=unit,
            title=body.title,
            kind=body.kind,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            description=body.description,
        ),
    )
    return Status(201, competition_detail(request, competition.pk))
