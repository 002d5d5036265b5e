"""The demo's programmes and recommendations, built on a small tree shaped like Lào Cai's in 2021
through the demo module and the services: coverage tells most committees on time, some late,
one missing; the five recommendations carry answers marked as invented."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.org.rollup import indicator_values
from lantoa.org.tests.factories import make_unit
from lantoa.plans import demo
from lantoa.plans.models import FollowUp, Inspection, InspectionPlan, IssueRequirement, Recommendation, SentReminder
from lantoa.plans.selectors import inspection_plan_rows, requirement_coverage

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_story_of_programmes_and_recommendations():
    province = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Lào Cai", code="LC")
    commission = make_unit(kind="commission", parent=province, name="Ban Tuyên giáo Tỉnh ủy", code="LC-BTG")
    kinds = ["district_committee"] * 9 + ["bloc_committee"] * 2 + ["armed_forces_committee"] * 3
    committees = [make_unit(kind=kind, parent=province, code=f"LC-{n:02d}") for n, kind in enumerate(kinds, 1)]
    communes = [make_unit(kind="commune_committee", parent=committees[0], code=f"LC-01-{n}") for n in (1, 2)]
    report = demo.build_plans(
        province,
        commission=commission,
        committees=demo.committees_of(province, demo.PROVINCE_ISSUED),
        communes=demo.communes_of(committees[0], demo.PROVINCE_ISSUED),
    )
    assert len(demo.committees_of(province, demo.PROVINCE_ISSUED)) == 14
    coverage = requirement_coverage(IssueRequirement.objects.get(), structure="historical")
    assert coverage.counts == {"units": 14, "on_time": 10, "late": 3, "missing": 1}
    assert (report.on_time, report.late, report.missing) == (10, 3, 1)
    assert report.programmes == 1 + 13 + len(communes)
    recommendations = Recommendation.objects.filter(unit=commission)
    assert recommendations.count() == 5
    answered = recommendations.exclude(answer="")
    assert answered.count() == 3 and all(demo.INVENTED in item.answer for item in answered)
    inspection = Inspection.objects.get(unit=commission)
    assert [(f.kind, f.original_name.endswith(".docx")) for f in inspection.files.all()] == [("minutes", True)]
    plan = InspectionPlan.objects.get(unit=province, year=2022)
    assert (report.planned, report.planned_held) == (4, 3)
    kept = SentReminder.objects.values_list("about", "channel")
    assert report.reminders == len(kept) and {"requirement", "follow_up", "recommendation"} == {a for a, _c in kept}
    assert ("recommendation", "message") in set(kept)
    rows = inspection_plan_rows(plan, on=dt.date(2023, 1, 1))
    assert [row.status for row in rows] == ["held", "held", "held", "not_held"]
    assert (inspection.deciding_body, inspection.starts_on.isoformat()) == ("Bộ Chính trị", "2022-08-08")
    assert inspection.conclusions.count() == 4 and report.follow_ups == 3
    assert set(recommendations.values_list("inspection", flat=True)) == {inspection.pk}
    assert FollowUp.objects.filter(closed_on__isnull=True, conclusion__inspection=inspection).count() == 1
    assert FollowUp.objects.filter(closed_on__isnull=True).exclude(conclusion__inspection=inspection).count() == 2
    codes = ["programme_tasks_done_rate", "inspections_held", "inspection_conclusions_open"]
    figures = indicator_values(unit=province, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31), codes=codes)
    rate, held, still_open = (None if f.value is None else float(f.value) for f in figures)
    assert rate is not None and 0 < rate <= 100
    assert (held, still_open) == (4, 4)  # held: the plan's three and the Politburo team's; open on 31/12/2022: two each
    assert set(recommendations.values_list("status", flat=True)) == {
        "answered", "implemented", "considering", "received",
    }  # fmt: skip
