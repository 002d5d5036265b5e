"""Units ranked when a round closes: rolled up to the organiser's children in today's structure
(a unit that merged keeps its contestants' history, counted under its successor), the
participation rate against Party members, collective prizes, and a cost that does not grow with
the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantoa.contests import results
from lantoa.contests.models import UnitResult
from lantoa.contests.services import round_close
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.core.services import data_value_record, period_ensure
from lantoa.org.restructuring import event_apply
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def members(unit, count: int, year: int) -> None:
    period = period_ensure(kind="year", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    data_value_record(by=None, indicator="party_members", unit=unit, period=period, value=count)


def test_units_are_ranked_by_participation_rate_then_people(tree):
    round_ = past_round(tree.province, attempts_allowed=0)
    year = timezone.localdate(round_.closes_at).year
    members(tree.commune_a1, 10, year)
    members(tree.commune_b1, 4, year)
    a1 = [person(round_, tree.commune_a1) for _ in range(3)]
    b1 = [person(round_, tree.commune_b1) for _ in range(2)]
    for p in a1:
        entry(round_, p, score=2)
    entry(round_, a1[0], score=3)
    for p in b1:
        entry(round_, p, score=1)
    entry(round_, person(round_, tree.agency_cell), score=1)
    round_close(by=None, round_=round_)
    rows = {r.unit.code: r for r in UnitResult.objects.filter(round=round_).select_related("unit")}
    assert (rows["P-B"].rank, rows["P-B"].contestants, rows["P-B"].entries, str(rows["P-B"].rate)) == (1, 2, 2, "50.00")
    assert (rows["P-A"].rank, rows["P-A"].contestants, rows["P-A"].entries, str(rows["P-A"].rate)) == (2, 3, 4, "30.00")
    # No Party members filed: ranked after every unit with a rate.
    assert (rows["P-K"].rank, rows["P-K"].rate, rows["P-K"].denominator) == (3, None, None)
    assert [code for code, row in rows.items() if row.prize] == ["P-B"]  # one collective prize
    assert [r.unit.code for r in results.round_unit_ranking(round_.__class__.objects.get(pk=round_.pk))] == [
        "P-B",
        "P-A",
        "P-K",
    ]


def test_a_merged_unit_keeps_its_history_under_its_successor(tree):
    round_ = past_round(tree.province, prediction_kind="none")
    before = person(round_, tree.commune_b1, "Người xã Lương Sơn")
    entry(round_, before, score=3)
    entry(round_, person(round_, tree.commune_a1), score=2)
    # The commune of district B merges into the commune of district A after the round.
    event_apply(
        by=None,
        kind="merge",
        effective_on=timezone.localdate() - dt.timedelta(days=1),
        payload={"predecessors": ["P-B-1"], "into": "P-A-1"},
    )
    round_close(by=None, round_=round_)
    rows = {r.unit.code: r for r in UnitResult.objects.filter(round=round_).select_related("unit")}
    assert rows["P-A"].contestants == 2 and rows["P-A"].entries == 2
    assert rows["P-B"].contestants == 0
    # The contestant's own result still names the unit they chose.
    assert results.result_rows(round_.__class__.objects.get(pk=round_.pk))[0].unit.code == "P-B-1"


def test_a_unit_below_the_organiser_has_its_own_ranking_of_children(tree):
    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.cell_a1), score=3)
    rows = results.unit_ranking(round_, tree.district_a)
    assert [(r.unit.code, r.contestants) for r in rows] == [("P-A-1", 1)]


def _queries(round_, parent, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        results.unit_ranking(round_, parent)
    return len(captured)


def test_ranking_units_costs_the_same_for_3_or_30_units(tree, django_assert_max_num_queries):
    round_ = past_round(tree.province)
    small = make_unit(kind="district_committee", parent=tree.province, name="Huyện nhỏ")
    large = make_unit(kind="district_committee", parent=tree.province, name="Huyện lớn")
    for n in range(3):
        entry(round_, person(round_, make_unit(parent=small, name=f"Xã nhỏ {n}")), score=1)
    for n in range(30):
        entry(round_, person(round_, make_unit(parent=large, name=f"Xã lớn {n}")), score=1)
    assert _queries(round_, small, django_assert_max_num_queries) == _queries(
        round_, large, django_assert_max_num_queries
    )
    assert len(results.unit_ranking(round_, large)) == 30


def test_a_commission_with_no_unit_below_ranks_its_committees_units(tree):
    commission = make_unit(kind="commission", parent=tree.province, name="Ban Tuyên giáo")
    round_ = past_round(commission)
    entry(round_, person(round_, tree.commune_a1), score=3)
    round_close(by=None, round_=round_)
    codes = set(UnitResult.objects.filter(round=round_).values_list("unit__code", flat=True))
    assert {"P-A", "P-B", "P-K"} <= codes
    assert results.ranking_root(round_.contest) == tree.province
