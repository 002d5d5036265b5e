"""Recomputed figures are counted by PostgreSQL in one grouped statement and placed in Python on
SQLite (``org.rollup.sources.recomputed_values``). Both ways answer the same figures: here both
run on the same records — several sources of one table told apart by a filter, distinct people
beside counts of records, snapshots of lasting records — for many targets and overlapping
periods, before and after a split, in every structure, on whichever database the suite uses."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.accounts.services import assignment_create
from lantoa.accounts.tests.factories import make_user
from lantoa.core.indicators import Aggregation, Counting, Indicator, Measure, Reallocation, RecordSource
from lantoa.org.models import Unit
from lantoa.org.rollup.batch import Batch
from lantoa.org.rollup.sources import _counted_in_database, _placed_in_python
from lantoa.org.rollup.values import Structure
from lantoa.org.tests.test_rollup import SPLIT_DAY, split_a1

pytestmark = pytest.mark.django_db


def _source(key: str, role: str) -> RecordSource:
    return RecordSource(
        key=key,
        model="accounts.Assignment",
        unit_field="unit",
        date_field="valid_from",
        valid_to_field="valid_to",
        filters={"role": role},
        measures={"count": Measure.count(), "people": Measure.distinct("user")},
    )


def _indicator(code: str, source: str, measure: str, aggregation: Aggregation) -> Indicator:
    return Indicator(
        code=code,
        name_vi=code,
        name_en=code,
        measure_vi="",
        measure_en="",
        aggregation=aggregation,
        counting=Counting.ITEMS,
        reallocation=Reallocation.RECOMPUTE,
        source=source,
        measure=measure,
    )


OFFICERS = _source("test_paths_officers", "officer")
VIEWERS = _source("test_paths_viewers", "viewer")
# One group of the rollup each: what it reads together.
FLOWING = [
    _indicator("test_paths_officer_entries", OFFICERS.key, "count", Aggregation.SUM),
    _indicator("test_paths_officers", OFFICERS.key, "people", Aggregation.DISTINCT),
    _indicator("test_paths_viewer_entries", VIEWERS.key, "count", Aggregation.SUM),
    _indicator("test_paths_viewers", VIEWERS.key, "people", Aggregation.DISTINCT),
]
HELD = [
    _indicator("test_paths_officers_held", OFFICERS.key, "people", Aggregation.SNAPSHOT),
    _indicator("test_paths_viewers_held", VIEWERS.key, "people", Aggregation.SNAPSHOT),
]
PERIODS = [
    (dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    *[(dt.date(2023, month, 1), dt.date(2023, month, 28)) for month in (3, 4, 5, 6)],
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (SPLIT_DAY, dt.date(2026, 12, 31)),
]


@pytest.fixture(scope="module", autouse=True)
def _indicators(register_test_indicators):
    register_test_indicators(OFFICERS, VIEWERS, *FLOWING, *HELD)


def _records(tree) -> None:
    """Officers and viewers in both districts, some repeated, some ended, some still held; A1's
    records then cross its split (today's structure counts them at its successor)."""
    people = [
        make_user(role="viewer", unit=unit, valid_from=dt.date(2023, 3, day))
        for day, unit in enumerate([tree.commune_a1, tree.commune_a1, tree.commune_b1, tree.cell_a1], start=1)
    ]
    for index, person in enumerate(people):
        for month in (4, 5):
            starts = dt.date(2023, month, 1 + index)
            ends = None if month == 5 and index % 2 else starts + dt.timedelta(days=20)
            unit = tree.commune_a1 if index < 2 else tree.commune_b1
            assignment_create(by=None, user=person, unit=unit, role="officer", valid_from=starts, valid_to=ends)
    assignment_create(by=None, user=people[0], unit=tree.district_b, role="officer", valid_from=dt.date(2025, 2, 1))
    split_a1()
    assignment_create(by=None, user=people[1], unit=tree.district_a, role="officer", valid_from=dt.date(2025, 8, 1))


@pytest.mark.parametrize("structure", [Structure.HISTORICAL, Structure.CURRENT, Structure.AS_OF])
@pytest.mark.parametrize("group", [FLOWING, HELD], ids=["flowing", "held"])
def test_the_database_and_python_count_the_same(tree, structure, group):
    _records(tree)
    targets = [unit.pk for unit in Unit.objects.order_by("pk")]
    as_of = dt.date(2025, 1, 1) if structure == Structure.AS_OF else None

    def batch() -> Batch:
        return Batch(targets, PERIODS, structure, as_of)

    in_database = _counted_in_database(batch(), group)
    in_python = _placed_in_python(batch(), group)
    assert in_database == in_python
    # The data is not empty where it matters: both sources, the split commune's successor included.
    assert any(in_python[(tree.province.pk, 0, indicator.code)] for indicator in group)
    assert all(in_python[(tree.province.pk, 0, indicator.code)] for indicator in group if indicator in FLOWING)
