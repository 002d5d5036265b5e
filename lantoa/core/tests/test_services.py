"""Reported figures: every figure within its indicator's bound and the column's, checked before
any database work, with a database constraint behind the check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import translation

from lantoa.core.errors import ValidationFailed
from lantoa.core.indicators import (
    FIGURE_MAX,
    Aggregation,
    Counting,
    Indicator,
    Reallocation,
    get_indicator,
)
from lantoa.core.models import DataValue, Period
from lantoa.core.services import data_value_record, period_ensure

pytestmark = pytest.mark.django_db

# A reported indicator without a bound of its own: only the column's range limits it.
UNBOUNDED = Indicator(
    code="test_unbounded_figure",
    name_vi="Số liệu thử",
    name_en="Test figure",
    measure_vi="đơn vị đo",
    measure_en="things",
    aggregation=Aggregation.SNAPSHOT,
    counting=Counting.OTHER,
    reallocation=Reallocation.BY_WEIGHT,
    reported=True,
)


@pytest.fixture(scope="module", autouse=True)
def _unbounded(register_test_indicators):  # type: ignore[no-untyped-def]
    register_test_indicators(UNBOUNDED)


@pytest.fixture
def period() -> Period:
    return period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))


def file(tree, period, value, indicator="population"):  # type: ignore[no-untyped-def]
    return data_value_record(by=None, indicator=indicator, unit=tree.commune_a1, period=period, value=value)


@pytest.mark.parametrize(
    "value",
    [
        10**15,
        1e15,
        "1e15",
        1e30,
        10**30,
        "1e309",
        "-1e309",
        "9" * 5000,
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        float("nan"),
        float("inf"),
        -1,
        "-0.0001",
        0.00001,
        "0.00001",
        "1.23456",
        "1e-30",
        "200000000.00001",
        200_000_001,
        "lots",
        "",
    ],
)
def test_a_figure_out_of_bounds_is_refused_before_any_database_work(tree, period, value, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValidationFailed) as refused:
        file(tree, period, value)
    assert refused.value.extra == {"field": "value"}
    assert refused.value.message
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (0, Decimal(0)),
        ("-0", Decimal(0)),
        ("1234.5678", Decimal("1234.5678")),
        ("1.50000", Decimal("1.5")),
        ("1E+3", Decimal(1000)),
        (0.25, Decimal("0.25")),
        (200_000_000, Decimal(200_000_000)),
    ],
)
def test_a_figure_within_bounds_is_filed_exactly(tree, period, value, stored):
    row = file(tree, period, value)
    row.refresh_from_db()
    assert row.value == stored
    assert not row.value.is_signed()


def test_the_column_bounds_an_indicator_that_declares_none(tree, period):
    assert get_indicator("test_unbounded_figure").max_value is None
    row = file(tree, period, FIGURE_MAX, indicator="test_unbounded_figure")
    row.refresh_from_db()
    assert row.value == FIGURE_MAX
    with pytest.raises(ValidationFailed) as refused:
        file(tree, period, FIGURE_MAX + Decimal("0.0001"), indicator="test_unbounded_figure")
    assert refused.value.extra == {"field": "value"}
    assert DataValue.objects.get(superseded_at__isnull=True).value == FIGURE_MAX


def test_the_refusal_names_the_limit_as_people_write_numbers(tree, period):
    with translation.override("vi"), pytest.raises(ValidationFailed) as in_vietnamese:
        file(tree, period, 10**15)
    assert "200.000.000" in in_vietnamese.value.message
    with translation.override("en"), pytest.raises(ValidationFailed) as in_english:
        file(tree, period, 10**15)
    assert "200,000,000" in in_english.value.message
    assert "Population" in in_english.value.message
    with translation.override("en"), pytest.raises(ValidationFailed) as column:
        file(tree, period, 10**15, indicator="test_unbounded_figure")
    assert "99,999,999,999.9999" in column.value.message
    with translation.override("en"), pytest.raises(ValidationFailed) as places:
        file(tree, period, "0.00001")
    assert "4" in places.value.message


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("-0.0001"), FIGURE_MAX + Decimal("0.0001"), Decimal(10**15)])
def test_the_database_refuses_a_figure_out_of_the_columns_range(tree, period, value):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        DataValue.objects.create(indicator="population", unit=tree.commune_a1, period=period, value=value)
    assert not DataValue.objects.exists()
