"""Inspections over the API: the inspection with its team, conclusions and follow-ups, closing a
follow-up, the XLSX of follow-ups and the DOCX dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.responses import Status

from lantoa.core.api_input import Id
from lantoa.core.schemas import ERRORS, binary_response, page
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.plans import selectors, services
from lantoa.plans.dossier import (
    DOCX_TYPE,
    XLSX_TYPE,
    dossier_docx_filename,
    dossier_filename,
    follow_ups_xlsx,
    inspection_docx,
)
from lantoa.plans.models import FollowUp, Inspection, InspectionPlan
from lantoa.plans.permissions import (
    access_follow_up,
    access_inspection,
    access_inspection_plan,
    access_planned_inspection,
    access_recording_unit,
    access_team_person,
    access_team_user,
    require_reader,
)
from lantoa.plans.schemas import (
    ConclusionIn,
    FollowUpCloseIn,
    FollowUpListOut,
    FollowUpOut,
    FollowUpQuery,
    InspectionDetailOut,
    InspectionIn,
    InspectionListOut,
    InspectionPlanDetailOut,
    InspectionPlanIn,
    InspectionPlanListOut,
    InspectionPlanQuery,
    InspectionQuery,
    PlannedIn,
    TeamMemberIn,
)

router = Router()


# --- Inspections ---------------------------------------------------------------------------------


def follow_up_out(follow_up: FollowUp, *, on: dt.date) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "inspection": follow_up.conclusion.inspection_id,
        "conclusion": follow_up.conclusion_id,
        "conclusion_number": follow_up.conclusion.number,
        "owner_unit": follow_up.owner_unit.code,
        "owner_unit_name": follow_up.owner_unit.name,
        "due_on": follow_up.due_on,
        "status": selectors.follow_up_status(follow_up, on=on),
        "closed_on": follow_up.closed_on,
        "evidence": follow_up.evidence,
        "evidence_url": follow_up.evidence_url,
    }


def inspection_out(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "unit": inspection.unit.code,
        "year": inspection.year,
        "kind": inspection.kind,
        "title": inspection.title,
        "deciding_body": inspection.deciding_body,
        "decision_number": inspection.decision_number,
        "decided_on": inspection.decided_on,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
    }


def inspection_detail_out(inspection: Inspection) -> dict[str, Any]:
    parts = selectors.inspection_parts(inspection)
    day = today()
    return {
        **inspection_out(inspection),
        "topics": inspection.topics,
        "findings": inspection.findings,
        "inspected": [unit.code for unit in parts["inspected"]],
        "team": [
            {
                "id": member.pk,
                "role": member.role,
                "name": member.display_name,
                "person": member.person_id,
                "user": member.user.get_username() if member.user_id else None,  # type: ignore[union-attr]
            }
            for member in parts["team"]
        ],
        "conclusions": [
            {
                "id": conclusion.pk,
                "number": conclusion.number,
                "text": conclusion.text,
                "follow_up": follow_up_out(conclusion.follow_up, on=day) if hasattr(conclusion, "follow_up") else None,
            }
            for conclusion in parts["conclusions"]
        ],
        "files": [inspection_file_out(paper) for paper in parts["files"]],
    }


def inspection_file_out(paper: Any) -> dict[str, Any]:
    replaced_by = getattr(paper, "replaced_by", None)
    return {
        "id": paper.pk,
        "kind": paper.kind,
        "unit": paper.unit.code if paper.unit_id else None,
        "title": paper.title,
        "dated_on": paper.dated_on,
        "name": paper.original_name,
        "content_type": paper.content_type,
        "size": paper.size,
        "replaces": paper.replaces_id,
        "replaced_by": replaced_by.pk if replaced_by is not None else None,
        "url": reverse("plans:inspection_file", args=[paper.pk]),
    }


@router.get("/inspections", response={200: InspectionListOut, **ERRORS}, summary="Inspections you may see",
            operation_id="lantoa_plans_api_inspection_list")  # fmt: skip
def inspection_list(request: HttpRequest, filters: Query[InspectionQuery]) -> Any:
    require_reader(request.user)
    found = page(selectors.inspection_list_for_user(request.user, year=filters.year), limit=filters.limit,
                 offset=filters.offset)  # fmt: skip
    return {"items": [inspection_out(i) for i in found["items"]], "count": found["count"]}


@router.post("/inspections", response={201: InspectionDetailOut, **ERRORS}, summary="Record an inspection",
             operation_id="lantoa_plans_api_inspection_create")  # fmt: skip
def inspection_create(request: HttpRequest, body: InspectionIn) -> Any:
    planned = access_planned_inspection(by=request.user, pk=body.planned) if body.planned else None
    unit = access_recording_unit(by=request.user, code=body.unit)
    inspected = tuple(access_unit(by=request.user, code=code) for code in body.inspected)
    inspection = services.inspection_create(
        by=request.user,
        data=services.InspectionData(
            unit=unit, kind=body.kind, title=body.title, deciding_body=body.deciding_body,
            decision_number=body.decision_number, decided_on=body.decided_on, starts_on=body.starts_on,
            ends_on=body.ends_on, topics=body.topics, findings=body.findings, inspected=inspected, planned=planned,
        ),
    )  # fmt: skip
    return Status(201, inspection_detail_out(access_inspection(by=request.user, pk=inspection.pk)))


@router.get("/inspections/{inspection_id}", response={200: InspectionDetailOut, **ERRORS},
            summary="One inspection with its team, conclusions and follow-ups",
            operation_id="lantoa_plans_api_inspection_detail")  # fmt: skip
def inspection_detail(request: HttpRequest, inspection_id: Id) -> Any:
    return inspection_detail_out(access_inspection(by=request.user, pk=inspection_id))


@router.post("/inspections/{inspection_id}/members", response={201: InspectionDetailOut, **ERRORS},
             summary="Add a team member (409 member_conflict for a member from an inspected unit)",
             operation_id="lantoa_plans_api_member_add")  # fmt: skip
def member_add(request: HttpRequest, inspection_id: Id, body: TeamMemberIn) -> Any:
    inspection = access_inspection(by=request.user, pk=inspection_id, write=True)
    identity: dict[str, Any] = {"name": body.name}
    if body.person is not None:
        identity = {"person": access_team_person(by=request.user, pk=body.person)}
    elif body.username:
        identity = {"user": access_team_user(by=request.user, username=body.username)}
    services.team_member_add(by=request.user, inspection=inspection, role=body.role, **identity)
    return Status(201, inspection_detail_out(inspection))


@router.post("/inspections/{inspection_id}/conclusions", response={201: InspectionDetailOut, **ERRORS},
             summary="Record the next numbered conclusion; with an owner unit and a deadline it opens a follow-up",
             operation_id="lantoa_plans_api_conclusion_add")  # fmt: skip
def conclusion_add(request: HttpRequest, inspection_id: Id, body: ConclusionIn) -> Any:
    inspection = access_inspection(by=request.user, pk=inspection_id, write=True)
    owner = access_unit(by=request.user, code=body.owner_unit) if body.owner_unit else None
    services.conclusion_add(by=request.user, inspection=inspection, text=body.text, owner_unit=owner,
                            due_on=body.due_on)  # fmt: skip
    return Status(201, inspection_detail_out(inspection))


@router.get("/follow-ups", response={200: FollowUpListOut, **ERRORS},
            summary="Open follow-ups you may see (or only the overdue ones)",
            operation_id="lantoa_plans_api_follow_up_list")  # fmt: skip
def follow_up_list(request: HttpRequest, filters: Query[FollowUpQuery]) -> Any:
    require_reader(request.user)
    day = today()
    found = page(
        selectors.follow_up_list_for_user(request.user, overdue_on=day if filters.overdue else None),
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"items": [follow_up_out(f, on=day) for f in found["items"]], "count": found["count"]}


@router.post("/follow-ups/{follow_up_id}/close", response={200: FollowUpOut, **ERRORS},
             summary="Close a follow-up with its evidence",
             operation_id="lantoa_plans_api_follow_up_close")  # fmt: skip
def follow_up_close(request: HttpRequest, follow_up_id: Id, body: FollowUpCloseIn) -> Any:
    follow_up = access_follow_up(by=request.user, pk=follow_up_id, close=True)
    closed = services.follow_up_close(by=request.user, follow_up=follow_up, closed_on=body.closed_on,
                                      evidence=body.evidence, url=body.url)  # fmt: skip
    return follow_up_out(access_follow_up(by=request.user, pk=closed.pk), on=today())


@router.get(
    "/inspections/{inspection_id}/follow-ups.xlsx",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The inspection's conclusions and follow-ups as XLSX", XLSX_TYPE),
    summary="The follow-ups of an inspection (XLSX)",
    operation_id="lantoa_plans_api_inspection_dossier",
)
def inspection_dossier(request: HttpRequest, inspection_id: Id) -> Any:
    inspection = access_inspection(by=request.user, pk=inspection_id)
    response = HttpResponse(follow_ups_xlsx(inspection), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_filename(inspection)}"'
    return response


@router.get(
    "/inspections/{inspection_id}/dossier.docx",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The inspection's dossier as DOCX", DOCX_TYPE),
    summary="An inspection's dossier: decision, team, units, topics, findings, conclusions, follow-ups (DOCX)",
    operation_id="lantoa_plans_api_inspection_dossier_docx",
)
def inspection_dossier_docx(request: HttpRequest, inspection_id: Id) -> Any:
    inspection = access_inspection(by=request.user, pk=inspection_id)
    response = HttpResponse(inspection_docx(inspection), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_docx_filename(inspection)}"'
    return response


# --- Yearly inspection plans -----------------------------------------------------------------------


def _plan_out(plan: InspectionPlan, rows: list[selectors.PlannedRow] | None = None) -> dict[str, Any]:
    planned = len(rows) if rows is not None else plan.planned_count  # type: ignore[attr-defined]
    held = sum(1 for row in rows if row.status == "held") if rows is not None else plan.held_count  # type: ignore[attr-defined]
    return {
        "id": plan.pk, "unit": plan.unit.code, "year": plan.year, "title": plan.title,
        "decision_number": plan.decision_number, "decided_on": plan.decided_on, "planned": planned, "held": held,
    }  # fmt: skip


def _planned_out(row: selectors.PlannedRow) -> dict[str, Any]:
    item = row.item
    return {
        "id": item.pk, "position": item.position, "unit": item.unit.code, "kind": item.kind, "topic": item.topic,
        "month": item.month, "status": row.status, "inspection": row.inspection.pk if row.inspection else None,
    }  # fmt: skip


def _plan_detail(plan: InspectionPlan) -> dict[str, Any]:
    rows = selectors.inspection_plan_rows(plan, on=today())
    items = [_planned_out(row) for row in rows]
    return {**_plan_out(plan, rows), "items": items}


@router.get("/inspection-plans", response={200: InspectionPlanListOut, **ERRORS},
            summary="Yearly inspection plans you may see, with how many planned inspections were held",
            operation_id="lantoa_plans_api_inspection_plan_list")  # fmt: skip
def inspection_plan_list(request: HttpRequest, filters: Query[InspectionPlanQuery]) -> Any:
    require_reader(request.user)
    found = page(selectors.inspection_plan_list_for_user(request.user, year=filters.year), limit=filters.limit,
                 offset=filters.offset)  # fmt: skip
    return {"items": [_plan_out(plan) for plan in found["items"]], "count": found["count"]}


@router.post("/inspection-plans", response={201: InspectionPlanDetailOut, **ERRORS},
             summary="Record a unit's yearly inspection plan (409 plan_exists: one a year)",
             operation_id="lantoa_plans_api_inspection_plan_create")  # fmt: skip
def inspection_plan_create(request: HttpRequest, body: InspectionPlanIn) -> Any:
    unit = access_recording_unit(by=request.user, code=body.unit)
    items = tuple(
        services.PlannedData(unit=access_unit(by=request.user, code=item.unit), topic=item.topic, month=item.month,
                             kind=item.kind)
        for item in body.items
    )  # fmt: skip
    plan = services.inspection_plan_create(
        by=request.user, unit=unit, year=body.year, title=body.title, decision_number=body.decision_number,
        decided_on=body.decided_on, items=items,
    )  # fmt: skip
    return Status(201, _plan_detail(access_inspection_plan(by=request.user, pk=plan.pk)))


@router.get("/inspection-plans/{plan_id}", response={200: InspectionPlanDetailOut, **ERRORS},
            summary="A yearly inspection plan with each planned inspection: held, not held, or still planned",
            operation_id="lantoa_plans_api_inspection_plan_detail")  # fmt: skip
def inspection_plan_detail(request: HttpRequest, plan_id: Id) -> Any:
    return _plan_detail(access_inspection_plan(by=request.user, pk=plan_id))


@router.post("/inspection-plans/{plan_id}/items", response={201: InspectionPlanDetailOut, **ERRORS},
             summary="Add a planned inspection to a plan",
             operation_id="lantoa_plans_api_planned_inspection_add")  # fmt: skip
def planned_inspection_add(request: HttpRequest, plan_id: Id, body: PlannedIn) -> Any:
    plan = access_inspection_plan(by=request.user, pk=plan_id, write=True)
    unit = access_unit(by=request.user, code=body.unit)
    services.planned_inspection_add(by=request.user, plan=plan, data=services.PlannedData(
        unit=unit, topic=body.topic, month=body.month, kind=body.kind))  # fmt: skip
    return Status(201, _plan_detail(plan))
