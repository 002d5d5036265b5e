"""Reads of criteria assessments: a campaign's board, an assessment with its criteria, a
subject's history over the years. Each is a fixed number of queries, whatever the rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from lantoa.judging.assessments.models import (
    Assessment,
    AssessmentCampaign,
    AssessmentEvidenceFile,
    AssessmentScore,
    AssessmentStatus,
)
from lantoa.judging.assessments.permissions import assessments_visible_to, runs_campaign
from lantoa.judging.models import Criterion
from lantoa.org.models import Unit


def board(by: Any, campaign: AssessmentCampaign) -> QuerySet[Assessment]:
    """The campaign's subjects ``by`` sees: all of them for the assessing unit's staff, their
    own for a subject's."""
    rows = Assessment.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code", "model_title")
    if not runs_campaign(by, campaign):
        rows = rows.filter(pk__in=assessments_visible_to(by).values("pk"))
    return rows


def status_counts(rows: list[Assessment]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {
        "total": len(rows),
        "draft": counts[AssessmentStatus.DRAFT],
        "submitted": counts[AssessmentStatus.SUBMITTED],
        "verified": counts[AssessmentStatus.VERIFIED],
        "passed": sum(1 for row in rows if row.passed),
    }


def criteria_of(campaign: AssessmentCampaign) -> list[Criterion]:
    return list(Criterion.objects.filter(version_id=campaign.rubric_version_id).order_by("position"))


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    score: AssessmentScore | None
    minimum: str | None
    files: list[AssessmentEvidenceFile] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        score = self.score
        return bool(score and score.verified_value is not None and score.verified_value != score.self_value)


def assessment_rows(assessment: Assessment) -> list[CriterionRow]:
    """Each criterion with its scores and its evidence files: three queries, whatever the rows."""
    scores = {row.criterion_id: row for row in assessment.scores.all()}
    files: dict[int, list[AssessmentEvidenceFile]] = defaultdict(list)
    for evidence in evidence_files(assessment):
        files[evidence.criterion_id].append(evidence)
    minimums = assessment.campaign.minimums
    return [
        CriterionRow(criterion, scores.get(criterion.pk), minimums.get(str(criterion.pk)), files[criterion.pk])
        for criterion in criteria_of(assessment.campaign)
    ]


def evidence_files(assessment: Assessment) -> QuerySet[AssessmentEvidenceFile]:
    """The assessment's evidence files, by criterion, the subject's before the assessor's."""
    return AssessmentEvidenceFile.objects.filter(assessment=assessment).order_by("criterion__position", "side", "pk")


def with_scores(rows: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return rows.prefetch_related(Prefetch("scores", queryset=AssessmentScore.objects.order_by("criterion__position")))


def history(by: Any, unit: Unit) -> QuerySet[Assessment]:
    """The unit's assessments (as a unit and of its models) ``by`` sees, newest year first."""
    return (
        assessments_visible_to(by)
        .filter(unit=unit)
        .select_related("campaign__unit")
        .order_by("-campaign__year", "campaign__title", "model_title")
    )
