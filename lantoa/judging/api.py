"""Judged contests over the API (``/api/v1/judging/…``).

Every endpoint parses, asks a gate of :mod:`lantoa.judging.permissions`, calls the same service
or selector as the pages, and answers. A contest, stage or sheet the caller may not see answers
404 like one that does not exist. A juror's endpoints (``/sheets``) answer only the sheets
assigned to the caller; a score above the criterion's maximum answers 422 and stores nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from lantoa.core.errors import NotFound
from lantoa.core.schemas import ERRORS
from lantoa.judging import selectors, services
from lantoa.judging.models import Competition, EntryStage, ScoreSheet, Stage
from lantoa.judging.permissions import (
    access_competition,
    access_sheet,
    access_stage,
    competitions_visible_to,
)
from lantoa.judging.presenters import entrant_name
from lantoa.judging.schemas import (
    AssignOut,
    CompetitionDetailOut,
    CompetitionListOut,
    Id,
    ProgressOut,
    ReasonIn,
    ResultsOut,
    ScoreIn,
    ScoreOut,
    SheetListOut,
    SheetOut,
    VotesIn,
)

router = Router(tags=["judging"])


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


def stage_out(stage: Stage) -> dict[str, Any]:
    fields = (
        "number",
        "name",
        "starts_on",
        "ends_on",
        "aggregation",
        "jurors_per_entry",
        "disagreement_margin",
        "audience_weight",
        "advancement",
        "advance_count",
        "advance_threshold",
        "results_computed_at",
    )
    return {
        "id": stage.pk,
        "competition": stage.competition_id,
        "unit": stage.unit.code,
        "rubric": stage.rubric_version.rubric.name,
        "rubric_version": stage.rubric_version.number,
        **{name: getattr(stage, name) for name in fields},
    }


def sheet_out(sheet: ScoreSheet) -> dict[str, Any]:
    criteria, scores = selectors.sheet_with_scores(sheet)
    return {
        "id": sheet.pk,
        "stage": sheet.stage_id,
        "stage_name": sheet.stage.name,
        "competition": sheet.stage.competition.title,
        "entry": sheet.entry_id,
        "entry_title": sheet.entry.title,
        "entrant": entrant_name(sheet.entry),
        "status": sheet.status,
        "is_extra": sheet.is_extra,
        "total": sheet.total,
        "submitted_at": sheet.submitted_at,
        "criteria": [
            {
                "id": c.pk,
                "position": c.position,
                "section": c.section,
                "name": c.name,
                "weight": c.weight,
                "max_score": c.max_score,
                "descriptors": c.descriptors,
            }
            for c in criteria
        ],
        "scores": [{"criterion": pk, "value": score.value} for pk, score in scores.items()],
    }


def result_out(row: EntryStage) -> dict[str, Any]:
    return {
        "entry": row.entry_id,
        "title": row.entry.title,
        "entrant": entrant_name(row.entry),
        "unit": row.unit.code,
        "score": row.score,
        "rank": row.rank,
        "audience_votes": row.audience_votes,
        "advanced": row.advanced,
        "prize": row.prize,
    }


# --- Competitions and stages (staff in scope, and the stage's chair and secretary) -------------


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


@router.get(
    "/stages/{stage_id}/progress",
    response={200: ProgressOut, **ERRORS},
    summary="A stage's progress board: which sheets are missing",
    operation_id="lantoa_judging_api_stage_progress",
)
def stage_progress(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id)
    board = selectors.progress_board(stage)
    return {
        "stage": stage.pk,
        "sheets": sum(row.assigned for row in board),
        "submitted": sum(row.submitted for row in board),
        "jurors": [
            {
                "juror": row.juror.pk,
                "name": row.juror.person.full_name,
                "role": row.juror.role,
                "assigned": row.assigned,
                "submitted": row.submitted,
                "missing": [sheet.entry_id for sheet in row.missing],
            }
            for row in board
        ],
    }


@router.get(
    "/stages/{stage_id}/results",
    response={200: ResultsOut, **ERRORS},
    summary="A stage's ranked results",
    operation_id="lantoa_judging_api_stage_results",
)
def stage_results(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id)
    rows = [result_out(row) for row in selectors.stage_results(stage)]
    return {"stage": stage.pk, "computed_at": stage.results_computed_at, "items": rows, "count": len(rows)}


@router.post(
    "/stages/{stage_id}/assign",
    response={200: AssignOut, **ERRORS},
    summary="Assign the stage's entries to jurors",
    operation_id="lantoa_judging_api_stage_assign",
)
def stage_assign(request: HttpRequest, stage_id: Id) -> Any:
    """Each entry to the stage's k jurors, none in conflict, loads within one sheet of each
    other; entries that have their jurors are left alone (409 ``assignment_impossible`` when an
    entry has too few jurors free of conflict)."""
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    result = services.stage_assign(by=request.user, stage=stage)
    return {"created": result.created, "loads": {str(k): v for k, v in result.loads.items()}}


@router.post(
    "/stages/{stage_id}/results",
    response={200: ResultsOut, **ERRORS},
    summary="Compute the stage's results from the submitted sheets",
    operation_id="lantoa_judging_api_stage_compute",
)
def stage_compute(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    services.stage_results_compute(by=request.user, stage=stage)
    return stage_results(request, stage_id)


@router.post(
    "/stages/{stage_id}/advance",
    response={200: ResultsOut, 201: ResultsOut, **ERRORS},
    summary="Advance the stage's qualifiers to the next stage",
    operation_id="lantoa_judging_api_stage_advance",
)
def stage_advance(request: HttpRequest, stage_id: Id) -> Any:
    """201 when entries advanced, 200 when they already had (409 ``results_missing`` before the
    results are computed)."""
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    result = services.stage_advance(by=request.user, stage=stage)
    return Status(201 if result.created else 200, stage_results(request, stage_id))


@router.put(
    "/stages/{stage_id}/entries/{entry_id}/votes",
    response={200: ResultsOut, **ERRORS},
    summary="Record the audience's votes for an entry",
    operation_id="lantoa_judging_api_stage_votes",
)
def stage_votes(request: HttpRequest, stage_id: Id, entry_id: Id, body: VotesIn) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    row = EntryStage.objects.filter(stage=stage, entry_id=entry_id).select_related("entry", "unit").first()
    if row is None:
        raise NotFound(_("No such entry in this stage."), extra={"id": entry_id})
    services.audience_votes_record(by=request.user, row=row, votes=body.votes)
    return stage_results(request, stage_id)


# --- A juror's sheets -------------------------------------------------------------------------


@router.get(
    "/sheets",
    response={200: SheetListOut, **ERRORS},
    summary="Your score sheets",
    operation_id="lantoa_judging_api_sheet_list",
)
def sheet_list(request: HttpRequest) -> Any:
    """The sheets assigned to you, in every stage whose jury you sit on."""
    items = [
        {"id": s.pk, "stage": s.stage_id, "entry_title": s.entry.title, "status": s.status, "total": s.total}
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
    return sheet_out(access_sheet(by=request.user, pk=sheet_id, chair=True))


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
    return sheet_out(services.sheet_submit(by=request.user, sheet=sheet))


@router.post(
    "/sheets/{sheet_id}/reopen",
    response={200: SheetOut, **ERRORS},
    summary="Reopen a submitted sheet (the jury's chair)",
    operation_id="lantoa_judging_api_sheet_reopen",
)
def sheet_reopen(request: HttpRequest, sheet_id: Id, body: ReasonIn) -> Any:
    sheet = access_sheet(by=request.user, pk=sheet_id, chair=True)
    return sheet_out(services.sheet_reopen(by=request.user, sheet=sheet, reason=body.reason))
