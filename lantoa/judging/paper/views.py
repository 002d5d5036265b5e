"""The paper sheets' pages: a stage's paper sheets (a PDF per juror or for the whole jury, and
for the secretary the sheets still to type in), and the secretary's typing-in form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.core.errors import ApplicationError, NotFound
from lantoa.judging.certificates import pdf_response
from lantoa.judging.models import JuryRole, ScoreSheet, Stage
from lantoa.judging.paper import services
from lantoa.judging.paper.sheets import paper_filename, paper_pdf
from lantoa.judging.permissions import access_stage, jury_role
from lantoa.judging.presenters import entrant_name, entry_code
from lantoa.judging.selectors import sheet_with_scores, stage_criteria


def access_sheet_to_type(*, by: Any, pk: int) -> ScoreSheet:
    """A sheet of a stage whose secretary ``by`` is; any other caller gets a missing sheet."""
    user_id = getattr(by, "pk", None) or 0
    sheet = (
        ScoreSheet.objects.filter(pk=pk, stage__jurors__user_id=user_id, stage__jurors__role=JuryRole.SECRETARY)
        .select_related("entry__person", "entry__unit", "juror__person", "stage__competition", "stage__unit")
        .first()
    )
    if sheet is None:
        raise NotFound(_("No such score sheet."), extra={"id": pk})
    return sheet


def paper_response(stage: Stage, juror_id: int | None) -> HttpResponse:
    jurors = services.jurors_sheets(stage, juror_id)
    if juror_id is not None and not jurors:
        raise NotFound(_("No such juror."), extra={"juror": juror_id})
    data = paper_pdf(stage=stage, criteria=stage_criteria(stage), jurors=jurors)
    return pdf_response(data, paper_filename(stage, jurors[0].juror if juror_id is not None else None))


@require_GET
def stage_paper(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    context = {
        "stage": stage,
        "competition": stage.competition,
        "jurors": services.jurors_sheets(stage),
        "secretary": jury_role(request.user, stage) == JuryRole.SECRETARY,
    }
    return render(request, "judging/paper_stage.html", context)


@require_GET
def stage_paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every juror's paper sheets, or one juror's (``?juror=12``)."""
    stage = access_stage(by=request.user, pk=pk, run=True)
    raw = request.GET.get("juror", "")
    if raw and not (raw.isdigit() and len(raw) < 10):
        raise Http404
    return paper_response(stage, int(raw) if raw else None)


def _rows(sheet: ScoreSheet, posted: dict[str, str] | None, field: str | None) -> list[dict[str, Any]]:
    criteria, scores = sheet_with_scores(sheet)
    rows = []
    for criterion in criteria:
        name = f"criterion_{criterion.pk}"
        value = (posted or {}).get(name)
        if value is None and criterion.pk in scores:
            value = format(scores[criterion.pk].value.normalize(), "f")
        rows.append({"criterion": criterion, "value": value or "", "invalid": field == name})
    return rows


@require_http_methods(["GET", "POST"])
def sheet_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary types in a whole paper sheet for its juror, then it is submitted and locked."""
    sheet = access_sheet_to_type(by=request.user, pk=pk)
    error = None
    posted: dict[str, str] | None = None
    if request.method == "POST":
        posted = {key: (request.POST.get(key) or "").strip().replace(",", ".")[:20] for key in request.POST}
        criteria = stage_criteria(sheet.stage)
        values = {c.pk: posted.get(f"criterion_{c.pk}", "") for c in criteria if posted.get(f"criterion_{c.pk}")}
        try:
            services.paper_record(by=request.user, sheet=sheet, values=values)
        except ApplicationError as failure:
            error = failure
        else:
            messages.success(
                request, _("Paper sheet typed in and submitted for %(name)s.") % {"name": sheet.juror.person.full_name}
            )
            return redirect("judging:stage_paper", pk=sheet.stage_id)
    context = {
        "sheet": sheet,
        "stage": sheet.stage,
        "entry_label": entry_code(sheet.entry)
        if sheet.stage.blind
        else f"{sheet.entry.title} — {entrant_name(sheet.entry)}",
        "rows": _rows(sheet, posted, error.extra.get("field") if error else None),
        "error": error,
    }
    return render(request, "judging/paper_sheet.html", context, status=error.status if error else 200)
