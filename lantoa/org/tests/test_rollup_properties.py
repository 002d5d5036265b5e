"""Properties of the rollup over random restructuring histories.

For any sequence of merges, splits, moves and tier abolitions:
* a unit's total is its own records plus its children's totals, in any structure;
* historical totals never change when events are applied later;
* nothing is lost or invented: the root's total is the same in every structure, and each
  unit's current total is its historical total plus what the declared successions carried.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
)
from lantoa.core.models import DataValue
from lantoa.core.services import data_value_record, period_ensure
from lantoa.org import selectors
from lantoa.org.models import Succession, Unit
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import flow_forward, indicator_values
from lantoa.org.tests.factories import make_tree

pytestmark = pytest.mark.django_db

TEST_REGISTRY: list[RecordSource | Indicator] = [
    RecordSource(
        key="prop_figures",
        model="core.DataValue",
        unit_field="unit",
        date_field="period__end",
        measures={"amount": Measure.sum("value")},
        filters={"indicator": "prop_amount", "superseded_at__isnull": True},
    ),
    Indicator(
        code="prop_amount",
        name_vi="",
        name_en="",
        measure_vi="",
        measure_en="",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.BY_WEIGHT,
        source="prop_figures",
        measure="amount",
    ),
    Indicator(
        code="prop_whole",
        name_vi="",
        name_en="",
        measure_vi="",
        measure_en="",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="prop_figures",
        measure="amount",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def _test_indicators(register_test_indicators):
    register_test_indicators(*TEST_REGISTRY)


PERIOD = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
FIRST_EVENT = dt.date(2024, 1, 1)
_codes = itertools.count(1)


def total(unit: Unit, code: str, structure: str) -> int:
    [result] = indicator_values(unit=unit, start=PERIOD[0], end=PERIOD[1], codes=[code], structure=structure)
    assert result.value is not None
    return int(result.value)


def file_amounts(amounts: dict[str, int]) -> None:
    period = period_ensure(kind="year", start=PERIOD[0], end=PERIOD[1])
    for code, amount in amounts.items():
        unit = Unit.objects.get(code=code)
        DataValue.objects.create(indicator="prop_amount", unit=unit, period=period, value=amount)


def open_communes(day: dt.date) -> list[Unit]:
    return list(Unit.objects.filter(selectors.open_on(day), kind__tier__code="commune").order_by("code"))


def open_districts(day: dt.date) -> list[Unit]:
    return list(Unit.objects.filter(selectors.open_on(day), kind__tier__code="district").order_by("code"))


def parent_of(unit: Unit, day: dt.date) -> Unit:
    parent = selectors.unit_parent(unit, as_of=day)
    assert parent is not None
    return parent


def apply_random_event(data, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    communes = open_communes(day)
    districts = open_districts(day)
    choice = data.draw(st.sampled_from(["merge", "split", "move", "abolish"]))
    new_code = f"G{next(_codes)}"
    if choice == "merge" and len(communes) >= 2:
        pair = data.draw(st.lists(st.sampled_from(communes), min_size=2, max_size=2, unique=True))
        parent = parent_of(pair[0], day)
        payload = {
            "predecessors": [u.code for u in pair],
            "new": {"code": new_code, "name": "Xã gộp", "kind": "commune_committee", "parent": parent.code},
        }
        event_apply(by=None, kind="merge", effective_on=day, payload=payload)
    elif choice == "split" and communes:
        unit = data.draw(st.sampled_from(communes))
        parent = parent_of(unit, day)
        share = data.draw(st.integers(min_value=1, max_value=99))
        payload = {
            "unit": unit.code,
            "successors": [
                {
                    "new": {"code": new_code + "a", "name": "Xã A", "kind": "commune_committee", "parent": parent.code},
                    "weight": f"0.{share:02d}",
                    "is_default": True,
                },
                {
                    "new": {"code": new_code + "b", "name": "Xã B", "kind": "commune_committee", "parent": parent.code},
                    "weight": f"0.{100 - share:02d}",
                },
            ],
        }
        event_apply(by=None, kind="split", effective_on=day, payload=payload)
    elif choice == "move" and communes and len(districts) >= 2:
        unit = data.draw(st.sampled_from(communes))
        current_parent = selectors.unit_parent(unit, as_of=day)
        targets = [d for d in districts if d.pk != getattr(current_parent, "pk", None)]
        if targets:
            target = data.draw(st.sampled_from(targets))
            event_apply(by=None, kind="move", effective_on=day, payload={"unit": unit.code, "parent": target.code})
    elif choice == "abolish" and districts:
        event_apply(by=None, kind="abolish_tier", effective_on=day, payload={"within": "P", "tier": "district"})


def final_default_successor(unit: Unit) -> Unit:
    """Walk the declared successions one by one, independently of the rollup's own code."""
    while unit.closed_on is not None:
        link = Succession.objects.filter(predecessor=unit, is_default=True).select_related("successor").first()
        if link is None:
            return unit
        unit = link.successor
    return unit


def expected_whole(unit: Unit, amounts: dict[str, int]) -> int:
    """Each record whole at its unit's final default successor, summed over ``unit``'s subtree today."""
    inside = set(selectors.subtree_ids(unit.pk, as_of=selectors.today()))
    return sum(
        amount for code, amount in amounts.items() if final_default_successor(Unit.objects.get(code=code)).pk in inside
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rollup_properties_over_random_histories(data):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        tree = make_tree()
        leaves = ["P-A-1", "P-B-1", "P-A-1-C1", "P-K-1", "P-A"]
        amounts = {code: data.draw(st.integers(min_value=0, max_value=1000), label=code) for code in leaves}
        file_amounts(amounts)
        units_before = list(Unit.objects.all())
        historical_before = {u.code: total(u, "prop_amount", "historical") for u in units_before}

        day = FIRST_EVENT
        for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="events")):
            apply_random_event(data, day)
            day += dt.timedelta(days=data.draw(st.integers(min_value=1, max_value=200), label="gap"))

        # Historical totals never change when events are applied later.
        assert {u.code: total(u, "prop_amount", "historical") for u in units_before} == historical_before
        # Nothing lost or invented: the root total is the same in every structure and rule.
        grand = sum(amounts.values())
        for structure in ("historical", "current"):
            assert total(tree.province, "prop_amount", structure) == grand
            assert total(tree.province, "prop_whole", structure) == grand
        # A unit's total is its own figures plus its children's, in the current structure.
        per_unit = dict(Unit.objects.filter(code__in=amounts).values_list("pk", "code"))
        amounts_by_id = {pk: amounts[code] for pk, code in per_unit.items()}
        flowed = flow_forward(amounts_by_id, until=selectors.today(), rule=Reallocation.BY_WEIGHT)
        for unit in Unit.objects.filter(selectors.open_on(selectors.today())):
            children = selectors.unit_children(unit)
            own = flowed.get(unit.pk, 0)
            assert total(unit, "prop_amount", "current") == own + sum(
                total(child, "prop_amount", "current") for child in children
            )
            # Current totals are the records carried by the declared successions.
            assert total(unit, "prop_whole", "current") == expected_whole(unit, amounts)
        transaction.set_rollback(True)


def test_figures_filed_after_a_restructuring_count_where_they_were_filed(tree):
    period = period_ensure(kind="year", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-B"], "into": "P-A"}
    )
    data_value_record(by=None, indicator="population", unit=tree.commune_b1, period=period, value=10)
    [value] = indicator_values(unit=tree.district_a, start=period.start, end=period.end, codes=["population"])
    assert value.value == 10
