"""The batched rollup answers exactly what the one-unit-at-a-time reference answers, for every
unit, overlapping periods and every structure, over random restructuring histories; and its
cost does not grow with the number of units or periods asked for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.core.models import DataValue
from lantoa.core.services import period_ensure
from lantoa.org.models import Unit
from lantoa.org.rollup import rollup
from lantoa.org.tests.factories import make_tree, make_unit
from lantoa.org.tests.rollup_reference import reference_values
from lantoa.org.tests.test_rollup_properties import FIRST_EVENT, TEST_REGISTRY, apply_random_event

pytestmark = pytest.mark.django_db

PERIODS = [
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    (dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
    (dt.date(2023, 4, 1), dt.date(2023, 9, 30)),
]
CODES = ["prop_amount", "prop_whole", "population", "units_commune", "units_village"]
REPORTED = {"population"}
LEAVES = ["P-A-1", "P-B-1", "P-A-1-C1", "P-K-1", "P-A"]


@pytest.fixture(scope="module", autouse=True)
def _test_indicators(register_test_indicators):  # type: ignore[no-untyped-def]
    register_test_indicators(*TEST_REGISTRY)


def _file(data) -> None:  # type: ignore[no-untyped-def]
    """Figures of the test source (dated by their period's end) and population, in two periods."""
    year = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    quarter = period_ensure(kind="quarter", start=dt.date(2023, 4, 1), end=dt.date(2023, 6, 30))
    for code in LEAVES:
        unit = Unit.objects.get(code=code)
        for period in (year, quarter):
            amount = data.draw(st.integers(min_value=0, max_value=1000), label=f"{code} {period.kind}")
            DataValue.objects.create(indicator="prop_amount", unit=unit, period=period, value=amount)
            if data.draw(st.booleans(), label=f"{code} files population"):
                DataValue.objects.create(indicator="population", unit=unit, period=period, value=amount * 3)


def _comparable(code: str, value):  # type: ignore[no-untyped-def]
    # The reference read "nobody filed" as 0; the batched rollup says no data (None).
    return 0 if value is None and code in REPORTED else value


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_batch_equals_the_reference_for_every_unit_period_and_structure(data):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        make_tree()
        _file(data)
        day = FIRST_EVENT
        for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="events")):
            apply_random_event(data, day)
            day += dt.timedelta(days=data.draw(st.integers(min_value=1, max_value=200), label="gap"))
        units = list(Unit.objects.order_by("code"))
        as_of = FIRST_EVENT + dt.timedelta(days=data.draw(st.integers(min_value=0, max_value=600), label="as_of"))
        for structure in ("historical", "current", "as_of"):
            table = rollup(units=units, periods=PERIODS, codes=CODES, structure=structure, as_of=as_of)
            for unit in units:
                for start, end in PERIODS:
                    expected = reference_values(
                        unit=unit, start=start, end=end, codes=CODES, structure=structure, as_of=as_of
                    )
                    for reference in expected:
                        found = table.get(unit, (start, end), reference.indicator.code)
                        where = (structure, unit.code, start, end, reference.indicator.code)
                        assert _comparable(reference.indicator.code, found.value) == reference.value, where
                        assert found.coverage.as_dict() == reference.coverage.as_dict(), where
        transaction.set_rollback(True)


def _queries(units: list[Unit], periods: list[tuple[dt.date, dt.date]], structure: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        rollup(units=units, periods=periods, codes=CODES, structure=structure)
    return len(captured)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_cost_depends_on_the_sources_not_on_units_or_periods(tree, structure):
    for index in range(30):
        make_unit(kind="commune_committee", parent=tree.district_a, code=f"P-A-X{index}")
    few_units = [tree.province, tree.district_a, tree.district_b]
    many_units = list(Unit.objects.all())
    assert len(many_units) > 30
    one_period = PERIODS[:1]
    months = [(dt.date(2023, month, 1), dt.date(2023, month, 28)) for month in range(1, 13)]
    assert _queries(few_units, one_period, structure) == _queries(many_units, [*PERIODS, *months], structure)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_indicators_api_costs_the_same_for_a_small_or_a_large_subtree(client_for, admin_user, tree, structure):
    params = {"unit": "P", "start": "2023-01-01", "end": "2023-12-31", "structure": structure}
    client = client_for(admin_user)

    def queries() -> int:
        client.get("/api/v1/indicators/values", params)  # the first request warms the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/indicators/values", params)
        assert response.status_code == 200
        return len(captured)

    small = queries()
    for index in range(30):
        commune = make_unit(kind="commune_committee", parent=tree.district_b, code=f"P-B-Y{index}")
        make_unit(kind="party_cell", parent=commune, code=f"P-B-Y{index}-C")
    assert queries() == small


def test_an_odd_stored_aggregate_is_left_out_with_a_warning_not_an_error(caplog):
    from lantoa.core.models import DataValue as Figure
    from lantoa.org.rollup.values import as_number

    field = Figure._meta.get_field("value")
    assert as_number(1.1000000000000001, field) == Decimal("1.1")  # SQLite sums decimals as floats
    assert as_number(None, field) == 0 and as_number(7, field) == 7
    with caplog.at_level("WARNING", logger="lantoa.org.rollup"):
        assert as_number(float("inf"), field) == 0
    assert "non-finite" in caplog.text
