"""Test-only indicators live only as long as the test module that registers them."""

from __future__ import annotations

import pytest

from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Reallocation,
    all_indicators,
    get_indicator,
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
