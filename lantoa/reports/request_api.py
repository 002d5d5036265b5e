"""Data requests over the API (mounted under ``/api/v1/reports``): define a data set, send a
request, list its assignments with where each stands, file values as JSON or the generated
spreadsheet, approve, correct, remind the late, and read the totals. The same services,
selectors and gates as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.core.api_input import Id
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES
from lantoa.org.permissions import access_unit
from lantoa.reports import request_selectors as selectors
from lantoa.reports.models import (
    DataRequest,
    DataRequestAssignment,
    DataSet,
    DataSubmission,
    FieldKind,
    SubmissionSource,
)
from lantoa.reports.request_permissions import (
    access_assignment,
    access_assignment_for_approval,
    access_assignment_for_filing,
    access_data_set,
    access_data_set_owner,
    access_request,
    access_request_for_closing,
    access_request_for_reminding,
    access_sending_unit,
)
from lantoa.reports.request_schemas import (
    AssignmentListOut,
    AssignmentQuery,
    CorrectionIn,
    DataSetIn,
    DataSetOut,
    DataSetRevisionIn,
    FiledOut,
    FilingIn,
    ReminderOut,
    RequestAssignmentOut,
    RequestIn,
    RequestOut,
    TotalsOut,
)
from lantoa.reports.request_services import (
    FieldSpec,
    RuleSpec,
    data_set_create,
    data_set_retire,
    data_set_revise,
    request_close,
    request_remind_late,
    request_send,
    submission_approve,
    submission_file,
)
from lantoa.reports.request_xlsx import filing_from_xlsx

router = Router(tags=["data requests"])


def _op(name: str) -> str:
    return f"lantoa_reports_api_{name}"


def _data_set_out(data_set: DataSet) -> dict[str, Any]:
    return {
        "id": data_set.pk,
        "code": data_set.code,
        "version": data_set.version,
        "replaces": data_set.replaces_id,
        "retired_at": data_set.retired_at,
        "name": data_set.name,
        "unit": data_set.unit.code,
        "fields": [
            {
                "code": f.code,
                "label": f.label,
                "kind": f.kind,
                "indicator": f.indicator,
                "required": f.required,
                "min_value": f.min_value,
                "max_value": f.max_value,
                "max_length": f.max_length,
            }
            for f in data_set.fields.all()
        ],
        "rules": [
            {"expression": r.expression, "severity": r.severity, "message": r.message} for r in data_set.rules.all()
        ],
    }


def _request_out(request: DataRequest) -> dict[str, Any]:
    tracking = selectors.request_tracking(request)
    return {
        "id": request.pk,
        "title": request.title,
        "data_set": request.data_set_id,
        "unit": request.unit.code,
        "tier": request.tier.code,
        "start": request.period.start,
        "end": request.period.end,
        "cutoff": request.cutoff,
        "deadline": request.deadline,
        "sent_on": request.sent_on,
        "closed_at": request.closed_at,
        "counts": tracking.counts,
        "assigned": tracking.total,
    }


def _version_out(version: DataSubmission | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "values": version.values,
        "computed": version.computed,
        "explanations": version.explanations,
        "warnings": version.warnings,
        "reason": version.reason,
        "source": version.source,
        "filed_at": version.created_at,
        "approved_at": version.approved_at,
    }


def _assignment_out(assignment: DataRequestAssignment, state: str | None = None) -> dict[str, Any]:
    request = assignment.request
    return {
        "id": assignment.pk,
        "unit": assignment.unit.code,
        "unit_name": assignment.unit.name,
        "assigned_unit": assignment.assigned_unit.code,
        "state": state or selectors.assignment_state(assignment, request.deadline, selectors.org_selectors.today()),
        "status": assignment.status,
        "filed_at": assignment.filed_at,
        "reminders": assignment.reminder_count,
        "current": _version_out(assignment.current),
    }


@router.post(
    "/data-sets",
    response={200: DataSetOut, 201: DataSetOut, **ERRORS},
    summary="Define a data set",
    operation_id=_op("data_set_create"),
)
def data_set_create_endpoint(request: HttpRequest, body: DataSetIn) -> Any:
    """A form of figures kept by ``unit``: computed indicators (pre-filled for each unit),
    typed integers with bounds, short texts, and rules between number fields that warn or
    block. Answers 201, or 200 with the existing set when the unit already defined this code
    with this name. Needs the right to record the unit's work."""
    unit = access_sending_unit(by=request.user, unit=access_unit(by=request.user, code=body.unit))
    data_set, created = data_set_create(
        by=request.user,
        unit=unit,
        code=body.code,
        name=body.name,
        description=body.description,
        fields=_field_specs(body.fields),
        rules=_rule_specs(body.rules),
    )
    return Status(201 if created else 200, _data_set_out(data_set))


def _field_specs(fields: Any) -> list[FieldSpec]:
    return [
        FieldSpec(
            code=f.code,
            label=f.label,
            kind=f.kind,
            indicator=f.indicator,
            required=f.required,
            min_value=f.min_value,
            max_value=f.max_value,
            max_length=f.max_length,
            help_text=f.help_text,
        )
        for f in fields
    ]


def _rule_specs(rules: Any) -> list[RuleSpec]:
    return [RuleSpec(expression=r.expression, severity=r.severity, message=r.message) for r in rules]


@router.post(
    "/data-sets/{data_set_id}/revisions",
    response={201: DataSetOut, **ERRORS},
    summary="Revise a data set (its next version)",
    operation_id=_op("data_set_revise"),
)
def data_set_revise_endpoint(request: HttpRequest, data_set_id: Id, body: DataSetRevisionIn) -> Any:
    """Version n + 1 under the same code and owner; version n is retired (no longer sent) and the
    requests sent with it keep its fields. Only the current version is revised (409
    ``data_set_retired``). Needs the right to send from the owner unit."""
    data_set = access_data_set_owner(by=request.user, pk=data_set_id)
    revision = data_set_revise(
        by=request.user,
        data_set=data_set,
        name=body.name,
        description=body.description,
        fields=_field_specs(body.fields),
        rules=_rule_specs(body.rules),
    )
    return Status(201, _data_set_out(revision))


@router.post(
    "/data-sets/{data_set_id}/retire",
    response={200: DataSetOut, **ERRORS},
    summary="Retire a data set",
    operation_id=_op("data_set_retire"),
)
def data_set_retire_endpoint(request: HttpRequest, data_set_id: Id) -> Any:
    """No more requests with it (409 ``data_set_retired`` when it is already); those sent carry on."""
    data_set = access_data_set_owner(by=request.user, pk=data_set_id)
    return _data_set_out(data_set_retire(by=request.user, data_set=data_set))


@router.get(
    "/data-sets/{data_set_id}",
    response={200: DataSetOut, **ERRORS},
    summary="One data set",
    operation_id=_op("data_set_detail"),
)
def data_set_detail(request: HttpRequest, data_set_id: Id) -> Any:
    return _data_set_out(access_data_set(by=request.user, pk=data_set_id))


@router.post(
    "/requests",
    response={201: RequestOut, **ERRORS},
    summary="Send a data request",
    operation_id=_op("data_request_send"),
)
def data_request_send(request: HttpRequest, body: RequestIn) -> Any:
    """Send a data set from ``unit`` to every open unit of ``tier`` beneath it (as the tree stands
    today), for ``[start, end]`` with records up to ``cutoff``, due by ``deadline``: one assignment
    per unit."""
    unit = access_sending_unit(by=request.user, unit=access_unit(by=request.user, code=body.unit))
    data_set = access_data_set(by=request.user, pk=body.data_set)
    sent = request_send(
        by=request.user,
        data_set=data_set,
        unit=unit,
        tier_code=body.tier,
        start=body.start,
        end=body.end,
        deadline=body.deadline,
        title=body.title,
        instructions=body.instructions,
        cutoff=body.cutoff,
    )
    return Status(201, _request_out(access_request(by=request.user, pk=sent.pk)))


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, **ERRORS},
    summary="One data request with its counts",
    operation_id=_op("data_request_detail"),
)
def data_request_detail(request: HttpRequest, request_id: Id) -> Any:
    return _request_out(access_request(by=request.user, pk=request_id))


@router.get(
    "/requests/{request_id}/assignments",
    response={200: AssignmentListOut, **ERRORS},
    summary="A request's assignments with where each stands",
    operation_id=_op("data_request_assignments"),
)
def data_request_assignments(request: HttpRequest, request_id: Id, filters: Query[AssignmentQuery]) -> Any:
    """Late first, then not started, filed and approved; ``state`` keeps one of them. The same
    list as the tracking page."""
    data_request = access_request(by=request.user, pk=request_id)
    tracking = selectors.request_tracking(data_request, state=filters.state)
    window = page(tracking.rows, limit=filters.limit, offset=filters.offset)
    window["items"] = [_assignment_out(row.assignment, row.state) for row in window["items"]]
    return window


@router.get(
    "/requests/{request_id}/totals",
    response={200: TotalsOut, **ERRORS},
    summary="The figures filed for a request, per unit and in total",
    operation_id=_op("data_request_totals"),
)
def data_request_totals(request: HttpRequest, request_id: Id) -> Any:
    """Each filing unit's current version and the sum of each number field (``null``: nobody
    filed it). The same figures as the page and its XLSX export."""
    totals = selectors.request_totals(access_request(by=request.user, pk=request_id))
    return {
        "request": request_id,
        "filed": totals.filed,
        "assigned": totals.assigned,
        "fields": [f.code for f in totals.fields],
        "totals": totals.totals,
        "units": [
            {"unit": a.unit.code, "status": a.status, "version": a.current.number if a.current else None, "values": v}
            for a, v in totals.rows
        ],
    }


@router.post(
    "/requests/{request_id}/close",
    response={200: RequestOut, **ERRORS},
    summary="Close a request: it takes no more figures",
    operation_id=_op("data_request_close"),
)
def data_request_close(request: HttpRequest, request_id: Id) -> Any:
    """Once the figures are collected, the sender closes the request: no unit may file or correct
    figures after it (409 ``request_closed``), and nobody is reminded. What was filed stays, and
    the level above may still approve it. Closing a closed request answers it unchanged."""
    data_request = access_request_for_closing(by=request.user, pk=request_id)
    closed, _changed = request_close(by=request.user, request=data_request)
    return _request_out(closed)


@router.post(
    "/requests/{request_id}/remind",
    response={200: ReminderOut, **ERRORS},
    summary="Remind the late units",
    operation_id=_op("data_request_remind"),
)
def data_request_remind(request: HttpRequest, request_id: Id) -> Any:
    """Every unit whose deadline passed without a filing gets a reminder (recorded and audited);
    the messages go out in the background through the notification channels to ``recipients``
    officers with an address; ``message`` is the text to copy into a chat group."""
    data_request = access_request_for_reminding(by=request.user, pk=request_id)
    result = request_remind_late(by=request.user, request=data_request)
    return {
        "reminded": [a.unit.code for a in result.reminded],
        "recipients": result.recipients,
        "message": result.message,
    }


@router.get(
    "/assignments/{assignment_id}",
    response={200: RequestAssignmentOut, **ERRORS},
    summary="One assignment with its current version",
    operation_id=_op("assignment_detail"),
)
def assignment_detail(request: HttpRequest, assignment_id: Id) -> Any:
    return _assignment_out(access_assignment(by=request.user, pk=assignment_id))


def _typed(assignment: DataRequestAssignment, body: FilingIn) -> None:
    """The declared types only: a number field takes a JSON integer, a text field a string."""
    kinds = {f.code: f.kind for f in assignment.request.data_set.fields.all()}
    problems = []
    for code, value in body.values.items():
        if value is None or code not in kinds:
            continue
        if kinds[code] == FieldKind.TEXT and not isinstance(value, str):
            problems.append({"field": code, "message": _("Give a text.")})
        elif kinds[code] != FieldKind.TEXT and not isinstance(value, int):
            problems.append({"field": code, "message": _("Give a whole number, zero or more.")})
    if problems:
        raise ValidationFailed(
            _("The figures were not filed: %(count)s problem(s).") % {"count": len(problems)},
            extra={"field": problems[0]["field"], "problems": problems},
        )


def _filed(assignment: DataRequestAssignment, version: DataSubmission) -> Any:
    assignment.refresh_from_db()
    return Status(201, {"assignment": _assignment_out(assignment), "version": _version_out(version)})


def _file_version(request: HttpRequest, assignment_id: int, body: FilingIn, *, reason: str) -> Any:
    """A new version of the unit's figures (a correction when ``reason`` is given), as filed over the API."""
    assignment = access_assignment_for_filing(by=request.user, pk=assignment_id)
    _typed(assignment, body)
    version = submission_file(
        by=request.user,
        assignment=assignment,
        values=body.values,
        explanations=body.explanations,
        reason=reason,
        source=SubmissionSource.API,
    )
    return _filed(assignment, version)


@router.post(
    "/assignments/{assignment_id}/filings",
    response={201: FiledOut, **ERRORS},
    summary="File values for an assignment",
    operation_id=_op("assignment_file"),
)
def assignment_file(request: HttpRequest, assignment_id: Id, body: FilingIn) -> Any:
    """A new version of the unit's figures. Computed fields may be left out (Lantoa's figure is
    used) or differ only with an explanation. Every problem is listed in ``extra.problems`` and
    nothing is written; warnings are kept with the version. Approved figures are locked: use
    ``corrections`` (409 ``approved_locked`` here)."""
    return _file_version(request, assignment_id, body, reason="")


@router.post(
    "/assignments/{assignment_id}/corrections",
    response={201: FiledOut, **ERRORS},
    summary="Correct approved figures",
    operation_id=_op("assignment_correct"),
)
def assignment_correct(request: HttpRequest, assignment_id: Id, body: CorrectionIn) -> Any:
    """A new version, with its reason, of figures already approved; it awaits approval again.
    The approved version stays as it was."""
    return _file_version(request, assignment_id, body, reason=body.reason)


@router.post(
    "/assignments/{assignment_id}/upload",
    response={201: FiledOut, **ERRORS},
    summary="File the generated spreadsheet",
    operation_id=_op("assignment_upload"),
)
def assignment_upload(request: HttpRequest, assignment_id: Id, file: File[UploadedFile], reason: Form[str] = "") -> Any:
    """multipart/form-data ``file``: the form downloaded from the assignment's page, filled in
    column C (and ``reason`` for a correction of approved figures). All or nothing: any problem
    answers 422 ``import_rejected`` with every problem and its cell in ``extra.errors``."""
    assignment = access_assignment_for_filing(by=request.user, pk=assignment_id)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."), extra={"field": "file"})
    if len(reason) > 1000:
        raise ValidationFailed(
            _("The reason is at most %(max)s characters.") % {"max": 1000}, extra={"field": "reason"}
        )
    version = filing_from_xlsx(
        by=request.user, assignment=assignment, file=file.read(MAX_IMPORT_BYTES + 1), reason=reason
    )
    return _filed(assignment, version)


@router.post(
    "/assignments/{assignment_id}/approve",
    response={200: FiledOut, **ERRORS},
    summary="Approve an assignment's current version",
    operation_id=_op("assignment_approve"),
)
def assignment_approve(request: HttpRequest, assignment_id: Id) -> Any:
    """The level above approves, which locks the figures; approving again changes nothing."""
    assignment = access_assignment_for_approval(by=request.user, pk=assignment_id)
    version, _approved = submission_approve(by=request.user, assignment=assignment)
    assignment.refresh_from_db()
    return {"assignment": _assignment_out(assignment), "version": _version_out(version)}
