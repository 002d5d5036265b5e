"""Criteria assessments for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.judging import services as judging
from lantoa.judging.assessments import services
from lantoa.judging.assessments.models import Assessment, AssessmentCampaign
from lantoa.judging.models import Criterion, Rubric
from lantoa.org.models import Unit

# Weights 50/30/20, each out of 10: scores 8/6/9 make 50×0.8 + 30×0.6 + 20×0.9 = 76.
CRITERIA = [
    judging.CriterionData(section="Lãnh đạo", name="Ban hành nghị quyết chuyên đề", weight="50", max_score="10"),
    judging.CriterionData(section="Lãnh đạo", name="Tổ chức thực hiện quy chế dân chủ", weight="30", max_score="10"),
    judging.CriterionData(section="Kết quả", name="Xây dựng mô hình Dân vận khéo", weight="20", max_score="10"),
]


def make_assessment_rubric(unit: Unit) -> Rubric:
    return judging.rubric_create(by=None, unit=unit, name="Tiêu chí công tác dân vận cấp xã", criteria=CRITERIA)


def make_campaign(
    unit: Unit,
    subjects: list[services.SubjectData],
    *,
    year: int = 2024,
    rubric: Rubric | None = None,
    pass_score: str = "70",  # noqa: S107 - a score, not a password
    minimums: dict[int, str] | None = None,
) -> AssessmentCampaign:
    return services.campaign_create(
        by=None,
        data=services.CampaignData(
            unit=unit,
            title=f"Đánh giá công tác dân vận năm {year}",
            year=year,
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            rubric=rubric or make_assessment_rubric(unit),
            pass_score=pass_score,
            minimums=minimums or {},
            subjects=subjects,
        ),
    )


def criteria(assessment: Assessment) -> list[Criterion]:
    return list(Criterion.objects.filter(version_id=assessment.campaign.rubric_version_id).order_by("position"))


def self_scores(assessment: Assessment, values: list[str], *, submit: bool = True) -> Assessment:
    scores = {
        c.pk: services.SelfScore(Decimal(v), "Đã thực hiện") for c, v in zip(criteria(assessment), values, strict=True)
    }
    return services.self_assess(by=None, assessment=assessment, data=services.SelfData(scores=scores, submit=submit))


def verify_scores(assessment: Assessment, values: list[str], reason: str = "Hồ sơ chưa đủ") -> Assessment:
    rows = dict(assessment.scores.values_list("criterion_id", "self_value"))
    scores = {
        c.pk: services.VerifiedScore(Decimal(v), "" if rows.get(c.pk) == Decimal(v) else reason)
        for c, v in zip(criteria(assessment), values, strict=True)
    }
    return services.verify(by=None, assessment=assessment, scores=scores)


def evidence_upload(name: str = "nghi-quyet.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    """A small real PDF (or ``content``) to upload as evidence."""
    from lantoa.plans.tests.factories import pdf_bytes

    return SimpleUploadedFile(name, content if content is not None else pdf_bytes("Nghi quyet chuyen de so 12"))
