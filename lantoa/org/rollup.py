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
import itertools
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When

from lantoa.core.indicators import Aggregation, Indicator, Reallocation, RecordSource, get_indicator, get_source
from lantoa.org.models import Succession, Unit, UnitClosure
from lantoa.org.selectors import today, valid_on

logger = logging.getLogger(__name__)

Number = int | Decimal
MISSING_LIST_LIMIT = 50


class Structure(StrEnum):
    HISTORICAL = "historical"
    CURRENT = "current"
    AS_OF = "as_of"


@dataclass
class Coverage:
    complete: bool = True
    missing_count: int = 0
    missing_units: list[str] = field(default_factory=list)

    def add_missing(self, codes: list[str]) -> None:
        self.missing_count += len(codes)
        room = MISSING_LIST_LIMIT - len(self.missing_units)
        self.missing_units.extend(sorted(codes)[: max(room, 0)])
        self.complete = self.missing_count == 0

    def merge(self, other: Coverage) -> Coverage:
        merged = Coverage()
        codes = sorted(set(self.missing_units) | set(other.missing_units))
        merged.missing_units = codes[:MISSING_LIST_LIMIT]
        merged.missing_count = max(self.missing_count, other.missing_count, len(codes))
        merged.complete = self.complete and other.complete
        return merged

    def as_dict(self) -> dict[str, Any]:
        return {"complete": self.complete, "missing_count": self.missing_count, "missing_units": self.missing_units}


@dataclass
class IndicatorValue:
    indicator: Indicator
    value: Number | None
    coverage: Coverage


# --- Successions: how closed units' figures reach a later tree ------------------------------


Events = list[tuple[int, list[tuple[int, int, Decimal, bool]]]]


def _successions_until(day: dt.date) -> Events:
    """Events effective by ``day`` in order, each as (event id, [(pred, succ, weight, default)])."""
    rows = (
        Succession.objects.filter(event__effective_on__lte=day)
        .order_by("event__effective_on", "event__sequence", "event_id", "predecessor_id", "successor__code")
        .values_list("event_id", "predecessor_id", "successor_id", "weight", "is_default")
    )
    events: Events = []
    for event_id, pred, succ, weight, default in rows:
        if not events or events[-1][0] != event_id:
            events.append((event_id, []))
        events[-1][1].append((pred, succ, weight, default))
    return events


def share_by_weight(value: Number, weights: list[tuple[int, Decimal]]) -> dict[int, Number]:
    """Split ``value`` across successors. Integers are shared by largest remainder so the parts
    add up exactly to the whole; Decimals are shared exactly (to 6 places, remainder to the last)."""
    if isinstance(value, int):
        raw = [(unit, Decimal(value) * weight) for unit, weight in weights]
        parts: dict[int, Number] = {unit: int(amount) for unit, amount in raw}
        left = value - sum(int(part) for part in parts.values())
        by_remainder = sorted(raw, key=lambda item: (-(item[1] - int(item[1])), item[0]))
        for unit, _amount in by_remainder[:left]:
            parts[unit] += 1
        return parts
    shares: dict[int, Number] = {}
    given = Decimal(0)
    for index, (unit, weight) in enumerate(weights):
        if index == len(weights) - 1:
            shares[unit] = value - given
        else:
            part = (value * weight).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
            shares[unit] = part
            given += part
    return shares


def flow_forward(
    values: dict[int, Number], *, until: dt.date, rule: Reallocation, events: Events | None = None
) -> dict[int, Number]:
    """Carry per-unit values through every succession effective by ``until`` (``events``: the
    successions already read for that day)."""
    current: dict[int, Number] = dict(values)
    for _event, links in _successions_until(until) if events is None else events:
        by_predecessor: dict[int, list[tuple[int, Decimal, bool]]] = defaultdict(list)
        for pred, succ, weight, default in links:
            by_predecessor[pred].append((succ, weight, default))
        for pred, targets in by_predecessor.items():
            if pred not in current:
                continue
            value = current.pop(pred)
            if rule == Reallocation.BY_WEIGHT:
                shares = share_by_weight(value, [(succ, weight) for succ, weight, _d in targets])
            else:
                chosen = next((succ for succ, _w, is_default in targets if is_default), targets[0][0])
                shares = {chosen: value}
            for succ, share in shares.items():
                current[succ] = current.get(succ, 0) + share
    return current


def map_units_forward(unit_ids: set[int], *, until: dt.date, events: Events | None = None) -> dict[int, int]:
    """Each unit → the unit it is counted in on ``until`` (following default successors)."""
    members: dict[int, set[int]] = {uid: {uid} for uid in unit_ids}  # where → originals now there
    for _event, links in _successions_until(until) if events is None else events:
        defaults: dict[int, int] = {}
        for pred, succ, _weight, is_default in links:
            if is_default:
                defaults[pred] = succ
            else:
                defaults.setdefault(pred, succ)
        for pred, succ in defaults.items():
            moving = members.pop(pred, None)
            if moving:
                members.setdefault(succ, set()).update(moving)
    return {original: where for where, originals in members.items() for original in originals}


def _predecessors_until(day: dt.date) -> QuerySet[Succession, int]:
    """Units whose records flow elsewhere by ``day`` (closed units with a successor)."""
    return Succession.objects.filter(event__effective_on__lte=day).values_list("predecessor_id", flat=True)


def _tidy(value: Number) -> Number:
    """Whole Decimals become ints so counts read as counts."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


# --- The batch: many units × many periods × many indicators in one call ------------------------

Period = tuple[dt.date, dt.date]
Key = tuple[int, int]  # (target unit id, period index)


def _atoms(periods: Sequence[Period]) -> tuple[list[Period], list[list[int]]]:
    """Cut the periods into the fewest disjoint intervals ("atoms") that each period is a union
    of, so that overlapping periods (a year and its months) are read in one pass."""
    one_day = dt.timedelta(days=1)
    points = sorted({start for start, _end in periods} | {end + one_day for _start, end in periods})
    atoms = [
        (first, following - one_day)
        for first, following in itertools.pairwise(points)
        if any(start <= first and following - one_day <= end for start, end in periods)
    ]
    members = [[k for k, (a, b) in enumerate(atoms) if start <= a and b <= end] for start, end in periods]
    return atoms, members


class _Tree:
    """Where some units sat under the batch's targets: their closure rows, read in one query."""

    def __init__(self, batch: _Batch, descendants: Q) -> None:
        rows = UnitClosure.objects.filter(descendants, ancestor_id__in=batch.targets)
        if batch.day is None:
            rows = rows.filter(valid_from__lte=batch.last).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=batch.first)
            )
        else:
            rows = rows.filter(valid_on(batch.day))
        self.spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for ancestor, descendant, valid_from, valid_to in rows.values_list(
            "ancestor_id", "descendant_id", "valid_from", "valid_to"
        ):
            self.spans[descendant].append((ancestor, valid_from, valid_to))

    def targets_of(self, unit_id: int, day: dt.date) -> list[int]:
        """The targets whose subtree held ``unit_id`` on ``day``."""
        return [a for a, start, end in self.spans.get(unit_id, ()) if start <= day and (end is None or end > day)]


class _Batch:
    """What one call computes, and what it reads once for every indicator: the successions,
    where each closed unit's records go, and the closure rows of the targets."""

    def __init__(self, targets: list[int], periods: list[Period], structure: Structure, as_of: dt.date | None):
        self.targets = targets
        self.periods = periods
        self.structure = structure
        # The day whose tree figures are read in; None: each record's own day (historical).
        self.day: dt.date | None = None
        if structure == Structure.CURRENT:
            self.day = today()
        elif structure == Structure.AS_OF:
            self.day = as_of or today()
        self.first = min(start for start, _end in periods)
        self.last = max(end for _start, end in periods)
        self.atoms, self.members = _atoms(periods)
        self._events: Events | None = None
        self._destination: dict[int, int] | None = None
        self._trees: dict[str, _Tree] = {}

    @property
    def historical(self) -> bool:
        return self.day is None

    @property
    def events(self) -> Events:
        assert self.day is not None
        if self._events is None:
            self._events = _successions_until(self.day)
        return self._events

    def destination(self, unit_id: int) -> int:
        """Where ``unit_id``'s records are counted on the batch's day (itself when still open)."""
        if self._destination is None:
            closed = {pred for _event, links in self.events for pred, _s, _w, _d in links}
            self._destination = map_units_forward(closed, until=self.tree_day, events=self.events)
        return self._destination.get(unit_id, unit_id)

    @property
    def tree_day(self) -> dt.date:
        assert self.day is not None
        return self.day

    def tree(self, name: str, descendants: Q | None = None) -> _Tree:
        """Closure rows for ``descendants`` (a filter on ``descendant_id``), once per name. In a
        later structure, the successors are added: closed units' records arrive there."""
        if name not in self._trees:
            if not self.historical:
                successors = Succession.objects.filter(event__effective_on__lte=self.tree_day).values("successor_id")
                arrivals = Q(descendant_id__in=successors)
                descendants = arrivals if descendants is None else descendants | arrivals
            assert descendants is not None, "a historical tree needs its descendants"
            self._trees[name] = _Tree(self, descendants)
        return self._trees[name]

    def targets_now(self, tree: _Tree, unit_id: int) -> set[int]:
        """The targets that count ``unit_id``'s records in a later structure: where it stands on
        the day, or where its default successor stands."""
        day = self.tree_day
        found = set(tree.targets_of(unit_id, day))
        destination = self.destination(unit_id)
        if destination != unit_id:
            found.update(tree.targets_of(destination, day))
        return found

    def periods_of_atom(self) -> list[list[int]]:
        """For each atom, the periods that contain it."""
        found: list[list[int]] = [[] for _ in self.atoms]
        for index, atoms in enumerate(self.members):
            for atom in atoms:
                found[atom].append(index)
        return found


def _number(value: Any, field: Any) -> Number:
    """A database aggregate as an int or an exact Decimal (SQLite sums decimals as floats)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    if not number.is_finite():
        logger.warning("rollup: a non-finite aggregate in %s was left out", field)
        return 0
    places = getattr(field, "decimal_places", None)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    return _tidy(number)


def _source_records(source: RecordSource, start: dt.date, end: dt.date) -> QuerySet:
    model = apps.get_model(source.model)
    rows = model.objects.filter(**{f"{source.date_field}__gte": start, f"{source.date_field}__lte": end})
    return rows.filter(**source.filters) if source.filters else rows


def _aggregates(source: RecordSource, measures: list[str]) -> dict[str, Any]:
    """One aggregate per measure, named m0, m1…, in the order of ``measures``."""
    found: dict[str, Any] = {}
    for index, name in enumerate(measures):
        measure = source.measures[name]
        found[f"m{index}"] = Count("pk") if measure.kind == "count" else Sum(measure.field)
    return found


def _measure_fields(source: RecordSource, measures: list[str]) -> list[Any]:
    model = apps.get_model(source.model)
    fields: list[Any] = []
    for name in measures:
        measure = source.measures[name]
        fields.append(model._meta.get_field(measure.field) if measure.kind == "sum" else None)
    return fields


def _through_closure(batch: _Batch, source: RecordSource, measures: list[str]) -> dict[tuple[int, int], list[Any]]:
    """Sums of ``measures`` per (target, atom), in one grouped query through the closure table:
    each record counted under the targets that held its unit on the record's own day
    (historical) or on the batch's day (records of units still open then)."""
    records = _source_records(source, batch.first, batch.last).order_by()
    inner = records.values(rollup_unit=F(f"{source.unit_field}_id"), rollup_day=F(source.date_field)).annotate(
        **_aggregates(source, measures)
    )
    connection = connections[records.db]
    inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    closure = UnitClosure._meta
    ancestor, descendant, valid_from, valid_to = (
        quote(getattr(closure.get_field(name), "column", name))
        for name in ("ancestor", "descendant", "valid_from", "valid_to")
    )
    day = 'r."rollup_day"'
    case_params: list[Any] = []
    whens = []
    for index, (first, last) in enumerate(batch.atoms):
        whens.append(f"WHEN {day} >= %s AND {day} <= %s THEN {index}")
        case_params += [adapt(first), adapt(last)]
    if batch.historical:
        validity = f"c.{valid_from} <= {day} AND (c.{valid_to} IS NULL OR c.{valid_to} > {day})"
        validity_params: list[Any] = []
    else:
        validity = f"c.{valid_from} <= %s AND (c.{valid_to} IS NULL OR c.{valid_to} > %s)"
        validity_params = [adapt(batch.tree_day)] * 2
    sums = ", ".join(f'SUM(r."m{index}")' for index in range(len(measures)))
    targets = ", ".join(["%s"] * len(batch.targets))
    # Only quoted identifiers and placeholders are interpolated; every value is a parameter.
    sql = (
        f"SELECT c.{ancestor}, CASE {' '.join(whens)} END, {sums} "  # noqa: S608
        f'FROM ({inner_sql}) r INNER JOIN {quote(closure.db_table)} c ON c.{descendant} = r."rollup_unit" '
        f"WHERE c.{ancestor} IN ({targets}) AND {validity} GROUP BY 1, 2"
    )
    params = [*case_params, *inner_params, *batch.targets, *validity_params]
    fields = _measure_fields(source, measures)
    found: dict[tuple[int, int], list[Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for target, atom, *values in cursor.fetchall():
            if atom is not None:
                found[(target, atom)] = [_number(v, f) for v, f in zip(values, fields, strict=True)]
    return found


def _closed_units_per_period(batch: _Batch, source: RecordSource, measures: list[str]) -> list[dict[int, list[Any]]]:
    """For each period, the totals of units closed by the batch's day, per unit (one query)."""
    date = source.date_field
    atom = Case(
        *[When(Q(**{f"{date}__gte": a, f"{date}__lte": b}), then=Value(k)) for k, (a, b) in enumerate(batch.atoms)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    unit_column = f"{source.unit_field}_id"
    rows = (
        _source_records(source, batch.first, batch.last)
        .filter(**{f"{unit_column}__in": _predecessors_until(batch.tree_day)})
        .order_by()
        .annotate(rollup_atom=atom)
        .values_list(unit_column, "rollup_atom")
        .annotate(**_aggregates(source, measures))
    )
    per_period: list[dict[int, list[Any]]] = [{} for _ in batch.periods]
    by_atom = batch.periods_of_atom()
    for unit_id, atom_index, *values in rows:
        if atom_index < 0:
            continue
        for period in by_atom[atom_index]:
            totals = per_period[period].setdefault(unit_id, [0] * len(measures))
            for index, value in enumerate(values):
                totals[index] += _tidy(value) if value is not None else 0
    return per_period


def _additive(batch: _Batch, source: RecordSource, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """Sums and counts that cross a split by weight or whole: summed in the database per target
    and atom; only the totals of closed units cross successions, one number per unit."""
    measures = sorted({indicator.measure for indicator in indicators})
    through = _through_closure(batch, source, measures)
    found: dict[tuple[int, int, str], Number] = {}
    for target in batch.targets:
        for period, atoms in enumerate(batch.members):
            for indicator in indicators:
                index = measures.index(indicator.measure)
                found[(target, period, indicator.code)] = sum(
                    (through[(target, atom)][index] for atom in atoms if (target, atom) in through), start=0
                )
    if batch.historical:
        return found
    closed = _closed_units_per_period(batch, source, measures)
    tree = batch.tree("successors")
    for period, totals in enumerate(closed):
        for indicator in indicators:
            index = measures.index(indicator.measure)
            values = {unit_id: parts[index] for unit_id, parts in totals.items() if parts[index]}
            flowed = flow_forward(values, until=batch.tree_day, rule=indicator.reallocation, events=batch.events)
            for unit_id, value in flowed.items():
                for target in tree.targets_of(unit_id, batch.tree_day):
                    found[(target, period, indicator.code)] += value
    return found


def _recomputed(batch: _Batch, source: RecordSource, measure_name: str, indicators: list[Indicator]) -> dict:
    """Snapshots, distinct counts and figures recomputed in a later structure: each record (or
    lasting record valid on a period's last day) counted once under every target that holds
    its unit — on the record's day or the period's end (historical), or on the batch's day,
    where the unit or its default successor stands."""
    measure = source.measures[measure_name]
    model = apps.get_model(source.model)
    unit_column = f"{source.unit_field}_id"
    snapshot = indicators[0].aggregation == Aggregation.SNAPSHOT
    if snapshot:
        first_end = min(end for _start, end in batch.periods)
        records = model.objects.filter(**{f"{source.date_field}__lte": batch.last}).filter(
            Q(**{f"{source.valid_to_field}__isnull": True}) | Q(**{f"{source.valid_to_field}__gt": first_end})
        )
        records = records.filter(**source.filters) if source.filters else records
        spans = [source.date_field, source.valid_to_field]
    else:
        records = _source_records(source, batch.first, batch.last)
        spans = [source.date_field]
    records = records.order_by()
    if measure.kind == "distinct":
        rows = records.values_list(unit_column, *spans, measure.field).distinct()
    else:
        aggregate = Count("pk") if measure.kind == "count" else Sum(measure.field)
        rows = records.values_list(unit_column, *spans).annotate(rollup_value=aggregate)
    tree = batch.tree(f"records:{source.key}", Q(descendant_id__in=records.values(unit_column)))
    field = model._meta.get_field(measure.field) if measure.kind == "sum" else None
    totals: dict[Key, Number] = defaultdict(int)
    people: dict[Key, set[Any]] = defaultdict(set)
    for row in rows:
        unit_id = row[0]
        starts, ends = (row[1], row[2]) if snapshot else (row[1], row[1])
        payload = row[-1]
        now = None if batch.historical else batch.targets_now(tree, unit_id)
        for period, (start, end) in enumerate(batch.periods):
            if snapshot:
                if not (starts <= end and (ends is None or ends > end)):
                    continue
                day = end
            elif not (start <= starts <= end):
                continue
            else:
                day = starts
            for target in tree.targets_of(unit_id, day) if now is None else now:
                if measure.kind == "distinct":
                    people[(target, period)].add(payload)
                else:
                    totals[(target, period)] += _number(payload, field)
    found = {}
    for target in batch.targets:
        for period in range(len(batch.periods)):
            key = (target, period)
            value = len(people[key]) if measure.kind == "distinct" else _tidy(totals[key])
            for indicator in indicators:
                found[(target, period, indicator.code)] = value
    return found


def _latest_filed(batch: _Batch, codes: list[str]) -> dict[str, list[dict[int, Number]]]:
    """For each reported indicator and period, each unit's latest figure for a period ending
    inside it (one query for every indicator)."""
    from lantoa.core.models import DataValue

    rows = (
        DataValue.objects.filter(
            indicator__in=codes,
            superseded_at__isnull=True,
            period__end__gte=batch.first,
            period__end__lte=batch.last,
        )
        .order_by("indicator", "unit_id", "-period__end", "period__start")
        .values_list("indicator", "unit_id", "value", "period__end")
    )
    latest: dict[str, list[dict[int, Number]]] = {code: [{} for _ in batch.periods] for code in codes}
    for code, unit_id, value, end in rows:
        for period, (start, stop) in enumerate(batch.periods):
            if start <= end <= stop:
                latest[code][period].setdefault(unit_id, _number(value, None))
    return latest


def _reported(batch: _Batch, indicators: list[Indicator]) -> tuple[dict, dict]:
    """Figures filed by units: a subtree's figure is the sum of those filed within it; nothing
    filed within it is no data (None), not zero."""
    from lantoa.core.models import DataValue

    codes = [indicator.code for indicator in indicators]
    latest = _latest_filed(batch, codes)
    filed_units = DataValue.objects.filter(indicator__in=codes).values("unit_id")
    tree = batch.tree("reported", Q(descendant_id__in=filed_units))
    values: dict[tuple[int, int, str], Number | None] = {}
    coverage: dict[tuple[int, int, str], Coverage] = {}
    for indicator in indicators:
        sums: dict[Key, Decimal] = {}
        for period, (_start, end) in enumerate(batch.periods):
            filed = latest[indicator.code][period]
            if batch.historical:
                placed, day = filed, end
            else:
                rule = (
                    Reallocation.BY_WEIGHT
                    if indicator.reallocation == Reallocation.BY_WEIGHT
                    else Reallocation.WHOLE_TO_DEFAULT
                )
                placed = flow_forward(dict(filed), until=batch.tree_day, rule=rule, events=batch.events)
                day = batch.tree_day
            for unit_id, value in placed.items():
                for target in tree.targets_of(unit_id, day):
                    sums[(target, period)] = sums.get((target, period), Decimal(0)) + value
        for target in batch.targets:
            for period in range(len(batch.periods)):
                total = sums.get((target, period))
                values[(target, period, indicator.code)] = None if total is None else _tidy(total)
        coverage.update(_reported_coverage(batch, indicator, latest[indicator.code]))
    return values, coverage


def _reported_coverage(batch: _Batch, indicator: Indicator, latest: list[dict[int, Number]]) -> dict:
    """Units expected to file (open at the period's end, of the reporting tiers) that did not."""
    found: dict[tuple[int, int, str], Coverage] = {}
    missing: dict[Key, list[str]] = defaultdict(list)
    if indicator.reporting_tiers:
        first_end = min(end for _start, end in batch.periods)
        expected = Unit.objects.filter(
            opened_on__lte=batch.last, kind__tier__code__in=indicator.reporting_tiers
        ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first_end))
        if indicator.reporting_territorial_only:
            expected = expected.filter(kind__is_territorial=True)
        name = f"expected:{','.join(indicator.reporting_tiers)}:{indicator.reporting_territorial_only}"
        tree = batch.tree(name, Q(descendant_id__in=expected.values("pk")))
        for unit_id, code, opened_on, closed_on in expected.values_list("pk", "code", "opened_on", "closed_on"):
            now = None if batch.historical else tree.targets_of(batch.destination(unit_id), batch.tree_day)
            for period, (_start, end) in enumerate(batch.periods):
                if not (opened_on <= end and (closed_on is None or closed_on > end)) or unit_id in latest[period]:
                    continue
                for target in tree.targets_of(unit_id, end) if now is None else now:
                    missing[(target, period)].append(code)
    for target in batch.targets:
        for period in range(len(batch.periods)):
            coverage = Coverage()
            coverage.add_missing(missing.get((target, period), []))
            found[(target, period, indicator.code)] = coverage
    return found


def _record_coverage(batch: _Batch) -> dict[Key, Coverage]:
    """Units counted in a record-based figure that kept no records in Lantoa for (part of) the
    period: the same for every such indicator, so read once per call."""
    silent = Unit.objects.filter(opened_on__lte=batch.last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=batch.first),
        Q(records_since__isnull=True) | Q(records_since__gt=batch.first),
    )
    tree = batch.tree("silent", Q(descendant_id__in=silent.values("pk")))
    missing: dict[Key, list[str]] = defaultdict(list)
    rows = silent.values_list("pk", "code", "opened_on", "closed_on", "records_since")
    for unit_id, code, opened_on, closed_on, since in rows:
        now = None if batch.historical else tree.targets_of(batch.destination(unit_id), batch.tree_day)
        for period, (start, end) in enumerate(batch.periods):
            if not (opened_on <= end and (closed_on is None or closed_on > start)):
                continue
            if since is not None and since <= start:
                continue
            if now is None:
                targets = set(tree.targets_of(unit_id, end)) | set(tree.targets_of(unit_id, start))
            else:
                targets = set(now)
            for target in targets:
                missing[(target, period)].append(code)
    found: dict[Key, Coverage] = {}
    for target in batch.targets:
        for period in range(len(batch.periods)):
            coverage = Coverage()
            coverage.add_missing(missing.get((target, period), []))
            found[(target, period)] = coverage
    return found


def _unit_counts(batch: _Batch, indicator: Indicator) -> dict[tuple[int, int, str], Number]:
    """Units of a tier open at the period's end, below each target (the target itself excluded)."""
    first_end = min(end for _start, end in batch.periods)
    units = Unit.objects.filter(opened_on__lte=batch.last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=first_end)
    )
    if indicator.unit_tier:
        units = units.filter(kind__tier__code=indicator.unit_tier)
    tree = batch.tree(f"tier:{indicator.unit_tier}", Q(descendant_id__in=units.values("pk")))
    counts: dict[Key, int] = defaultdict(int)
    for unit_id, opened_on, closed_on in units.values_list("pk", "opened_on", "closed_on"):
        now = None if batch.historical else tree.targets_of(batch.destination(unit_id), batch.tree_day)
        for period, (_start, end) in enumerate(batch.periods):
            if not (opened_on <= end and (closed_on is None or closed_on > end)):
                continue
            for target in tree.targets_of(unit_id, end) if now is None else now:
                if target != unit_id:
                    counts[(target, period)] += 1
    return {
        (target, period, indicator.code): counts[(target, period)]
        for target in batch.targets
        for period in range(len(batch.periods))
    }


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
) -> RollupTable:
    """Every ``codes`` indicator for every unit's whole subtree over every period (both ends
    inclusive), in one structure. The number of queries depends on the indicators' sources,
    never on how many units or periods are asked for."""
    unique_periods = list(dict.fromkeys(periods))
    targets = list(dict.fromkeys(unit.pk for unit in units))
    requested, base = _base_indicators(codes)
    if not targets or not unique_periods:
        return RollupTable(unique_periods, {})
    batch = _Batch(targets, unique_periods, Structure(structure), as_of)
    values: dict[tuple[int, int, str], Number | None] = {}
    coverage: dict[tuple[int, int, str], Coverage] = {}
    additive: dict[str, list[Indicator]] = defaultdict(list)
    recomputed: dict[tuple[str, str, bool], list[Indicator]] = defaultdict(list)
    reported: list[Indicator] = []
    for indicator in base:
        if indicator.reported:
            reported.append(indicator)
        elif indicator.unit_tier is not None:
            values.update(_unit_counts(batch, indicator))
        elif _is_additive(indicator):
            additive[indicator.source].append(indicator)
        else:
            snapshot = indicator.aggregation == Aggregation.SNAPSHOT
            recomputed[(indicator.source, indicator.measure, snapshot)].append(indicator)
    for key, indicators in additive.items():
        values.update(_additive(batch, get_source(key), indicators))
    for (key, measure, _snapshot), indicators in recomputed.items():
        values.update(_recomputed(batch, get_source(key), measure, indicators))
    if reported:
        filed, filed_coverage = _reported(batch, reported)
        values.update(filed)
        coverage.update(filed_coverage)
    if additive or recomputed:
        records = _record_coverage(batch)
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
    "RollupTable",
    "Structure",
    "flow_forward",
    "indicator_values",
    "rollup",
    "share_by_weight",
]
