"""Criteria assessments: the self-assessment locked on submission, verification with a reason
per changed criterion, what "passed" means (decision 0033), reopening kept with what it
replaced, audit, and the indicator ``assessments_passed`` with known numbers and across a
merge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.judging.assessments import services
from lantoa.judging.assessments.models import AssessmentStatus
from lantoa.judging.tests.assessment_helpers import criteria, make_campaign, self_scores, verify_scores
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values

pytestmark = pytest.mark.django_db
S = services.SubjectData


def values(unit, start, end, **extra):  # type: ignore[no-untyped-def]
    found = indicator_values(unit=unit, start=start, end=end, codes=["assessments_passed"], **extra)
    return [None if value.value is None else float(value.value) for value in found]


def test_a_campaign_takes_a_tier_or_named_models_beneath_the_assessing_unit(tree):
    rubric = make_campaign(tree.province, [S(tree.commune_a1)]).rubric_version.rubric
    campaign = services.campaign_create(
        by=None,
        data=services.CampaignData(
            unit=tree.province, title="Đánh giá dân vận", year=2024, starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2024, 12, 31), rubric=rubric,
            pass_score="70", tier="commune", subjects=[S(tree.cell_a1, "Mô hình nước sạch thôn Phìn Ngan")],
        ),
    )  # fmt: skip
    subjects = sorted((a.unit.code, a.model_title) for a in campaign.assessments.all())
    assert subjects == [("P-A-1", ""), ("P-A-1-C1", "Mô hình nước sạch thôn Phìn Ngan"), ("P-B-1", ""), ("P-K-1", "")]
    with pytest.raises(ValidationFailed):
        make_campaign(tree.district_a, [S(tree.commune_b1)])  # not beneath district A
    with pytest.raises(ValidationFailed):
        make_campaign(tree.district_a, [S(tree.district_a)])  # a unit does not verify itself


def test_the_self_assessment_is_locked_once_submitted(tree):
    assessment = make_campaign(tree.district_a, [S(tree.commune_a1)]).assessments.get()
    self_scores(assessment, ["8", "6", "9"], submit=False)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.self_total is None
    with pytest.raises(ValidationFailed) as above:
        self_scores(assessment, ["11", "6", "9"])
    assert above.value.extra["field"].startswith("criterion_")
    assert sorted(assessment.scores.values_list("self_value", flat=True)) == [6, 8, 9]  # nothing changed
    self_scores(assessment, ["8", "6", "9"])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.self_total == Decimal("76.000")
    with pytest.raises(Conflict) as locked:
        self_scores(assessment, ["9", "9", "9"])
    assert locked.value.code == "assessment_locked"


def test_submitting_needs_every_criterion(tree):
    assessment = make_campaign(tree.district_a, [S(tree.commune_a1)]).assessments.get()
    first = criteria(assessment)[0]
    data = services.SelfData(scores={first.pk: services.SelfScore("8")}, submit=True)
    with pytest.raises(ValidationFailed) as incomplete:
        services.self_assess(by=None, assessment=assessment, data=data)
    assert incomplete.value.code == "assessment_incomplete"


def test_the_verified_scores_decide_and_a_changed_score_needs_a_reason(tree):
    assessment = make_campaign(tree.district_a, [S(tree.commune_a1)]).assessments.get()
    self_scores(assessment, ["8", "6", "9"])  # 76 by itself
    first = criteria(assessment)[0]
    given = dict(zip(criteria(assessment), "669", strict=True))
    with pytest.raises(ValidationFailed) as unexplained:
        services.verify(
            by=None, assessment=assessment, scores={c.pk: services.VerifiedScore(v) for c, v in given.items()}
        )
    assert unexplained.value.code == "reason_required" and unexplained.value.extra["field"] == f"reason_{first.pk}"
    verify_scores(assessment, ["6", "6", "9"])  # 30 + 18 + 18 = 66 < 70
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.VERIFIED
    assert (assessment.self_total, assessment.verified_total, assessment.passed) == (
        Decimal("76.000"),
        Decimal("66.000"),
        False,
    )
    assert assessment.scores.get(criterion=first).reason == "Hồ sơ chưa đủ"
    assert assessment.counted_unit == tree.commune_a1 and assessment.counted_on == dt.date(2024, 12, 31)


def test_every_criterion_at_its_own_minimum(tree):
    campaign = make_campaign(tree.district_a, [S(tree.commune_a1), S(tree.commune_a1, "Mô hình")], minimums={2: "5"})
    low, high = campaign.assessments.order_by("model_title")
    for assessment, scores in ((low, ["10", "4", "10"]), (high, ["8", "5", "8"])):
        self_scores(assessment, scores)
        verify_scores(assessment, scores)
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.verified_total, low.passed) == (Decimal("82.000"), False)  # 82 ≥ 70 but criterion 2 below 5
    assert [row.passed for row in low.scores.order_by("criterion__position")] == [True, False, True]
    assert (high.verified_total, high.passed) == (Decimal("71.000"), True)


def test_reopening_steps_back_with_the_reason_and_keeps_what_it_replaced(tree):
    assessment = make_campaign(tree.district_a, [S(tree.commune_a1)]).assessments.get()
    self_scores(assessment, ["8", "6", "9"])
    verify_scores(assessment, ["8", "6", "9"])
    with pytest.raises(ValidationFailed):
        services.reopen(by=None, assessment=assessment, reason="  ")
    services.reopen(by=None, assessment=assessment, reason="Bổ sung minh chứng")
    assessment.refresh_from_db()
    assert (
        assessment.status == AssessmentStatus.SUBMITTED
        and assessment.passed is None
        and assessment.counted_unit is None
    )
    kept = assessment.reopenings.get()
    assert kept.previous["passed"] is True and kept.previous["verified_total"] == "76.000"
    services.reopen(by=None, assessment=assessment, reason="Xã tự chấm lại")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    self_scores(assessment, ["9", "6", "9"])  # the subject may change its own scores again
    with pytest.raises(Conflict):
        services.reopen(
            by=None, assessment=make_campaign(tree.district_a, [S(tree.commune_a1)]).assessments.get(), reason="x"
        )
    actions = list(
        AuditEntry.objects.filter(action__startswith="lantoa.judging.assessment.").values_list("action", flat=True)
    )
    assert actions.count("lantoa.judging.assessment.reopened") == 2
    assert {"lantoa.judging.assessment.submitted", "lantoa.judging.assessment.verified"} <= set(actions)


def test_the_indicator_counts_passes_at_the_subject_in_the_period_assessed(tree):
    campaign = make_campaign(
        tree.province, [S(tree.commune_a1), S(tree.cell_a1, "Mô hình nước sạch"), S(tree.commune_b1)]
    )
    passes = {"P-A-1": ["8", "8", "8"], "P-A-1-C1": ["9", "9", "9"], "P-B-1": ["5", "5", "5"]}
    for assessment in campaign.assessments.select_related("unit"):
        self_scores(assessment, passes[assessment.unit.code])
        verify_scores(assessment, passes[assessment.unit.code])
    later = make_campaign(tree.province, [S(tree.commune_b1)], year=2025)
    self_scores(later.assessments.get(), ["9", "9", "9"])  # submitted, not verified: not counted
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert values(tree.province, *year) == [2]
    assert values(tree.district_a, *year) == [2]
    assert values(tree.commune_a1, *year) == [2]
    assert values(tree.district_b, *year) == [0]
    assert values(tree.province, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == [0]


def test_across_a_merge_the_result_stays_where_it_was_earned_and_follows_the_successor(tree):
    campaign = make_campaign(tree.district_a, [S(tree.commune_a1)])
    assessment = campaign.assessments.get()
    self_scores(assessment, ["8", "8", "8"])
    verify_scores(assessment, ["8", "8", "8"])
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert values(tree.district_a, *year) == [1]  # as the tree stood in 2024
    assert values(tree.district_b, *year) == [0]
    today = {"structure": "current", "as_of": dt.date(2025, 8, 1)}
    assert values(tree.commune_b1, *year, **today) == [1]
    assert values(tree.province, *year, **today) == [1]
    assert values(tree.province, *year) == [1]
