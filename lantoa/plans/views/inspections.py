"""Inspection pages: the yearly list with the overdue follow-ups, an inspection with its team,
conclusions and follow-ups, closing a follow-up, and the XLSX of follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.core.uploads import kept_file_response
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.plans import selectors, services
from lantoa.plans.dossier import (
    DOCX_TYPE,
    PDF_TYPE,
    XLSX_TYPE,
    dossier_docx_filename,
    dossier_filename,
    dossier_pdf_filename,
    follow_ups_xlsx,
    inspection_docx,
    inspection_pdf,
)
from lantoa.plans.forms import CloseForm, ConclusionForm, InspectionFileForm, InspectionForm, MemberForm
from lantoa.plans.permissions import (
    access_follow_up,
    access_inspection,
    access_inspection_file,
    access_planned_inspection,
    access_recording_unit,
    access_team_person,
    access_team_user,
    may_close,
    may_keep_inspection,
    require_reader,
)
from lantoa.plans.views.reminders import reminder_context

PAGE_MAX = 300


@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    context = {
        "inspections": selectors.inspection_list_for_user(request.user, year=year)[:PAGE_MAX],
        "year": year,
        "overdue": selectors.follow_up_list_for_user(request.user, overdue_on=today())[:PAGE_MAX],
        "may_record": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    return render(request, "plans/inspection_list.html", context)


@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = InspectionForm(request.POST or None, initial=_planned_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = access_planned_inspection(by=request.user, pk=data["planned"]) if data["planned"] else None
            unit = access_recording_unit(by=request.user, code=data["unit"])
            inspected = tuple(access_unit(by=request.user, code=code) for code in data["inspected"][:60])
            inspection = services.inspection_create(
                by=request.user,
                data=services.InspectionData(
                    unit=unit,
                    kind=data["kind"],
                    title=data["title"],
                    deciding_body=data["deciding_body"],
                    decision_number=data["decision_number"],
                    decided_on=data["decided_on"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    topics=data["topics"],
                    findings=data["findings"],
                    inspected=inspected,
                    planned=planned,
                ),
            )
            messages.success(request, _("Inspection recorded. Add its team and conclusions."))
            return redirect("plans:inspection_detail", pk=inspection.pk)
        except ApplicationError as error:
            form.show_error(error)
    status = 422 if form.errors else 200
    return render(request, "plans/form.html", {"form": form, "heading": _("Record an inspection")}, status=status)


def _planned_initial(request: HttpRequest) -> dict[str, Any]:
    """The form filled from the planned inspection it records, when opened from a plan."""
    text = request.GET.get("planned", "")
    if not text.isdigit() or len(text) > 9:
        return {}
    try:
        item = access_planned_inspection(by=request.user, pk=int(text))
    except ApplicationError:
        return {}
    return {"planned": item.pk, "unit": item.plan.unit.code, "kind": item.kind, "title": item.topic,
            "inspected": item.unit.code}  # fmt: skip


def _member_identity(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if data["person"]:
        return {"person": access_team_person(by=request.user, pk=data["person"])}
    if data["username"]:
        return {"user": access_team_user(by=request.user, username=data["username"])}
    return {"name": data["name"]}


@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(by=request.user, pk=pk)
    member_form = MemberForm(request.POST if request.POST.get("action") == "member" else None, prefix="member")
    conclusion_form = ConclusionForm(
        request.POST if request.POST.get("action") == "conclusion" else None, prefix="conclusion"
    )
    if request.method == "POST":
        inspection = access_inspection(by=request.user, pk=pk, write=True)
        form: Any = member_form if request.POST.get("action") == "member" else conclusion_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is member_form:
                    services.team_member_add(
                        by=request.user, inspection=inspection, role=data["role"], **_member_identity(request, data)
                    )
                    messages.success(request, _("Team member added."))
                else:
                    owner = access_unit(by=request.user, code=data["owner_unit"]) if data["owner_unit"] else None
                    services.conclusion_add(
                        by=request.user, inspection=inspection, text=data["text"], owner_unit=owner,
                        due_on=data["due_on"],
                    )  # fmt: skip
                    messages.success(request, _("Conclusion recorded."))
                return redirect("plans:inspection_detail", pk=inspection.pk)
            except ApplicationError as error:
                form.show_error(error)
    return _detail_page(request, inspection, member_form=member_form, conclusion_form=conclusion_form)


def _detail_page(request: HttpRequest, inspection: Any, **forms: Any) -> HttpResponse:
    parts = selectors.inspection_parts(inspection)
    day = today()
    follow_up_ids = [c.follow_up.pk for c in parts["conclusions"] if hasattr(c, "follow_up")]
    reminded = selectors.last_reminded("follow_up", follow_up_ids)
    conclusions = [
        {
            "conclusion": c,
            "follow_up": getattr(c, "follow_up", None),
            "status": selectors.follow_up_status(c.follow_up, on=day) if hasattr(c, "follow_up") else "",
            "reminded": reminded.get(c.follow_up.pk) if hasattr(c, "follow_up") else None,
        }
        for c in parts["conclusions"]
    ]
    may_keep = may_keep_inspection(request.user, inspection)
    forms.setdefault("member_form", MemberForm(prefix="member"))
    forms.setdefault("conclusion_form", ConclusionForm(prefix="conclusion"))
    forms.setdefault(
        "file_form",
        InspectionFileForm(files_kept=parts["files"], inspected=parts["inspected"], initial={"dated_on": day}),
    )
    context = {
        "inspection": inspection,
        "inspected": parts["inspected"],
        "team": parts["team"],
        "conclusions": conclusions,
        "files": parts["files"],
        "may_keep": may_keep,
        **forms,
        **reminder_context("follow_ups", inspection, allowed=may_keep),
    }
    status = 422 if any(form.errors for form in forms.values()) else 200
    return render(request, "plans/inspection_detail.html", context, status=status)


@require_POST
def inspection_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(by=request.user, pk=pk, write=True)
    inspected = [row.unit for row in inspection.inspected.select_related("unit").order_by("unit__code")]
    form = InspectionFileForm(
        request.POST, request.FILES, files_kept=selectors.inspection_files(inspection), inspected=inspected
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_unit(by=request.user, code=data["unit"]) if data["unit"] else None
            replaces = access_inspection_file(by=request.user, pk=data["replaces"]) if data["replaces"] else None
            services.inspection_file_add(
                by=request.user, inspection=inspection, upload=data["file"], kind=data["kind"],
                dated_on=data["dated_on"], unit=unit, title=data["title"], replaces=replaces,
            )  # fmt: skip
            messages.success(request, _("The file was added to the inspection."))
            return redirect(reverse("plans:inspection_detail", args=[inspection.pk]) + "#files")
        except ApplicationError as error:
            form.show_error(error)
    return _detail_page(request, inspection, file_form=form)


@require_GET
def inspection_file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    kept = access_inspection_file(by=request.user, pk=pk)
    return kept_file_response(kept)


@require_GET
def inspection_dossier_docx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(by=request.user, pk=pk)
    response = HttpResponse(inspection_docx(inspection), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_docx_filename(inspection)}"'
    return response


@require_GET
def inspection_dossier_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(by=request.user, pk=pk)
    response = HttpResponse(inspection_pdf(inspection), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_pdf_filename(inspection)}"'
    return response


@require_GET
def inspection_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(by=request.user, pk=pk)
    response = HttpResponse(follow_ups_xlsx(inspection), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_filename(inspection)}"'
    return response


@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    day = today()
    rows = [
        {
            "follow_up": f,
            "status": selectors.follow_up_status(f, on=day),
            "may_close": may_close(request.user, f),
            "form": CloseForm(initial={"closed_on": day}, prefix=f"f{f.pk}"),
        }
        for f in selectors.follow_up_list_for_user(request.user)[:PAGE_MAX]
    ]
    return render(request, "plans/follow_up_list.html", {"rows": rows})


@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(by=request.user, pk=pk, close=True)
    form = CloseForm(request.POST, prefix=f"f{follow_up.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_close(
                by=request.user, follow_up=follow_up, closed_on=data["closed_on"], evidence=data["evidence"],
                url=data["url"],
            )  # fmt: skip
            messages.success(request, _("Follow-up closed."))
            return redirect("plans:inspection_detail", pk=follow_up.conclusion.inspection_id)
        except ApplicationError as error:
            form.show_error(error)
    context = {"form": form, "heading": _("Close a follow-up"), "follow_up": follow_up}
    return render(request, "plans/form.html", context, status=422)
