"""Setting a contest up over the API (staff who record the organising unit's work): rubrics and
their versions, a contest's stages and its entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantoa.core.schemas import ERRORS
from lantoa.judging import services
from lantoa.judging.api._common import criterion_out, stage_out
from lantoa.judging.models import Rubric, Stage
from lantoa.judging.permissions import access_competition_to_run, access_organising_unit, access_rubric
from lantoa.judging.presenters import entrant_name
from lantoa.judging.schemas import (
    CriterionIn,
    EntryIn,
    EntryOut,
    Id,
    RubricIn,
    RubricOut,
    RubricVersionIn,
    StageIn,
    StageOut,
)
from lantoa.org.permissions import access_unit
from lantoa.people.permissions import access_person

router = Router()


def rubric_out(rubric: Rubric) -> dict[str, Any]:
    version = rubric.current
    criteria = list(version.criteria.order_by("position")) if version is not None else []
    return {
        "id": rubric.pk,
        "unit": rubric.unit.code,
        "name": rubric.name,
        "version": version.number if version is not None else 0,
        "criteria": [criterion_out(c) for c in criteria],
    }


def _criteria(items: list[CriterionIn]) -> list[services.CriterionData]:
    return [
        services.CriterionData(
            section=item.section,
            name=item.name,
            weight=item.weight,
            max_score=item.max_score,
            descriptors=[{"score": level.score, "text": level.text} for level in item.descriptors],
        )
        for item in items
    ]


@router.post(
    "/rubrics",
    response={201: RubricOut, **ERRORS},
    summary="Create a rubric (its first version)",
    operation_id="lantoa_judging_api_rubric_create",
)
def rubric_create(request: HttpRequest, body: RubricIn) -> Any:
    unit = access_organising_unit(by=request.user, code=body.unit)
    rubric = services.rubric_create(by=request.user, unit=unit, name=body.name, criteria=_criteria(body.criteria))
    return Status(201, rubric_out(rubric))


@router.get(
    "/rubrics/{rubric_id}",
    response={200: RubricOut, **ERRORS},
    summary="A rubric's current version",
    operation_id="lantoa_judging_api_rubric_detail",
)
def rubric_detail(request: HttpRequest, rubric_id: Id) -> Any:
    return rubric_out(access_rubric(by=request.user, pk=rubric_id))


@router.post(
    "/rubrics/{rubric_id}/versions",
    response={201: RubricOut, **ERRORS},
    summary="Revise a rubric: a new version (stages keep theirs)",
    operation_id="lantoa_judging_api_rubric_revise",
)
def rubric_revise(request: HttpRequest, rubric_id: Id, body: RubricVersionIn) -> Any:
    rubric = access_rubric(by=request.user, pk=rubric_id, run=True)
    services.rubric_revise(by=request.user, rubric=rubric, criteria=_criteria(body.criteria))
    return Status(201, rubric_out(access_rubric(by=request.user, pk=rubric_id)))


@router.post(
    "/competitions/{competition_id}/stages",
    response={201: StageOut, **ERRORS},
    summary="Add the next stage to a contest",
    operation_id="lantoa_judging_api_stage_create",
)
def stage_create(request: HttpRequest, competition_id: Id, body: StageIn) -> Any:
    """On the rubric's current version, kept by the stage from then on."""
    by = request.user
    competition = access_competition_to_run(by=by, pk=competition_id)
    unit = access_organising_unit(by=by, code=body.unit) if body.unit else competition.unit
    values = body.model_dump(exclude={"unit", "rubric"})
    stage = services.stage_create(
        by=by,
        competition=competition,
        data=services.StageData(unit=unit, rubric=access_rubric(by=by, pk=body.rubric), **values),
    )
    stage = Stage.objects.select_related("unit", "rubric_version__rubric").get(pk=stage.pk)
    return Status(201, stage_out(stage))


@router.post(
    "/competitions/{competition_id}/entries",
    response={200: EntryOut, 201: EntryOut, **ERRORS},
    summary="Enter a team or a person in a contest's first stage",
    operation_id="lantoa_judging_api_entry_create",
)
def entry_create(request: HttpRequest, competition_id: Id, body: EntryIn) -> Any:
    """201, or 200 with the existing entry when the person was already entered."""
    by = request.user
    competition = access_competition_to_run(by=by, pk=competition_id)
    unit = access_unit(by=by, code=body.unit)
    person = access_person(by=by, pk=body.person) if body.person is not None else None
    result = services.entry_create(
        by=by,
        competition=competition,
        data=services.EntryData(
            unit=unit, person=person, title=body.title, members=body.members, materials=body.materials
        ),
    )
    entry = result.obj
    out = {
        "id": entry.pk,
        "competition": competition.pk,
        "unit": entry.unit.code,
        "entrant": entrant_name(entry),
        "title": entry.title,
        "members": entry.members,
        "materials": entry.materials,
    }
    return Status(201 if result.created else 200, out)
