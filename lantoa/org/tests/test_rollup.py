import datetime as dt
from decimal import Decimal

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
    register_indicator,
)
from lantoa.core.services import data_value_record, period_ensure
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values, rollup, share_by_weight
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

# Assignments stand in for "records that count": each has a unit and a local date.
TEST_REGISTRY: list[RecordSource | Indicator] = [
    RecordSource(
        key="test_assignments",
        model="accounts.Assignment",
        unit_field="unit",
        date_field="valid_from",
        measures={"count": Measure.count(), "people": Measure.distinct("user")},
    ),
    *(
        Indicator(
            code=code,
            name_vi=code,
            name_en=code,
            measure_vi="",
            measure_en="",
            aggregation=aggregation,
            counting=Counting.ITEMS,
            reallocation=rule,
            source="test_assignments",
            measure=measure,
        )
        for code, rule, measure, aggregation in [
            ("test_records", Reallocation.BY_WEIGHT, "count", Aggregation.SUM),
            ("test_events", Reallocation.WHOLE_TO_DEFAULT, "count", Aggregation.SUM),
            ("test_people", Reallocation.RECOMPUTE, "people", Aggregation.DISTINCT),
        ]
    ),
    Indicator(
        code="test_members_per_1000",
        name_vi="",
        name_en="",
        measure_vi="",
        measure_en="",
        aggregation=Aggregation.RATIO,
        counting=Counting.OTHER,
        reallocation=Reallocation.RECOMPUTE,
        numerator="party_members",
        denominator="population",
        scale=1000,
    ),
    # Assignments also stand in for lasting records (a role held from one date to another).
    RecordSource(
        key="test_assignments_held",
        model="accounts.Assignment",
        unit_field="unit",
        date_field="valid_from",
        valid_to_field="valid_to",
        measures={"count": Measure.count()},
    ),
    Indicator(
        code="test_roles_held",
        name_vi="",
        name_en="",
        measure_vi="",
        measure_en="",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="test_assignments_held",
        measure="count",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def _test_indicators(register_test_indicators):
    register_test_indicators(*TEST_REGISTRY)


YEAR_2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
SPLIT_DAY = dt.date(2025, 7, 1)


def value(unit, code, structure="historical", as_of=None, period=YEAR_2023):
    [result] = indicator_values(
        unit=unit, start=period[0], end=period[1], codes=[code], structure=structure, as_of=as_of
    )
    return result


def add_records(unit, count, day=dt.date(2023, 5, 1)):
    for _ in range(count):
        make_user(role="viewer", unit=unit, valid_from=day)


def split_a1(weights=("0.6", "0.4")):
    event_apply(
        by=None,
        kind="split",
        effective_on=SPLIT_DAY,
        payload={
            "unit": "P-A-1",
            "successors": [
                {
                    "new": {"code": "P-A-2", "name": "Xã Hai", "kind": "commune_committee", "parent": "P-A"},
                    "weight": weights[0],
                    "is_default": True,
                },
                {
                    "new": {"code": "P-B-2", "name": "Xã Ba", "kind": "commune_committee", "parent": "P-B"},
                    "weight": weights[1],
                },
            ],
        },
    )


def test_share_by_weight_is_exact():
    assert share_by_weight(1001, [(1, Decimal("0.6")), (2, Decimal("0.4"))]) == {1: 601, 2: 400}
    assert share_by_weight(10, [(1, Decimal("0.333333")), (2, Decimal("0.333333")), (3, Decimal("0.333334"))]) == {
        1: 3,
        2: 3,
        3: 4,
    }
    parts = share_by_weight(Decimal("10.5"), [(1, Decimal("0.5")), (2, Decimal("0.5"))])
    assert sum(parts.values()) == Decimal("10.5")


def test_historical_sum_over_subtree(tree):
    add_records(tree.commune_a1, 3)
    add_records(tree.cell_a1, 2)
    add_records(tree.commune_b1, 4)
    add_records(tree.commune_b1, 5, day=dt.date(2024, 1, 1))  # outside the period
    assert value(tree.district_a, "test_records").value == 5
    assert value(tree.district_b, "test_records").value == 4
    assert value(tree.province, "test_records").value == 9


def test_a_period_that_spans_a_restructuring_counts_each_record_where_its_unit_stood_that_day(tree):
    """Records are summed per unit and slice of the period before the closure rows are joined:
    a period cut by the split counts the records before it under district A, those after it
    under the district of each successor, in every period that holds them (a year and its
    second half, read together), as the one-by-one reference counts them."""
    from lantoa.org.models import Unit
    from lantoa.org.tests.rollup_reference import reference_values

    add_records(tree.commune_a1, 3, day=dt.date(2025, 3, 1))
    split_a1()  # also moves A-1's three assignments to A-2 on the split day: three records more
    add_records(Unit.objects.get(code="P-A-2"), 1, day=dt.date(2025, 8, 1))
    add_records(Unit.objects.get(code="P-B-2"), 2, day=dt.date(2025, 9, 1))
    year, second_half = (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    units = [tree.province, tree.district_a, tree.district_b]
    table = rollup(units=units, periods=[year, second_half], codes=["test_records"])
    assert [table.value(unit, year, "test_records") for unit in units] == [9, 7, 2]
    assert [table.value(unit, second_half, "test_records") for unit in units] == [6, 4, 2]
    for structure in ("historical", "current"):
        table = rollup(units=units, periods=[year, second_half], codes=["test_records"], structure=structure)
        for unit in units:
            for start, end in (year, second_half):
                [expected] = reference_values(
                    unit=unit, start=start, end=end, codes=["test_records"], structure=structure
                )
                assert table.value(unit, (start, end), "test_records") == expected.value, (structure, unit.code, start)


def test_historical_figures_stay_put_and_current_ones_follow_successors(tree):
    add_records(tree.commune_a1, 10)
    split_a1()
    # The tree as it was in 2023: all ten under district A.
    assert value(tree.district_a, "test_records").value == 10
    assert value(tree.district_b, "test_records").value == 0
    # Today's tree: additive figures shared 6/4 by weight…
    assert value(tree.district_a, "test_records", "current").value == 6
    assert value(tree.district_b, "test_records", "current").value == 4
    # …event records go whole to the default successor…
    assert value(tree.district_a, "test_events", "current").value == 10
    assert value(tree.district_b, "test_events", "current").value == 0
    # …and the province total is the same in every structure.
    for structure in ("historical", "current"):
        assert value(tree.province, "test_records", structure).value == 10
    # The structure as of a date before the split is the historical one.
    assert value(tree.district_b, "test_records", "as_of", as_of=dt.date(2025, 6, 30)).value == 0


def test_distinct_people_are_recomputed_not_shared(tree):
    person = make_user(role="viewer", unit=tree.commune_a1, valid_from=dt.date(2023, 3, 1))
    from lantoa.accounts.services import assignment_create

    assignment_create(by=None, user=person, unit=tree.cell_a1, role="officer", valid_from=dt.date(2023, 4, 1))
    assert value(tree.district_a, "test_people").value == 1
    assert value(tree.district_a, "test_records").value == 2
    split_a1()
    assert value(tree.province, "test_people", "current").value == 1


def test_reported_figures_split_by_weight_and_say_their_coverage(tree):
    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    data_value_record(by=None, indicator="population", unit=tree.commune_a1, period=period, value=1001)
    historical = value(tree.district_a, "population")
    assert historical.value == 1001
    assert historical.coverage.complete
    province = value(tree.province, "population")
    # Commune B1 filed nothing: the figure says so instead of pretending zero.
    assert not province.coverage.complete
    assert province.coverage.missing_units == ["P-B-1"]
    split_a1()
    assert value(tree.district_a, "population", "current").value == 601
    assert value(tree.district_b, "population", "current").value == 400


def test_a_correction_supersedes_and_refiling_is_idempotent(tree):
    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    first = data_value_record(by=None, indicator="party_members", unit=tree.commune_a1, period=period, value=50)
    again = data_value_record(by=None, indicator="party_members", unit=tree.commune_a1, period=period, value=50)
    assert first.pk == again.pk
    data_value_record(by=None, indicator="party_members", unit=tree.commune_a1, period=period, value=55)
    assert value(tree.commune_a1, "party_members").value == 55
    first.refresh_from_db()
    assert first.superseded_at is not None


def test_unit_counts_in_both_structures(tree):
    assert value(tree.province, "units_commune").value == 3
    assert value(tree.province, "units_district").value == 3
    split_a1()
    # In 2023 district A had one commune; its 2023 commune, read in today's tree, is now in A.
    assert value(tree.district_a, "units_commune").value == 1
    assert value(tree.district_b, "units_commune", "current").value == 1
    now = (dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    assert value(tree.province, "units_commune", period=now).value == 4


def test_coverage_lists_units_that_kept_no_records(tree):
    silent = make_unit(kind="commune_committee", parent=tree.district_b, code="P-B-9", opened_on=dt.date(2020, 1, 1))
    silent.records_since = None
    silent.save()
    result = value(tree.district_b, "test_records")
    assert result.coverage.missing_units == ["P-B-9"]
    assert value(tree.district_a, "test_records").coverage.complete


def test_ratio(tree):
    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    data_value_record(by=None, indicator="population", unit=tree.commune_a1, period=period, value=2000)
    data_value_record(by=None, indicator="party_members", unit=tree.commune_a1, period=period, value=50)
    assert value(tree.commune_a1, "test_members_per_1000").value == Decimal("25.00")
    assert value(tree.commune_b1, "test_members_per_1000").value is None


def test_lasting_records_count_when_valid_on_the_last_day(tree):
    make_user(role="officer", unit=tree.commune_a1, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2023, 6, 1))
    make_user(role="officer", unit=tree.commune_a1, valid_from=dt.date(2021, 1, 1))
    make_user(role="officer", unit=tree.cell_a1, valid_from=dt.date(2024, 2, 1))  # starts after 2023
    assert value(tree.district_a, "test_roles_held").value == 1
    assert value(tree.district_a, "test_roles_held", period=(dt.date(2022, 1, 1), dt.date(2022, 12, 31))).value == 2


def test_lasting_records_follow_successors_in_todays_structure(tree):
    make_user(role="officer", unit=tree.commune_a1, valid_from=dt.date(2021, 1, 1))
    event_apply(by=None, kind="merge", effective_on=SPLIT_DAY, payload={"predecessors": ["P-A-1"], "into": "P-B-1"})
    assert value(tree.district_a, "test_roles_held").value == 1
    assert value(tree.district_b, "test_roles_held").value == 0
    assert value(tree.district_b, "test_roles_held", "current").value == 1
    # After the merge the assignment followed its unit: counted once, at B.
    later = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert value(tree.district_b, "test_roles_held", period=later).value == 1
    assert value(tree.province, "test_roles_held", "current", period=later).value == 1


def test_a_snapshot_needs_a_lasting_source():
    from lantoa.core.indicators import RegistryError

    with pytest.raises(RegistryError):
        register_indicator(
            Indicator(
                code="test_bad_snapshot",
                name_vi="",
                name_en="",
                measure_vi="",
                measure_en="",
                aggregation=Aggregation.SNAPSHOT,
                counting=Counting.ITEMS,
                reallocation=Reallocation.RECOMPUTE,
                source="test_assignments",
                measure="count",
            )
        )
