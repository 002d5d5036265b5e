"""The conference indicators through the rollup: no double counting, both rates, restructuring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.meetings.models import Category, Format
from lantoa.meetings.services import Headcount, ReflectionCounts, attendance_record, reflections_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def values(unit, *codes, structure="historical"):  # type: ignore[no-untyped-def]
    found = indicator_values(unit=unit, start=PERIOD[0], end=PERIOD[1], codes=list(codes), structure=structure)
    return {v.indicator.code: v.value for v in found}


def headcount(point, members, others=0, *, summoned_members=0, exempt=0, summoned=0):  # type: ignore[no-untyped-def]
    counts = Headcount(
        present={Category.PARTY_MEMBERS: members, Category.NON_MEMBERS: others},
        members_summoned=summoned_members,
        members_exempt=exempt,
        summoned=summoned,
    )
    return attendance_record(by=None, point=point, counts=counts)


def relayed_conference_with_own_session(tree):  # type: ignore[no-untyped-def]
    """The province relays to A1 and B1; A1 also holds its own session the same week."""
    relayed = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    points = {p.unit_id: p for p in relayed.points.all()}
    headcount(points[tree.province.pk], 100, 20)
    headcount(points[tree.commune_a1.pk], 40, 5)
    headcount(points[tree.commune_b1.pk], 30)
    own = make_conference(tree.commune_a1, format=Format.IN_PERSON, day=dt.date(2021, 5, 12), level="commune")
    headcount(own.points.get(), 50)
    return relayed, own


def test_a_relayed_conference_counts_once_and_its_attendance_where_people_sat(tree):
    relayed_conference_with_own_session(tree)
    province = values(tree.province, "conferences_held", "online_bridge_points", "conference_attendances")
    assert province == {"conferences_held": 2, "online_bridge_points": 2, "conference_attendances": 245}
    district_a = values(tree.district_a, "conferences_held", "online_bridge_points", "conference_attendances")
    # District A organised nothing; its commune organised one conference and sat at one bridge point.
    assert district_a == {"conferences_held": 1, "online_bridge_points": 1, "conference_attendances": 95}
    assert values(tree.district_b, "conference_attendances") == {"conference_attendances": 30}
    assert values(tree.province, "bridge_points_commune", "bridge_points_province") == {
        "bridge_points_commune": 2,
        "bridge_points_province": 0,
    }


def test_planned_and_cancelled_conferences_do_not_count(tree):
    make_conference(tree.province, sites=[tree.commune_a1], held=False)
    assert values(tree.province, "conferences_held", "online_bridge_points") == {
        "conferences_held": 0,
        "online_bridge_points": 0,
    }


def test_rates_use_reported_denominators_without_exempt_members(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    points = {p.unit_id: p for p in conference.points.all()}
    headcount(points[tree.commune_a1.pk], 40, 10, summoned_members=50, exempt=5, summoned=60)
    # B1 reported no denominators: it stays out of both rates instead of reading as 0 % or 100 %.
    headcount(points[tree.commune_b1.pk], 30)
    rates = values(tree.province, "member_attendance_rate", "summoned_attendance_rate")
    assert rates["member_attendance_rate"] == Decimal("88.89")
    assert rates["summoned_attendance_rate"] == Decimal("83.33")


def test_reflections_are_counts(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    reflections_record(
        by=None,
        data=ReflectionCounts(
            unit=tree.cell_a1, recorded_on=dt.date(2021, 6, 1), conference=conference, required=20, exempt=2,
            submitted=17, graded=15,
        ),
    )  # fmt: skip
    # Recording again corrects the same tally rather than adding a second one.
    reflections_record(
        by=None,
        data=ReflectionCounts(
            unit=tree.cell_a1, recorded_on=dt.date(2021, 6, 2), conference=conference, required=20, exempt=2,
            submitted=18, graded=18,
        ),
    )  # fmt: skip
    assert values(tree.province, "study_reflections_submitted") == {"study_reflections_submitted": 18}


def test_figures_follow_a_merged_commune_into_todays_structure(tree):
    relayed_conference_with_own_session(tree)
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    codes = ("conferences_held", "online_bridge_points", "conference_attendances")
    # 2021 in the 2021 tree: unchanged.
    assert values(tree.district_a, *codes)["conference_attendances"] == 95
    # 2021 in today's tree: A1's records went whole to B1 (district B), nothing lost or doubled.
    assert values(tree.district_b, *codes, structure="current") == {
        "conferences_held": 1,
        "online_bridge_points": 2,
        "conference_attendances": 125,
    }
    assert values(tree.province, *codes, structure="current")["conference_attendances"] == 245


def test_a_merged_commune_sees_the_conferences_of_the_communes_it_was_made_of(tree):
    from lantoa.accounts.tests.factories import make_user
    from lantoa.meetings.permissions import conferences_visible_to

    relayed, own = relayed_conference_with_own_session(tree)
    b1_officer = make_user(role="officer", unit=tree.commune_b1, username="officer_b1")
    assert set(conferences_visible_to(b1_officer)) == {relayed}  # A1's own session is not B1's
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    assert set(conferences_visible_to(b1_officer)) == {relayed, own}
