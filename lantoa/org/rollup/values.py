"""What the rollup answers: a value with its coverage, in one of three structures."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from lantoa.core.indicators import Indicator

logger = logging.getLogger("lantoa.org.rollup")

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

    def set_missing(self, count: int, codes: list[str]) -> None:
        """``count`` units missing, of which ``codes`` (at least the first MISSING_LIST_LIMIT in
        order, when there are more) are named."""
        self.missing_count = count
        self.missing_units = sorted(codes)[:MISSING_LIST_LIMIT]
        self.complete = count == 0

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


def tidy(value: Number) -> Number:
    """Whole Decimals become ints so counts read as counts."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def as_number(value: Any, field: Any) -> Number:
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
    return tidy(number)
