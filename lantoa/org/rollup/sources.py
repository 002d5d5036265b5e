"""Each kind of indicator, computed for a whole batch: additive record sums through the
closure table, recomputed snapshots and distinct counts, reported figures, unit counts, and
the coverage of each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When

from lantoa.core.indicators import Aggregation, Indicator, Reallocation, RecordSource, get_source
from lantoa.org.models import Unit, UnitClosure
from lantoa.org.rollup.batch import Batch, Key, as_text
from lantoa.org.rollup.successions import flow_forward, predecessors_until
from lantoa.org.rollup.values import MISSING_LIST_LIMIT, Coverage, Number, as_number, tidy


def _source_records(source: RecordSource, start: dt.date, end: dt.date) -> QuerySet:
    model = apps.get_model(source.model)
    rows = model.objects.filter(**{f"{source.date_field}__gte": start, f"{source.date_field}__lte": end})
    return rows.filter(**source.filters) if source.filters else rows


# An additive column: one measure of one source. Sources over the same model, unit and date
# (bridge points relayed, per level, attended…) are read together in one query, each column
# aggregated with its own source's filter.
Column = tuple[RecordSource, str]


def _column_records(columns: list[Column], start: dt.date, end: dt.date) -> QuerySet:
    """The records of any of the columns' sources dated in ``[start, end]``."""
    first = columns[0][0]
    rows = apps.get_model(first.model).objects.filter(
        **{f"{first.date_field}__gte": start, f"{first.date_field}__lte": end}
    )
    if all(source.filters for source, _measure in columns):
        any_source = Q()
        for source in {source.key: source for source, _measure in columns}.values():
            any_source |= Q(**source.filters)
        rows = rows.filter(any_source)
    return rows.order_by()


def _row_values(columns: list[Column]) -> dict[str, Any]:
    """Each column's value on one record (its measure, or 1 to be counted; nothing when the
    record is not of that column's source), named m0, m1…, for the database to sum."""
    found: dict[str, Any] = {}
    for index, (source, name) in enumerate(columns):
        measure = source.measures[name]
        if measure.kind == "count":
            value: Any = Value(1, output_field=IntegerField())
            output = IntegerField()
        else:
            value = F(measure.field)
            output = apps.get_model(source.model)._meta.get_field(measure.field)
        if source.filters:
            value = Case(When(Q(**source.filters), then=value), default=Value(None), output_field=output)
        found[f"m{index}"] = value
    return found


def _measure_fields(columns: list[Column]) -> list[Any]:
    fields: list[Any] = []
    for source, name in columns:
        measure = source.measures[name]
        model = apps.get_model(source.model)
        fields.append(model._meta.get_field(measure.field) if measure.kind == "sum" else None)
    return fields


def _through_closure(batch: Batch, columns: list[Column]) -> dict[tuple[int, int], list[Any]]:
    """Sums of the columns per (target, atom), in one grouped query through the closure table:
    each record counted under the targets that held its unit on the record's own day
    (historical) or on the batch's day (records of units still open then)."""
    sql, params, connection = _through_closure_statement(batch, columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _sums_by_key(cursor.fetchall(), _measure_fields(columns))


def _sums_by_key(rows: list[tuple[Any, ...]], fields: list[Any]) -> dict[tuple[int, int], list[Any]]:
    """Rows of (unit or target, atom, sum…) as numbers by (unit or target, atom)."""
    found: dict[tuple[int, int], list[Any]] = {}
    for key, atom, *values in rows:
        if atom is not None:
            found[(key, atom)] = [as_number(v, f) for v, f in zip(values, fields, strict=True)]
    return found


def _slices(batch: Batch) -> list[tuple[dt.date, dt.date, int]]:
    """The atoms cut wherever a closure row of the targets begins or ends inside one, as (first
    day, last day, atom): within a slice every closure row holds on every day or on none, so
    records summed per unit and slice are placed as exactly as record by record. In a later
    structure the tree is that of one day: the slices are the atoms."""
    if not batch.historical:
        return [(first, last, atom) for atom, (first, last) in enumerate(batch.atoms)]
    changes = batch.tree_changes()
    one_day = dt.timedelta(days=1)
    found = []
    for atom, (first, last) in enumerate(batch.atoms):
        start = first
        for change in changes:
            if start < change <= last:
                found.append((start, change - one_day, atom))
                start = change
        found.append((start, last, atom))
    return found


def _unit_sums(batch: Batch, columns: list[Column], slices: list[tuple[dt.date, dt.date, int]]) -> tuple[str, list]:
    """The columns' records summed per unit and slice by the database, as a statement of
    (unit "u", slice "s", "m0", "m1"…) rows: one hashed grouping of the records, so the closure
    rows are joined with a few sums per unit instead of with every record."""
    source = columns[0][0]
    records = _column_records(columns, batch.first, batch.last)
    inner = records.values(
        rollup_unit=F(f"{source.unit_field}_id"), rollup_day=F(source.date_field), **_row_values(columns)
    )
    connection = connections[records.db]
    inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
    adapt = connection.ops.adapt_datefield_value
    day = 'r."rollup_day"'
    whens, case_params = [], []
    for index, (first, last, _atom) in enumerate(slices):
        whens.append(f"WHEN {day} >= %s AND {day} <= %s THEN {index}")
        case_params += [adapt(first), adapt(last)]
    sums = ", ".join(f'SUM(r."m{index}") AS m{index}' for index in range(len(columns)))
    # Only quoted identifiers, placeholders and whole numbers of ours are interpolated.
    sql = (
        f'SELECT r."rollup_unit" AS u, CASE {" ".join(whens)} END AS s, {sums} '  # noqa: S608
        f"FROM ({inner_sql}) r GROUP BY 1, 2"
    )
    return sql, [*case_params, *inner_params]


def _through_closure_statement(batch: Batch, columns: list[Column]) -> tuple[str, list[Any], Any]:
    """The statement of :func:`_through_closure`: the records summed per unit and slice
    (:func:`_unit_sums`, named ``rollup_unit_sums``), then those sums per target and atom through
    the closure rows that held on the slice's days (historical) or on the batch's day."""
    sql, params, connection = _through_closure_parts(batch, columns)
    return sql[0] + sql[1], params[0] + params[1], connection


def _through_closure_parts(batch: Batch, columns: list[Column]) -> tuple[tuple[str, str], tuple[list, list], Any]:
    """(the WITH clause, the SELECT) of :func:`_through_closure_statement` and their parameters."""
    slices = _slices(batch)
    sums_sql, sums_params = _unit_sums(batch, columns, slices)
    connection = connections[apps.get_model(columns[0][0].model).objects.db]
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    closure = UnitClosure._meta
    ancestor, descendant, valid_from, valid_to = (
        quote(getattr(closure.get_field(name), "column", name))
        for name in ("ancestor", "descendant", "valid_from", "valid_to")
    )
    rows = ", ".join(f"({index}, %s, {atom})" for index, (_first, _last, atom) in enumerate(slices))
    with_sql = f"WITH rollup_unit_sums AS ({sums_sql}), rollup_slice (s, first_day, atom) AS (VALUES {rows}) "
    with_params = [*sums_params, *[adapt(first) for first, _last, _atom in slices]]
    if batch.historical:
        day = "sl.first_day"
        validity = f"c.{valid_from} <= {day} AND (c.{valid_to} IS NULL OR c.{valid_to} > {day})"
        validity_params: list[Any] = []
    else:
        validity = f"c.{valid_from} <= %s AND (c.{valid_to} IS NULL OR c.{valid_to} > %s)"
        validity_params = [adapt(batch.tree_day)] * 2
    sums = ", ".join(f"SUM(g.m{index})" for index in range(len(columns)))
    targets = ", ".join(["%s"] * len(batch.targets))
    select = (
        f"SELECT c.{ancestor}, sl.atom, {sums} FROM rollup_unit_sums g "  # noqa: S608
        f"INNER JOIN rollup_slice sl ON sl.s = g.s "
        f"INNER JOIN {quote(closure.db_table)} c ON c.{descendant} = g.u "
        f"WHERE c.{ancestor} IN ({targets}) AND {validity} GROUP BY 1, 2"
    )
    return (with_sql, select), (with_params, [*batch.targets, *validity_params]), connection


def _open_and_closed(
    batch: Batch, columns: list[Column]
) -> tuple[dict[tuple[int, int], list[Any]], list[dict[int, list[Any]]]]:
    """In a later structure: the sums through the closure table of the units open on the
    batch's day (:func:`_through_closure`) and, for each period, the totals of the units closed
    by then, per unit — both in one statement, from one read of the records summed per unit."""
    (with_sql, through_sql), (with_params, through_params), connection = _through_closure_parts(batch, columns)
    closed_sql, closed_params = predecessors_until(batch.tree_day).query.sql_with_params()
    values = ", ".join(f"g.m{index}" for index in range(len(columns)))
    # Both sides are statements built above from quoted names and parameters only; they have the
    # same columns (unit or target, atom, one sum per column).
    sql = (
        f"{with_sql}SELECT 0, o.* FROM ({through_sql}) o UNION ALL "  # noqa: S608
        f"SELECT 1, g.u, sl.atom, {values} FROM rollup_unit_sums g INNER JOIN rollup_slice sl ON sl.s = g.s "
        f"WHERE g.u IN ({closed_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*with_params, *through_params, *closed_params])
        rows = cursor.fetchall()
    fields = _measure_fields(columns)
    through = _sums_by_key([row[1:] for row in rows if row[0] == 0], fields)
    per_period: list[dict[int, list[Any]]] = [{} for _ in batch.periods]
    by_atom = batch.periods_of_atom()
    for (unit_id, atom_index), values_of in _sums_by_key([row[1:] for row in rows if row[0] == 1], fields).items():
        for period in by_atom[atom_index]:
            totals = per_period[period].setdefault(unit_id, [0] * len(columns))
            for index, value in enumerate(values_of):
                totals[index] += value
    return through, per_period


def additive_values(batch: Batch, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """Sums and counts that cross a split by weight or whole, for indicators whose sources share
    a model, unit and date: summed in the database per target and atom, in one query; only the
    totals of closed units cross successions, one number per unit."""
    keys = sorted({(indicator.source, indicator.measure) for indicator in indicators})
    columns: list[Column] = [(get_source(key), measure) for key, measure in keys]
    closed: list[dict[int, list[Any]]] = []
    if batch.historical:
        through = _through_closure(batch, columns)
    else:
        through, closed = _open_and_closed(batch, columns)
    found: dict[tuple[int, int, str], Number] = {}
    for target in batch.targets:
        for period, atoms in enumerate(batch.members):
            for indicator in indicators:
                index = keys.index((indicator.source, indicator.measure))
                found[(target, period, indicator.code)] = sum(
                    (through[(target, atom)][index] for atom in atoms if (target, atom) in through), start=0
                )
    if batch.historical:
        return found
    tree = batch.successor_tree
    for period, totals in enumerate(closed):
        for indicator in indicators:
            index = keys.index((indicator.source, indicator.measure))
            values = {unit_id: parts[index] for unit_id, parts in totals.items() if parts[index]}
            flowed = flow_forward(values, until=batch.tree_day, rule=indicator.reallocation, events=batch.events)
            for unit_id, value in flowed.items():
                for target in tree.targets_of(unit_id, batch.tree_day):
                    found[(target, period, indicator.code)] += value
    return found


def recomputed_values(batch: Batch, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """Snapshots, distinct counts and figures recomputed in a later structure: each record (or
    lasting record valid on a period's last day) counted once under every target that holds
    its unit — on the record's day or the period's end (historical), or on the batch's day,
    where the unit or its default successor stands. The indicators share a table, its dates
    and a kind of measure; their sources (roles of three kinds…) are read in one statement,
    each row marked with the sources it belongs to. Counts of records ride along with distinct
    counts of the same table (entries beside participants): one read answers both.

    PostgreSQL counts in one grouped statement (:func:`_counted_in_database`); SQLite's records
    are placed in Python (:func:`_placed_in_python`). Both answer the same figures (asserted by
    the tests on both databases)."""
    model = apps.get_model(get_source(indicators[0].source).model)
    if connections[model.objects.db].vendor == "postgresql":
        return _counted_in_database(batch, indicators)
    return _placed_in_python(batch, indicators)


def _counted_in_database(batch: Batch, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """The records joined with where their units stood (:func:`_places`) and with the periods,
    which may overlap (a year and its months), counted by the database in one grouped
    statement. Placing tens of thousands of records in Python cost more than the rest of a
    dashboard's figures together (PostgreSQL, today's structure: about 60 of the indicators
    API's 155 ms)."""
    by_key = {indicator.source: get_source(indicator.source) for indicator in indicators}
    keys = sorted(by_key)
    lead = next((i for i in indicators if _kind(i) == "distinct"), indicators[0])
    measure = get_source(lead.source).measures[lead.measure]
    snapshot = indicators[0].aggregation == Aggregation.SNAPSHOT
    records = _recomputed_records(batch, list(by_key.values()), snapshot=snapshot)
    connection = connections[records.db]
    inner_sql, inner_params = _marked_rows(records, [by_key[key] for key in keys], measure, snapshot=snapshot)
    place_sql, place_params = _places(batch, connection)
    adapt = connection.ops.adapt_datefield_value
    periods = ", ".join(["(%s, %s, %s)"] * len(batch.periods))
    period_params = [value for k, (a, b) in enumerate(batch.periods) for value in (k, adapt(a), adapt(b))]
    if snapshot:
        day = "pe.last_day"
        within = f'r."rollup_day" <= {day} AND (r."rollup_until" IS NULL OR r."rollup_until" > {day})'
    else:
        day = 'r."rollup_day"'
        within = f"{day} >= pe.first_day AND {day} <= pe.last_day"
    # Historically a unit stood where its closure rows of the counted day put it; in a later
    # structure the places are those of the batch's day only.
    held = f" AND pl.valid_from <= {day} AND (pl.valid_to IS NULL OR pl.valid_to > {day})" if batch.historical else ""
    joined = (
        f"FROM ({inner_sql}) r INNER JOIN rollup_period pe ON {within} "
        f'INNER JOIN rollup_place pl ON pl.unit_id = r."rollup_unit"{held}'
    )
    width = range(len(keys))
    if measure.kind == "distinct":
        # Per person first (a hashed grouping), then per target and period: for each source, the
        # persons with a record of it, and its records. Cheaper than COUNT(DISTINCT …), which sorts.
        per_person = ", ".join(f'SUM(r."rollup_in{index}") AS n{index}' for index in width)
        totals = ", ".join(f"SUM(CASE WHEN p.n{index} > 0 THEN 1 ELSE 0 END), SUM(p.n{index})" for index in width)
        select = (
            f"SELECT p.target_id, p.period, {totals} FROM (SELECT pl.target_id, pe.period, {per_person} "  # noqa: S608
            f'{joined} GROUP BY pl.target_id, pe.period, r."rollup_value") p GROUP BY 1, 2'
        )
    else:
        totals = ", ".join(
            f'SUM(r."rollup_in{index}")'
            if measure.kind == "count"
            else f'SUM(CASE WHEN r."rollup_in{index}" = 1 THEN r."rollup_value" END)'
            for index in width
        )
        select = f"SELECT pl.target_id, pe.period, {totals} {joined} GROUP BY 1, 2"
    # Only quoted names, placeholders and the statements built from them are interpolated.
    sql = (
        f"WITH rollup_place (unit_id, target_id, valid_from, valid_to) AS ({place_sql}), "
        f"rollup_period (period, first_day, last_day) AS (VALUES {periods}) {select}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*place_params, *period_params, *inner_params])
        rows = {(target, period): values for target, period, *values in cursor.fetchall()}
    field = records.model._meta.get_field(measure.field) if measure.kind == "sum" else None
    found: dict[tuple[int, int, str], Number] = {}
    for indicator in indicators:
        index = keys.index(indicator.source)
        if measure.kind == "distinct":
            index = 2 * index + (0 if _kind(indicator) == "distinct" else 1)
        for target in batch.targets:
            for period in range(len(batch.periods)):
                values = rows.get((target, period))
                found[(target, period, indicator.code)] = as_number(values[index] if values else 0, field)
    return found


def raw_rows(queryset: QuerySet) -> list[tuple[Any, ...]]:
    """A ``values_list`` query's rows as the database returns them, without Django's converter
    for every value: for rows of whole numbers and ISO text only, where the converters (an
    ``int()`` per count and per mark) cost more than the query on tens of thousands of rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _unit_ids(batch: Batch) -> QuerySet:
    return Unit.objects.filter(batch.units_that_may_count()).values("pk")


def _placed_in_python(batch: Batch, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """:func:`recomputed_values` on SQLite: the records read once, each placed under its targets
    here. SQLite has no hash join, and without statistics its plans for the grouped statement
    read the records again for every closure row (seconds on the demo, where this takes tens of
    milliseconds)."""
    keys = sorted({indicator.source for indicator in indicators})
    sources = [get_source(key) for key in keys]
    first = sources[0]
    kinds = {indicator.code: get_source(indicator.source).measures[indicator.measure].kind for indicator in indicators}
    lead = next((i for i in indicators if kinds[i.code] == "distinct"), indicators[0])
    measure = get_source(lead.source).measures[lead.measure]
    model = apps.get_model(first.model)
    unit_column = f"{first.unit_field}_id"
    snapshot = indicators[0].aggregation == Aggregation.SNAPSHOT
    if snapshot:
        first_end = min(end for _start, end in batch.periods)
        records = model.objects.filter(**{f"{first.date_field}__lte": batch.last}).filter(
            Q(**{f"{first.valid_to_field}__isnull": True}) | Q(**{f"{first.valid_to_field}__gt": first_end})
        )
        dates = {"rollup_from": as_text(first.date_field), "rollup_to": as_text(first.valid_to_field)}
    else:
        records = model.objects.filter(
            **{f"{first.date_field}__gte": batch.first, f"{first.date_field}__lte": batch.last}
        )
        dates = {"rollup_from": as_text(first.date_field)}
    if all(source.filters for source in sources):
        any_source = Q()
        for source in sources:
            any_source |= Q(**source.filters)
        records = records.filter(any_source)
    # Dates as ISO text, compared with the periods' ends as text: no parsing of every row.
    records = records.filter(**{f"{unit_column}__in": _unit_ids(batch)}).order_by().annotate(**dates)
    spans = list(dates)
    # With one source the rows are already that source's (filtered above): no mark, no filter per
    # column, so the database need not read the filter's columns again (an index can cover the read).
    alone = len(sources) == 1
    if measure.kind == "distinct":
        marks = {
            f"rollup_in{index}": Case(When(Q(**source.filters), then=Value(1)), default=Value(0))
            if source.filters and not alone
            else Value(1)
            for index, source in enumerate(sources)
        }
        # Not DISTINCT: persons are counted once in the sets below, and sorting the rows to drop
        # the few repeated ones cost more than reading them.
        rows = raw_rows(records.annotate(**marks).values_list(unit_column, *spans, measure.field, *marks))
    else:
        totals_of = {
            f"rollup_v{index}": (Count("*") if measure.kind == "count" else Sum(measure.field))
            if not source.filters or alone
            else (
                Count("pk", filter=Q(**source.filters))
                if measure.kind == "count"
                else Sum(measure.field, filter=Q(**source.filters))
            )
            for index, source in enumerate(sources)
        }
        rows = records.values_list(unit_column, *spans).annotate(**totals_of)
        if measure.kind == "count":
            rows = raw_rows(rows)
    tree = batch.tree
    field = model._meta.get_field(measure.field) if measure.kind == "sum" else None
    width = len(sources)
    totals: dict[tuple[int, int, int], Number] = defaultdict(int)
    people: dict[tuple[int, int, int], set[Any]] = defaultdict(set)
    periods = [(start.isoformat(), end.isoformat()) for start, end in batch.periods]
    distinct = measure.kind == "distinct"
    first_value = len(spans) + 1
    targets_of = tree.targets_of
    targets_now = None if batch.historical else batch.targets_now
    every_source = (0,)  # with one source, every row is that source's (no mark to read)
    records_too = any(kind == "count" for kind in kinds.values())
    # The loop below runs once per record (tens of thousands on a province): names are local.
    for row in rows:
        unit_id = row[0]
        starts = row[1]
        ends = row[2] if snapshot else starts
        tail = row[first_value:]
        now = None if targets_now is None else targets_now(tree, unit_id)
        if distinct:
            person = tail[0]
            sources_of_row = every_source if width == 1 else [index for index in range(width) if tail[1 + index]]
        for period, (start, end) in enumerate(periods):
            if snapshot:
                if not (starts <= end and (ends is None or ends > end)):
                    continue
                day = end
            elif not (start <= starts <= end):
                continue
            else:
                day = starts
            for target in targets_of(unit_id, day) if now is None else now:
                if distinct:
                    for index in sources_of_row:
                        people[(index, target, period)].add(person)
                        if records_too:
                            totals[(index, target, period)] += 1
                else:
                    for index in range(width):
                        totals[(index, target, period)] += as_number(tail[index], field)
    found = {}
    for indicator in indicators:
        index = keys.index(indicator.source)
        for target in batch.targets:
            for period in range(len(batch.periods)):
                key = (index, target, period)
                found[(target, period, indicator.code)] = (
                    len(people[key]) if kinds[indicator.code] == "distinct" else tidy(totals[key])
                )
    return found


def _kind(indicator: Indicator) -> str:
    return get_source(indicator.source).measures[indicator.measure].kind


def _recomputed_records(batch: Batch, sources: list[RecordSource], *, snapshot: bool) -> QuerySet:
    """The records of any of the sources that may count in the batch's periods."""
    first = sources[0]
    model = apps.get_model(first.model)
    if snapshot:
        first_end = min(end for _start, end in batch.periods)
        records = model.objects.filter(**{f"{first.date_field}__lte": batch.last}).filter(
            Q(**{f"{first.valid_to_field}__isnull": True}) | Q(**{f"{first.valid_to_field}__gt": first_end})
        )
    else:
        records = model.objects.filter(
            **{f"{first.date_field}__gte": batch.first, f"{first.date_field}__lte": batch.last}
        )
    if all(source.filters for source in sources):
        any_source = Q()
        for source in sources:
            any_source |= Q(**source.filters)
        records = records.filter(any_source)
    return records.order_by()


def _marked_rows(
    records: QuerySet, sources: list[RecordSource], measure: Any, *, snapshot: bool
) -> tuple[str, list[Any]]:
    """The records as (unit, day[, until][, value], one mark per source) rows, as a statement.
    With one source the rows are already that source's (filtered before): no mark to compute, so
    the database need not read the filter's columns (an index can cover the read)."""
    first = sources[0]
    alone = len(sources) == 1
    marks = {
        f"rollup_in{index}": Case(When(Q(**source.filters), then=Value(1)), default=Value(0))
        if source.filters and not alone
        else Value(1)
        for index, source in enumerate(sources)
    }
    columns: dict[str, Any] = {"rollup_unit": F(f"{first.unit_field}_id"), "rollup_day": F(first.date_field)}
    if snapshot:
        columns["rollup_until"] = F(first.valid_to_field)
    if measure.kind != "count":
        columns["rollup_value"] = F(measure.field)
    rows = records.annotate(**marks).values(*marks, **columns)
    sql, params = rows.query.get_compiler(connection=connections[records.db]).as_sql()
    return sql, list(params)


def _places(batch: Batch, connection: Any) -> tuple[str, list[Any]]:
    """Where units stood under the targets, as (unit, target, valid from, valid to) rows of a
    statement. Historically: the targets' closure rows that overlap the batch. In a later
    structure: the closure rows of the batch's day, and where each closed unit's records went
    (a few pairs, written as values)."""
    closure = UnitClosure._meta
    quote = connection.ops.quote_name
    ancestor, descendant, valid_from, valid_to = (
        quote(getattr(closure.get_field(name), "column", name))
        for name in ("ancestor", "descendant", "valid_from", "valid_to")
    )
    adapt = connection.ops.adapt_datefield_value
    targets = ", ".join(["%s"] * len(batch.targets))
    rows = f"FROM {quote(closure.db_table)} WHERE {ancestor} IN ({targets}) "
    if batch.historical:
        return (
            f"SELECT {descendant}, {ancestor}, {valid_from}, {valid_to} {rows}"
            f"AND {valid_from} <= %s AND ({valid_to} IS NULL OR {valid_to} > %s)",
            [*batch.targets, adapt(batch.last), adapt(batch.first)],
        )
    day = adapt(batch.tree_day)
    sql = (
        f"SELECT {descendant}, {ancestor}, NULL, NULL {rows}"
        f"AND {valid_from} <= %s AND ({valid_to} IS NULL OR {valid_to} > %s)"
    )
    params: list[Any] = [*batch.targets, day, day]
    closed = sorted(
        (unit_id, target)
        for unit_id in batch.closed_units()
        for target in batch.targets_now(batch.successor_tree, unit_id)
    )
    if closed:
        # UNION, not UNION ALL: a pair found both ways is one place, as a set of targets is.
        pairs = ", ".join(["(%s, %s)"] * len(closed))
        sql += f" UNION SELECT v.*, NULL, NULL FROM (VALUES {pairs}) v"  # noqa: S608
        params += [value for pair in closed for value in pair]
    return sql, params


def _latest_filed(batch: Batch, codes: list[str]) -> dict[str, list[dict[int, Number]]]:
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
                latest[code][period].setdefault(unit_id, as_number(value, None))
    return latest


def reported_values(batch: Batch, indicators: list[Indicator], *, with_coverage: bool = True) -> tuple[dict, dict]:
    """Figures filed by units: a subtree's figure is the sum of those filed within it; nothing
    filed within it is no data (None), not zero."""
    codes = [indicator.code for indicator in indicators]
    latest = _latest_filed(batch, codes)
    tree = batch.tree
    values: dict[tuple[int, int, str], Number | None] = {}
    coverage: dict[tuple[int, int, str], Coverage] = {}
    expected = _expected_to_file(batch, indicators) if with_coverage else []
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
                values[(target, period, indicator.code)] = None if total is None else tidy(total)
        if with_coverage:
            coverage.update(_reported_coverage(batch, indicator, latest[indicator.code], expected))
    return values, coverage


def _expected_to_file(batch: Batch, indicators: list[Indicator]) -> list[tuple[int, str, Any, Any, str, bool]]:
    """Units of any of the indicators' reporting tiers that may count under the targets, open
    at some period's end (one query for every reported indicator)."""
    tiers = {tier for indicator in indicators for tier in indicator.reporting_tiers}
    if not tiers:
        return []
    first_end = min(end for _start, end in batch.periods)
    expected = Unit.objects.filter(
        batch.units_that_may_count(), opened_on__lte=batch.last, kind__tier__code__in=tiers
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first_end))
    return list(
        expected.values_list("pk", "code", "opened_on", "closed_on", "kind__tier__code", "kind__is_territorial")
    )


def _reported_coverage(
    batch: Batch, indicator: Indicator, latest: list[dict[int, Number]], expected: list[tuple]
) -> dict:
    """Units expected to file (open at the period's end, of the reporting tiers) that did not."""
    found: dict[tuple[int, int, str], Coverage] = {}
    missing: dict[Key, list[str]] = defaultdict(list)
    tree = batch.tree
    for unit_id, code, opened_on, closed_on, tier, territorial in expected:
        if tier not in indicator.reporting_tiers or (indicator.reporting_territorial_only and not territorial):
            continue
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


def record_coverage(batch: Batch) -> dict[Key, Coverage]:
    """Units counted in a record-based figure that kept no records in Lantoa for (part of) the
    period: the same for every such indicator, so read once per call. The database counts them
    per target and period and names the first MISSING_LIST_LIMIT of each; only units closed
    into a successor by the structure's day are placed in Python."""
    silent = Unit.objects.filter(batch.units_that_may_count(), opened_on__lte=batch.last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=batch.first),
        Q(records_since__isnull=True) | Q(records_since__gt=batch.first),
    )
    counts: dict[Key, int] = defaultdict(int)
    missing: dict[Key, list[str]] = defaultdict(list)
    if batch.historical:
        _silent_below_targets(batch, silent, counts, missing)
    else:
        flowing = predecessors_until(batch.tree_day)
        _silent_below_targets(batch, silent.exclude(pk__in=flowing), counts, missing)
        _silent_flowing_in(batch, silent.filter(pk__in=flowing), counts, missing)
    found: dict[Key, Coverage] = {}
    for target in batch.targets:
        for period in range(len(batch.periods)):
            coverage = Coverage()
            coverage.set_missing(counts[(target, period)], missing.get((target, period), []))
            found[(target, period)] = coverage
    return found


def _silent_below_targets(batch: Batch, silent: QuerySet, counts: dict, missing: dict) -> None:
    """Silent units below each target — at the period's start or end (historical), or on the
    structure's day — counted and listed by the database in one query for every period."""
    connection = connections[silent.db]
    inner_sql, inner_params = (
        silent.order_by().values("id", "code", "opened_on", "closed_on", "records_since").query.sql_with_params()
    )
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    closure = quote(UnitClosure._meta.db_table)
    targets = ", ".join(["%s"] * len(batch.targets))
    valid = "(c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s))"
    selects, params = [], []
    for period, (start, end) in enumerate(batch.periods):
        days = [end, start] if batch.historical else [batch.tree_day]
        inside = " OR ".join([valid] * len(days))
        selects.append(
            f"SELECT {period} AS p, c.ancestor_id AS a, u.code AS code FROM ({inner_sql}) u "  # noqa: S608
            f"INNER JOIN {closure} c ON c.descendant_id = u.id WHERE c.ancestor_id IN ({targets}) "
            "AND u.opened_on <= %s AND (u.closed_on IS NULL OR u.closed_on > %s) "
            f"AND (u.records_since IS NULL OR u.records_since > %s) AND ({inside})"
        )
        params += [*inner_params, *batch.targets, adapt(end), adapt(start), adapt(start)]
        params += [adapt(day) for day in days for _ in range(2)]
    # Codes are ASCII: byte order, the order of Python's sorted(), on both databases.
    byte_order = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    sql = (
        "SELECT p, a, code, total FROM (SELECT p, a, code, "  # noqa: S608
        f"ROW_NUMBER() OVER (PARTITION BY p, a ORDER BY code{byte_order}) AS n, "
        "COUNT(*) OVER (PARTITION BY p, a) AS total "
        f"FROM (SELECT DISTINCT p, a, code FROM ({' UNION ALL '.join(selects)}) s) d) w "
        f"WHERE n <= {MISSING_LIST_LIMIT}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for period, target, code, total in cursor.fetchall():
            counts[(target, period)] = total
            missing[(target, period)].append(code)


def _silent_flowing_in(batch: Batch, silent: QuerySet, counts: dict, missing: dict) -> None:
    """Silent units closed into a successor by the structure's day, counted where their
    default successor stands on that day."""
    tree = batch.successor_tree
    rows = silent.values_list("pk", "code", "opened_on", "closed_on", "records_since")
    for unit_id, code, opened_on, closed_on, since in rows:
        targets = tree.targets_of(batch.destination(unit_id), batch.tree_day)
        for period, (start, end) in enumerate(batch.periods):
            if not (opened_on <= end and (closed_on is None or closed_on > start)):
                continue
            if since is not None and since <= start:
                continue
            for target in targets:
                counts[(target, period)] += 1
                missing[(target, period)].append(code)


def unit_counts(batch: Batch, indicators: list[Indicator]) -> dict[tuple[int, int, str], Number]:
    """Units of a tier (or of every tier) open at the period's end, below each target (the
    target itself excluded): one query for every such indicator."""
    first_end = min(end for _start, end in batch.periods)
    units = Unit.objects.filter(batch.units_that_may_count(), opened_on__lte=batch.last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=first_end)
    )
    tiers = {indicator.unit_tier for indicator in indicators}
    if "" not in tiers:
        units = units.filter(kind__tier__code__in=tiers)
    tree = batch.tree
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    ends = [end.isoformat() for _start, end in batch.periods]
    # Dates as ISO text, compared with the periods' ends as text: no parsing of every unit.
    rows = units.annotate(rollup_from=as_text("opened_on"), rollup_to=as_text("closed_on")).values_list(
        "pk", "kind__tier__code", "rollup_from", "rollup_to"
    )
    for unit_id, tier, opened_on, closed_on in rows:
        now = None if batch.historical else tree.targets_of(batch.destination(unit_id), batch.tree_day)
        for period, end in enumerate(ends):
            if not (opened_on <= end and (closed_on is None or closed_on > end)):
                continue
            for target in tree.targets_of(unit_id, end) if now is None else now:
                if target == unit_id:
                    continue
                for tier_counted in (tier, ""):
                    counts[(target, period, tier_counted)] += 1
    return {
        (target, period, indicator.code): counts[(target, period, indicator.unit_tier or "")]
        for indicator in indicators
        for target in batch.targets
        for period in range(len(batch.periods))
    }
