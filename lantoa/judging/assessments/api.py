"""Criteria assessments over the API, mounted under the judging router
(``/api/v1/judging/assessments…``). The same gates and services as the pages: out of scope
answers 404 like missing; those who see an assessment but may not act get 403."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.core.api_input import FormText, Id
from lantoa.core.schemas import ERRORS, binary_response
from lantoa.core.uploads import kept_file_response
from lantoa.judging.assessments import selectors, services
from lantoa.judging.assessments.exports import XLSX_TYPE, results_xlsx
from lantoa.judging.assessments.models import (
    Assessment,
    AssessmentCampaign,
    AssessmentEvidenceFile,
    AssessmentStatus,
    EvidenceSide,
)
from lantoa.judging.assessments.permissions import (
    access_assessing_unit,
    access_assessment,
    access_campaign,
    access_evidence_file,
    campaigns_visible_to,
)
from lantoa.judging.assessments.schemas import (
    AssessmentOut,
    CampaignDetailOut,
    CampaignIn,
    CampaignListOut,
    CampaignOut,
    EvidenceFileOut,
    EvidenceListOut,
    HistoryOut,
    SelfIn,
    VerifyIn,
)
from lantoa.judging.permissions import access_rubric
from lantoa.judging.schemas import ReasonIn
from lantoa.org.permissions import access_unit

router = Router(tags=["judging"])
LIST_MAX = 200


def campaign_out(campaign: AssessmentCampaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "unit": campaign.unit.code,
        "unit_name": campaign.unit.name,
        "title": campaign.title,
        "year": campaign.year,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "rubric": campaign.rubric_version.rubric_id,
        "rubric_version": campaign.rubric_version.number,
        "pass_score": campaign.pass_score,
        "minimums": campaign.minimums,
    }


def row_out(row: Assessment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "unit": row.unit.code,
        "unit_name": row.unit.name,
        "model_title": row.model_title,
        "status": row.status,
        "self_total": row.self_total,
        "verified_total": row.verified_total,
        "passed": row.passed,
    }


def evidence_out(evidence: AssessmentEvidenceFile) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "criterion": evidence.criterion_id,
        "side": evidence.side,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "uploaded_at": evidence.uploaded_at,
        "download": f"/api/v1/judging/assessments/evidence/{evidence.pk}",
    }


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    criteria = []
    for item in selectors.assessment_rows(assessment):
        c, score = item.criterion, item.score
        criteria.append(
            {
                "criterion": c.pk, "position": c.position, "name": c.name, "max_score": c.max_score,
                "weight": c.weight, "minimum": item.minimum,
                "self_value": score.self_value if score else None, "note": score.note if score else "",
                "verified_value": score.verified_value if score else None, "reason": score.reason if score else "",
                "passed": score.passed if score else None, "files": [evidence_out(f) for f in item.files],
            }
        )  # fmt: skip
    return {
        **row_out(assessment),
        "campaign": assessment.campaign_id,
        "year": assessment.campaign.year,
        "self_comment": assessment.self_comment,
        "evidence": assessment.evidence,
        "verification_comment": assessment.verification_comment,
        "submitted_at": assessment.submitted_at,
        "verified_at": assessment.verified_at,
        "criteria": criteria,
        "reopenings": [{"at": r.at, "reason": r.reason} for r in assessment.reopenings.all()],
    }


@router.get(
    "/assessments",
    response={200: CampaignListOut, **ERRORS},
    summary="Assessment campaigns in scope (run by, or assessing, the caller's units)",
    operation_id="lantoa_judging_api_campaign_list",
)
def campaign_list(request: HttpRequest) -> Any:
    campaigns = campaigns_visible_to(request.user).select_related("unit", "rubric_version").order_by("-year", "pk")
    items = [campaign_out(c) for c in campaigns[:LIST_MAX]]
    return {"items": items, "count": len(items)}


@router.post(
    "/assessments",
    response={201: CampaignOut, **ERRORS},
    summary="Create an assessment campaign with its subjects",
    operation_id="lantoa_judging_api_campaign_create",
)
def campaign_create(request: HttpRequest, body: CampaignIn) -> Any:
    unit = access_assessing_unit(by=request.user, unit=access_unit(by=request.user, code=body.unit))
    subjects = [services.SubjectData(access_unit(by=request.user, code=s.unit), s.model_title) for s in body.subjects]
    campaign = services.campaign_create(
        by=request.user,
        data=services.CampaignData(
            unit=unit, title=body.title, year=body.year, starts_on=body.starts_on, ends_on=body.ends_on,
            rubric=access_rubric(by=request.user, pk=body.rubric), pass_score=body.pass_score,
            minimums={m.position: m.minimum for m in body.minimums}, subjects=subjects, tier=body.tier,
        ),
    )  # fmt: skip
    return Status(201, campaign_out(campaign))


@router.get(
    "/assessments/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    summary="A campaign and the progress of its subjects",
    operation_id="lantoa_judging_api_campaign_detail",
)
def campaign_detail(request: HttpRequest, campaign_id: Id) -> Any:
    campaign = access_campaign(by=request.user, pk=campaign_id)
    rows = [row_out(row) for row in selectors.board(request.user, campaign)]
    return {**campaign_out(campaign), "subjects": rows, "count": len(rows)}


@router.get(
    "/assessments/{campaign_id}/results.xlsx",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The results", XLSX_TYPE),
    summary="A campaign's results (XLSX)",
    operation_id="lantoa_judging_api_campaign_export",
)
def campaign_export(request: HttpRequest, campaign_id: Id) -> Any:
    campaign = access_campaign(by=request.user, pk=campaign_id)
    rows = list(selectors.with_scores(selectors.board(request.user, campaign)))
    response = HttpResponse(results_xlsx(campaign, rows, selectors.criteria_of(campaign)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{campaign.pk}-results.xlsx"'
    return response


@router.get(
    "/assessments/subjects/{assessment_id}",
    response={200: AssessmentOut, **ERRORS},
    summary="One assessment: every criterion's self-assessed and verified score, the result",
    operation_id="lantoa_judging_api_assessment_detail",
)
def assessment_detail(request: HttpRequest, assessment_id: Id) -> Any:
    return assessment_out(access_assessment(by=request.user, pk=assessment_id))


@router.put(
    "/assessments/subjects/{assessment_id}/self",
    response={200: AssessmentOut, **ERRORS},
    summary="Save (and with submit, lock) the subject's self-assessment",
    operation_id="lantoa_judging_api_assessment_self",
)
def assessment_self(request: HttpRequest, assessment_id: Id, body: SelfIn) -> Any:
    """409 ``assessment_locked`` once submitted; 422 ``assessment_incomplete`` when submitting
    with a criterion unscored."""
    assessment = access_assessment(by=request.user, pk=assessment_id, action="self")
    data = services.SelfData(
        scores={s.criterion: services.SelfScore(s.value, s.note) for s in body.scores},
        comment=body.comment, evidence=list(body.evidence), submit=body.submit,
    )  # fmt: skip
    return assessment_out(services.self_assess(by=request.user, assessment=assessment, data=data))


@router.post(
    "/assessments/subjects/{assessment_id}/verify",
    response={200: AssessmentOut, **ERRORS},
    summary="Verify a submitted self-assessment: the assessor's scores set the result",
    operation_id="lantoa_judging_api_assessment_verify",
)
def assessment_verify(request: HttpRequest, assessment_id: Id, body: VerifyIn) -> Any:
    """422 ``reason_required`` for a changed score without a reason; 409
    ``assessment_not_submitted``."""
    assessment = access_assessment(by=request.user, pk=assessment_id, action="verify")
    scores = {s.criterion: services.VerifiedScore(s.value, s.reason) for s in body.scores}
    return assessment_out(services.verify(by=request.user, assessment=assessment, scores=scores, comment=body.comment))


@router.post(
    "/assessments/subjects/{assessment_id}/reopen",
    response={200: AssessmentOut, **ERRORS},
    summary="Reopen an assessment one step, with a reason (audited)",
    operation_id="lantoa_judging_api_assessment_reopen",
)
def assessment_reopen(request: HttpRequest, assessment_id: Id, body: ReasonIn) -> Any:
    assessment = access_assessment(by=request.user, pk=assessment_id, action="verify")
    return assessment_out(services.reopen(by=request.user, assessment=assessment, reason=body.reason))


@router.get(
    "/assessments/history/{code}",
    response={200: HistoryOut, **ERRORS},
    summary="A unit's assessments over the years (as a unit and of its models)",
    operation_id="lantoa_judging_api_assessment_history",
)
def assessment_history(request: HttpRequest, code: str) -> Any:
    unit = access_unit(by=request.user, code=code)
    rows = [
        {**row_out(row), "campaign": row.campaign_id, "campaign_title": row.campaign.title, "year": row.campaign.year}
        for row in selectors.history(request.user, unit)
    ]
    return {"unit": unit.code, "unit_name": unit.name, "items": rows, "count": len(rows)}


@router.get(
    "/assessments/subjects/{assessment_id}/evidence",
    response={200: EvidenceListOut, **ERRORS},
    summary="An assessment's evidence files, by criterion (the subject's, then the assessor's)",
    operation_id="lantoa_judging_api_evidence_list",
)
def evidence_list(request: HttpRequest, assessment_id: Id) -> Any:
    assessment = access_assessment(by=request.user, pk=assessment_id)
    items = [evidence_out(f) for f in selectors.evidence_files(assessment)]
    return {"items": items, "count": len(items)}


@router.post(
    "/assessments/subjects/{assessment_id}/evidence",
    response={201: EvidenceFileOut, **ERRORS},
    summary="Upload an evidence file for one criterion (self-assessment or verification)",
    operation_id="lantoa_judging_api_evidence_add",
)
def evidence_add(
    request: HttpRequest,
    assessment_id: Id,
    file: File[UploadedFile],
    criterion: Annotated[Id, Form(...)],
    side: Annotated[FormText, Form("", max_length=12)],
) -> Any:
    """multipart/form-data: ``file``, ``criterion`` (its id), optional ``side`` (``self`` or
    ``verification``; by default the side open in the assessment's status: the subject's while it
    self-assesses, the assessor's while it verifies). Documents and images up to 10 MB, at most 5
    per criterion and side, checked by content (422 ``file_too_large``,
    ``file_type_not_allowed``, ``file_type_mismatch``, ``classified_material``); 409
    ``evidence_locked`` once that side's scores are locked, 409 ``too_many_files``."""
    found = access_assessment(by=request.user, pk=assessment_id)
    chosen = side or _open_side(found)
    access_assessment(by=request.user, pk=assessment_id, action="self" if chosen == EvidenceSide.SELF else "verify")
    kept = services.evidence_add(by=request.user, assessment=found, criterion_id=criterion, side=chosen, upload=file)
    return Status(201, evidence_out(kept))


def _open_side(assessment: Assessment) -> str:
    return str(services.OPEN_SIDE.get(AssessmentStatus(assessment.status), EvidenceSide.VERIFICATION))


@router.get(
    "/assessments/evidence/{evidence_id}",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The evidence file as uploaded"),
    summary="Download an evidence file of an assessment",
    operation_id="lantoa_judging_api_evidence_file",
)
def evidence_file(request: HttpRequest, evidence_id: Id) -> Any:
    kept = access_evidence_file(by=request.user, pk=evidence_id)
    return kept_file_response(kept)


@router.delete(
    "/assessments/evidence/{evidence_id}",
    response={204: None, **ERRORS},
    summary="Remove an evidence file while its side is open (audited)",
    operation_id="lantoa_judging_api_evidence_remove",
)
def evidence_remove(request: HttpRequest, evidence_id: Id) -> Any:
    """409 ``evidence_locked`` once the scores of the file's side are locked."""
    kept = access_evidence_file(by=request.user, pk=evidence_id, remove=True)
    services.evidence_remove(by=request.user, evidence=kept)
    return Status(204, None)
