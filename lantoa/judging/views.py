"""The judged contests' pages: the contests and their stages for staff, the stage's progress
board, results and actions for staff and the jury's chair and secretary, and a juror's score
sheets (on a phone or tablet: each score is saved as it changes through htmx, and the whole form
still works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.core.htmx import wants_fragment
from lantoa.judging import selectors, services
from lantoa.judging.models import ScoreSheet, Stage
from lantoa.judging.permissions import (
    access_competition,
    access_sheet,
    access_stage,
    competitions_visible_to,
    jury_role,
    may_run_stage,
    require_signed_in_reader,
)
from lantoa.judging.presenters import entrant_name


@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    require_signed_in_reader(request.user)
    competitions = competitions_visible_to(request.user).select_related("unit").order_by("-starts_on", "pk")[:200]
    sheets = selectors.sheets_for_user(request.user).filter(status=ScoreSheet.Status.OPEN).count()
    return render(request, "judging/competition_list.html", {"competitions": competitions, "open_sheets": sheets})


@require_GET
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = access_competition(by=request.user, pk=pk)
    stages = (
        competition.stages.select_related("unit", "rubric_version__rubric", "tie_criterion")
        .order_by("number")
        .prefetch_related("rubric_version__criteria")
    )
    context = {"competition": competition, "stages": stages, "entries": competition.entries.count()}
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


# --- A juror's sheets -------------------------------------------------------------------------


@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    sheets = [(sheet, entrant_name(sheet.entry)) for sheet in selectors.sheets_for_user(request.user)]
    return render(request, "judging/sheet_list.html", {"sheets": sheets})


def _sheet_context(
    sheet: ScoreSheet, errors: dict[int, str] | None = None, posted: dict[int, str] | None = None
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
    return {
        "sheet": sheet,
        "rows": rows,
        "entrant": entrant_name(sheet.entry),
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
        context = _sheet_context(sheet, errors, posted)
        return render(request, "judging/sheet_detail.html", {**context, "mine": mine}, status=422 if errors else 200)
    user_role = jury_role(request.user, sheet.stage)
    context = {
        **_sheet_context(sheet),
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
