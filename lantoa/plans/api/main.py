"""Action programmes and recommendations over the API (``/api/v1/plans/…``).

Every endpoint parses, asks a gate of :mod:`lantoa.plans.permissions`, calls the same service or
selector as the pages, and answers. Anything the caller may not see answers 404 like something
that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.core.api_input import Id
from lantoa.core.errors import NotFound, ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB
from lantoa.org.models import Tier
from lantoa.org.permissions import access_unit
from lantoa.plans import selectors, services, tasks_io
from lantoa.plans.dossier import (
    XLSX_TYPE,
)
from lantoa.plans.models import ActionProgramme, IssueRequirement, ProgressUpdate, Recommendation
from lantoa.plans.permissions import (
    access_evidence_conference,
    access_evidence_document,
    access_inspection,
    access_programme,
    access_recommendation,
    access_recommendation_to_answer,
    access_recording_unit,
    access_requirement,
    access_task,
    owner_lookup,
    require_reader,
)
from lantoa.plans.schemas import (
    AdvanceIn,
    AnswerTimeListOut,
    ProgrammeCoverageOut,
    ProgrammeCoverageQuery,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeListOut,
    ProgrammeQuery,
    RecommendationIn,
    RecommendationListOut,
    RecommendationOut,
    RecommendationQuery,
    RequirementIn,
    RequirementListOut,
    RequirementOut,
    TaskIn,
    TaskOut,
    TasksImportOut,
    UpdateIn,
    UpdateListOut,
    UpdateOut,
    Window,
)

router = Router()


def requirement_out(requirement: IssueRequirement) -> dict[str, Any]:
    return {
        "id": requirement.pk,
        "unit": requirement.unit.code,
        "unit_name": requirement.unit.name,
        "document": requirement.document_id,
        "document_title": requirement.document.title,
        "tier": requirement.tier.code,
        "due_on": requirement.due_on,
        "note": requirement.note,
    }


def programme_out(programme: ActionProgramme) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "unit": programme.unit.code,
        "unit_name": programme.unit.name,
        "origin_unit": programme.origin_unit.code,
        "document": programme.document_id,
        "title": programme.title,
        "decision_number": programme.decision_number,
        "issued_on": programme.issued_on,
        "on_time": programme.on_time,
        "tasks": getattr(programme, "task_count", 0),
        "tasks_done": getattr(programme, "tasks_done", 0),
    }


def task_out(row: selectors.TaskRow) -> dict[str, Any]:
    task = row.task
    return {
        "id": task.pk,
        "programme": task.programme_id,
        "position": task.position,
        "title": task.title,
        "owner_unit": task.owner_unit.code if task.owner_unit else None,
        "owner_role": task.owner_role,
        "starts_on": task.starts_on,
        "due_on": task.due_on,
        "expected_result": task.expected_result,
        "indicator": task.indicator,
        "target_value": task.target_value,
        "current_value": row.current,
        "percent_done": task.percent_done,
        "status": row.status,
    }


def update_out(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "task": update.task_id,
        "percent": update.percent,
        "recorded_on": update.recorded_on,
        "note": update.note,
        "conference": update.conference_id,
        "document": update.document_id,
        "url": update.url,
    }


def recommendation_out(item: Recommendation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "unit": item.unit.code,
        "unit_name": item.unit.name,
        "addressee_unit": item.addressee_unit.code if item.addressee_unit else None,
        "addressee": item.addressee,
        "topic": item.topic,
        "text": item.text,
        "source": item.source,
        "inspection": item.inspection_id,
        "sent_on": item.sent_on,
        "due_on": item.due_on,
        "status": item.status,
        "answer": item.answer,
        "answer_document": item.answer_document_id,
        "answered_on": item.answered_on,
        "answered_on_time": item.answered_on_time,
        "decline_reason": item.decline_reason,
    }


# --- Requirements and coverage -------------------------------------------------------------------


@router.get("/requirements", response={200: RequirementListOut, **ERRORS}, summary="Programme deadlines you may see",
            operation_id="lantoa_plans_api_requirement_list")  # fmt: skip
def requirement_list(request: HttpRequest, window: Query[Window]) -> Any:
    found = page(selectors.requirement_list_for_user(request.user), limit=window.limit, offset=window.offset)
    return {"items": [requirement_out(r) for r in found["items"]], "count": found["count"]}


@router.post("/requirements", response={201: RequirementOut, **ERRORS},
             summary="Ask the units of a tier beneath a unit to issue their programme by a date",
             operation_id="lantoa_plans_api_requirement_set")  # fmt: skip
def requirement_set(request: HttpRequest, body: RequirementIn) -> Any:
    unit = access_recording_unit(by=request.user, code=body.unit)
    document = access_evidence_document(by=request.user, pk=body.document)
    tier = Tier.objects.filter(code=body.tier).first()
    if tier is None:
        raise NotFound(_("No tier with code %(code)s.") % {"code": body.tier}, extra={"field": "tier"})
    requirement = services.requirement_set(
        by=request.user, unit=unit, document=document, tier=tier, due_on=body.due_on, note=body.note
    )
    return Status(201, requirement_out(access_requirement(by=request.user, pk=requirement.pk)))


@router.get("/requirements/{requirement_id}/coverage", response={200: ProgrammeCoverageOut, **ERRORS},
            summary="Which units issued their programme, on time or late, and how far their tasks are",
            operation_id="lantoa_plans_api_requirement_coverage")  # fmt: skip
def requirement_coverage(request: HttpRequest, requirement_id: Id, filters: Query[ProgrammeCoverageQuery]) -> Any:
    requirement = access_requirement(by=request.user, pk=requirement_id)
    coverage = selectors.requirement_coverage(requirement, structure=filters.structure)
    counts = coverage.counts
    items = [
        {
            "unit": row.unit.code,
            "unit_name": row.name,
            "state": coverage.state(row),
            "programmes": [p.pk for p in row.programmes],
            "issued_on": row.issued_on,
            "tasks": row.tasks,
            "tasks_done": row.done,
            "done_rate": row.done_rate,
        }
        for row in coverage.rows
    ]
    return {
        "requirement": requirement.pk,
        "structure": coverage.structure,
        "day": coverage.day,
        "units": counts["units"],
        "on_time": counts["on_time"],
        "late": counts["late"],
        "missing": counts["missing"],
        "items": items,
        "count": len(items),
    }


# --- Programmes, tasks, progress -----------------------------------------------------------------


@router.get("/programmes", response={200: ProgrammeListOut, **ERRORS}, summary="Action programmes you may see",
            operation_id="lantoa_plans_api_programme_list")  # fmt: skip
def programme_list(request: HttpRequest, filters: Query[ProgrammeQuery]) -> Any:
    require_reader(request.user)
    found = page(
        selectors.programme_list_for_user(request.user, document_id=filters.document),
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"items": [programme_out(p) for p in found["items"]], "count": found["count"]}


def _programme_detail(request: HttpRequest, programme_id: Id) -> dict[str, Any]:
    programme = access_programme(by=request.user, pk=programme_id)
    counted = selectors.programme_list_for_user(request.user).get(pk=programme.pk)
    rows = selectors.programme_tasks(programme)
    return {**programme_out(counted), "tasks_list": [task_out(row) for row in rows]}


@router.post("/programmes", response={201: ProgrammeDetailOut, **ERRORS}, summary="Record an action programme",
             operation_id="lantoa_plans_api_programme_create")  # fmt: skip
def programme_create(request: HttpRequest, body: ProgrammeIn) -> Any:
    unit = access_recording_unit(by=request.user, code=body.unit)
    document = access_evidence_document(by=request.user, pk=body.document)
    programme = services.programme_create(
        by=request.user,
        data=services.ProgrammeData(
            unit=unit,
            document=document,
            title=body.title,
            decision_number=body.decision_number,
            issued_on=body.issued_on,
        ),
    )
    return Status(201, _programme_detail(request, programme.pk))


@router.get("/programmes/{programme_id}", response={200: ProgrammeDetailOut, **ERRORS},
            summary="One programme with its tasks", operation_id="lantoa_plans_api_programme_detail")  # fmt: skip
def programme_detail(request: HttpRequest, programme_id: Id) -> Any:
    return _programme_detail(request, programme_id)


@router.post("/programmes/{programme_id}/tasks", response={201: TaskOut, **ERRORS}, summary="Add a task",
             operation_id="lantoa_plans_api_task_add")  # fmt: skip
def task_add(request: HttpRequest, programme_id: Id, body: TaskIn) -> Any:
    programme = access_programme(by=request.user, pk=programme_id, write=True)
    owner = access_unit(by=request.user, code=body.owner_unit) if body.owner_unit else None
    task = services.task_add(
        by=request.user,
        programme=programme,
        data=services.TaskData(
            title=body.title,
            starts_on=body.starts_on,
            due_on=body.due_on,
            owner_unit=owner,
            owner_role=body.owner_role,
            expected_result=body.expected_result,
            indicator=body.indicator,
            target_value=body.target_value,
        ),
    )
    row = next(row for row in selectors.programme_tasks(programme) if row.task.pk == task.pk)
    return Status(201, task_out(row))


@router.post("/programmes/{programme_id}/tasks/import", response={200: TasksImportOut, **ERRORS},
             summary="Import a programme's task table (XLSX or CSV)",
             operation_id="lantoa_plans_api_tasks_import")  # fmt: skip
def tasks_import(request: HttpRequest, programme_id: Id, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: one row per task (the template is at
    ``/tasks/import-template``). Everything is checked first: any problem answers 422
    ``import_rejected`` with every problem (row and column) and nothing is written. The tasks are
    numbered after those the programme already has."""
    programme = access_programme(by=request.user, pk=programme_id, write=True)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB}, extra={"field": "file"}
        )
    result = services.tasks_import(by=request.user, programme=programme, file=file, lookup=owner_lookup(request.user))
    return {"added": result.added, "first": result.first, "last": result.last, "message": result.summary()}


@router.get("/tasks/import-template", response={200: str, **ERRORS},
            summary="The template for a programme's task table (XLSX)",
            openapi_extra={"responses": {"200": {"content": {XLSX_TYPE: {"schema": {"type": "string",
                                                                                     "format": "binary"}}}}}},
            operation_id="lantoa_plans_api_tasks_template")  # fmt: skip
def tasks_template(request: HttpRequest) -> Any:
    """The header row in Vietnamese and one example row."""
    require_reader(request.user)
    response = HttpResponse(tasks_io.tasks_template(english=False), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="lantoa-nhiem-vu-chuong-trinh.xlsx"'
    return response


@router.get("/tasks/{task_id}/updates", response={200: UpdateListOut, **ERRORS},
            summary="A task's progress updates, newest first", operation_id="lantoa_plans_api_update_list")  # fmt: skip
def update_list(request: HttpRequest, task_id: Id, window: Query[Window]) -> Any:
    task = access_task(by=request.user, pk=task_id)
    found = page(selectors.task_updates(task), limit=window.limit, offset=window.offset)
    return {"items": [update_out(u) for u in found["items"]], "count": found["count"]}


@router.post("/tasks/{task_id}/updates", response={201: UpdateOut, **ERRORS},
             summary="Report a task's progress (appended, never edited)",
             operation_id="lantoa_plans_api_update_record")  # fmt: skip
def update_record(request: HttpRequest, task_id: Id, body: UpdateIn) -> Any:
    task = access_task(by=request.user, pk=task_id, report=True)
    conference = access_evidence_conference(by=request.user, pk=body.conference) if body.conference else None
    document = access_evidence_document(by=request.user, pk=body.document) if body.document else None
    update = services.progress_record(
        by=request.user,
        task=task,
        data=services.UpdateData(
            percent=body.percent,
            recorded_on=body.recorded_on,
            note=body.note,
            conference=conference,
            document=document,
            url=body.url,
        ),
    )
    return Status(201, update_out(update))


# --- Recommendations -----------------------------------------------------------------------------


@router.get("/recommendations", response={200: RecommendationListOut, **ERRORS},
            summary="Recommendations sent from or to your scope",
            operation_id="lantoa_plans_api_recommendation_list")  # fmt: skip
def recommendation_list(request: HttpRequest, filters: Query[RecommendationQuery]) -> Any:
    require_reader(request.user)
    found = page(
        selectors.recommendation_list_for_user(request.user, status=filters.status, topic=filters.topic),
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"items": [recommendation_out(r) for r in found["items"]], "count": found["count"]}


@router.get("/recommendations/answer-times", response={200: AnswerTimeListOut, **ERRORS},
            summary="How long answers take, per level that must answer (your scope)",
            operation_id="lantoa_plans_api_recommendation_answer_times")  # fmt: skip
def recommendation_answer_times(request: HttpRequest) -> Any:
    """The table of the recommendations page: sent, answered, median days to the answer, answers
    given by the due date (of those with one), still open."""
    require_reader(request.user)
    items = [
        {
            "level": time.level,
            "sent": time.sent,
            "answered": time.answered,
            "median_days": time.median_days,
            "answered_on_time": time.on_time,
            "with_due_date": time.with_due_date,
            "still_open": time.still_open,
        }
        for time in selectors.answer_times(request.user)
    ]
    return {"items": items, "count": len(items)}


@router.post("/recommendations", response={201: RecommendationOut, **ERRORS}, summary="Record a recommendation sent",
             operation_id="lantoa_plans_api_recommendation_send")  # fmt: skip
def recommendation_send(request: HttpRequest, body: RecommendationIn) -> Any:
    unit = access_recording_unit(by=request.user, code=body.unit)
    addressee = access_unit(by=request.user, code=body.addressee_unit) if body.addressee_unit else None
    inspection = access_inspection(by=request.user, pk=body.inspection) if body.inspection else None
    item = services.recommendation_send(
        by=request.user,
        data=services.RecommendationData(
            unit=unit,
            topic=body.topic,
            text=body.text,
            sent_on=body.sent_on,
            addressee_unit=addressee,
            addressee_name=body.addressee_name,
            source=body.source,
            due_on=body.due_on,
            inspection=inspection,
        ),
    )
    return Status(201, recommendation_out(access_recommendation(by=request.user, pk=item.pk)))


@router.get("/recommendations/{recommendation_id}", response={200: RecommendationOut, **ERRORS},
            summary="One recommendation", operation_id="lantoa_plans_api_recommendation_detail")  # fmt: skip
def recommendation_detail(request: HttpRequest, recommendation_id: Id) -> Any:
    return recommendation_out(access_recommendation(by=request.user, pk=recommendation_id))


@router.post("/recommendations/{recommendation_id}/status", response={200: RecommendationOut, **ERRORS},
             summary="Move a recommendation on: received, being considered, answered, implemented, declined",
             operation_id="lantoa_plans_api_recommendation_advance")  # fmt: skip
def recommendation_advance(request: HttpRequest, recommendation_id: Id, body: AdvanceIn) -> Any:
    item = access_recommendation_to_answer(by=request.user, pk=recommendation_id)
    document = access_evidence_document(by=request.user, pk=body.answer_document) if body.answer_document else None
    services.recommendation_advance(
        by=request.user,
        recommendation=item,
        status=body.status,
        on=body.on,
        answer=body.answer,
        answer_document=document,
        reason=body.reason,
    )
    return recommendation_out(access_recommendation(by=request.user, pk=item.pk))
