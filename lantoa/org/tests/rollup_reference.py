"""The rollup as it was before it was batched: one unit, one period, one indicator at a time,
each a handful of queries. Kept only as an independent reference for the batched rollup's
property tests (lantoa/org/tests/test_rollup_batch.py); nothing else imports it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum

from lantoa.core.indicators import Aggregation, Indicator, Reallocation, get_indicator, get_source
from lantoa.org.models import Unit, UnitClosure
from lantoa.org.rollup import (
    Coverage,
    IndicatorValue,
    Number,
    Structure,
    flow_forward,
    map_units_forward,
)
from lantoa.org.rollup.successions import predecessors_until as _predecessors_until
from lantoa.org.rollup.values import tidy as _tidy
from lantoa.org.selectors import open_on, subtree_ids, today


@dataclass(frozen=True)
class Query:
    """What to compute: a unit's subtree, a period (both ends inclusive), a structure."""

    unit: Unit
    start: dt.date
    end: dt.date
    structure: Structure = Structure.HISTORICAL
    as_of: dt.date | None = None

    @property
    def target_day(self) -> dt.date:
        """The day whose tree the figure is read in (for as_of and current structures)."""
        if self.structure == Structure.CURRENT:
            return today()
        if self.structure == Structure.AS_OF:
            return self.as_of or today()
        return self.end


# --- Evaluating one indicator ------------------------------------------------------------


def _records(indicator: Indicator, start: dt.date, end: dt.date) -> tuple[QuerySet, str, str]:
    """The source's records dated in ``[start, end]`` — or, for a snapshot, valid on ``end``."""
    source = get_source(indicator.source)
    model = apps.get_model(source.model)
    if indicator.aggregation == Aggregation.SNAPSHOT:
        qs = model.objects.filter(**{f"{source.date_field}__lte": end}).filter(
            Q(**{f"{source.valid_to_field}__isnull": True}) | Q(**{f"{source.valid_to_field}__gt": end})
        )
    else:
        qs = model.objects.filter(**{f"{source.date_field}__gte": start, f"{source.date_field}__lte": end})
    if source.filters:
        qs = qs.filter(**source.filters)
    return qs, f"{source.unit_field}_id", source.date_field


def _record_snapshot(indicator: Indicator, query: Query) -> Number:
    """Lasting records valid on the period's last day, where their unit stood that day
    (historical) or where it stands on the target day (each record counted once)."""
    qs, unit_column, _date_column = _records(indicator, query.start, query.end)
    if query.structure == Structure.HISTORICAL:
        return _aggregate(qs.filter(**{f"{unit_column}__in": subtree_ids(query.unit.pk, as_of=query.end)}), indicator)
    day = query.target_day
    open_inside = subtree_ids(query.unit.pk, as_of=day)
    inside = set(open_inside)
    destination = map_units_forward(set(_predecessors_until(day)), until=day)
    carried_in = [uid for uid, where in destination.items() if where in inside and uid != where]
    scope = Q(**{f"{unit_column}__in": open_inside}) | Q(**{f"{unit_column}__in": carried_in})
    return _aggregate(qs.filter(scope), indicator)


def _aggregate(qs: QuerySet, indicator: Indicator) -> Number:
    measure = get_source(indicator.source).measures[indicator.measure]
    if measure.kind == "count":
        return qs.count()
    if measure.kind == "distinct":
        return qs.aggregate(v=Count(measure.field, distinct=True))["v"] or 0
    total = qs.aggregate(v=Sum(measure.field))["v"]
    return total if total is not None else 0


def _per_unit(qs: QuerySet, unit_column: str, indicator: Indicator) -> dict[int, Number]:
    measure = get_source(indicator.source).measures[indicator.measure]
    aggregate = Count("pk") if measure.kind == "count" else Sum(measure.field)
    rows = qs.order_by().values(unit_column).annotate(v=aggregate).values_list(unit_column, "v")
    # Whole sums become ints so that splits share them by largest remainder.
    return {unit_id: _tidy(value) for unit_id, value in rows if value}


def _historical_scope(query: Query, unit_column: str, date_column: str) -> Q:
    """Records whose unit sat under ``query.unit`` on the record's own date, as one filter.

    Units that sat under it for the whole period are matched through the closure table in a
    subquery; the few whose place changed during the period are matched with the dates they
    sat there. No per-record correlated lookup, so the database scans the records once.
    """
    overlapping = UnitClosure.objects.filter(ancestor_id=query.unit.pk, valid_from__lte=query.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=query.start)
    )
    whole = Q(valid_from__lte=query.start) & (Q(valid_to__isnull=True) | Q(valid_to__gt=query.end))
    scope = Q(**{f"{unit_column}__in": overlapping.filter(whole).values("descendant_id")})
    partial: dict[tuple[dt.date, dt.date | None], list[int]] = defaultdict(list)
    for descendant, valid_from, valid_to in overlapping.exclude(whole).values_list(
        "descendant_id", "valid_from", "valid_to"
    ):
        partial[(valid_from, valid_to)].append(descendant)
    for (valid_from, valid_to), descendants in partial.items():
        part = Q(**{f"{unit_column}__in": descendants, f"{date_column}__gte": valid_from})
        if valid_to is not None:
            part &= Q(**{f"{date_column}__lt": valid_to})
        scope |= part
    return scope


def _record_value(indicator: Indicator, query: Query) -> Number:
    qs, unit_column, date_column = _records(indicator, query.start, query.end)
    if query.structure == Structure.HISTORICAL:
        return _aggregate(qs.filter(_historical_scope(query, unit_column, date_column)), indicator)
    day = query.target_day
    open_inside = subtree_ids(query.unit.pk, as_of=day)
    inside = set(open_inside)
    measure = get_source(indicator.source).measures[indicator.measure]
    if measure.kind == "distinct" or indicator.reallocation == Reallocation.RECOMPUTE:
        # Each record counted once, where its unit's default successor stands on ``day``.
        destination = map_units_forward(set(_predecessors_until(day)), until=day)
        carried_in = [uid for uid, where in destination.items() if where in inside and uid != where]
        scope = Q(**{f"{unit_column}__in": open_inside}) | Q(**{f"{unit_column}__in": carried_in})
        return _aggregate(qs.filter(scope), indicator)
    # Records of units still open on ``day`` stay where they are: one SUM in the database.
    # Only the totals of closed units cross successions, one number per unit.
    direct = _aggregate(qs.filter(**{f"{unit_column}__in": open_inside}), indicator)
    closed_totals = _per_unit(qs.filter(**{f"{unit_column}__in": _predecessors_until(day)}), unit_column, indicator)
    flowed = flow_forward(closed_totals, until=day, rule=indicator.reallocation)
    carried: Number = sum((value for uid, value in flowed.items() if uid in inside), start=0)
    return direct + carried


def _units_open_during(start: dt.date, end: dt.date) -> QuerySet[Unit]:
    return Unit.objects.filter(opened_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=start))


# While indicator_values runs, the coverage of record-based figures for each query (the same
# for every indicator of that query: it depends on the units, not on the records).
_coverage_cache: ContextVar[dict[Query, Coverage] | None] = ContextVar("lantoa_rollup_coverage", default=None)


def _record_coverage(query: Query) -> Coverage:
    cache = _coverage_cache.get()
    if cache is None:
        return _compute_record_coverage(query)
    if query not in cache:
        cache[query] = _compute_record_coverage(query)
    found = cache[query]
    return Coverage(found.complete, found.missing_count, list(found.missing_units))


def _compute_record_coverage(query: Query) -> Coverage:
    """Units counted in the figure that kept no records in Lantoa for (part of) the period."""
    coverage = Coverage()
    silent = _units_open_during(query.start, query.end).filter(
        Q(records_since__isnull=True) | Q(records_since__gt=query.start)
    )
    if query.structure == Structure.HISTORICAL:
        inside = set(subtree_ids(query.unit.pk, as_of=query.end)) | set(subtree_ids(query.unit.pk, as_of=query.start))
        codes = list(silent.filter(pk__in=inside).values_list("code", flat=True))
    else:
        day = query.target_day
        inside = set(subtree_ids(query.unit.pk, as_of=day))
        candidates = dict(silent.values_list("pk", "code"))
        destination = map_units_forward(set(candidates), until=day)
        codes = [candidates[uid] for uid, where in destination.items() if where in inside]
    coverage.add_missing(codes)
    return coverage


def _unit_count(indicator: Indicator, query: Query) -> tuple[Number, Coverage]:
    """Units of a tier at the period's end, counted in the chosen structure."""
    at_end = Unit.objects.filter(open_on(query.end))
    if indicator.unit_tier:
        at_end = at_end.filter(kind__tier__code=indicator.unit_tier)
    if query.structure == Structure.HISTORICAL:
        units = at_end.filter(pk__in=subtree_ids(query.unit.pk, as_of=query.end)).exclude(pk=query.unit.pk)
        return units.count(), Coverage()
    day = query.target_day
    inside = set(subtree_ids(query.unit.pk, as_of=day))
    destination = map_units_forward(set(at_end.values_list("pk", flat=True)), until=day)
    counted = {uid for uid, where in destination.items() if where in inside and uid != query.unit.pk}
    return len(counted), Coverage()


def _reported_values(indicator: Indicator, query: Query) -> tuple[Number, Coverage]:
    """Figures filed by units: the latest period ending inside the query's period, per unit.

    A reported figure belongs to the unit itself, not to its subtree: a subtree's total is the
    sum of the figures filed within it.
    """
    from lantoa.core.models import DataValue

    rows = (
        DataValue.objects.filter(
            indicator=indicator.code,
            superseded_at__isnull=True,
            period__end__gte=query.start,
            period__end__lte=query.end,
        )
        .order_by("unit_id", "-period__end", "period__start")
        .values_list("unit_id", "value", "period__end")
    )
    latest: dict[int, Number] = {}
    for unit_id, value, _end in rows:
        # Counts are whole numbers and are shared by largest remainder; other figures exactly.
        latest.setdefault(unit_id, _tidy(value))
    day = query.end if query.structure == Structure.HISTORICAL else query.target_day
    inside = set(subtree_ids(query.unit.pk, as_of=day))
    if query.structure == Structure.HISTORICAL:
        values = latest
    else:
        by_weight = indicator.reallocation == Reallocation.BY_WEIGHT
        rule = Reallocation.BY_WEIGHT if by_weight else Reallocation.WHOLE_TO_DEFAULT
        values = flow_forward(dict(latest), until=day, rule=rule)
    total = sum((value for uid, value in values.items() if uid in inside), start=Decimal(0))
    coverage = _reported_coverage(indicator, query, set(latest))
    return _tidy(total), coverage


def _reported_coverage(indicator: Indicator, query: Query, filed: set[int]) -> Coverage:
    coverage = Coverage()
    if not indicator.reporting_tiers:
        return coverage
    expected = Unit.objects.filter(open_on(query.end), kind__tier__code__in=indicator.reporting_tiers)
    if indicator.reporting_territorial_only:
        expected = expected.filter(kind__is_territorial=True)
    if query.structure == Structure.HISTORICAL:
        expected = expected.filter(pk__in=subtree_ids(query.unit.pk, as_of=query.end))
        missing = expected.exclude(pk__in=filed).values_list("code", flat=True)
        coverage.add_missing(list(missing))
        return coverage
    day = query.target_day
    inside = set(subtree_ids(query.unit.pk, as_of=day))
    candidates = dict(expected.exclude(pk__in=filed).values_list("pk", "code"))
    destination = map_units_forward(set(candidates), until=day)
    coverage.add_missing([candidates[uid] for uid, where in destination.items() if where in inside])
    return coverage


def evaluate(indicator: Indicator, query: Query) -> IndicatorValue:
    if indicator.aggregation == Aggregation.RATIO:
        return _ratio(indicator, query)
    if indicator.unit_tier is not None:
        value, coverage = _unit_count(indicator, query)
        return IndicatorValue(indicator, value, coverage)
    if indicator.reported:
        value, coverage = _reported_values(indicator, query)
        return IndicatorValue(indicator, value, coverage)
    if indicator.aggregation == Aggregation.SNAPSHOT:
        return IndicatorValue(indicator, _tidy(_record_snapshot(indicator, query)), _record_coverage(query))
    return IndicatorValue(indicator, _tidy(_record_value(indicator, query)), _record_coverage(query))


def _ratio(indicator: Indicator, query: Query) -> IndicatorValue:
    numerator = get_indicator(indicator.numerator)
    denominator = get_indicator(indicator.denominator)
    if numerator is None or denominator is None:
        raise LookupError(f"ratio {indicator.code}: unknown part")
    top = evaluate(numerator, query)
    bottom = evaluate(denominator, query)
    coverage = top.coverage.merge(bottom.coverage)
    if not bottom.value or top.value is None:
        return IndicatorValue(indicator, None, coverage)
    value = (Decimal(top.value) * indicator.scale / Decimal(bottom.value)).quantize(Decimal("0.01"))
    return IndicatorValue(indicator, value, coverage)


def reference_values(
    *,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    codes: list[str],
    structure: str = Structure.HISTORICAL,
    as_of: dt.date | None = None,
) -> list[IndicatorValue]:
    """Values of the ``codes`` indicators for ``unit``'s subtree over ``[start, end]``."""
    query = Query(unit=unit, start=start, end=end, structure=Structure(structure), as_of=as_of)
    results = []
    token = _coverage_cache.set({})
    try:
        for code in codes:
            indicator = get_indicator(code)
            if indicator is None:
                raise LookupError(code)
            results.append(evaluate(indicator, query))
    finally:
        _coverage_cache.reset(token)
    return results


__all__ = ["reference_values"]
