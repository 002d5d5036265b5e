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
from lantoa.core.schemas import ERRORS, binary_response
from lantoa.judging import selectors, services
from lantoa.judging.assessments.api import router as assessments_router
from lantoa.judging.audience.api import router as audience_router
from lantoa.judging.certificates import PDF_TYPE, certificates_filename, pdf_response
from lantoa.judging.models import Competition, EntryStage, Rubric, ScoreSheet, Stage
from lantoa.judging.paper.api import router as paper_router
from lantoa.judging.permissions import (
    access_competition,
    access_competition_to_run,
    access_entry_to_run,
    access_organising_unit,
    access_rubric,
    access_sheet,
    access_stage,
    access_stage_to_publish,
    blind_for,
    competitions_visible_to,
    published_stage,
)
from lantoa.judging.presenters import entrant_name, sheet_entry
from lantoa.judging.schemas import (
    AssignOut,
    CompetitionDetailOut,
    CompetitionIn,
    CompetitionListOut,
    ConflictIn,
    CriterionIn,
    EntryIn,
    EntryOut,
    Id,
    JurorIn,
    JuryOut,
    ProgressOut,
    PublicationIn,
    PublicResultsOut,
    ReasonIn,
    RubricIn,
    RubricOut,
    RubricVersionIn,
    ScoreIn,
    ScoreOut,
    SheetListOut,
    SheetOut,
    StageIn,
    StageOut,
    StageResultsOut,
    VotesIn,
)
from lantoa.org.permissions import access_unit
from lantoa.people.permissions import access_person

router = Router(tags=["judging"])


def _criterion_out(criterion: Any) -> dict[str, Any]:
    """A rubric version's criterion, as the rubric and the score sheet show it."""
    return {
        "id": criterion.pk,
        "position": criterion.position,
        "section": criterion.section,
        "name": criterion.name,
        "weight": criterion.weight,
        "max_score": criterion.max_score,
        "descriptors": criterion.descriptors,
    }


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
        "results_published_at",
        "blind",
    )
    return {
        "id": stage.pk,
        "competition": stage.competition_id,
        "unit": stage.unit.code,
        "rubric": stage.rubric_version.rubric.name,
        "rubric_version": stage.rubric_version.number,
        **{name: getattr(stage, name) for name in fields},
    }


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
        "criteria": [_criterion_out(c) for c in criteria],
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


# --- Setting a contest up (staff who record the organising unit's work) -----------------------


def rubric_out(rubric: Rubric) -> dict[str, Any]:
    version = rubric.current
    criteria = list(version.criteria.order_by("position")) if version is not None else []
    return {
        "id": rubric.pk,
        "unit": rubric.unit.code,
        "name": rubric.name,
        "version": version.number if version is not None else 0,
        "criteria": [_criterion_out(c) for c in criteria],
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


# The audience vote's endpoints (lantoa.judging.audience.api), under the same prefix.
router.add_router("", audience_router)
router.add_router("", assessments_router)
router.add_router("", paper_router)
