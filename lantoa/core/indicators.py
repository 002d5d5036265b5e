"""The indicator registry: every figure Lantoa can compute, declared once by the module that owns it.

A module declares *sources* (a model of records that count: its unit field, its local-date
field and its measures) and *indicators* (what to compute from a source or from reported
figures, how to aggregate over a period, and how a figure crosses a split). The rollup in
:mod:`lantoa.org.rollup` evaluates them; reports and dashboards only ever read through it.

Register from a module's ``registrations.py`` (imported by its ``AppConfig.ready``)::

    register_source(RecordSource(key="conferences", model="meetings.Conference",
                                 unit_field="unit", date_field="held_on",
                                 measures={"count": Measure.count(), "attendances": Measure.sum("attendance")}))
    register_indicator(Indicator(code="conferences", name_vi="Hội nghị", name_en="Conferences",
                                 measure_vi="hội nghị", measure_en="conferences",
                                 aggregation=Aggregation.SUM, counting=Counting.ITEMS,
                                 reallocation=Reallocation.WHOLE_TO_DEFAULT,
                                 source="conferences", measure="count"))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import get_language

# The range of a reported figure: 0 to 99,999,999,999.9999, at most 4 decimal places. The column
# (``DataValue.value``) has 18 digits, 4 of them after the point, but SQLite keeps a decimal as a
# binary float, exact to 15 significant digits only (Django's SQLite backend reads back no more):
# 11 digits before the point and 4 after is what both databases keep exactly. This is the outer
# bound of every figure and of every indicator's ``max_value``; the column, its database check
# and ``data_value_record`` all read it from here.
FIGURE_MAX_DIGITS = 18
FIGURE_DECIMAL_PLACES = 4
FIGURE_STEP = Decimal(1).scaleb(-FIGURE_DECIMAL_PLACES)  # 0.0001, the smallest difference kept
FIGURE_MIN = Decimal(0)
FIGURE_MAX = Decimal("99999999999.9999")  # 15 significant digits


class Aggregation(StrEnum):
    SUM = "sum"  # sum over the period
    SNAPSHOT = "snapshot"  # the value at the period's end
    DISTINCT = "distinct"  # distinct count over the period
    RATIO = "ratio"  # numerator / denominator, two other indicators


class Counting(StrEnum):
    PEOPLE = "people"  # distinct people
    ATTENDANCES = "attendances"  # one per attendance, the same person counted again
    UNITS = "units"
    ITEMS = "items"  # conferences, copies, activities…
    OTHER = "other"


class Reallocation(StrEnum):
    """How a figure of a unit that split (or merged) reaches today's structure."""

    BY_WEIGHT = "by_weight"  # additive quantities: shared by the split weights, exactly
    WHOLE_TO_DEFAULT = "whole_to_default"  # event records: each goes whole to the default successor
    RECOMPUTE = "recompute"  # stocks and distinct counts: recomputed from records in the new structure


@dataclass(frozen=True)
class Measure:
    kind: str  # "count", "sum" or "distinct"
    field: str = ""

    @classmethod
    def count(cls) -> Measure:
        return cls("count")

    @classmethod
    def sum(cls, field_name: str) -> Measure:
        return cls("sum", field_name)

    @classmethod
    def distinct(cls, field_name: str) -> Measure:
        return cls("distinct", field_name)


@dataclass(frozen=True)
class RecordSource:
    """Records that count: each is attached to the unit it belonged to when it happened.

    Records that last (a role held, a group in existence) name their end in ``valid_to_field``
    (exclusive, empty = still valid); ``date_field`` is then their start. Indicators with the
    *snapshot* aggregation count those valid on the period's last day.
    """

    key: str
    model: str  # "app_label.ModelName"
    unit_field: str  # a ForeignKey to org.Unit
    date_field: str  # a DateField holding the local date of the record (its start, for lasting ones)
    measures: dict[str, Measure] = field(default_factory=dict)
    filters: dict[str, object] = field(default_factory=dict)
    valid_to_field: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    measure_vi: str
    measure_en: str
    aggregation: Aggregation
    counting: Counting
    reallocation: Reallocation
    module: str = ""
    # Where the numbers come from — exactly one of these:
    source: str = ""  # a RecordSource key, with ``measure`` naming one of its measures
    measure: str = ""
    reported: bool = False  # figures filed by units (DataValue rows)
    unit_tier: str | None = None  # count units of this tier ("" = every unit below)
    # For reported figures: which tiers are expected to file (for coverage).
    reporting_tiers: tuple[str, ...] = ()
    reporting_territorial_only: bool = False  # e.g. population: only units with an area file it
    # The largest figure a unit may file (a Decimal within the column's range, FIGURE_MAX):
    # a figure above it is a typo, refused with the limit named. None: only the column bounds it.
    max_value: Decimal | None = None
    # For ratios:
    numerator: str = ""
    denominator: str = ""
    scale: int = 1  # 100 for a percentage
    description_vi: str = ""
    description_en: str = ""

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def measure_name(self) -> str:
        return self.measure_en if (get_language() or "vi").startswith("en") else self.measure_vi


class RegistryError(ValueError):
    pass


_sources: dict[str, RecordSource] = {}
_indicators: dict[str, Indicator] = {}


def register_source(source: RecordSource) -> None:
    existing = _sources.get(source.key)
    if existing is not None and existing != source:
        raise RegistryError(f"source {source.key!r} is registered twice with different definitions")
    _sources[source.key] = source


def register_indicator(indicator: Indicator) -> None:
    _check(indicator)
    existing = _indicators.get(indicator.code)
    if existing is not None and existing != indicator:
        raise RegistryError(f"indicator {indicator.code!r} is registered twice with different definitions")
    _indicators[indicator.code] = indicator


def _check(indicator: Indicator) -> None:
    kinds = [bool(indicator.source), indicator.reported, indicator.unit_tier is not None, bool(indicator.numerator)]
    if sum(kinds) != 1:
        raise RegistryError(f"indicator {indicator.code!r} needs exactly one of source, reported, unit_tier, numerator")
    if indicator.source:
        source = _sources.get(indicator.source)
        if source is None:
            raise RegistryError(f"indicator {indicator.code!r}: register source {indicator.source!r} first")
        if indicator.measure not in source.measures:
            raise RegistryError(f"indicator {indicator.code!r}: source has no measure {indicator.measure!r}")
        if indicator.aggregation == Aggregation.SNAPSHOT and not source.valid_to_field:
            raise RegistryError(f"indicator {indicator.code!r}: a snapshot needs a source with valid_to_field")
    if indicator.numerator and indicator.aggregation != Aggregation.RATIO:
        raise RegistryError(f"indicator {indicator.code!r}: a ratio must use Aggregation.RATIO")
    if indicator.max_value is not None:
        _check_bound(indicator)


def _check_bound(indicator: Indicator) -> None:
    bound = indicator.max_value
    if not indicator.reported:
        raise RegistryError(f"indicator {indicator.code!r}: max_value bounds reported figures only")
    if not isinstance(bound, Decimal) or not bound.is_finite():
        raise RegistryError(f"indicator {indicator.code!r}: max_value must be a finite Decimal, not {bound!r}")
    if not FIGURE_MIN < bound <= FIGURE_MAX:
        raise RegistryError(
            f"indicator {indicator.code!r}: max_value {bound} is outside the column's range (0, {FIGURE_MAX}]"
        )
    if bound != bound.quantize(FIGURE_STEP):
        raise RegistryError(
            f"indicator {indicator.code!r}: max_value {bound} has more than {FIGURE_DECIMAL_PLACES} decimal places"
        )


def get_indicator(code: str) -> Indicator | None:
    return _indicators.get(code)


def get_source(key: str) -> RecordSource:
    return _sources[key]


def all_sources() -> list[RecordSource]:
    return sorted(_sources.values(), key=lambda source: source.key)


def all_indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: (i.module, i.code))
