"""The rollup: any registered indicator for a unit's whole subtree and a period, in any structure.

Three structures answer three questions:

* ``historical`` — the tree as it was when each record happened (a record of 2022 counts
  where its unit sat in 2022);
* ``as_of`` a date — closed units flow to their successors (as declared by restructuring
  events effective by that date) and the figure is read in the tree of that date;
* ``current`` — ``as_of`` today.

One call (:func:`rollup`) answers many units × many periods × many indicators. The heavy part
runs in SQL: each additive source is summed in one grouped query through the dated closure
table, per target unit and per slice of the periods. Only the totals of closed units — at most
one number per unit and period — cross successions in Python, where splits are shared exactly
(integers by largest remainder, or Decimals). Successions, where closed units' records go and
the coverage are read once per call, so the number of queries depends on the indicators'
sources, never on the number of units or periods asked for.

Every figure also carries its *coverage*: the units that kept no records in Lantoa for the
period (or filed no figure), so that missing data is never read as zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lantoa.core.indicators import Aggregation, Indicator, Reallocation, get_indicator, get_source
from lantoa.org.models import Unit
from lantoa.org.rollup.batch import Batch, Key, Period
from lantoa.org.rollup.sources import additive_values, recomputed_values, record_coverage, reported_values, unit_counts
from lantoa.org.rollup.successions import flow_forward, map_units_forward, share_by_weight
from lantoa.org.rollup.values import Coverage, IndicatorValue, Number, Structure


def _base_indicators(codes: Sequence[str]) -> tuple[list[Indicator], list[Indicator]]:
    """The requested indicators and the non-ratio indicators that compute them."""
    requested: list[Indicator] = []
    for code in codes:
        indicator = get_indicator(code)
        if indicator is None:
            raise LookupError(code)
        requested.append(indicator)
    base: dict[str, Indicator] = {}
    pending = list(requested)
    while pending:
        indicator = pending.pop()
        if indicator.aggregation != Aggregation.RATIO:
            base.setdefault(indicator.code, indicator)
            continue
        for part in (indicator.numerator, indicator.denominator):
            found = get_indicator(part)
            if found is None:
                raise LookupError(f"ratio {indicator.code}: unknown part {part}")
            pending.append(found)
    return requested, list(base.values())


@dataclass
class RollupTable:
    """The answer of :func:`rollup`: an :class:`IndicatorValue` per unit, period and indicator."""

    periods: list[Period]
    cells: dict[tuple[int, int, str], IndicatorValue]

    def get(self, unit: Unit | int, period: Period, code: str) -> IndicatorValue:
        unit_id = unit if isinstance(unit, int) else unit.pk
        return self.cells[(unit_id, self.periods.index(period), code)]

    def value(self, unit: Unit | int, period: Period, code: str) -> Number | None:
        return self.get(unit, period, code).value

    def values(self, unit: Unit | int, period: Period, codes: Sequence[str]) -> dict[str, Number | None]:
        return {code: self.value(unit, period, code) for code in codes}


def rollup(
    *,
    units: Sequence[Unit],
    periods: Sequence[Period],
    codes: Sequence[str],
    structure: str = Structure.HISTORICAL,
    as_of: dt.date | None = None,
    with_coverage: bool = True,
) -> RollupTable:
    """Every ``codes`` indicator for every unit's whole subtree over every period (both ends
    inclusive), in one structure. The number of queries depends on the indicators' sources,
    never on how many units or periods are asked for. ``with_coverage=False`` reads the values
    only (for a chart that shows no coverage): every cell's coverage is then left empty."""
    unique_periods = list(dict.fromkeys(periods))
    targets = list(dict.fromkeys(unit.pk for unit in units))
    requested, base = _base_indicators(codes)
    if not targets or not unique_periods:
        return RollupTable(unique_periods, {})
    batch = Batch(targets, unique_periods, Structure(structure), as_of)
    values: dict[tuple[int, int, str], Number | None] = {}
    coverage: dict[tuple[int, int, str], Coverage] = {}
    additive: dict[tuple[str, str, str], list[Indicator]] = defaultdict(list)
    recomputed: dict[tuple[str, ...], list[Indicator]] = defaultdict(list)
    reported: list[Indicator] = []
    tier_counts: list[Indicator] = []
    for indicator in base:
        if indicator.reported:
            reported.append(indicator)
        elif indicator.unit_tier is not None:
            tier_counts.append(indicator)
        elif _is_additive(indicator):
            source = get_source(indicator.source)
            additive[(source.model, source.unit_field, source.date_field)].append(indicator)
        else:
            snapshot = indicator.aggregation == Aggregation.SNAPSHOT
            source = get_source(indicator.source)
            measure = source.measures[indicator.measure]
            shape = (
                source.model,
                source.unit_field,
                source.date_field,
                source.valid_to_field,
                measure.kind,
                measure.field,
            )
            recomputed[(*shape, str(snapshot))].append(indicator)
    _count_beside_distinct(recomputed)
    if tier_counts:
        values.update(unit_counts(batch, tier_counts))
    for indicators in additive.values():
        values.update(additive_values(batch, indicators))
    for indicators in recomputed.values():
        values.update(recomputed_values(batch, indicators))
    if reported:
        filed, filed_coverage = reported_values(batch, reported, with_coverage=with_coverage)
        values.update(filed)
        coverage.update(filed_coverage)
    if with_coverage and (additive or recomputed):
        records = record_coverage(batch)
        for indicator in base:
            if indicator.source:
                for (target, period), found in records.items():
                    coverage[(target, period, indicator.code)] = found
    cells: dict[tuple[int, int, str], IndicatorValue] = {}
    for target in targets:
        for period in range(len(unique_periods)):
            for indicator in requested:
                cells[(target, period, indicator.code)] = _cell(indicator, (target, period), values, coverage)
    return RollupTable(unique_periods, cells)


def _count_beside_distinct(recomputed: dict[tuple[str, ...], list[Indicator]]) -> None:
    """Move counts of records into the group that reads the same records for a distinct count
    (the same table, unit, dates and kind of period): its read of every row answers them too."""
    for shape in [shape for shape in recomputed if shape[4] == "count"]:
        model, unit_field, date_field, valid_to, _kind, _field, snapshot = shape
        reader = next(
            (
                other
                for other in recomputed
                if other[4] == "distinct"
                and (other[:4], other[6]) == ((model, unit_field, date_field, valid_to), snapshot)
            ),
            None,
        )
        if reader is not None:
            recomputed[reader] += recomputed.pop(shape)


def _is_additive(indicator: Indicator) -> bool:
    measure = get_source(indicator.source).measures[indicator.measure]
    return (
        indicator.aggregation == Aggregation.SUM
        and measure.kind != "distinct"
        and indicator.reallocation != Reallocation.RECOMPUTE
    )


def _cell(indicator: Indicator, key: Key, values: dict, coverage: dict) -> IndicatorValue:
    if indicator.aggregation == Aggregation.RATIO:
        top = _cell(get_indicator(indicator.numerator), key, values, coverage)  # type: ignore[arg-type]
        bottom = _cell(get_indicator(indicator.denominator), key, values, coverage)  # type: ignore[arg-type]
        merged = top.coverage.merge(bottom.coverage)
        if not bottom.value or top.value is None:
            return IndicatorValue(indicator, None, merged)
        value = (Decimal(top.value) * indicator.scale / Decimal(bottom.value)).quantize(Decimal("0.01"))
        return IndicatorValue(indicator, value, merged)
    found = coverage.get((*key, indicator.code))
    copy = Coverage(found.complete, found.missing_count, list(found.missing_units)) if found else Coverage()
    return IndicatorValue(indicator, values.get((*key, indicator.code)), copy)


def indicator_values(
    *,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    codes: Sequence[str],
    structure: str = Structure.HISTORICAL,
    as_of: dt.date | None = None,
) -> list[IndicatorValue]:
    """Values of the ``codes`` indicators for ``unit``'s subtree over ``[start, end]``."""
    table = rollup(units=[unit], periods=[(start, end)], codes=codes, structure=structure, as_of=as_of)
    return [table.get(unit, (start, end), code) for code in codes]


__all__ = [
    "Coverage",
    "IndicatorValue",
    "Number",
    "Period",
    "RollupTable",
    "Structure",
    "flow_forward",
    "indicator_values",
    "map_units_forward",
    "rollup",
    "share_by_weight",
]
