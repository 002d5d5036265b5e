"""Reads for the unit's dashboard: the main indicators of a unit, of its siblings and of its
children, over a period and the previous period of the same length, in one batched rollup.

The page, the API endpoint and the XLSX export all read :func:`unit_dashboard` and show its
:class:`Dashboard` as it is, so their figures cannot differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lantoa.accounts.permissions import units_for
from lantoa.accounts.roles import Capability
from lantoa.core.indicators import Aggregation, Indicator, get_indicator
from lantoa.org.models import Unit
from lantoa.org.rollup import Coverage, Number, rollup
from lantoa.org.selectors import name_then, unit_children, unit_names_by_code, unit_parent

# The dashboard's main indicators, in the order the page shows them. Only those registered
# (:func:`main_columns`) are read: a module that is not installed simply adds none.
MAIN_CODES = [
    "conferences_held",
    "online_bridge_points",
    "conference_attendances",
    "member_attendance_rate",
    "outreach_boards",
    "outreach_teams",
    "outreach_commune_cadres",
    "village_propagandists",
    "reporters",
    "copies_printed",
    "qr_reads",
]
STRUCTURES = ("historical", "current")
# Units named under a figure's coverage ("who has not reported"); the count is always given.
MISSING_NAMED = 5


@dataclass(frozen=True)
class Period:
    """Both ends inclusive."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)  # dates are bounded (core.api_input)

    @property
    def pair(self) -> tuple[dt.date, dt.date]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Column:
    """One main indicator as the dashboard shows it."""

    code: str
    name: str
    measure: str
    rate: bool  # a percentage
    counting: str  # people, attendances, items… (attendances are never called people)

    @classmethod
    def of(cls, indicator: Indicator) -> Column:
        return cls(
            code=indicator.code,
            name=indicator.name,
            measure=indicator.measure_name,
            rate=indicator.aggregation == Aggregation.RATIO,
            counting=str(indicator.counting),
        )


def main_columns(codes: list[str] | None = None) -> list[Column]:
    """The main indicators that are registered (of ``codes`` when given, in MAIN_CODES order)."""
    wanted = set(codes) if codes else None
    columns = []
    for code in MAIN_CODES:
        indicator = get_indicator(code)
        if indicator is not None and (wanted is None or code in wanted):
            columns.append(Column.of(indicator))
    return columns


@dataclass(frozen=True)
class MissingUnit:
    code: str
    name: str


@dataclass(frozen=True)
class Figure:
    """One indicator for one unit's subtree: the period's value and the previous period's.
    ``None`` is "no data", never 0."""

    code: str
    value: Number | None
    previous: Number | None
    coverage: Coverage
    rate: bool = False
    missing: list[MissingUnit] = field(default_factory=list)  # the first units with no data, named

    @property
    def previous_figure(self) -> Figure:
        """The previous period's value, shown as a figure of its own."""
        return Figure(self.code, self.previous, None, Coverage(), self.rate)

    @property
    def change(self) -> Number | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Row:
    unit: Unit
    name: str  # as the unit was named on the structure's day
    figures: dict[str, Figure]

    def cells(self, columns: list[Column]) -> list[Figure]:
        return [self.figures[column.code] for column in columns]


@dataclass
class Dashboard:
    unit: Unit
    name: str
    parent: Unit | None
    period: Period
    previous: Period
    structure: str
    day: dt.date  # the day whose tree places siblings and children
    columns: list[Column]
    total: Row
    siblings: list[Row]
    children: list[Row]

    @property
    def headlines(self) -> list[tuple[Column, Figure]]:
        return self._cells(self.total)

    @property
    def sibling_table(self) -> list[tuple[Row, list[tuple[Column, Figure]]]]:
        """The unit first, then its siblings."""
        return [(row, self._cells(row)) for row in [self.total, *self.siblings]]

    @property
    def child_table(self) -> list[tuple[Row, list[tuple[Column, Figure]]]]:
        return [(row, self._cells(row)) for row in self.children]

    def _cells(self, row: Row) -> list[tuple[Column, Figure]]:
        return list(zip(self.columns, row.cells(self.columns), strict=True))


def structure_day(period: Period, structure: str) -> dt.date:
    """The day whose tree places the unit's siblings and children: the period's end as the tree
    stood then, or today in today's structure (never a day still to come)."""
    today = timezone.localdate()
    return min(period.end, today) if structure == "historical" else today


def unit_dashboard(
    *, by: Any, unit: Unit, period: Period, structure: str = "historical", codes: list[str] | None = None
) -> Dashboard:
    """The dashboard of ``unit`` (which the caller let ``by`` see through
    ``org.permissions.access_unit`` with ``view_aggregates``): the main indicators for the unit's
    subtree, for each sibling ``by`` may see (the other children of its parent) and for each
    child, over ``period`` and the period of the same length before it, in ``structure``.

    Every figure comes from one batched :func:`~lantoa.org.rollup.rollup` call, so the cost does
    not grow with the number of siblings, children or days."""
    if structure not in STRUCTURES:
        raise ValueError(structure)
    columns = main_columns(codes)
    day = structure_day(period, structure)
    children = list(unit_children(unit, as_of=day))
    parent = unit_parent(unit, as_of=day)
    siblings: list[Unit] = []
    if parent is not None:
        visible = units_for(by, Capability.VIEW_AGGREGATES, as_of=day).values("pk")
        siblings = list(unit_children(parent, as_of=day).filter(pk__in=visible).exclude(pk=unit.pk))
    previous = period.previous()
    table = rollup(
        units=[unit, *siblings, *children],
        periods=[period.pair, previous.pair],
        codes=[column.code for column in columns],
        structure=structure,
    )

    def row(target: Unit, *, named: dict[str, str] | None = None) -> Row:
        figures = {}
        for column in columns:
            now = table.get(target, period.pair, column.code)
            before = table.get(target, previous.pair, column.code)
            missing = []
            if named is not None:
                missing = [
                    MissingUnit(code, named.get(code, code)) for code in now.coverage.missing_units[:MISSING_NAMED]
                ]
            figures[column.code] = Figure(column.code, now.value, before.value, now.coverage, column.rate, missing)
        return Row(target, name_then(target), figures)

    wanted = {
        code
        for column in columns
        for code in table.get(unit, period.pair, column.code).coverage.missing_units[:MISSING_NAMED]
    }
    named = unit_names_by_code(wanted) if wanted else {}
    return Dashboard(
        unit=unit,
        name=unit.name,
        parent=parent,
        period=period,
        previous=previous,
        structure=structure,
        day=day,
        columns=columns,
        total=row(unit, named=named),
        siblings=[row(sibling) for sibling in siblings],
        children=[row(child) for child in children],
    )
