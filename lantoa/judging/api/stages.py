"""Running a stage over the API (staff in scope, and the stage's chair and secretary): the
progress board, assigning the entries to jurors, the audience's votes, computing, advancing,
publishing and withdrawing the results, the prize certificates, and the published results that
anyone may read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from lantoa.core.errors import NotFound
from lantoa.core.schemas import ERRORS, binary_response
from lantoa.judging import selectors, services
from lantoa.judging.api._common import stage_out
from lantoa.judging.certificates import PDF_TYPE, certificates_filename, pdf_response
from lantoa.judging.models import EntryStage, Stage
from lantoa.judging.permissions import access_stage, access_stage_to_publish, published_stage
from lantoa.judging.presenters import entrant_name
from lantoa.judging.schemas import (
    AssignOut,
    Id,
    ProgressOut,
    PublicationIn,
    PublicResultsOut,
    StageOut,
    StageResultsOut,
    VotesIn,
)

router = Router()


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
    response={200: StageResultsOut, **ERRORS},
    summary="A stage's ranked results",
    operation_id="lantoa_judging_api_stage_results",
)
def stage_results(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id)
    rows = [result_out(row) for row in selectors.stage_results(stage)]
    return {
        "stage": stage.pk,
        "computed_at": stage.results_computed_at,
        "published_at": stage.results_published_at,
        "items": rows,
        "count": len(rows),
    }


@router.post(
    "/stages/{stage_id}/publication",
    response={200: StageOut, **ERRORS},
    summary="Publish or withdraw a stage's results (the jury's chair)",
    operation_id="lantoa_judging_api_stage_publication",
)
def stage_publication(request: HttpRequest, stage_id: Id, body: PublicationIn) -> Any:
    """``published: true`` approves the computed results and publishes them (409
    ``results_not_computed`` before they are computed); ``false`` withdraws them, with a reason."""
    stage = access_stage_to_publish(by=request.user, pk=stage_id)
    if body.published:
        stage = services.stage_publish(by=request.user, stage=stage)
    else:
        stage = services.stage_unpublish(by=request.user, stage=stage, reason=body.reason)
    return stage_out(Stage.objects.select_related("unit", "rubric_version__rubric").get(pk=stage.pk))


@router.get(
    "/stages/{stage_id}/certificates.pdf",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The certificates as PDF, a page per prize winner", PDF_TYPE),
    summary="Prize certificates of a stage (PDF)",
    operation_id="lantoa_judging_api_stage_certificates",
)
def stage_certificates(request: HttpRequest, stage_id: Id) -> Any:
    """One A4 landscape page per prize winner, in Vietnamese; the chair, the secretary and the
    organisers (409 ``results_not_computed`` before the results, ``no_prizes`` without a prize)."""
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    data = services.stage_certificates(by=request.user, stage=stage)
    return pdf_response(data, certificates_filename(stage))


@router.get(
    "/results/{stage_id}",
    response={200: PublicResultsOut, **ERRORS},
    auth=None,
    summary="A stage's published results (public)",
    operation_id="lantoa_judging_api_public_results",
)
def public_results(request: HttpRequest, stage_id: Id) -> Any:
    """The ranking and prizes of a stage whose results are published; any other stage answers 404."""
    stage = published_stage(stage_id)
    rows = [
        {
            "rank": row.rank,
            "title": row.entry.title,
            "entrant": entrant_name(row.entry),
            "unit_name": row.unit.name,
            "score": row.score,
            "prize": row.prize,
        }
        for row in selectors.stage_results(stage)
        if row.rank is not None
    ]
    return {
        "stage": stage.pk,
        "stage_name": stage.name,
        "competition": stage.competition.title,
        "published_at": stage.results_published_at,
        "items": rows,
        "count": len(rows),
    }


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
    response={200: StageResultsOut, **ERRORS},
    summary="Compute the stage's results from the submitted sheets",
    operation_id="lantoa_judging_api_stage_compute",
)
def stage_compute(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    services.stage_results_compute(by=request.user, stage=stage)
    return stage_results(request, stage_id)


@router.post(
    "/stages/{stage_id}/advance",
    response={200: StageResultsOut, 201: StageResultsOut, **ERRORS},
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
    response={200: StageResultsOut, **ERRORS},
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
