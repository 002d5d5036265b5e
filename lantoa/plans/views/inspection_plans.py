"""Yearly inspection plans: the list, recording a plan, and a plan with what it foresaw, held or
not yet (adding a planned inspection, and recording one as held from there)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.plans import selectors, services
from lantoa.plans.forms import InspectionPlanForm, PlannedForm
from lantoa.plans.permissions import access_inspection_plan, access_recording_unit, may_keep_plan, require_reader

PAGE_MAX = 300


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    context = {
        "plans": selectors.inspection_plan_list_for_user(request.user, year=year)[:PAGE_MAX],
        "year": year,
        "may_record": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    return render(request, "plans/inspection_plan_list.html", context)


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = InspectionPlanForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.inspection_plan_create(
                by=request.user, unit=access_recording_unit(by=request.user, code=data["unit"]), year=data["year"],
                title=data["title"], decision_number=data["decision_number"], decided_on=data["decided_on"],
            )  # fmt: skip
            messages.success(request, _("Plan recorded. Add the inspections it foresees."))
            return redirect("plans:inspection_plan_detail", pk=plan.pk)
        except ApplicationError as error:
            form.show_error(error)
    status = 422 if form.errors else 200
    return render(request, "plans/form.html", {"form": form, "heading": _("Record an inspection plan")}, status=status)


@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_inspection_plan(by=request.user, pk=pk)
    form = PlannedForm(request.POST or None)
    if request.method == "POST":
        plan = access_inspection_plan(by=request.user, pk=pk, write=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = access_unit(by=request.user, code=data["unit"])
                services.planned_inspection_add(by=request.user, plan=plan, data=services.PlannedData(
                    unit=unit, topic=data["topic"], month=data["month"], kind=data["kind"]))  # fmt: skip
                messages.success(request, _("Inspection added to the plan."))
                return redirect("plans:inspection_plan_detail", pk=plan.pk)
            except ApplicationError as error:
                form.show_error(error)
    rows = selectors.inspection_plan_rows(plan, on=today())
    context = {
        "plan": plan,
        "rows": rows,
        "held": sum(1 for row in rows if row.status == "held"),
        "may_keep": may_keep_plan(request.user, plan),
        "form": form,
    }
    return render(request, "plans/inspection_plan_detail.html", context, status=422 if form.errors else 200)
