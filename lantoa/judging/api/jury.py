"""A stage's jury over the API, each member with the entries they may not score: adding a
member, and declaring a conflict of interest on behalf of a juror or an entrant."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantoa.core.schemas import ERRORS
from lantoa.judging import selectors, services
from lantoa.judging.models import Stage
from lantoa.judging.permissions import access_entry_to_run, access_stage
from lantoa.judging.schemas import ConflictIn, Id, JurorIn, JuryOut
from lantoa.org.permissions import access_unit
from lantoa.people.permissions import access_person

router = Router()


def _jury(stage: Stage) -> dict[str, Any]:
    items = [
        {
            "id": member.pk,
            "person": member.person_id,
            "name": member.person.full_name,
            "role": member.role,
            "unit": member.unit.code,
            "conflicts": conflicts,
        }
        for member, conflicts in selectors.jury_with_conflicts(stage)
    ]
    return {"items": items, "count": len(items)}


@router.get(
    "/stages/{stage_id}/jurors",
    response={200: JuryOut, **ERRORS},
    summary="A stage's jury, each with the entries they may not score",
    operation_id="lantoa_judging_api_jury",
)
def jury(request: HttpRequest, stage_id: Id) -> Any:
    return _jury(access_stage(by=request.user, pk=stage_id))


@router.post(
    "/stages/{stage_id}/jurors",
    response={200: JuryOut, 201: JuryOut, **ERRORS},
    summary="Add a person to a stage's jury",
    operation_id="lantoa_judging_api_juror_add",
)
def juror_add(request: HttpRequest, stage_id: Id, body: JurorIn) -> Any:
    """The person must have a user account (422 otherwise); answers the jury with each member's
    number of conflicting entries."""
    by = request.user
    stage = access_stage(by=by, pk=stage_id, run=True)
    person = access_person(by=by, pk=body.person)
    unit = access_unit(by=by, code=body.unit) if body.unit else None
    result = services.jury_member_add(by=by, stage=stage, person=person, role=body.role, unit=unit)
    return Status(201 if result.created else 200, _jury(stage))


@router.post(
    "/entries/{entry_id}/conflicts",
    response={200: JuryOut, 201: JuryOut, **ERRORS},
    summary="Declare a conflict of interest between a juror and an entry",
    operation_id="lantoa_judging_api_conflict_declare",
)
def conflict_declare(request: HttpRequest, entry_id: Id, body: ConflictIn) -> Any:
    """Recorded by staff on behalf of the juror or the entrant; answers the jury of the entry's
    first stage with the conflicts counted again."""
    by = request.user
    entry = access_entry_to_run(by=by, pk=entry_id)
    person = access_person(by=by, pk=body.person)
    result = services.conflict_declare(
        by=by, person=person, entry=entry, declared_by=body.declared_by, reason=body.reason
    )
    stage = entry.stages.select_related("stage").order_by("stage__number").first()
    answer = _jury(stage.stage) if stage is not None else {"items": [], "count": 0}
    return Status(201 if result.created else 200, answer)
