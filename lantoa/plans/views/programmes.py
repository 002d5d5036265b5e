"""The plans' pages: programmes with their tasks and progress, the coverage of a requirement,
and recommendations. Parse, gate, call the service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, ImportRejected
from lantoa.library.permissions import documents_visible_to
from lantoa.org.models import Tier
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.plans import selectors, services, tasks_io
from lantoa.plans.dossier import XLSX_TYPE
from lantoa.plans.forms import (
    AdvanceForm,
    ProgrammeForm,
    RecommendationForm,
    RequirementForm,
    TaskForm,
    TasksImportForm,
    UpdateForm,
)
from lantoa.plans.models import RecommendationStatus, TaskStatus
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
    may_answer,
    may_keep_programme,
    may_remind_recommendation,
    may_remind_requirement,
    may_report_progress,
    owner_lookup,
    require_reader,
)
from lantoa.plans.views.reminders import reminder_context

PAGE_MAX = 300


def _form_page(request: HttpRequest, template: str, form: Any, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=422 if form.errors else 200)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    context = {
        "programmes": selectors.programme_list_for_user(request.user)[:PAGE_MAX],
        "requirements": selectors.requirement_list_for_user(request.user)[:PAGE_MAX],
        "may_record": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    return render(request, "plans/index.html", context)


@require_http_methods(["GET", "POST"])
def requirement_new(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = RequirementForm(
        request.POST or None, documents=documents_visible_to(request.user), tiers=Tier.objects.order_by("rank")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_recording_unit(by=request.user, code=data["unit"])
            document = access_evidence_document(by=request.user, pk=data["document"])
            requirement = services.requirement_set(
                by=request.user,
                unit=unit,
                document=document,
                tier=Tier.objects.get(pk=data["tier"]),
                due_on=data["due_on"],
                note=data["note"],
            )
            messages.success(request, _("Deadline set."))
            return redirect("plans:requirement_detail", pk=requirement.pk)
        except ApplicationError as error:
            form.show_error(error)
    return _form_page(request, "plans/form.html", form, {"heading": _("Set a deadline for programmes")})


@require_GET
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = access_requirement(by=request.user, pk=pk)
    structure = request.GET.get("structure", "historical")
    if structure not in selectors.STRUCTURES:
        structure = "historical"
    coverage = selectors.requirement_coverage(requirement, structure=structure)
    reminded = selectors.last_reminded("requirement", [requirement.pk], per_unit=True)
    rows = [{"row": row, "state": coverage.state(row), "reminded": reminded.get(row.unit.pk)} for row in coverage.rows]
    context = {
        "requirement": requirement,
        "coverage": coverage,
        "rows": rows,
        "structure": structure,
        **reminder_context("requirement", requirement, allowed=may_remind_requirement(request.user, requirement)),
    }
    return render(request, "plans/requirement_detail.html", context)


@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = ProgrammeForm(request.POST or None, documents=documents_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_recording_unit(by=request.user, code=data["unit"])
            document = access_evidence_document(by=request.user, pk=data["document"])
            programme = services.programme_create(
                by=request.user,
                data=services.ProgrammeData(
                    unit=unit,
                    document=document,
                    title=data["title"],
                    decision_number=data["decision_number"],
                    issued_on=data["issued_on"],
                ),
            )
            messages.success(request, _("Programme recorded. Add its tasks."))
            return redirect("plans:programme_detail", pk=programme.pk)
        except ApplicationError as error:
            form.show_error(error)
    return _form_page(request, "plans/form.html", form, {"heading": _("Record an action programme")})


@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_programme(by=request.user, pk=pk)
    may_keep = may_keep_programme(request.user, programme)
    form = TaskForm(request.POST or None)
    if request.method == "POST":
        programme = access_programme(by=request.user, pk=pk, write=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                owner = access_unit(by=request.user, code=data["owner_unit"]) if data["owner_unit"] else None
                services.task_add(
                    by=request.user,
                    programme=programme,
                    data=services.TaskData(
                        title=data["title"],
                        starts_on=data["starts_on"],
                        due_on=data["due_on"],
                        owner_unit=owner,
                        owner_role=data["owner_role"],
                        expected_result=data["expected_result"],
                        indicator=data["indicator"],
                        target_value=data["target_value"],
                    ),
                )
                messages.success(request, _("Task added."))
                return redirect("plans:programme_detail", pk=programme.pk)
            except ApplicationError as error:
                form.show_error(error)
    tasks = selectors.programme_tasks(programme)
    reminded = selectors.last_reminded("task", [row.task.pk for row in tasks])
    for row in tasks:
        row.reminded = reminded.get(row.task.pk)
    context = {
        "programme": programme,
        "tasks": tasks,
        "transfers": programme.transfers.select_related("from_unit", "to_unit"),
        "may_keep": may_keep,
        "statuses": dict(TaskStatus.choices),
        "form": form,
        **reminder_context("tasks", programme, allowed=may_keep),
    }
    return render(request, "plans/programme_detail.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(by=request.user, pk=pk)
    form = UpdateForm(request.POST or None, initial={"recorded_on": today()})
    if request.method == "POST":
        task = access_task(by=request.user, pk=pk, report=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conference = (
                    access_evidence_conference(by=request.user, pk=data["conference"]) if data["conference"] else None
                )
                document = access_evidence_document(by=request.user, pk=data["document"]) if data["document"] else None
                services.progress_record(
                    by=request.user,
                    task=task,
                    data=services.UpdateData(
                        percent=data["percent"],
                        recorded_on=data["recorded_on"],
                        note=data["note"],
                        conference=conference,
                        document=document,
                        url=data["url"],
                    ),
                )
                messages.success(request, _("Progress recorded."))
                return redirect("plans:task_detail", pk=task.pk)
            except ApplicationError as error:
                form.show_error(error)
    context = {
        "task": task,
        "status": TaskStatus(selectors.task_status(task)).label,
        "updates": selectors.task_updates(task),
        "may_report": may_report_progress(request.user, task),
        "form": form,
    }
    return render(request, "plans/task_detail.html", context, status=422 if form.errors else 200)


@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    soon = request.GET.get("due") == "soon"
    day = today()
    tasks = selectors.tasks_due_for_user(request.user, on=day, soon_only=soon)[:PAGE_MAX]
    labels = dict(TaskStatus.choices)
    rows = [{"task": task, "status": labels[selectors.task_status(task, on=day)]} for task in tasks]
    return render(request, "plans/task_list.html", {"rows": rows, "soon": soon})


# --- Recommendations -----------------------------------------------------------------------------


@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    status = request.GET.get("status", "")
    if status not in {"", "open", *RecommendationStatus.values}:
        status = ""
    items = list(selectors.recommendation_list_for_user(request.user, status=status)[:PAGE_MAX])
    context = {
        "items": items,
        "grouped": selectors.recommendations_grouped(items),
        "open_by_tier": selectors.open_recommendations_by_tier(items),
        "answer_times": selectors.answer_times(request.user),
        "status": status,
        "statuses": RecommendationStatus.choices,
        "may_record": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    return render(request, "plans/recommendation_list.html", context)


@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_recording_unit(by=request.user, code=data["unit"])
            addressee = access_unit(by=request.user, code=data["addressee_unit"]) if data["addressee_unit"] else None
            inspection = access_inspection(by=request.user, pk=data["inspection"]) if data["inspection"] else None
            recommendation = services.recommendation_send(
                by=request.user,
                data=services.RecommendationData(
                    unit=unit,
                    topic=data["topic"],
                    text=data["text"],
                    sent_on=data["sent_on"],
                    addressee_unit=addressee,
                    addressee_name=data["addressee_name"],
                    source=data["source"],
                    due_on=data["due_on"],
                    inspection=inspection,
                ),
            )
            messages.success(request, _("Recommendation recorded."))
            return redirect("plans:recommendation_detail", pk=recommendation.pk)
        except ApplicationError as error:
            form.show_error(error)
    return _form_page(request, "plans/form.html", form, {"heading": _("Record a recommendation")})


@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access_recommendation(by=request.user, pk=pk)
    answering = may_answer(request.user, recommendation)
    form = AdvanceForm(request.POST or None, initial={"on": today()})
    if request.method == "POST":
        recommendation = access_recommendation_to_answer(by=request.user, pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.recommendation_advance(
                    by=request.user,
                    recommendation=recommendation,
                    status=data["status"],
                    on=data["on"],
                    answer=data["answer"],
                    reason=data["reason"],
                )
                messages.success(request, _("Status changed."))
                return redirect("plans:recommendation_detail", pk=recommendation.pk)
            except ApplicationError as error:
                form.show_error(error)
    context = {
        "recommendation": recommendation,
        "may_answer": answering and bool(services.TRANSITIONS[recommendation.status]),
        "reminded": selectors.last_reminded("recommendation", [recommendation.pk]).get(recommendation.pk),
        "form": form,
        **reminder_context(
            "recommendation", recommendation, allowed=may_remind_recommendation(request.user, recommendation)
        ),
    }
    return render(request, "plans/recommendation_detail.html", context, status=422 if form.errors else 200)


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@require_http_methods(["GET", "POST"])
def programme_tasks_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a programme's task table: every problem is listed with its row and column and
    nothing is written, or every row becomes a task, numbered after those already there."""
    programme = access_programme(by=request.user, pk=pk, write=True)
    form = TasksImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, Any]] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = services.tasks_import(
                by=request.user, programme=programme, file=form.cleaned_data["file"], lookup=owner_lookup(request.user)
            )
            messages.success(request, result.summary())
            return redirect("plans:programme_detail", pk=programme.pk)
        except ImportRejected as rejection:
            problems = rejection.extra.get("details", [])
            more_problems = rejection.extra.get("more", 0)
            form.add_error(None, rejection.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
    tasks = selectors.programme_tasks(programme)
    reminded = selectors.last_reminded("task", [row.task.pk for row in tasks])
    for row in tasks:
        row.reminded = reminded.get(row.task.pk)
    context = {
        "programme": programme,
        "form": form,
        "problems": problems,
        "more_problems": more_problems,
        "columns": tasks_io.COLUMNS,
    }
    return render(request, "plans/tasks_import.html", context, status=422 if form.errors else 200)


@require_GET
def tasks_import_template(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    english = _english()
    response = HttpResponse(tasks_io.tasks_template(english=english), content_type=XLSX_TYPE)
    name = "lantoa-programme-tasks.xlsx" if english else "lantoa-nhiem-vu-chuong-trinh.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
