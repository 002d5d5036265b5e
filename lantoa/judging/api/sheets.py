"""A juror's score sheets over the API: only the sheets assigned to the caller (the chair also
reads the stage's, and reopens them). A score above the criterion's maximum answers 422 and
stores nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantoa.core.schemas import ERRORS
from lantoa.judging import selectors, services
from lantoa.judging.api._common import criterion_out
from lantoa.judging.models import ScoreSheet
from lantoa.judging.permissions import access_sheet, blind_for
from lantoa.judging.presenters import sheet_entry
from lantoa.judging.schemas import Id, ReasonIn, ScoreIn, ScoreOut, SheetListOut, SheetOut

router = Router()


def sheet_out(sheet: ScoreSheet, *, by: Any) -> dict[str, Any]:
    criteria, scores = selectors.sheet_with_scores(sheet)
    blind = blind_for(by, sheet)
    title, entrant, materials = sheet_entry(sheet, blind=blind)
    return {
        "id": sheet.pk,
        "stage": sheet.stage_id,
        "stage_name": sheet.stage.name,
        "competition": sheet.stage.competition.title,
        "entry": sheet.entry_id,
        "entry_title": title,
        "entrant": entrant,
        "materials": materials,
        "blind": blind,
        "status": sheet.status,
        "is_extra": sheet.is_extra,
        "total": sheet.total,
        "submitted_at": sheet.submitted_at,
        "criteria": [criterion_out(c) for c in criteria],
        "scores": [{"criterion": pk, "value": score.value} for pk, score in scores.items()],
    }


@router.get(
    "/sheets",
    response={200: SheetListOut, **ERRORS},
    summary="Your score sheets",
    operation_id="lantoa_judging_api_sheet_list",
)
def sheet_list(request: HttpRequest) -> Any:
    """The sheets assigned to you, in every stage whose jury you sit on."""
    items = [
        {
            "id": s.pk,
            "stage": s.stage_id,
            "entry_title": sheet_entry(s, blind=blind_for(request.user, s))[0],
            "status": s.status,
            "total": s.total,
        }
        for s in selectors.sheets_for_user(request.user)
    ]
    return {"items": items, "count": len(items)}


@router.get(
    "/sheets/{sheet_id}",
    response={200: SheetOut, **ERRORS},
    summary="One of your score sheets",
    operation_id="lantoa_judging_api_sheet_detail",
)
def sheet_detail(request: HttpRequest, sheet_id: Id) -> Any:
    return sheet_out(access_sheet(by=request.user, pk=sheet_id, chair=True), by=request.user)


@router.put(
    "/sheets/{sheet_id}/scores/{criterion_id}",
    response={200: ScoreOut, 201: ScoreOut, **ERRORS},
    summary="Save one criterion's score",
    operation_id="lantoa_judging_api_score_save",
)
def score_save(request: HttpRequest, sheet_id: Id, criterion_id: Id, body: ScoreIn) -> Any:
    """Between 0 and the criterion's maximum, at most two decimals: anything else answers 422
    and nothing is stored. 409 ``sheet_locked`` once the sheet is submitted."""
    sheet = access_sheet(by=request.user, pk=sheet_id)
    result = services.score_save(by=request.user, sheet=sheet, criterion_id=criterion_id, value=body.value)
    return Status(201 if result.created else 200, {"criterion": criterion_id, "value": result.obj.value})


@router.post(
    "/sheets/{sheet_id}/submit",
    response={200: SheetOut, **ERRORS},
    summary="Submit and lock a score sheet",
    operation_id="lantoa_judging_api_sheet_submit",
)
def sheet_submit(request: HttpRequest, sheet_id: Id) -> Any:
    """Every criterion must be scored (422 ``sheet_incomplete`` names the missing ones)."""
    sheet = access_sheet(by=request.user, pk=sheet_id)
    return sheet_out(services.sheet_submit(by=request.user, sheet=sheet), by=request.user)


@router.post(
    "/sheets/{sheet_id}/reopen",
    response={200: SheetOut, **ERRORS},
    summary="Reopen a submitted sheet (the jury's chair)",
    operation_id="lantoa_judging_api_sheet_reopen",
)
def sheet_reopen(request: HttpRequest, sheet_id: Id, body: ReasonIn) -> Any:
    sheet = access_sheet(by=request.user, pk=sheet_id, chair=True)
    return sheet_out(services.sheet_reopen(by=request.user, sheet=sheet, reason=body.reason), by=request.user)
