"""Test-only indicators live only as long as the test module that registers them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from lantoa.core.indicators import (
    FIGURE_MAX,
    Aggregation,
    Counting,
    Indicator,
    Reallocation,
    RegistryError,
    all_indicators,
    get_indicator,
    register_indicator,
)

SCRATCH = Indicator(
    code="scratch_ratio",
    name_vi="",
    name_en="",
    measure_vi="",
    measure_en="",
    aggregation=Aggregation.RATIO,
    counting=Counting.OTHER,
    reallocation=Reallocation.RECOMPUTE,
    numerator="party_members",
    denominator="population",
)


def test_production_lists_hold_no_test_only_indicator():
    # Other modules' test indicators were registered while they ran; none outlives its module.
    codes = [indicator.code for indicator in all_indicators()]
    assert codes
    assert not [code for code in codes if code.startswith(("test_", "prop_", "scratch_"))]


@pytest.fixture(scope="module")
def scratch_registered(register_test_indicators):
    register_test_indicators(SCRATCH)


def test_a_registered_test_indicator_is_listed_while_its_module_runs(scratch_registered):
    assert get_indicator("scratch_ratio") == SCRATCH


REPORTED = Indicator(
    code="scratch_reported",
    name_vi="",
    name_en="",
    measure_vi="",
    measure_en="",
    aggregation=Aggregation.SNAPSHOT,
    counting=Counting.PEOPLE,
    reallocation=Reallocation.BY_WEIGHT,
    reported=True,
)


@pytest.mark.parametrize(
    "bound",
    [
        FIGURE_MAX + Decimal("0.0001"),
        Decimal(10**15),
        Decimal(0),
        Decimal(-1),
        Decimal("1.00001"),
        Decimal("NaN"),
        Decimal("Infinity"),
        1_000_000,
        1e6,
    ],
)
def test_the_registry_refuses_a_bound_the_column_cannot_hold(bound):
    with pytest.raises(RegistryError):
        register_indicator(dataclasses.replace(REPORTED, max_value=bound))
    assert get_indicator("scratch_reported") is None


def test_the_registry_refuses_a_bound_on_a_computed_indicator():
    with pytest.raises(RegistryError):
        register_indicator(dataclasses.replace(SCRATCH, code="scratch_bounded_ratio", max_value=Decimal(100)))
    assert get_indicator("scratch_bounded_ratio") is None


def test_a_bound_within_the_column_is_accepted(register_test_indicators):
    for number, bound in enumerate([FIGURE_MAX, Decimal("0.0001"), Decimal("1.5000")]):
        register_test_indicators(dataclasses.replace(REPORTED, code=f"scratch_reported_{number}", max_value=bound))
        assert get_indicator(f"scratch_reported_{number}").max_value == bound


def test_every_reported_indicator_declares_its_bound():
    unbounded = [i.code for i in all_indicators() if i.reported and i.max_value is None]
    assert unbounded == []
