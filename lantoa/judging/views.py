"""The judged contests' pages: the contests and their stages for staff, the stage's progress
board, results and actions for staff and the jury's chair and secretary, and a juror's score
sheets (on a phone or tablet: each score is saved as it changes through htmx, and the whole form
still works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, Conflict, ValidationFailed
from lantoa.core.htmx import wants_fragment
from lantoa.judging import selectors, services
from lantoa.judging.certificates import certificates_filename, pdf_response
from lantoa.judging.forms import CompetitionForm, EntryForm, JurorForm, RubricForm, StageForm
from lantoa.judging.models import ScoreSheet, Stage
from lantoa.judging.permissions import (
    access_competition,
    access_competition_to_run,
    access_organising_unit,
    access_rubric,
    access_sheet,
    access_stage,
    access_stage_to_publish,
    blind_for,
    competitions_visible_to,
    jury_role,
    may_run,
    may_run_stage,
    published_stage,
    require_signed_in_reader,
    rubrics_visible_to,
)
from lantoa.judging.presenters import entrant_name, sheet_entry
from lantoa.org.permissions import access_unit
from lantoa.people.permissions import access_person


@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    require_signed_in_reader(request.user)
    competitions = competitions_visible_to(request.user).select_related("unit").order_by("-starts_on", "pk")[:200]
    sheets = selectors.sheets_for_user(request.user).filter(status=ScoreSheet.Status.OPEN).count()
    context = {
        "competitions": competitions,
        "open_sheets": sheets,
        "may_organise": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    return render(request, "judging/competition_list.html", context)


@require_GET
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = access_competition(by=request.user, pk=pk)
    stages = (
        competition.stages.select_related("unit", "rubric_version__rubric", "tie_criterion")
        .order_by("number")
        .prefetch_related("rubric_version__criteria")
    )
    context = {
        "competition": competition,
        "stages": stages,
        "entries": competition.entries.count(),
        "may_run": may_run(request.user, competition),
    }
    return render(request, "judging/competition_detail.html", context)


def _stage_context(request: HttpRequest, stage: Stage) -> dict[str, Any]:
    board = selectors.progress_board(stage)
    results = [(row, entrant_name(row.entry)) for row in selectors.stage_results(stage)]
    return {
        "stage": stage,
        "competition": stage.competition,
        "board": board,
        "sheets": sum(row.assigned for row in board),
        "submitted": sum(row.submitted for row in board),
        "results": results,
        "may_run": may_run_stage(request.user, stage),
        "next_stage": selectors.stage_next(stage),
        "criteria": selectors.stage_criteria(stage),
        "jury": selectors.jury_with_conflicts(stage),
        "chair": jury_role(request.user, stage) == "chair",
        "withdrawals": stage.withdrawals.all(),
    }


@require_GET
def stage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk)
    return render(request, "judging/stage_detail.html", _stage_context(request, stage))


def _run(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    try:
        if action == "assign":
            result = services.stage_assign(by=request.user, stage=stage)
            messages.success(
                request,
                ngettext("%(n)s score sheet assigned.", "%(n)s score sheets assigned.", result.created)
                % {"n": result.created},
            )
        elif action == "results":
            ranked = services.stage_results_compute(by=request.user, stage=stage)
            messages.success(
                request,
                ngettext("Results computed: %(n)s entry ranked.", "Results computed: %(n)s entries ranked.", ranked)
                % {"n": ranked},
            )
        else:
            advanced = services.stage_advance(by=request.user, stage=stage)
            if advanced.created:
                count = len(advanced.obj)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s entry advanced to the next stage.", "%(n)s entries advanced to the next stage.", count
                    )
                    % {"n": count},
                )
            else:
                messages.info(request, _("Those who qualify had already advanced."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("judging:stage_detail", pk=stage.pk)


@require_POST
def stage_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "assign")


@require_POST
def stage_compute(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "results")


@require_POST
def stage_advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "advance")


@require_POST
def stage_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair publishes the computed results ("publish") or withdraws them with a reason."""
    stage = access_stage_to_publish(by=request.user, pk=pk)
    try:
        if request.POST.get("action") == "unpublish":
            services.stage_unpublish(by=request.user, stage=stage, reason=request.POST.get("reason", ""))
            messages.success(request, _("The results were withdrawn."))
        else:
            services.stage_publish(by=request.user, stage=stage)
            messages.success(request, _("The results were published."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("judging:stage_detail", pk=stage.pk)


@require_GET
def stage_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """The prize winners' certificates as one PDF; before the results (or without a prize) the
    stage's page again, with the reason."""
    stage = access_stage(by=request.user, pk=pk, run=True)
    try:
        data = services.stage_certificates(by=request.user, stage=stage)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("judging:stage_detail", pk=stage.pk)
    return pdf_response(data, certificates_filename(stage))


@login_not_required
@require_GET
def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A stage's published results for anyone, on a phone: the ranking and the prizes."""
    try:
        stage = published_stage(pk)
    except ApplicationError as error:
        raise Http404 from error
    rows = [(row, entrant_name(row.entry)) for row in selectors.stage_results(stage)]
    context = {"stage": stage, "competition": stage.competition, "rows": rows}
    return render(request, "judging/public_results.html", context)


# --- A juror's sheets -------------------------------------------------------------------------


@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    sheets = [
        (sheet, *sheet_entry(sheet, blind=blind_for(request.user, sheet))[:2])
        for sheet in selectors.sheets_for_user(request.user)
    ]
    return render(request, "judging/sheet_list.html", {"sheets": sheets})


def _sheet_context(
    by: Any, sheet: ScoreSheet, errors: dict[int, str] | None = None, posted: dict[int, str] | None = None
) -> dict[str, Any]:
    criteria, scores = selectors.sheet_with_scores(sheet)
    rows = []
    section = None
    for criterion in criteria:
        value = (posted or {}).get(criterion.pk)
        if value is None and criterion.pk in scores:
            value = format(scores[criterion.pk].value.normalize(), "f")
        rows.append(
            {
                "criterion": criterion,
                "value": value or "",
                "error": (errors or {}).get(criterion.pk, ""),
                "new_section": criterion.section if criterion.section != section else None,
            }
        )
        section = criterion.section
    title, entrant, materials = sheet_entry(sheet, blind=blind_for(by, sheet))
    return {
        "sheet": sheet,
        "rows": rows,
        "entry_title": title,
        "entrant": entrant,
        "materials": materials,
        "scored": len(scores),
        "total": len(criteria),
    }


@require_http_methods(["GET", "POST"])
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The score sheet. Without JavaScript the form posts every score (and "submit" when the
    juror is done); with htmx each field posts itself to :func:`sheet_score` as it changes."""
    sheet = access_sheet(by=request.user, pk=pk, chair=True)
    mine = sheet.juror.user_id == request.user.pk
    if request.method == "POST" and mine and not sheet.is_locked:
        errors: dict[int, str] = {}
        posted: dict[int, str] = {}
        criteria, _scores = selectors.sheet_with_scores(sheet)
        for criterion in criteria:
            text = (request.POST.get(f"criterion_{criterion.pk}") or "").strip().replace(",", ".")
            if not text:
                continue
            posted[criterion.pk] = text
            try:
                services.score_save(by=request.user, sheet=sheet, criterion_id=criterion.pk, value=text)
            except ApplicationError as error:
                errors[criterion.pk] = error.message
        if not errors and request.POST.get("action") == "submit":
            try:
                services.sheet_submit(by=request.user, sheet=sheet)
                messages.success(request, _("Score sheet submitted."))
                return redirect("judging:sheet_list")
            except ApplicationError as error:
                messages.error(request, error.message)
        elif not errors:
            messages.success(request, _("Scores saved."))
            return redirect("judging:sheet_detail", pk=sheet.pk)
        context = _sheet_context(request.user, sheet, errors, posted)
        return render(request, "judging/sheet_detail.html", {**context, "mine": mine}, status=422 if errors else 200)
    user_role = jury_role(request.user, sheet.stage)
    context = {
        **_sheet_context(request.user, sheet),
        "mine": mine,
        "chair": user_role == "chair",
        "reopenings": sheet.reopenings.all(),
    }
    return render(request, "judging/sheet_detail.html", context)


@require_POST
def sheet_score(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """One score, posted by htmx as the field changes: answers the field's status fragment,
    "Saved" or the reason it was refused (nothing is stored then). The fragment comes with 200
    either way, since htmx swaps no 4xx answer; without htmx the page is shown again."""
    sheet = access_sheet(by=request.user, pk=pk)
    text = (request.POST.get(f"criterion_{criterion_id}") or "").strip().replace(",", ".")
    status, message = 200, _("Saved")
    try:
        if not text:
            raise ValidationFailed(_("Enter a score."))
        services.score_save(by=request.user, sheet=sheet, criterion_id=criterion_id, value=text)
    except ApplicationError as error:
        status, message = error.status, error.message
    if not wants_fragment(request):
        if status != 200:
            messages.error(request, message)
        return redirect("judging:sheet_detail", pk=sheet.pk)
    context = {"criterion_id": criterion_id, "message": message, "ok": status == 200}
    return render(request, "judging/partials/_score_status.html", context)


@require_POST
def sheet_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = access_sheet(by=request.user, pk=pk, chair=True)
    try:
        services.sheet_reopen(by=request.user, sheet=sheet, reason=request.POST.get("reason", ""))
        messages.success(request, _("The score sheet is open again for its juror."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("judging:sheet_detail", pk=sheet.pk)


# --- Setting a contest up (staff who record the organising unit's work) -----------------------


def _setup_page(request: HttpRequest, template: str, form: Any, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def competition_new(request: HttpRequest) -> HttpResponse:
    require_signed_in_reader(request.user)
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_organising_unit(by=request.user, code=data["unit"])
            competition = services.competition_create(
                by=request.user,
                data=services.CompetitionData(
                    unit=unit,
                    title=data["title"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    description=data["description"],
                ),
            )
            messages.success(request, _("Contest created. Add its stages, entries and juries."))
            return redirect("judging:competition_detail", pk=competition.pk)
        except ApplicationError as error:
            form.show_error(error)
    return _setup_page(request, "judging/setup_form.html", form, {"heading": _("New judged contest")})


@require_http_methods(["GET", "POST"])
def rubric_new(request: HttpRequest) -> HttpResponse:
    require_signed_in_reader(request.user)
    form = RubricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_organising_unit(by=request.user, code=data["unit"])
            services.rubric_create(by=request.user, unit=unit, name=data["name"], criteria=data["criteria"])
            messages.success(request, _("Rubric created."))
            return redirect("judging:competition_list")
        except ApplicationError as error:
            form.show_error(error)
    return _setup_page(request, "judging/setup_form.html", form, {"heading": _("New rubric")})


@require_http_methods(["GET", "POST"])
def stage_new(request: HttpRequest, pk: int) -> HttpResponse:
    competition = access_competition_to_run(by=request.user, pk=pk)
    rubrics = [(r.pk, r.name) for r in rubrics_visible_to(request.user).order_by("name", "pk")[:500]]
    form = StageForm(request.POST or None, rubrics=rubrics)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            rubric = access_rubric(by=request.user, pk=data.pop("rubric"))
            if data["audience_weight"] is None:
                data["audience_weight"] = 0
            stage = services.stage_create(
                by=request.user,
                competition=competition,
                data=services.StageData(unit=competition.unit, rubric=rubric, **data),
            )
            messages.success(request, _("Stage added."))
            return redirect("judging:stage_detail", pk=stage.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"heading": _("New stage"), "competition": competition}
    return _setup_page(request, "judging/setup_form.html", form, context)


@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    competition = access_competition_to_run(by=request.user, pk=pk)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_unit(by=request.user, code=data["unit"])
            person = access_person(by=request.user, pk=data["person"]) if data["person"] else None
            result = services.entry_create(
                by=request.user,
                competition=competition,
                data=services.EntryData(
                    unit=unit, person=person, title=data["title"], members=data["members"], materials=data["materials"]
                ),
            )
            if result.created:
                messages.success(request, _("Entry added."))
            else:
                messages.info(request, _("This person had already entered the contest."))
            return redirect("judging:competition_detail", pk=competition.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"heading": _("New entry"), "competition": competition}
    return _setup_page(request, "judging/setup_form.html", form, context)


@require_http_methods(["GET", "POST"])
def juror_new(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    form = JurorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = access_person(by=request.user, pk=form.cleaned_data["person"])
            services.jury_member_add(by=request.user, stage=stage, person=person, role=form.cleaned_data["role"])
            messages.success(request, _("Jury member added."))
            return redirect("judging:stage_detail", pk=stage.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"heading": _("Add a jury member"), "competition": stage.competition, "stage": stage}
    return _setup_page(request, "judging/setup_form.html", form, context)
