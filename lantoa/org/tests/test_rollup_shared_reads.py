"""A count of records recomputed in a later structure rides along with a distinct count of the
same records (contest entries beside contest participants): one read answers both, and each
gives what it gives when asked alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.services import assignment_create
from lantoa.accounts.tests.factories import make_user
from lantoa.core.indicators import Aggregation, Counting, Indicator, Measure, Reallocation, RecordSource
from lantoa.org.models import Unit
from lantoa.org.rollup import indicator_values
from lantoa.org.tests.test_rollup import split_a1

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
REGISTRY: list[RecordSource | Indicator] = [
    RecordSource(
        key="test_shared_assignments",
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
            reallocation=Reallocation.RECOMPUTE,
            source="test_shared_assignments",
            measure=measure,
        )
        for code, measure, aggregation in [
            ("test_shared_entries", "count", Aggregation.SUM),
            ("test_shared_people", "people", Aggregation.DISTINCT),
        ]
    ),
]
CODES = ["test_shared_entries", "test_shared_people"]


@pytest.fixture(scope="module", autouse=True)
def _indicators(register_test_indicators):
    register_test_indicators(*REGISTRY)


def values(unit: Unit, codes: list[str], structure: str) -> tuple[dict[str, object], int]:
    with CaptureQueriesContext(connection) as captured:
        found = indicator_values(unit=unit, start=PERIOD[0], end=PERIOD[1], codes=codes, structure=structure)
    return {item.indicator.code: item.value for item in found}, len(captured)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_entries_read_with_people_equal_entries_read_alone(tree, structure):
    # Three assignments of one user and two of another in commune A1, one of a third in B1:
    # six records, three people; then A1 splits, so today's structure recomputes them.
    first = make_user(role="viewer", unit=tree.commune_a1, valid_from=dt.date(2023, 3, 1))
    second = make_user(role="viewer", unit=tree.commune_a1, valid_from=dt.date(2023, 3, 2))
    make_user(role="viewer", unit=tree.commune_b1, valid_from=dt.date(2023, 3, 3))
    for day in (dt.date(2023, 4, 1), dt.date(2023, 5, 1)):
        ends = day + dt.timedelta(days=10)
        assignment_create(by=None, user=first, unit=tree.commune_a1, role="officer", valid_from=day, valid_to=ends)
    assignment_create(by=None, user=second, unit=tree.commune_a1, role="officer", valid_from=dt.date(2023, 6, 1))
    split_a1()
    province = Unit.objects.get(pk=tree.province.pk)
    together, together_queries = values(province, CODES, structure)
    entries, entries_queries = values(province, ["test_shared_entries"], structure)
    people, people_queries = values(province, ["test_shared_people"], structure)
    assert together == {**entries, **people}
    assert together["test_shared_entries"] == 6 and together["test_shared_people"] == 3
    assert together_queries == people_queries < entries_queries + people_queries
