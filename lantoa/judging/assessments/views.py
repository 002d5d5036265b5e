"""The criteria assessments' pages: campaigns, a campaign's progress board and its XLSX, one
assessment (the subject's self-assessment form — made for a phone, plain HTML — and the
assessor's verification and reopening), and a unit's history over the years."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.permissions import has_capability
from lantoa.core.errors import ApplicationError, NotFound, ValidationFailed
from lantoa.core.uploads import kept_file_response
from lantoa.judging.assessments import selectors, services
from lantoa.judging.assessments.exports import XLSX_TYPE, results_xlsx
from lantoa.judging.assessments.forms import CampaignForm
from lantoa.judging.assessments.models import (
    EVIDENCE_FILE_MAX_MB,
    EVIDENCE_FILES_MAX,
    Assessment,
    AssessmentStatus,
    EvidenceSide,
)
from lantoa.judging.assessments.permissions import (
    READ,
    RUN,
    access_assessing_unit,
    access_assessment,
    access_campaign,
    access_evidence_file,
    campaigns_visible_to,
    may_self_assess,
    may_verify,
)
from lantoa.judging.permissions import access_rubric, rubrics_visible_to
from lantoa.org.permissions import access_unit

LIST_MAX = 200


def _require_reader(request: HttpRequest) -> None:
    if not has_capability(request.user, READ):
        raise NotFound(_("Page not found."))


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    campaigns = campaigns_visible_to(request.user).select_related("unit").order_by("-year", "title", "pk")
    context = {"campaigns": campaigns[:LIST_MAX], "may_organise": has_capability(request.user, RUN)}
    return render(request, "judging/assessments/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    rubrics = [(r.pk, r.name) for r in rubrics_visible_to(request.user).order_by("name", "pk")[:500]]
    form = CampaignForm(request.POST or None, rubrics=rubrics)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = access_assessing_unit(by=request.user, unit=access_unit(by=request.user, code=data["unit"]))
            subjects = [
                services.SubjectData(access_unit(by=request.user, code=code), model) for code, model in data["subjects"]
            ]
            campaign = services.campaign_create(
                by=request.user,
                data=services.CampaignData(
                    unit=unit, title=data["title"], year=data["year"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], rubric=access_rubric(by=request.user, pk=data["rubric"]),
                    pass_score=data["pass_score"], minimums=data["minimums"], subjects=subjects, tier=data["tier"],
                ),
            )  # fmt: skip
            messages.success(request, _("Assessment campaign created."))
            return redirect("judging:campaign_detail", pk=campaign.pk)
        except ApplicationError as error:
            form.show_error(error)
    context = {"form": form, "heading": _("New assessment campaign")}
    return render(request, "judging/assessments/campaign_form.html", context, status=422 if form.errors else 200)


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(by=request.user, pk=pk)
    rows = list(selectors.board(request.user, campaign))
    context = {
        "campaign": campaign,
        "rows": rows,
        "counts": selectors.status_counts(rows),
        "criteria": selectors.criteria_of(campaign),
    }
    return render(request, "judging/assessments/campaign_detail.html", context)


@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(by=request.user, pk=pk)
    rows = selectors.with_scores(selectors.board(request.user, campaign))
    response = HttpResponse(results_xlsx(campaign, list(rows), selectors.criteria_of(campaign)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{campaign.pk}-results.xlsx"'
    return response


def _detail(
    request: HttpRequest, assessment: Assessment, *, status: int = 200, error: ApplicationError | None = None
) -> HttpResponse:
    posted = request.POST if error is not None else {}
    mine = may_self_assess(request.user, assessment)
    verifier = may_verify(request.user, assessment.campaign)
    field = error.extra.get("field") if error else None
    criterion_rows = selectors.assessment_rows(assessment)
    rows = [
        {
            "row": row,
            "value": posted.get(f"criterion_{row.criterion.pk}", _shown(row.score.self_value if row.score else None)),
            "note": posted.get(f"note_{row.criterion.pk}", row.score.note if row.score else ""),
            "verified": posted.get(
                f"criterion_{row.criterion.pk}",
                _shown(row.score.verified_value if row.score and row.score.verified_value is not None
                       else row.score.self_value if row.score else None),
            ),
            "reason": posted.get(f"reason_{row.criterion.pk}", row.score.reason if row.score else ""),
            "value_error": field == f"criterion_{row.criterion.pk}",
            "reason_error": field == f"reason_{row.criterion.pk}",
        }
        for row in criterion_rows
    ]  # fmt: skip
    evidence = posted.get("evidence", "\n".join(assessment.evidence))
    open_side = services.OPEN_SIDE.get(AssessmentStatus(assessment.status))
    may_add = (open_side == EvidenceSide.SELF and mine) or (open_side == EvidenceSide.VERIFICATION and verifier)
    context = {
        "assessment": assessment,
        "campaign": assessment.campaign,
        "rows": rows,
        "evidence_text": evidence,
        "comment": posted.get("comment", assessment.self_comment),
        "may_self": mine and assessment.status == AssessmentStatus.DRAFT,
        "may_verify": verifier and assessment.status == AssessmentStatus.SUBMITTED,
        "may_reopen": verifier and assessment.status != AssessmentStatus.DRAFT,
        "reopenings": assessment.reopenings.select_related("by"),
        "error": error,
        "evidence_side": open_side if may_add else None,
        "evidence_criterion": posted.get("criterion", "") if field in ("file", "criterion") else "",
        "evidence_max": EVIDENCE_FILES_MAX,
        "has_files": any(row.files for row in criterion_rows),
        "evidence_mb": EVIDENCE_FILE_MAX_MB,
    }
    return render(request, "judging/assessments/assessment_detail.html", context, status=status)


def _shown(value: Any) -> str:
    return "" if value is None else format(value.normalize(), "f")


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_assessment(by=request.user, pk=pk))


def _number_text(request: HttpRequest, name: str) -> str:
    return (request.POST.get(name) or "").strip().replace(",", ".")[:20]


@require_POST
def assessment_self(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-assessment form: "save" keeps a draft, "submit" locks it for verification."""
    assessment = access_assessment(by=request.user, pk=pk, action="self")
    criteria = selectors.criteria_of(assessment.campaign)
    scores = {
        c.pk: services.SelfScore(_number_text(request, f"criterion_{c.pk}"), request.POST.get(f"note_{c.pk}", ""))
        for c in criteria
        if _number_text(request, f"criterion_{c.pk}")
    }
    evidence = [line.strip() for line in request.POST.get("evidence", "").splitlines() if line.strip()]
    data = services.SelfData(
        scores=scores, comment=request.POST.get("comment", ""), evidence=evidence,
        submit=request.POST.get("action") == "submit",
    )  # fmt: skip
    try:
        services.self_assess(by=request.user, assessment=assessment, data=data)
    except ApplicationError as error:
        return _detail(request, assessment, status=error.status, error=error)
    messages.success(request, _("Self-assessment submitted.") if data.submit else _("Self-assessment saved."))
    return redirect("judging:assessment_detail", pk=assessment.pk)


@require_POST
def assessment_verify(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(by=request.user, pk=pk, action="verify")
    scores = {
        c.pk: services.VerifiedScore(_number_text(request, f"criterion_{c.pk}"), request.POST.get(f"reason_{c.pk}", ""))
        for c in selectors.criteria_of(assessment.campaign)
        if _number_text(request, f"criterion_{c.pk}")
    }
    try:
        services.verify(by=request.user, assessment=assessment, scores=scores, comment=request.POST.get("comment", ""))
    except ApplicationError as error:
        return _detail(request, assessment, status=error.status, error=error)
    messages.success(request, _("Assessment verified."))
    return redirect("judging:assessment_detail", pk=assessment.pk)


@require_POST
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(by=request.user, pk=pk, action="verify")
    try:
        services.reopen(by=request.user, assessment=assessment, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        return _detail(request, assessment, status=error.status, error=error)
    messages.success(request, _("Assessment reopened."))
    return redirect("judging:assessment_detail", pk=assessment.pk)


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file for one criterion, on the side open in the assessment's status."""
    assessment = access_assessment(by=request.user, pk=pk)
    side = services.OPEN_SIDE.get(AssessmentStatus(assessment.status), EvidenceSide.VERIFICATION)
    assessment = access_assessment(by=request.user, pk=pk, action="self" if side == EvidenceSide.SELF else "verify")
    try:
        criterion = int(request.POST.get("criterion") or 0)
    except ValueError:
        criterion = 0
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("Choose a file."), extra={"field": "file"})
        services.evidence_add(by=request.user, assessment=assessment, criterion_id=criterion, side=side, upload=upload)
    except ApplicationError as error:
        return _detail(request, assessment, status=error.status, error=error)
    messages.success(request, _("The evidence file was added."))
    return redirect(reverse("judging:assessment_detail", args=[assessment.pk]) + f"#criterion-{criterion}")


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    kept = access_evidence_file(by=request.user, pk=pk)
    return kept_file_response(kept)


@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    kept = access_evidence_file(by=request.user, pk=pk, remove=True)
    try:
        services.evidence_remove(by=request.user, evidence=kept)
    except ApplicationError as error:
        return _detail(request, kept.assessment, status=error.status, error=error)
    messages.success(request, _("The evidence file was removed."))
    return redirect(reverse("judging:assessment_detail", args=[kept.assessment_id]) + f"#criterion-{kept.criterion_id}")


@require_GET
def unit_history(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(by=request.user, code=code)
    rows = list(selectors.history(request.user, unit))
    return render(request, "judging/assessments/history.html", {"unit": unit, "rows": rows})
