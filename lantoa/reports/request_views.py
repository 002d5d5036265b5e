"""Pages of data requests: the list, sending a request, the sender's tracking page (with the
totals, reminders and "copy as message"), the unit's filing page (a plain POST form that works
on a phone and a weak connection, or the generated spreadsheet), and approval."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.core.errors import ApplicationError, ImportRejected, NotFound, ValidationFailed
from lantoa.org.models import Tier
from lantoa.reports import request_selectors as selectors
from lantoa.reports.models import AssignmentStatus, DataRequestAssignment, SubmissionSource
from lantoa.reports.request_forms import (
    DataSetForm,
    DataSetRevisionForm,
    FilingForm,
    FilingUploadForm,
    RequestSendForm,
    data_set_lines,
)
from lantoa.reports.request_permissions import (
    access_assignment,
    access_assignment_for_approval,
    access_assignment_for_filing,
    access_data_set_owner,
    access_request,
    access_request_for_closing,
    access_request_for_reminding,
    access_sending_unit,
    data_sets_for,
    may_approve,
    may_close,
    may_file,
    may_remind,
    may_send_from,
)
from lantoa.reports.request_services import (
    computed_figures,
    data_set_create,
    data_set_retire,
    data_set_revise,
    reminder_message,
    request_close,
    request_remind_late,
    request_send,
    submission_approve,
    submission_file,
)
from lantoa.reports.request_xlsx import XLSX_TYPE, assignment_form_xlsx, filing_from_xlsx, totals_xlsx


def _today() -> Any:
    from lantoa.org.selectors import today

    return today()


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """What the user files (their units' assignments), what waits for their approval, and the
    requests sent by units they see."""
    unit = current_unit(request)
    context = {
        "to_file": list(selectors.assignments_of_user(request.user)[:50]),
        "to_approve": list(selectors.approval_queue(request.user)[:50]),
        "sent": list(selectors.requests_sent_visible_to(request.user)[:50]),
        "may_send": unit is not None and may_send_from(request.user, unit),
        "unit": unit,
        "today": _today(),
    }
    return render(request, "reports/requests/list.html", context)


def _tier_choices(unit: Any) -> list[tuple[str, str]]:
    return [(tier.code, tier.name) for tier in Tier.objects.filter(rank__gt=unit.kind.tier.rank).order_by("rank")]


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Send a data set down from the current unit to the units of a tier below it."""
    unit = current_unit(request)
    if unit is None:
        raise NotFound(_("Page not found."))
    access_sending_unit(by=request.user, unit=unit)
    data_sets = [(data_set.pk, data_set.name) for data_set in data_sets_for(request.user, unit)]
    form = RequestSendForm(request.POST or None, data_sets=data_sets, tiers=_tier_choices(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data_set = data_sets_for(request.user, unit).get(pk=data["data_set"])
        try:
            sent = request_send(
                by=request.user,
                data_set=data_set,
                unit=unit,
                tier_code=data["tier"],
                start=data["start"],
                end=data["end"],
                deadline=data["deadline"],
                cutoff=data["cutoff"],
                title=data["title"],
                instructions=data["instructions"],
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(
                request,
                _("The request was sent to %(count)s units.") % {"count": sent.assignments.count()},
            )
            return redirect("reports:request_detail", pk=sent.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reports/requests/new.html", {"form": form, "unit": unit, "has_sets": bool(data_sets)}, status=status
    )


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender's page: who has filed, who is late, who has not started; the totals so far."""
    data_request = access_request(by=request.user, pk=pk)
    state = request.GET.get("state", "")
    if state not in selectors.STATE_LABELS:
        state = ""
    tracking = selectors.request_tracking(data_request, today=_today(), state=state)
    totals = selectors.request_totals(data_request)
    is_open = data_request.closed_at is None
    all_late = tracking.late if is_open and (not state or state == selectors.State.LATE) else []
    context = {
        "data_request": data_request,
        "tracking": tracking,
        "totals": totals,
        "state": state,
        "may_remind": is_open and may_remind(request.user, data_request),
        "may_close": is_open and may_close(request.user, data_request),
        "copy_message": reminder_message(data_request, [row.assignment for row in all_late]) if all_late else "",
    }
    return render(request, "reports/requests/detail.html", context)


@require_POST
def request_remind(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access_request_for_reminding(by=request.user, pk=pk)
    result = request_remind_late(by=request.user, request=data_request)
    if not result.reminded:
        messages.info(request, _("No unit is late."))
    else:
        messages.success(
            request,
            _(
                "%(units)s late units reminded; the messages are on their way to %(people)s officers with an "
                "e-mail address. For the others, copy the message below to your chat group."
            )
            % {"units": len(result.reminded), "people": result.recipients},
        )
    return redirect(reverse("reports:request_detail", args=[data_request.pk]) + "#copy-message")


@require_POST
def request_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender closes the request once the figures are collected (the box must be ticked)."""
    data_request = access_request_for_closing(by=request.user, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the request takes no more figures."))
        return redirect("reports:request_detail", pk=data_request.pk)
    _request, closed = request_close(by=request.user, request=data_request)
    if closed:
        messages.success(request, _("The request is closed: the units can no longer file or correct figures."))
    return redirect("reports:request_detail", pk=data_request.pk)


@require_GET
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access_request(by=request.user, pk=pk)
    response = HttpResponse(totals_xlsx(selectors.request_totals(data_request)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="data-request-{data_request.pk}.xlsx"'
    return response


def _filing_context(request: HttpRequest, assignment: DataRequestAssignment, form: Any, upload: Any) -> dict[str, Any]:
    return {
        "assignment": assignment,
        "data_request": assignment.request,
        "form": form,
        "upload": upload,
        "versions": list(selectors.assignment_versions(assignment)),
        "current_figures": selectors.version_figures(assignment.current, list(assignment.request.data_set.fields.all()))
        if assignment.current
        else [],
        "may_file": assignment.request.closed_at is None and may_file(request.user, assignment),
        "may_approve": may_approve(request.user, assignment),
        "state": selectors.assignment_state(assignment, assignment.request.deadline, _today()),
        "state_labels": selectors.STATE_LABELS,
        "locked": assignment.status == AssignmentStatus.APPROVED,
    }


def _filing_form(assignment: DataRequestAssignment, data: Any = None) -> FilingForm:
    fields = list(assignment.request.data_set.fields.all())
    computed = computed_figures(assignment, fields)
    initial: dict[str, Any] = {}
    if assignment.current is not None:
        for data_field in fields:
            value = assignment.current.values.get(data_field.code)
            if data_field.kind == "indicator":
                if value is not None and value != computed.get(data_field.code):
                    initial[data_field.code] = value
                    initial[f"explain__{data_field.code}"] = assignment.current.explanations.get(data_field.code, "")
            elif value is not None:
                initial[data_field.code] = value
    return FilingForm(
        data,
        initial=initial,
        fields=fields,
        computed=computed,
        correcting=assignment.status == AssignmentStatus.APPROVED,
    )


@require_http_methods(["GET", "POST"])
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's filing page (and, for the level above, the approval page)."""
    if request.method == "POST":
        assignment = access_assignment_for_filing(by=request.user, pk=pk)
    else:
        assignment = access_assignment(by=request.user, pk=pk)
    form = _filing_form(assignment, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values, explanations = form.values()
            try:
                version = submission_file(
                    by=request.user,
                    assignment=assignment,
                    values=values,
                    explanations=explanations,
                    reason=form.cleaned_data.get("reason", ""),
                    source=SubmissionSource.FORM,
                )
            except ValidationFailed as error:
                form.show_problems(
                    error.extra.get("problems") or [{"field": error.extra.get("field", ""), "message": error.message}]
                )
            except ApplicationError as error:
                form.show_error(error)
            else:
                if version.warnings:
                    messages.warning(
                        request,
                        _("Filed (version %(n)s), with warnings: %(warnings)s")
                        % {"n": version.number, "warnings": " ".join(w["message"] for w in version.warnings)},
                    )
                else:
                    messages.success(request, _("Filed (version %(n)s). Thank you.") % {"n": version.number})
                return redirect("reports:assignment_detail", pk=assignment.pk)
        status = 422
    return render(
        request,
        "reports/requests/assignment.html",
        _filing_context(request, assignment, form, FilingUploadForm()),
        status=status,
    )


@require_GET
def assignment_form_download(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment_for_filing(by=request.user, pk=pk)
    response = HttpResponse(assignment_form_xlsx(assignment, assignment.current), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="data-request-{assignment.request_id}-{assignment.unit.code}.xlsx"'
    )
    return response


@require_POST
def assignment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """File the generated spreadsheet: all of it, or nothing with every problem named by its cell."""
    assignment = access_assignment_for_filing(by=request.user, pk=pk)
    upload = FilingUploadForm(request.POST, request.FILES)
    problems: list[dict[str, str]] = []
    if upload.is_valid():
        try:
            version = filing_from_xlsx(
                by=request.user,
                assignment=assignment,
                file=upload.cleaned_data["file"],
                reason=upload.cleaned_data.get("reason") or "",
            )
        except ImportRejected as rejection:
            problems = rejection.extra.get("errors", [])
            upload.add_error(None, rejection.message)
        except ApplicationError as error:
            upload.add_error(None, error.message)
        else:
            messages.success(request, _("The spreadsheet was filed (version %(n)s).") % {"n": version.number})
            return redirect("reports:assignment_detail", pk=assignment.pk)
    context = _filing_context(request, assignment, _filing_form(assignment), upload)
    context["upload_problems"] = problems
    return render(request, "reports/requests/assignment.html", context, status=422)


@require_POST
def assignment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment_for_approval(by=request.user, pk=pk)
    try:
        version, approved = submission_approve(by=request.user, assignment=assignment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if approved:
            messages.success(
                request,
                _("Version %(n)s of %(unit)s approved; its figures are locked.")
                % {"n": version.number, "unit": assignment.unit.name},
            )
        else:
            messages.info(request, _("This version was already approved."))
    return redirect("reports:assignment_detail", pk=assignment.pk)


@require_GET
def data_set_list(request: HttpRequest) -> HttpResponse:
    """The data sets the current unit may send (its own and those of the units above it)."""
    unit = current_unit(request)
    if unit is None:
        raise NotFound(_("Page not found."))
    data_sets = data_sets_for(request.user, unit).select_related("unit").prefetch_related("fields", "rules")
    may_define = may_send_from(request.user, unit)
    context = {"unit": unit, "data_sets": data_sets, "may_define": may_define}
    return render(request, "reports/requests/data_sets.html", context)


@require_http_methods(["GET", "POST"])
def data_set_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The next version of a data set, started from the current one's lines; the current one
    is retired and the requests sent with it keep it."""
    data_set = access_data_set_owner(by=request.user, pk=pk)
    form = DataSetRevisionForm(request.POST or None, initial=data_set_lines(data_set))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        help_texts = {field.code: field.help_text for field in data_set.fields.all()}
        fields = [
            replace(spec, help_text=spec.help_text or help_texts.get(spec.code, "")) for spec in data["fields_text"]
        ]
        try:
            revision = data_set_revise(
                by=request.user,
                data_set=data_set,
                name=data["name"],
                description=data["description"],
                fields=fields,
                rules=data["rules_text"],
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(
                request,
                _("Version %(version)s of %(name)s was saved; the requests already sent keep theirs.")
                % {"version": revision.version, "name": revision.name},
            )
            return redirect("reports:data_set_list")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "unit": data_set.unit, "data_set": data_set, "computed": _computed_indicators()}
    return render(request, "reports/requests/data_set_new.html", context, status=status)


@require_POST
def data_set_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    data_set = access_data_set_owner(by=request.user, pk=pk)
    try:
        data_set_retire(by=request.user, data_set=data_set)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is retired: it is no longer sent.") % {"name": data_set.name})
    return redirect("reports:data_set_list")


def _computed_indicators() -> list[Any]:
    from lantoa.core.indicators import all_indicators

    return [indicator for indicator in all_indicators() if not indicator.reported]


@require_http_methods(["GET", "POST"])
def data_set_new(request: HttpRequest) -> HttpResponse:
    """Define a data set for the current unit, its fields and rules written one a line."""
    unit = current_unit(request)
    if unit is None:
        raise NotFound(_("Page not found."))
    access_sending_unit(by=request.user, unit=unit)
    form = DataSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            data_set, created = data_set_create(
                by=request.user,
                unit=unit,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                fields=data["fields_text"],
                rules=data["rules_text"],
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            if created:
                messages.success(request, _("The data set %(name)s was saved.") % {"name": data_set.name})
            else:
                messages.info(request, _("This data set already exists."))
            return redirect("reports:data_set_list")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "unit": unit, "computed": _computed_indicators()}
    return render(request, "reports/requests/data_set_new.html", context, status=status)
