"""The demo's criteria assessments (called by :func:`lantoa.judging.demo.build_judging`).

A district-tier committee assesses one of its communes against the criteria of commune mass
mobilisation work, and a village's clean-water model against the criteria of a "Dân vận khéo"
model, for 2024 and for the first half of 2025 (the district tier ended on 1 July 2025, so its
last assessment covers the six months before). The commune falls short in 2024 and passes in
2025; the model passes both years: ``assessments_passed`` reads 1 for 2024 and 2 for 2025, and
each subject's history shows both years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.judging import services as judging
from lantoa.judging.assessments import services
from lantoa.judging.assessments.models import Assessment, EvidenceSide
from lantoa.judging.models import Criterion, Rubric
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_children

COMMUNE_CRITERIA = [
    judging.CriterionData(
        section="Lãnh đạo, chỉ đạo", name="Ban hành nghị quyết, kế hoạch công tác dân vận", weight="20", max_score="10"
    ),
    judging.CriterionData(
        section="Lãnh đạo, chỉ đạo", name="Thực hiện Quy chế dân chủ ở cơ sở", weight="25", max_score="10"
    ),
    judging.CriterionData(
        section="Kết quả", name="Phong trào thi đua \u201cDân vận khéo\u201d", weight="20", max_score="10"
    ),
    judging.CriterionData(
        section="Kết quả", name="Giải quyết kiến nghị, đơn thư của Nhân dân", weight="20", max_score="10"
    ),
    judging.CriterionData(section="Kết quả", name="Củng cố tổ chức Mặt trận, đoàn thể", weight="15", max_score="10"),
]
MODEL_CRITERIA = [
    judging.CriterionData(
        section="Mô hình", name="Thiết thực, đáp ứng nhu cầu của Nhân dân", weight="30", max_score="10"
    ),
    judging.CriterionData(section="Mô hình", name="Huy động Nhân dân cùng tham gia", weight="30", max_score="10"),
    judging.CriterionData(section="Hiệu quả", name="Hiệu quả kinh tế - xã hội", weight="25", max_score="10"),
    judging.CriterionData(section="Hiệu quả", name="Khả năng nhân rộng", weight="15", max_score="10"),
]
PASS_SCORE = Decimal(70)
MODEL_TITLE = "Mô hình \u201cDân vận khéo\u201d: Nước sạch cho thôn bản"
# (period, the commune's self and verified scores, the model's self and verified scores)
YEARS = [
    (
        (2024, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (["8", "7", "7", "6", "7"], ["7", "6", "7", "6", "7"]),  # verified 65.5 < 70: not passed
        (["9", "8", "8", "8"], ["9", "8", "8", "7"]),  # verified 81.5: passed
    ),
    (
        (2025, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (["8", "8", "8", "7", "8"], ["8", "8", "8", "7", "8"]),  # 78: passed
        (["9", "9", "8", "9"], ["9", "9", "8", "8"]),  # 86: passed
    ),
]


# A 1×1 PNG: the demo's evidence file (small, so the demo stays quick to build).
EVIDENCE_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x8a\x1b\x8f\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class AssessmentsReport:
    campaigns: int = 0
    passed: int = 0


def _subjects(province: Unit) -> tuple[Unit, Unit, Unit] | None:
    """A district-tier committee, one of its communes and a village cell of that commune (the
    commune itself when it has none), as the tree stood on 1 January 2024."""
    day = dt.date(2024, 1, 1)
    for district in unit_children(province, as_of=day).filter(kind__code="district_committee").order_by("code"):
        communes = unit_children(district, as_of=day).filter(kind__code="commune_committee").order_by("code")
        commune = communes.first()
        if commune is not None:
            village = unit_children(commune, as_of=day).filter(kind__code="party_cell").order_by("code").first()
            return district, commune, village or commune
    return None


def _criteria(rubric: Rubric) -> list[Criterion]:
    return list(Criterion.objects.filter(version=rubric.current).order_by("position"))


def _assess(assessment: Assessment, rubric: Rubric, own: list[str], verified: list[str]) -> bool:
    criteria = _criteria(rubric)
    notes = {
        c.pk: services.SelfScore(value, "Có báo cáo, biên bản kèm theo") for c, value in zip(criteria, own, strict=True)
    }
    data = services.SelfData(
        scores=notes, comment="Đơn vị đã tự đánh giá theo hướng dẫn.",
        evidence=["https://dichvucong.example.vn/minh-chung/bao-cao-dan-van.pdf"], submit=True,
    )  # fmt: skip
    # One small photo as evidence of the first criterion, added while the subject self-assesses.
    services.evidence_add(
        by=None, assessment=assessment, criterion_id=criteria[0].pk, side=EvidenceSide.SELF,
        upload=SimpleUploadedFile("anh-hoi-nghi-dan-van.png", EVIDENCE_PNG),
    )  # fmt: skip
    services.self_assess(by=None, assessment=assessment, data=data)
    scores = {
        c.pk: services.VerifiedScore(value, "" if value == mine else "Minh chứng chưa đầy đủ")
        for c, value, mine in zip(criteria, verified, own, strict=True)
    }
    return bool(
        services.verify(
            by=None, assessment=assessment, scores=scores, comment="Đoàn thẩm định đã kiểm tra hồ sơ."
        ).passed
    )


def build_assessments(province: Unit) -> AssessmentsReport:
    report = AssessmentsReport()
    found = _subjects(province)
    if found is None:
        return report
    district, commune, village = found
    commune_rubric = judging.rubric_create(
        by=None, unit=province, name="Tiêu chí đánh giá công tác dân vận cấp xã", criteria=COMMUNE_CRITERIA
    )
    model_rubric = judging.rubric_create(
        by=None, unit=province, name="Tiêu chí công nhận mô hình \u201cDân vận khéo\u201d", criteria=MODEL_CRITERIA
    )
    for (year, starts, ends), (own, verified), (model_own, model_verified) in YEARS:
        for rubric, subject, title, scores in (
            (
                commune_rubric,
                services.SubjectData(commune),
                f"Đánh giá công tác dân vận cấp xã năm {year}",
                (own, verified),
            ),
            (
                model_rubric,
                services.SubjectData(village, MODEL_TITLE),
                f"Đánh giá mô hình \u201cDân vận khéo\u201d năm {year}",
                (model_own, model_verified),
            ),
        ):
            campaign = services.campaign_create(
                by=None,
                data=services.CampaignData(
                    unit=district, title=title, year=year, starts_on=starts, ends_on=ends, rubric=rubric,
                    pass_score=PASS_SCORE, subjects=[subject],
                ),
            )  # fmt: skip
            report.campaigns += 1
            report.passed += _assess(campaign.assessments.get(), rubric, *scores)
    return report
